"""Isesaki's review chain (評価の流れ), the default the migration made, and how a sheet moves
along a chain: the next step that applies to it.

    0 所管課作成        the sheet's department (or the planning division) writes and submits
    1 1次評価 課長      the 課長 of that department
    2 2次評価 副部局長  the 副部局長 of its bureau (部局)
    3 3次評価 部局長    the 部局長 of its bureau
    4 4次評価          総合計画推進本部: the planning division records its evaluation
    5 外部評価          総合計画推進会議 (only sheets sent to it): its members write comments
    6 市長決裁          the mayor's decision, recorded by the planning division; approving it
                        finalises the sheet (確定)
"""

from collections.abc import Sequence

from django.contrib.auth.models import Group

from evaluations.models import PositionKind, ReviewChain, ReviewStep, StepKind
from evaluations.permissions import ROLE_COMMITTEE
from indicators.permissions import ROLE_APPROVER

DEFAULT_CHAIN = "伊勢崎市の評価の流れ"
# order, name, actor_label, kind, position, group, optional, gives_rank (a test compares the
# migration's frozen copy with this table)
ISESAKI_STEPS: tuple[tuple[int, str, str, str, str, str | None, bool, bool], ...] = (
    (0, "所管課作成", "所管課", StepKind.AUTHOR, "", None, False, True),
    (1, "1次評価", "課長", StepKind.REVIEW, PositionKind.SECTION_CHIEF, None, False, True),
    (2, "2次評価", "副部局長", StepKind.REVIEW, PositionKind.DEPUTY_DIRECTOR, None, False, True),
    (3, "3次評価", "部局長", StepKind.REVIEW, PositionKind.DIRECTOR, None, False, True),
    (4, "4次評価", "総合計画推進本部", StepKind.REVIEW, "", ROLE_APPROVER, False, True),
    (5, "外部評価", "総合計画推進会議", StepKind.COMMITTEE, "", ROLE_COMMITTEE, True, False),
    (6, "市長決裁", "市長（企画担当が記録）", StepKind.REVIEW, "", ROLE_APPROVER, False, True),
)


def ensure_default_chain() -> ReviewChain:
    """The default chain, made again if a database flush lost it (tests, the demo command);
    an existing default is left as it is."""
    chain = ReviewChain.objects.default()
    if chain is not None:
        return chain
    chain = ReviewChain.objects.create(name=DEFAULT_CHAIN, is_default=True)
    for order, name, label, kind, position, group, optional, gives_rank in ISESAKI_STEPS:
        ReviewStep.objects.create(
            chain=chain,
            order=order,
            name=name,
            actor_label=label,
            kind=kind,
            position=position,
            group=Group.objects.get_or_create(name=group)[0] if group else None,
            optional=optional,
            gives_rank=gives_rank,
        )
    return chain


def next_step(
    steps: Sequence[ReviewStep], current: ReviewStep, *, to_committee: bool
) -> ReviewStep | None:
    """The step after ``current`` that applies to the sheet (optional steps only for sheets
    sent to the committee); None when ``current`` is the last: the sheet is then finalised."""
    later = [s for s in steps if s.order > current.order and (to_committee or not s.optional)]
    return min(later, key=lambda s: s.order, default=None)


def author_step(steps: Sequence[ReviewStep]) -> ReviewStep:
    return next(s for s in steps if s.is_author)


def committee_step(steps: Sequence[ReviewStep]) -> ReviewStep | None:
    return next((s for s in steps if s.is_committee), None)
