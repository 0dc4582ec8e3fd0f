"""A project's export (dashboards/exports.py): its project indicators and theme rows as the one
writer lays them out, numbers as numbers, text neutralised — without a database."""

from decimal import Decimal

from dashboards.exports import COLUMNS, HEADLINE, download_name, project_sheet
from dashboards.filters import RowFilter
from dashboards.reads import ProjectPage, ThemeSection
from indicators.models import Department
from indicators.spreadsheets import Number
from tests.dashboards.builders import crime_target, crime_view, link_row, no_target_view


def _page(*, department: Department | None = None) -> ProjectPage:
    row = link_row(
        crime_view(
            {2024: "1752", 2025: "1700"}, target=crime_target(label="=1+1", department=department)
        )
    )
    return ProjectPage(
        project=row.theme.project,
        headline=[no_target_view()],
        sections=[ThemeSection(row.theme, [row])],
        evaluation=None,
    )


EVERY_ROW = RowFilter()


def _rows(page: ProjectPage, row_filter: RowFilter = EVERY_ROW) -> list[dict[str, object]]:
    sheet = project_sheet(page, row_filter, 2025)
    headers = [c.header for c in COLUMNS]
    return [dict(zip(headers, row, strict=True)) for row in sheet.rows]


def test_the_project_indicators_come_first_then_the_theme_rows() -> None:
    headline, theme = _rows(_page())
    assert headline["区分"] == HEADLINE and headline["状況"] == "目標なし"
    assert theme["区分"] == "取組の方向性" and theme["取組の方向性"] == "安全な暮らし"
    assert theme["重点施策"] == "5-2" and theme["施策の展開方針・取組"] == "方針1：地域防犯力の向上"


def test_values_are_numbers_with_the_unit_beside_them() -> None:
    _, theme = _rows(_page())
    assert theme["最新実績値"] == Number(Decimal("1700"), 0)
    assert theme["現状値"] == Number(Decimal("1869"), 0)
    assert theme["目標値"] == Number(Decimal("1400"), 0)
    assert (theme["単位"], theme["実績年度"], theme["目標年度"]) == ("件", 2025, 2029)
    assert theme["進捗率（％）"] == Decimal("36.0") and theme["状況"] == "順調"
    assert theme["系列"] == "=1+1"  # neutralised by the writer, not here (tests/exports)


def test_the_filter_applies_to_both_parts() -> None:
    department = Department(pk=3, code="C03", name="くらし安全課")
    rows = _rows(_page(department=department), RowFilter(department="3"))
    assert [r["区分"] for r in rows] == ["取組の方向性"]


def test_the_file_is_named_by_project_and_year() -> None:
    assert download_name(_page(), 2025) == "重点プロジェクト4_安心_令和7年度時点"
