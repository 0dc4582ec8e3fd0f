"""入力状況: for one year, which series still lack a value or its approval, per department — the
planning division's page and its CSV (or XLSX) for reminder mails, written by the one
spreadsheet writer (``indicators.spreadsheets``)."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from indicators.models import Actual, ActualStatus, Series
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
    series: Series
    actual: Actual | None

    @property
    def state(self) -> str:
        return self.actual.status if self.actual else MISSING

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def pending(self) -> bool:
        return self.state != ActualStatus.APPROVED


@dataclass
class DepartmentStatus:
    code: str | None  # None: the series whose indicator has no department yet
    name: str
    emails: list[str]
    rows: list[EntryRow] = field(default_factory=list)

    @property
    def counts(self) -> list[int]:
        """Series per state, in the order of STATES."""
        return [sum(1 for row in self.rows if row.state == state) for state in STATES]

    @property
    def pending_rows(self) -> list[EntryRow]:
        return [row for row in self.rows if row.pending]


def entry_status(year: int) -> list[DepartmentStatus]:
    """Departments by code, the unassigned series last; three queries."""
    departments: dict[int | None, DepartmentStatus] = {}
    for series in Series.objects.for_entry_status(year):
        department = series.indicator.department
        key = department.pk if department else None
        if key not in departments:
            departments[key] = DepartmentStatus(
                code=department.code if department else None,
                name=department.name if department else UNASSIGNED,
                emails=sorted(m.email for m in department.members.all() if m.email)
                if department
                else [],
            )
        actual = next(iter(series.actuals_of_year), None)  # type: ignore[attr-defined]
        departments[key].rows.append(EntryRow(series, actual))
    return sorted(departments.values(), key=lambda d: (d.code is None, d.code or ""))


def pending_sheet(departments: Iterable[DepartmentStatus], year: int) -> Sheet:
    """The series still lacking a value or its approval, one per line."""

    def rows() -> Iterator[list[Cell]]:
        for department in departments:
            for row in department.pending_rows:
                indicator, actual = row.series.indicator, row.actual
                yield [
                    department.name,
                    indicator.code,
                    indicator.name,
                    row.series.label,
                    year,
                    row.state_label,
                    actual.review_comment if actual else "",
                    _user_name(actual),
                    _local_time(actual),
                    ";".join(department.emails),
                ]

    return Sheet(f"入力状況 {year_label(year)}", COLUMNS, rows())


def download_name(year: int) -> str:
    """Without the extension."""
    return f"入力状況_{year_label(year)}（{year}）"


def _user_name(actual: Actual | None) -> str:
    user = actual.updated_by if actual else None
    return (user.get_full_name() or user.get_username()) if user else ""


def _local_time(actual: Actual | None) -> str:
    return timezone.localtime(actual.updated_at).strftime("%Y-%m-%d %H:%M") if actual else ""


def extra_sections(year: int) -> list[SafeString]:
    """Sections the apps above this one add to the page, as HTML (``KPI_ENTRY_STATUS_SECTIONS``:
    dotted paths of functions of the year, e.g. the evaluation sheets' ``reports.status``):
    they build on indicators, so indicators names them only in settings."""
    return [import_string(path)(year) for path in settings.KPI_ENTRY_STATUS_SECTIONS]
