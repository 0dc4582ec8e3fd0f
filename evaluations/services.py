"""Every change of the yearly evaluation, one service per step of the workflow:

    evaluations_open ─▶ 作成中 ──sheet_submit──▶ 評価中: 1次 → 2次 → 3次 → 4次 → [外部] → 市長決裁
                          ▲                       │ sheet_approve: rank + comment, to the next step;
                          │                       │ at the last step the sheet is finalised (確定)
                          └──── sheet_return ◀────┘ (comment; back to the author, next round)
    確定 ──sheet_reopen (reason)──▶ 作成中;  確定 ──sheet_refresh_figures (reason)──▶ 確定

Each service checks the user (``PermissionDenied``), then the state (``ValidationError``, in
Japanese) on the sheet's row locked for the transaction, writes, and records who and why on the
history rows (django-simple-history) and as a ``StepEntry``. Everything a service writes is
written in one transaction, and every write of a sheet goes through ``_save``: the place for a
hook that must run with each change (a data version for caches).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone

from evaluations import chains, permissions
from evaluations.figures import FIGURE_FIELDS, Figure, live_figures, scheme_of, suggestion
from evaluations.models import (
    EXTERNAL_COMMENT_MAX,
    EntryAction,
    EvaluationSheet,
    ExternalComment,
    PositionKind,
    Rank,
    ReviewChain,
    ReviewStep,
    SheetFigure,
    SheetState,
    StepEntry,
)
from evaluations.permissions import Place
from indicators.permissions import AnyUser
from kpi.sheet_rank import Suggestion
from measures.models import ActionPlan

TEXT_FIELDS = (
    "achievements",
    "analysis",
    "challenges",
    "outlook",
    "outlook_text",
    "rank_given",
    "rank_reason",
)
PLANNING = "企画担当"
REQUIRED_TO_SUBMIT = ("achievements", "analysis", "challenges", "outlook", "outlook_text")


# --- reading what a service needs ------------------------------------------------------------
def _locked(sheet: EvaluationSheet) -> EvaluationSheet:
    return EvaluationSheet.objects.select_for_update(of=("self",)).for_page().get(pk=sheet.pk)


def _steps(chain: ReviewChain) -> list[ReviewStep]:
    return list(chain.steps.select_related("group").order_by("order"))


def _place(sheet: EvaluationSheet) -> Place:
    return permissions.place_of(sheet, permissions.bureau_memberships())


def live_suggestion(sheet: EvaluationSheet) -> tuple[list[Figure], Suggestion]:
    figures = live_figures(sheet.plan, sheet.year, [sheet])[sheet.pk]
    return figures, suggestion(figures)


def _field_label(name: str) -> str:
    field = EvaluationSheet._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, Field) else name


def acted_as(sheet: EvaluationSheet, step: ReviewStep, place: Place) -> str:
    """Who acted, as the sheet records it: 「子育て支援課 課長」, 「総合計画推進本部」 …"""
    if step.is_author:
        return sheet.department.name if sheet.department else PLANNING
    if step.position:
        chief = step.position == PositionKind.SECTION_CHIEF
        where = place.department if chief else place.bureau
        return f"{where.name if where else '（未設定）'} {step.actor_label}"
    return step.actor_label


# --- writing ---------------------------------------------------------------------------------
def _save(sheet: EvaluationSheet, user: AnyUser | None, reason: str) -> None:
    sheet._history_user = user  # type: ignore[attr-defined]
    sheet._change_reason = reason  # type: ignore[attr-defined]
    sheet.save()


def _entry(
    sheet: EvaluationSheet,
    user: AnyUser,
    action: str,
    *,
    place: Place,
    rank: str = "",
    comment: str = "",
    by_planning: bool = False,
) -> StepEntry:
    """``by_planning``: the planning division acts on the sheet as itself (closing the
    committee's step, reopening, refreshing), not as the holder of the current step."""
    return StepEntry.objects.create(
        sheet=sheet,
        round=sheet.round,
        step=sheet.step,
        action=action,
        rank=rank,
        comment=comment,
        user=user if user.is_authenticated else None,
        acted_as=PLANNING if by_planning else acted_as(sheet, sheet.step, place),
    )


@dataclass
class Opened:
    created: list[EvaluationSheet] = field(default_factory=list)
    existing: int = 0
    written_by_planning: list[str] = field(default_factory=list)  # measures without a 主管課


def evaluations_open(*, plan: ActionPlan, year: int, user: AnyUser | None) -> Opened:
    """The year's sheets, one per priority project and per measure of the plan, made in one go
    (the admin's page, or ``manage.py open_evaluations`` without a user). Sheets that exist are
    left as they are: a second run changes nothing."""
    if user is not None and not permissions.can_open_evaluations(user):
        raise PermissionDenied("評価調書を作成する権限がありません（企画担当のみ）。")
    if not plan.first_year <= year <= plan.last_year:
        raise ValidationError(
            f"{year}年度は計画の期間（{plan.first_year}〜{plan.last_year}年度）外です。"
        )
    chain = ReviewChain.objects.default()
    if chain is None:
        raise ValidationError("既定の評価の流れがありません（管理画面で設定してください）。")
    author = chains.author_step(_steps(chain))
    opened = Opened()
    with transaction.atomic():
        sheets = EvaluationSheet.objects.of_year(plan, year)
        have_projects = set(
            sheets.filter(project__isnull=False).values_list("project_id", flat=True)
        )
        have_measures = set(
            sheets.filter(measure__isnull=False).values_list("measure_id", flat=True)
        )
        opened.existing = len(have_projects) + len(have_measures)
        for project in plan.projects.exclude(pk__in=have_projects).order_by("number"):
            opened.created.append(_new_sheet(plan, year, chain, author, user, project=project))
        measures = plan.measures.exclude(pk__in=have_measures).select_related("lead_department")
        for measure in measures.order_by("order"):
            if measure.lead_department is None:
                opened.written_by_planning.append(str(measure))
            opened.created.append(
                _new_sheet(
                    plan,
                    year,
                    chain,
                    author,
                    user,
                    measure=measure,
                    department=measure.lead_department,
                )
            )
    return opened


def _new_sheet(
    plan: ActionPlan,
    year: int,
    chain: ReviewChain,
    author: ReviewStep,
    user: AnyUser | None,
    **subject: object,
) -> EvaluationSheet:
    sheet = EvaluationSheet(plan=plan, year=year, chain=chain, step=author, **subject)
    _save(sheet, user if user is not None and user.is_authenticated else None, "評価調書を作成")
    return sheet


def sheet_save(
    *, sheet: EvaluationSheet, user: AnyUser, text: Mapping[str, str]
) -> EvaluationSheet:
    """保存: the author's text and rank while the sheet is with them."""
    if not permissions.can_edit_text(user, sheet, _place(sheet)):
        raise PermissionDenied("この評価調書を編集する権限がありません。")
    with transaction.atomic():
        locked = _locked(sheet)
        if not permissions.can_edit_text(user, locked, _place(locked)):
            raise ValidationError("この評価調書は提出済みのため変更できません。")
        for name in TEXT_FIELDS:
            if name in text:
                setattr(locked, name, text[name])
        _save(locked, user, "保存")
    return locked


def _submission_errors(sheet: EvaluationSheet, suggested: Suggestion) -> list[str]:
    errors = [
        f"「{_field_label(n)}」を入力してください。"
        for n in REQUIRED_TO_SUBMIT
        if not getattr(sheet, n).strip()
    ]
    if not sheet.rank_given:
        errors.append("「総合評価」を選んでください。")
    elif sheet.rank_given != (suggested.rank or "") and not sheet.rank_reason.strip():
        errors.append(
            f"総合評価が推奨評価（{suggested.label}）と異なるため、「評価の理由」を入力してください。"
        )
    return errors


def sheet_submit(*, sheet: EvaluationSheet, user: AnyUser) -> EvaluationSheet:
    """提出: the author hands the sheet to the first review step."""
    if not permissions.can_submit(user, sheet, _place(sheet)):
        raise PermissionDenied("この評価調書を提出する権限がありません。")
    with transaction.atomic():
        locked = _locked(sheet)
        place = _place(locked)
        if not permissions.can_submit(user, locked, place):
            raise ValidationError("この評価調書は提出済みです。")
        figures, suggested = live_suggestion(locked)
        errors = _submission_errors(locked, suggested)
        if errors:
            raise ValidationError(errors)
        _entry(
            locked,
            user,
            EntryAction.SUBMITTED,
            place=place,
            rank=locked.rank_given,
            comment=locked.rank_reason,
        )
        locked.submitted_at = timezone.now()
        _advance(locked, user, figures, suggested, rank=locked.rank_given, reason="提出")
    return locked


def _advance(
    sheet: EvaluationSheet,
    user: AnyUser,
    figures: list[Figure],
    suggested: Suggestion,
    *,
    rank: str,
    reason: str,
) -> None:
    """To the next step that applies, or finalised after the last one."""
    steps = _steps(sheet.chain)
    following = chains.next_step(steps, sheet.step, to_committee=sheet.to_committee)
    if following is None:
        _finalise(sheet, user, figures, suggested, rank=rank or _last_rank(sheet))
        _save(sheet, user, f"{reason}・確定")
        return
    sheet.step, sheet.state = following, SheetState.REVIEWING
    if following.is_committee and sheet.sent_at is None:
        sheet.sent_at = timezone.now()
    _save(sheet, user, f"{reason}（{following.name}へ）")


def _last_rank(sheet: EvaluationSheet) -> str:
    entry = (
        sheet.entries.filter(round=sheet.round)
        .exclude(rank="")
        .order_by("-created_at", "-pk")
        .first()
    )
    return entry.rank if entry else sheet.rank_given


def _finalise(
    sheet: EvaluationSheet,
    user: AnyUser,
    figures: list[Figure],
    suggested: Suggestion,
    *,
    rank: str,
) -> None:
    now = timezone.now()
    _freeze(sheet, user, figures, now)
    sheet.state = SheetState.FINALISED
    sheet.final_rank = rank
    sheet.suggested_rank = suggested.rank or ""
    sheet.rank_scheme, sheet.rank_scheme_version = scheme_of(sheet.plan)
    sheet.finalised_at = now
    sheet.finalised_by = user if user.is_authenticated else None


def _freeze(sheet: EvaluationSheet, user: AnyUser, figures: list[Figure], now: datetime) -> None:
    """The figures as frozen rows: those of series no longer shown are deleted, the others
    written anew (each change in the figures' history)."""
    kept = {f.series_id for f in figures}
    for stale in sheet.figures.exclude(series_id__in=kept):
        stale._history_user = user  # type: ignore[attr-defined]
        stale.delete()
    existing = {f.series_id: f for f in sheet.figures.all()}
    for order, figure in enumerate(figures, start=1):
        row = existing.get(figure.series_id) or SheetFigure(sheet=sheet, series_id=figure.series_id)
        if row.pk and row.order == order and not row_figure(row).differs_from(figure):
            continue
        for name in FIGURE_FIELDS:
            setattr(row, name, getattr(figure, name))
        row.order, row.frozen_at = order, now
        row._history_user = user  # type: ignore[attr-defined]
        row.save()


def row_figure(row: SheetFigure) -> Figure:
    """A frozen figure as a ``Figure``, to show and to compare with today's."""
    return Figure(**{name: getattr(row, name) for name in FIGURE_FIELDS})


def _review_errors(step: ReviewStep, rank: str, comment: str, previous: str) -> list[str]:
    """A step that gives a rank must give one; changing the rank it received needs a reason."""
    if not step.gives_rank:
        return []
    if rank not in Rank.values:
        return ["評価（ランク）を選んでください。"]
    if previous and rank != previous and not comment:
        label = Rank(previous).label
        return [f"前の段階の評価（{label}）と異なる評価とする理由をコメントに入力してください。"]
    return []


def sheet_approve(
    *, sheet: EvaluationSheet, user: AnyUser, rank: str, comment: str
) -> EvaluationSheet:
    """承認: this step's rank and comment, then the next step (at the last, 確定)."""
    comment = comment.strip()
    if not permissions.can_review(user, sheet, _place(sheet)):
        raise PermissionDenied("この段階で評価する権限がありません。")
    with transaction.atomic():
        locked = _locked(sheet)
        place = _place(locked)
        if not permissions.can_review(user, locked, place):
            raise ValidationError("この評価調書は既に次の段階に進んでいます。")
        figures, suggested = live_suggestion(locked)
        errors = _review_errors(locked.step, rank, comment, _last_rank(locked))
        if errors:
            raise ValidationError(errors)
        rank = rank if locked.step.gives_rank else ""
        steps = _steps(locked.chain)
        last = chains.next_step(steps, locked.step, to_committee=locked.to_committee) is None
        action = EntryAction.FINALISED if last else EntryAction.APPROVED
        _entry(locked, user, action, place=place, rank=rank, comment=comment)
        _advance(locked, user, figures, suggested, rank=rank, reason=f"{locked.step.name}：承認")
    return locked


def sheet_return(*, sheet: EvaluationSheet, user: AnyUser, comment: str) -> EvaluationSheet:
    """差戻し: back to the author with what to correct; the next round begins."""
    comment = comment.strip()
    if not permissions.can_review(user, sheet, _place(sheet)):
        raise PermissionDenied("この段階で差し戻す権限がありません。")
    if not comment:
        raise ValidationError("差戻しの理由（コメント）を入力してください。")
    with transaction.atomic():
        locked = _locked(sheet)
        place = _place(locked)
        if not permissions.can_review(user, locked, place):
            raise ValidationError("この評価調書は既に次の段階に進んでいます。")
        _entry(locked, user, EntryAction.RETURNED, place=place, comment=comment)
        step_name = locked.step.name
        locked.step = chains.author_step(_steps(locked.chain))
        locked.state, locked.round = SheetState.RETURNED, locked.round + 1
        _save(locked, user, f"{step_name}：差戻し（{comment}）")
    return locked


def sheet_comment(*, sheet: EvaluationSheet, user: AnyUser, text: str) -> ExternalComment:
    """外部評価: a committee member's comment (one per member, changeable while the sheet is
    at the committee's step)."""
    text = text.strip()
    if not permissions.can_comment(user, sheet, _place(sheet)):
        raise PermissionDenied("この評価調書に外部評価を記入する権限がありません。")
    if not text:
        raise ValidationError("外部評価（意見）を入力してください。")
    if len(text) > EXTERNAL_COMMENT_MAX:
        raise ValidationError(f"外部評価は{EXTERNAL_COMMENT_MAX:,}字以内で入力してください。")
    with transaction.atomic():
        locked = _locked(sheet)
        if not permissions.can_comment(user, locked, _place(locked)):
            raise ValidationError("外部評価の受付は締め切られました。")
        comment = ExternalComment.objects.filter(sheet=locked, member=user.pk).first()
        comment = comment or ExternalComment(sheet=locked, member=user)  # type: ignore[misc]
        comment.text = text
        comment._history_user = user  # type: ignore[attr-defined]
        comment.save()
        _save(locked, user, "外部評価を記入")
    return comment


def sheet_close_committee(*, sheet: EvaluationSheet, user: AnyUser) -> EvaluationSheet:
    """外部評価の締切り: the planning division moves the sheet on once the committee has met."""
    if not permissions.can_close_committee(user, sheet):
        raise PermissionDenied("外部評価を締め切る権限がありません（企画担当のみ）。")
    with transaction.atomic():
        locked = _locked(sheet)
        if not permissions.can_close_committee(user, locked):
            raise ValidationError("この評価調書は推進会議の段階にありません。")
        figures, suggested = live_suggestion(locked)
        _entry(locked, user, EntryAction.CLOSED, place=_place(locked), by_planning=True)
        _advance(locked, user, figures, suggested, rank="", reason="外部評価を締切り")
    return locked


def sheet_send_to_committee(
    *, sheet: EvaluationSheet, user: AnyUser, send: bool
) -> EvaluationSheet:
    """付議 (or its withdrawal) while the sheet has not reached the committee's step."""
    committee = chains.committee_step(_steps(sheet.chain))
    if not permissions.can_send_to_committee(user, sheet, committee):
        raise PermissionDenied("推進会議への付議を変更できません。")
    with transaction.atomic():
        locked = _locked(sheet)
        if not permissions.can_send_to_committee(user, locked, committee):
            raise ValidationError("この評価調書は既に推進会議の段階を過ぎています。")
        if locked.to_committee != send:
            locked.to_committee = send
            _save(locked, user, "推進会議に付議" if send else "推進会議への付議を取消し")
    return locked


def sheet_reopen(*, sheet: EvaluationSheet, user: AnyUser, reason: str) -> EvaluationSheet:
    """再開: a finalised sheet goes back to its author, unlocked, for the next round; the
    frozen figures are read live again until it is finalised anew."""
    reason = reason.strip()
    if not permissions.can_reopen(user, sheet):
        raise PermissionDenied("評価調書を再開する権限がありません（企画担当のみ）。")
    if not reason:
        raise ValidationError("再開の理由を入力してください。")
    with transaction.atomic():
        locked = _locked(sheet)
        if not permissions.can_reopen(user, locked):
            raise ValidationError("確定していない評価調書は再開できません。")
        _entry(
            locked,
            user,
            EntryAction.REOPENED,
            place=_place(locked),
            comment=reason,
            by_planning=True,
        )
        for figure in locked.figures.all():
            figure._history_user = user  # type: ignore[attr-defined]
            figure.delete()
        locked.step = chains.author_step(_steps(locked.chain))
        locked.state, locked.round = SheetState.WRITING, locked.round + 1
        locked.final_rank = locked.suggested_rank = ""
        locked.rank_scheme = locked.rank_scheme_version = ""
        locked.finalised_at, locked.finalised_by = None, None
        _save(locked, user, f"再開（{reason}）")
    return locked


def sheet_refresh_figures(*, sheet: EvaluationSheet, user: AnyUser, reason: str) -> EvaluationSheet:
    """数値の更新: a finalised sheet takes today's figures (after an actual was corrected) and
    their suggestion; the ranks given stay as they were decided."""
    reason = reason.strip()
    if not permissions.can_refresh_figures(user, sheet):
        raise PermissionDenied("確定した数値を更新する権限がありません（企画担当のみ）。")
    if not reason:
        raise ValidationError("数値を更新する理由を入力してください。")
    with transaction.atomic():
        locked = _locked(sheet)
        if not permissions.can_refresh_figures(user, locked):
            raise ValidationError("確定していない評価調書の数値は常に最新です。")
        figures, suggested = live_suggestion(locked)
        _freeze(locked, user, figures, timezone.now())
        locked.suggested_rank = suggested.rank or ""
        locked.rank_scheme, locked.rank_scheme_version = scheme_of(locked.plan)
        _entry(
            locked,
            user,
            EntryAction.REFRESHED,
            place=_place(locked),
            comment=reason,
            by_planning=True,
        )
        _save(locked, user, f"数値を更新（{reason}）")
    return locked


def refusal(error: PermissionDenied | ValidationError) -> str:
    """The Japanese reason a step was refused, for a message."""
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
