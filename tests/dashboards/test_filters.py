"""The project page's row filters (dashboards/filters.py)."""

from dashboards.filters import RowFilter, departments_of
from dashboards.reads import LinkRow
from indicators.models import Department
from tests.dashboards.builders import crime_target, crime_view, link_row

POLICE = Department(pk=7, code="C07", name="交通防犯課")
CITIZENS = Department(pk=3, code="C03", name="市民課")


def _row(actuals: dict[int, str], department: Department | None = None) -> LinkRow:
    return link_row(crime_view(actuals, target=crime_target(department=department)))


def test_an_unknown_status_shows_every_row() -> None:
    assert RowFilter.from_query({"status": "nonsense"}) == RowFilter()
    assert RowFilter.from_query({"status": "behind"}).status == "behind"


def test_rows_are_kept_by_status_and_department() -> None:
    on_track = _row({2025: "1700"}, POLICE)
    worse = _row({2025: "1900"}, CITIZENS)
    assert RowFilter(status="worse").apply([on_track, worse]) == [worse]
    assert RowFilter(department="7").apply([on_track, worse]) == [on_track]
    assert RowFilter(status="worse", department="7").apply([on_track, worse]) == []
    assert RowFilter().apply([on_track, worse]) == [on_track, worse]


def test_the_department_choices_are_the_rows_own_by_code() -> None:
    rows = [_row({}, POLICE), _row({}, CITIZENS), _row({}, POLICE), _row({})]
    assert departments_of(rows) == [CITIZENS, POLICE]
