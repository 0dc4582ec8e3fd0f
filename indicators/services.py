"""The review workflow of an actual (実績値の提出・承認):

    下書き (draft) ──submit──▶ 提出済 (submitted) ──approve──▶ 承認済 (approved)
        ▲                        │                               │
        └──── reopen ◀───────────┼───────────────────────────────┘
                                 └──return (comment)──▶ 差戻し (returned) ──submit──▶ 提出済

An approver may approve any value that is not yet approved (also a draft the planning division
entered itself, or a returned one after talking it over); a return needs a comment; reopening
an approved value makes it a draft again. Each service checks the user's permission
(``PermissionDenied``), then the status (``ValidationError``), on a locked row, and records the
user and the reason on the history row.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from indicators import permissions
from indicators.models import Actual, ActualStatus
from indicators.permissions import AnyUser

# A value may be submitted while its department may still change it (a draft, or a returned
# one corrected).
SUBMITTABLE = permissions.STAFF_EDITABLE
APPROVABLE = frozenset({ActualStatus.DRAFT, ActualStatus.SUBMITTED, ActualStatus.RETURNED})
RETURNABLE = frozenset({ActualStatus.SUBMITTED})
REOPENABLE = frozenset({ActualStatus.APPROVED})


def _label(status: str) -> str:
    return ActualStatus(status).label


def _transition(
    actual: Actual,
    user: AnyUser,
    *,
    allowed: Callable[[AnyUser, Actual], bool],
    denied: str,
    from_statuses: frozenset[str],
    refused: str,
    apply: Callable[[Actual], None],
    reason: str | None = None,
) -> Actual:
    if not allowed(user, actual):
        raise PermissionDenied(denied)
    with transaction.atomic():
        locked = (
            Actual.objects.select_for_update(of=("self",))
            .select_related("series__indicator")
            .get(pk=actual.pk)
        )
        if locked.status not in from_statuses:
            raise ValidationError(f"{_label(locked.status)}の実績値は{refused}")
        apply(locked)
        locked._history_user = user  # type: ignore[attr-defined]
        locked._change_reason = reason  # type: ignore[attr-defined]
        locked.save()
    actual.refresh_from_db()
    return locked


def actual_submit(*, actual: Actual, user: AnyUser) -> Actual:
    """提出: the department hands a draft (or a corrected returned one) to the planning division."""

    def apply(a: Actual) -> None:
        a.status = ActualStatus.SUBMITTED
        a.submitted_by, a.submitted_at = user, timezone.now()  # type: ignore[assignment]

    return _transition(
        actual,
        user,
        allowed=permissions.can_submit_actual,
        denied="この実績値を提出する権限がありません。",
        from_statuses=SUBMITTABLE,
        refused="提出できません（下書きか差戻しの値だけを提出できます）。",
        apply=apply,
    )


def actual_approve(*, actual: Actual, user: AnyUser) -> Actual:
    """承認: from now on dashboards count the value."""

    def apply(a: Actual) -> None:
        a.status = ActualStatus.APPROVED
        a.approved_by, a.approved_at = user, timezone.now()  # type: ignore[assignment]
        a.review_comment = ""

    return _transition(
        actual,
        user,
        allowed=permissions.can_review_actual,
        denied="実績値を承認する権限がありません（承認者のみ）。",
        from_statuses=APPROVABLE,
        refused="承認できません（既に承認済みです）。",
        apply=apply,
    )


def actual_return(*, actual: Actual, user: AnyUser, comment: str) -> Actual:
    """差戻し: back to the department, with what to check or correct."""
    comment = comment.strip()

    def apply(a: Actual) -> None:
        a.status = ActualStatus.RETURNED
        a.review_comment = comment

    if permissions.can_review_actual(user, actual) and not comment:
        raise ValidationError("差戻しの理由（コメント）を入力してください。")
    return _transition(
        actual,
        user,
        allowed=permissions.can_review_actual,
        denied="実績値を差し戻す権限がありません（承認者のみ）。",
        from_statuses=RETURNABLE,
        refused="差し戻せません（提出済みの値だけを差し戻せます）。",
        apply=apply,
        reason=comment,
    )


def actual_reopen(*, actual: Actual, user: AnyUser) -> Actual:
    """承認の取消し: an approved value becomes a draft again, editable by its department."""

    def apply(a: Actual) -> None:
        a.status = ActualStatus.DRAFT
        a.approved_by, a.approved_at = None, None

    return _transition(
        actual,
        user,
        allowed=permissions.can_review_actual,
        denied="承認を取り消す権限がありません（承認者のみ）。",
        from_statuses=REOPENABLE,
        refused="再開できません（承認済みの値だけを再開できます）。",
        apply=apply,
    )


def available_actions(user: AnyUser, actual: Actual) -> list[str]:
    """The workflow steps this user may take on this actual now: for the admin's buttons."""
    review = permissions.can_review_actual(user, actual)
    steps = {
        "submit": permissions.can_submit_actual(user, actual) and actual.status in SUBMITTABLE,
        "approve": review and actual.status in APPROVABLE,
        "return": review and actual.status in RETURNABLE,
        "reopen": review and actual.status in REOPENABLE,
    }
    return [name for name, allowed in steps.items() if allowed]


# The workflow's steps by the names the admin's buttons and actions use, with what was done.
STEPS: dict[str, tuple[Callable[..., Actual], str]] = {
    "submit": (actual_submit, "提出しました"),
    "approve": (actual_approve, "承認しました"),
    "return": (actual_return, "差し戻しました"),
    "reopen": (actual_reopen, "承認を取り消し、下書きに戻しました"),
}


def refusal(error: PermissionDenied | ValidationError) -> str:
    """The Japanese reason a step was refused, for a message."""
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def actuals_step(
    *, actuals: Iterable[Actual], step: str, user: AnyUser, **extra: str
) -> tuple[int, list[str]]:
    """One step on each of several actuals (a bulk action), each on its own: how many
    succeeded, and 「series year: reason」 for each one refused."""
    service, _ = STEPS[step]
    succeeded, failed = 0, []
    for actual in actuals:
        try:
            service(actual=actual, user=user, **extra)
        except (PermissionDenied, ValidationError) as error:
            failed.append(f"{actual.title}：{refusal(error)}")
        else:
            succeeded += 1
    return succeeded, failed
