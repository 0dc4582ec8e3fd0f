"""The evaluation sheets' section of the 入力状況 page: per writing department, the year's
sheets by state, and each open sheet's step, holder and due date (評価の日程)."""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from evaluations import permissions
from evaluations.models import EvaluationSheet, SheetState
from evaluations.reads import holder_label, position_holders
from reports.models import CycleCalendar

PLANNING = "企画担当"


@dataclass
class SheetRow:
    sheet: EvaluationSheet
    holder: str
    due: object


@dataclass
class DepartmentSheets:
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SheetState.labels, 0))
    open_rows: list[SheetRow] = field(default_factory=list)


def sheet_status(year: int) -> list[DepartmentSheets]:
    """Six queries: the sheets, the calendars with their steps' dates, bureaus and holders."""
    sheets = list(
        EvaluationSheet.objects.filter(year=year)
        .for_list()
        .select_related("chain__planning_department")
    )
    if not sheets:
        return []
    calendars = {
        c.plan_id: c for c in CycleCalendar.objects.filter(year=year).prefetch_related("step_dues")
    }
    bureaus, holders = permissions.bureau_memberships(), position_holders()
    by_department: dict[str, DepartmentSheets] = {}
    for sheet in sheets:
        name = sheet.department.name if sheet.department else PLANNING
        group = by_department.setdefault(name, DepartmentSheets(name))
        group.counts[sheet.get_state_display()] += 1
        if not sheet.is_finalised:
            calendar = calendars.get(sheet.plan_id)
            holder = holder_label(sheet, permissions.place_of(sheet, bureaus), holders)
            due = calendar.due_of_step(sheet.step) if calendar else None
            group.open_rows.append(SheetRow(sheet, holder, due))
    return sorted(by_department.values(), key=lambda d: (d.name == PLANNING, d.name))


def sheet_section(year: int) -> SafeString:
    context = {"departments": sheet_status(year), "states": list(SheetState.labels)}
    return render_to_string("reports/_sheet_status.html", context)
