"""Everyone's to-dos (やること) for a fiscal year, with the dates of the cycle's calendar:
actuals still 未入力, 下書き or 差戻し for the user's departments (and, for the planning
division, those submitted and waiting for approval), sheets to write or review at the step
the user holds, and the committee's comments still owed. Overdue items are marked."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from evaluations import permissions as sheet_permissions
from evaluations.models import EvaluationSheet, ExternalComment, SheetState
from indicators.entry_status import MISSING, pending_status
from indicators.models import ActualStatus
from indicators.permissions import AnyUser, department_ids, is_approver
from kpi.wareki import year_label
from measures.models import ActionPlan
from reports.models import CycleCalendar

ACTUALS, SHEETS, REVIEWS, COMMENTS, APPROVALS = (
    "actuals",
    "sheets",
    "reviews",
    "comments",
    "approvals",
)
GROUP_LABELS = {
    ACTUALS: "実績値の入力",
    APPROVALS: "実績値の承認",
    SHEETS: "評価調書の作成",
    REVIEWS: "評価調書の評価",
    COMMENTS: "推進会議の外部評価",
}
STAFF_STATES = frozenset({MISSING, ActualStatus.DRAFT, ActualStatus.RETURNED})


@dataclass(frozen=True)
class Todo:
    group: str
    title: str
    detail: str
    url: str
    due: datetime.date | None
    today: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < self.today


@dataclass(frozen=True)
class TodoPage:
    year: int
    calendar: CycleCalendar | None
    groups: list[tuple[str, list[Todo]]]

    @property
    def total(self) -> int:
        return sum(len(items) for _, items in self.groups)

    @property
    def overdue(self) -> int:
        return sum(t.overdue for _, items in self.groups for t in items)


def todo_year(plan: ActionPlan) -> int:
    """The evaluated year the cycle is in: the newest year with a calendar or with sheets,
    else the fiscal year before today's (its actuals are entered now)."""
    years = [
        *CycleCalendar.objects.filter(plan=plan).values_list("year", flat=True),
        *EvaluationSheet.objects.filter(plan=plan).values_list("year", flat=True),
    ]
    if years:
        return max(years)
    fiscal = timezone.localdate().year - (1 if timezone.localdate().month < 4 else 0)
    return min(max(fiscal - 1, plan.first_year), plan.last_year)


def _actual_todos(
    user: AnyUser, year: int, due: datetime.date | None, today: datetime.date
) -> list[Todo]:
    mine = department_ids(user)
    approver = is_approver(user)
    todos = []
    for department in pending_status(year):
        for row in department.pending_rows:
            own = row.department_id in mine
            if own and row.state in STAFF_STATES:
                group = ACTUALS
            elif approver and row.state == ActualStatus.SUBMITTED:
                group = APPROVALS
            else:
                continue
            label = f"（{row.label}）" if row.label else ""
            todos.append(
                Todo(
                    group,
                    f"{row.indicator_code} {row.indicator_name}{label}",
                    f"{department.name}・{row.state_label}",
                    reverse("admin:indicators_indicator_change", args=[row.indicator_id]),
                    due,
                    today,
                )
            )
    return todos


def _sheet_todos(
    user: AnyUser, plan: ActionPlan, year: int, calendar: CycleCalendar | None, today: datetime.date
) -> list[Todo]:
    sheets = list(
        EvaluationSheet.objects.of_year(plan, year)
        .exclude(state=SheetState.FINALISED)
        .for_list()
        .select_related("chain__planning_department")
    )
    if not sheets:
        return []
    bureaus = sheet_permissions.bureau_memberships()
    commented = set(
        ExternalComment.objects.filter(sheet__in=sheets, member_id=user.pk).values_list(
            "sheet_id", flat=True
        )
    )
    todos = []
    for sheet in sheets:
        place = sheet_permissions.place_of(sheet, bureaus)
        if sheet_permissions.can_edit_text(user, sheet, place):
            group = SHEETS
        elif sheet_permissions.can_review(user, sheet, place):
            group = REVIEWS
        elif sheet_permissions.can_comment(user, sheet, place) and sheet.pk not in commented:
            group = COMMENTS
        else:
            continue
        due = calendar.due_of_step(sheet.step) if calendar else None
        detail = f"{sheet.step.name}・{sheet.get_state_display()}"
        url = reverse("evaluations:sheet", args=[sheet.pk])
        todos.append(Todo(group, sheet.subject_label, detail, url, due, today))
    return todos


def todo_page(user: AnyUser, plan: ActionPlan, year: int) -> TodoPage:
    """A fixed number of queries however many series and sheets: the calendar (2), the entry
    status (3), the user's departments, the sheets, bureaus, positions, groups and comments."""
    calendar = CycleCalendar.objects.of_year(plan, year)
    today = timezone.localdate()
    actuals_due = calendar.actuals_due if calendar else None
    todos = _actual_todos(user, year, actuals_due, today) + _sheet_todos(
        user, plan, year, calendar, today
    )
    groups = [
        (label, [t for t in todos if t.group == key])
        for key, label in GROUP_LABELS.items()
        if any(t.group == key for t in todos)
    ]
    return TodoPage(year, calendar, groups)


def page_title(year: int) -> str:
    return f"やること（{year_label(year)}の評価）"
