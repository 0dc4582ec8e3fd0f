"""入力状況: for one year, which series still lack a value or its approval, per department — the
planning division's page and its CSV (or XLSX) for reminder mails, written by the one
spreadsheet writer (``indicators.spreadsheets``)."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from indicators.models import ActualStatus, Department, Series
from indicators.spreadsheets import Cell, Column, Kind, Sheet
from kpi.wareki import year_label

MISSING = "missing"
STATE_LABELS = {MISSING: "未入力", **{s.value: s.label for s in ActualStatus}}
# Columns of the page's summary, in the order work moves along.
STATES = (
    MISSING,
    ActualStatus.DRAFT,
    ActualStatus.RETURNED,
    ActualStatus.SUBMITTED,
    ActualStatus.APPROVED,
)
UNASSIGNED = "（所管課未設定）"
COLUMNS = [
    Column("所管課"),
    Column("指標コード", Kind.CODE),
    Column("指標名"),
    Column("系列"),
    Column("年度", Kind.YEAR),
    Column("状況"),
    Column("差戻しコメント"),
    Column("最終更新者"),
    Column("最終更新日時"),
    Column("所属職員のメールアドレス"),
]


@dataclass(frozen=True)
class EntryRow:
    """A series still owing the year's value or its approval, with the year's actual if any
    (``actual_id`` None: 未入力), read as plain values."""

    indicator_id: int
    indicator_code: str
    indicator_name: str
    department_id: int | None
    label: str  # 系列名, "" for a single series
    actual_id: int | None
    state: str
    review_comment: str
    updated_at: datetime.datetime | None
    updated_by: str  # the user's name as the admin prints it (the username)
    updated_by_name: str  # the full name, else the username (the CSV's 最終更新者)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def updated_at_text(self) -> str:
        """最終更新日時 in local time, "" for none."""
        return _local_time(self.updated_at)


@dataclass
class DepartmentStatus:
    code: str | None  # None: the series whose indicator has no department yet
    name: str
    # Series per state, in the order of STATES: read by ``entry_status`` only.
    counts: list[int] = field(default_factory=lambda: [0] * len(STATES))
    pending_rows: list[EntryRow] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)  # read with ``emails=True`` only

    @property
    def total(self) -> int:
        return sum(self.counts)


# What a pending row reads: the series, its indicator and department, and the year's actual
# with the name of who last changed it.
_ROW_FIELDS = (
    "indicator_id",
    "indicator__code",
    "indicator__name",
    "indicator__department_id",
    "indicator__department__code",
    "indicator__department__name",
    "label",
    "this_year__id",
    "this_year__status",
    "this_year__review_comment",
    "this_year__updated_at",
    "this_year__updated_by__username",
    "this_year__updated_by__first_name",
    "this_year__updated_by__last_name",
)

# What the counts group by: the department and the state of the year's actual.
_COUNT_FIELDS = (
    "indicator__department_id",
    "indicator__department__code",
    "indicator__department__name",
    "this_year__status",
)


def entry_status(year: int) -> list[DepartmentStatus]:
    """The page's: every department owing a value for the year with its series per state,
    and the pending rows; two queries, whatever the plan's size."""
    departments = _pending_by_department(year)
    counts = Series.objects.for_entry_status(year).values(*_COUNT_FIELDS).annotate(n=Count("pk"))
    for count in counts:
        department = _department(
            departments,
            count["indicator__department_id"],
            count["indicator__department__code"],
            count["indicator__department__name"],
        )
        department.counts[STATES.index(count["this_year__status"] or MISSING)] += count["n"]
    return _in_order(departments)


def pending_status(year: int, *, emails: bool = False) -> list[DepartmentStatus]:
    """The departments with series still lacking the year's value or its approval, with those
    series and (``emails``) their members' addresses; one query, two with the addresses."""
    departments = _pending_by_department(year)
    if emails and (ids := [key for key in departments if key is not None]):
        members = (
            Department.members.through.objects.filter(department_id__in=ids)
            .exclude(user__email="")
            .values_list("department_id", "user__email")
        )
        for department_id, email in members:
            departments[department_id].emails.append(email)
        for department in departments.values():
            department.emails.sort()
    return _in_order(departments)


def _pending_by_department(year: int) -> dict[int | None, DepartmentStatus]:
    departments: dict[int | None, DepartmentStatus] = {}
    for values in Series.objects.entry_pending(year).values(*_ROW_FIELDS):
        row = _row(values)
        department = _department(
            departments,
            row.department_id,
            values["indicator__department__code"],
            values["indicator__department__name"],
        )
        department.pending_rows.append(row)
    return departments


def _row(values: dict[str, Any]) -> EntryRow:
    username = values["this_year__updated_by__username"] or ""
    # As User.get_full_name(), which the CSV printed before it read plain values.
    full_name = f"{values['this_year__updated_by__first_name'] or ''} "
    full_name += values["this_year__updated_by__last_name"] or ""
    return EntryRow(
        indicator_id=values["indicator_id"],
        indicator_code=values["indicator__code"],
        indicator_name=values["indicator__name"],
        department_id=values["indicator__department_id"],
        label=values["label"],
        actual_id=values["this_year__id"],
        state=values["this_year__status"] or MISSING,
        review_comment=values["this_year__review_comment"] or "",
        updated_at=values["this_year__updated_at"],
        updated_by=username,
        updated_by_name=full_name.strip() or username,
    )


def _department(
    departments: dict[int | None, DepartmentStatus],
    key: int | None,
    code: str | None,
    name: str | None,
) -> DepartmentStatus:
    if key not in departments:
        departments[key] = DepartmentStatus(code=code, name=name or UNASSIGNED)
    return departments[key]


def _in_order(departments: dict[int | None, DepartmentStatus]) -> list[DepartmentStatus]:
    """By code, the unassigned series last."""
    return sorted(departments.values(), key=lambda d: (d.code is None, d.code or ""))


def pending_sheet(departments: Iterable[DepartmentStatus], year: int) -> Sheet:
    """The series still lacking a value or its approval, one per line."""

    def rows() -> Iterator[list[Cell]]:
        for department in departments:
            for row in department.pending_rows:
                yield [
                    department.name,
                    row.indicator_code,
                    row.indicator_name,
                    row.label,
                    year,
                    row.state_label,
                    row.review_comment,
                    row.updated_by_name,
                    row.updated_at_text,
                    ";".join(department.emails),
                ]

    return Sheet(f"入力状況 {year_label(year)}", COLUMNS, rows())


def download_name(year: int) -> str:
    """Without the extension."""
    return f"入力状況_{year_label(year)}（{year}）"


def _local_time(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def extra_sections(year: int) -> list[SafeString]:
    """Sections the apps above this one add to the page, as HTML (``KPI_ENTRY_STATUS_SECTIONS``:
    dotted paths of functions of the year, e.g. the evaluation sheets' ``reports.status``):
    they build on indicators, so indicators names them only in settings."""
    return [import_string(path)(year) for path in settings.KPI_ENTRY_STATUS_SECTIONS]
