"""The overall rank of an evaluation sheet (評価調書の総合評価) that its figures suggest.

A sheet (of a priority project or a measure) carries the figures of its indicators' series as of
the year evaluated, each with a status (達成・順調・遅れ・悪化・未入力, ``kpi.progress``). The
suggestion is read from the share of *evaluable* series that are 達成 or 順調:

* evaluable: a series with a target and at least one actual up to the year (未入力, 判定不能 and
  series without a target are shown on the sheet, but neither help nor hurt the suggestion);
  達成（要注意） counts as 達成, 横ばい as neither 達成 nor 順調;
* share = (達成 + 順調) / evaluable, kept exact;
* A 順調 at 80 % or more, B 概ね順調 at 50 % or more, C やや遅れ at 20 % or more, D 遅れ below;
* no evaluable series: no suggestion (the rank given then always needs a reason).

The departments and reviewers give their own rank on the same scale; where it differs from the
suggestion they say why.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from kpi.progress import Status


class SheetRank(StrEnum):
    A = "A"  # 順調
    B = "B"  # 概ね順調
    C = "C"  # やや遅れ
    D = "D"  # 遅れ


RANK_LABELS: dict[SheetRank, str] = {
    SheetRank.A: "A（順調）",
    SheetRank.B: "B（概ね順調）",
    SheetRank.C: "C（やや遅れ）",
    SheetRank.D: "D（遅れ）",
}
# The lowest share of 達成・順調 series for each rank, best first.
BANDS: tuple[tuple[Decimal, SheetRank], ...] = (
    (Decimal("0.8"), SheetRank.A),
    (Decimal("0.5"), SheetRank.B),
    (Decimal("0.2"), SheetRank.C),
    (Decimal("0"), SheetRank.D),
)
GOOD = frozenset({Status.ACHIEVED, Status.AT_RISK, Status.ON_TRACK})
# 判定不能 (a first survey of an unmeasured baseline) has no verdict yet: like 未入力, it neither
# helps nor hurts the suggestion.
NOT_EVALUABLE = frozenset({Status.NO_DATA, Status.NOT_EVALUABLE})


@dataclass(frozen=True)
class Suggestion:
    rank: SheetRank | None  # None: no evaluable series
    evaluable: int
    good: int  # 達成 or 順調
    no_data: int  # 未入力 (with a target, no actual yet)

    @property
    def share(self) -> Decimal | None:
        """達成・順調 share in %, 0.1 (四捨五入), for display."""
        if not self.evaluable:
            return None
        percent = Decimal(self.good) * 100 / Decimal(self.evaluable)
        return percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def label(self) -> str:
        return RANK_LABELS[self.rank] if self.rank else "－（評価できる指標なし）"


def suggest_rank(statuses: Iterable[Status | str | None]) -> Suggestion:
    """The suggestion from the figures' statuses; None stands for a series without a target."""
    evaluable = good = no_data = 0
    for raw in statuses:
        if raw is None:
            continue
        status = Status(raw)
        if status in NOT_EVALUABLE:
            no_data += 1
            continue
        evaluable += 1
        good += status in GOOD
    return Suggestion(_band(good, evaluable), evaluable, good, no_data)


def _band(good: int, evaluable: int) -> SheetRank | None:
    if not evaluable:
        return None
    share = Decimal(good) / Decimal(evaluable)
    return next(rank for lowest, rank in BANDS if share >= lowest)
