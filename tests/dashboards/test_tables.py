"""The theme tables of a project page (dashboards/tables.py): what a row shows and how it
sorts. Their export is dashboards/exports.py (tests/dashboards/test_exports.py)."""

from django.test import RequestFactory
from django_tables2 import RequestConfig

from dashboards.reads import LinkRow
from dashboards.tables import ThemeTable, table_data
from tests.dashboards.builders import D, crime_target, crime_view, link_row


def _table(*rows: LinkRow, sort: str = "") -> ThemeTable:
    table = ThemeTable(table_data(list(rows), "?year=2025"))
    request = RequestFactory().get("/", {"sort": sort} if sort else {})
    RequestConfig(request, paginate=False).configure(table)
    return table


def test_a_row_shows_the_figures_as_the_plan_prints_them() -> None:
    row = link_row(crime_view({2024: "1752", 2025: "1700"}))
    (shown,) = _table(row).rows
    assert shown.get_cell("baseline") == "1,869件"
    assert shown.get_cell("target") == "1,400件"
    assert "1,700件" in shown.get_cell("latest") and "令和7年度" in shown.get_cell("latest")
    assert 'value="36.0"' in shown.get_cell("rate")
    assert "順調" in shown.get_cell("status")
    assert shown.get_cell("place") == "方針1：地域防犯力の向上"
    assert 'href="/indicators/K006/?year=2025"' in shown.get_cell("indicator")


def test_a_row_for_an_initiative_names_it_and_its_program() -> None:
    row = link_row(crime_view({}), initiative="防犯カメラ設置", program="防犯対策事業")
    (shown,) = _table(row).rows
    assert shown.get_cell("place") == "方針1関係：防犯カメラ設置（防犯対策事業）"
    assert shown.get_cell("latest") == "－"


def test_a_printed_label_replaces_the_number() -> None:
    target = crime_target()
    target.target_label = "1,400件以下"
    (shown,) = _table(link_row(crime_view({}, target=target))).rows
    assert shown.get_cell("target") == "1,400件以下"


def test_rows_without_a_rate_sort_last_by_rate() -> None:
    none = link_row(crime_view({}))
    low = link_row(crime_view({2025: "1800"}))
    high = link_row(crime_view({2025: "1500"}))
    table = _table(none, high, low, sort="-rate")
    assert [r.record["row"] for r in table.rows] == [high, low, none]
    assert [r.record["rate"] for r in table.rows] == [D("78.7"), D("14.7"), None]
