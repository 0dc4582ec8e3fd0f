"""The project page's row filters: by status (状況) and by department (所管課), from the query
string; an unknown value shows every row."""

from collections.abc import Mapping
from dataclasses import dataclass

from dashboards.reads import LinkRow
from dashboards.series import SeriesView
from indicators.models import Department
from kpi.progress import Status


@dataclass(frozen=True)
class RowFilter:
    status: str = ""  # a Status value, or "" for every status
    department: str = ""  # a department's primary key as text, or "" for every department

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "RowFilter":
        status = query.get("status", "")
        return cls(
            status=status if status in Status.__members__.values() else "",
            department=query.get("department", ""),
        )

    def shows(self, row: LinkRow) -> bool:
        return self.shows_view(row.view)

    def shows_view(self, view: SeriesView) -> bool:
        if self.status and view.progress.status != self.status:
            return False
        return not self.department or str(view.indicator.department_id) == self.department

    def apply(self, rows: list[LinkRow]) -> list[LinkRow]:
        return [row for row in rows if self.shows(row)]


def departments_of(rows: list[LinkRow]) -> list[Department]:
    """The departments of the rows' indicators, by code: the choices of the filter."""
    found = {r.view.indicator.department for r in rows if r.view.indicator.department}
    return sorted(found, key=lambda d: d.code)
