"""A project's page as a spreadsheet (``/projects/<n>/?_export=csv|xlsx``): its project
indicators, then every theme's rows, each value a number in its own column with the unit
beside it — written by the one writer, ``indicators.spreadsheets``."""

from collections.abc import Iterator

from dashboards.filters import RowFilter
from dashboards.reads import ProjectPage
from dashboards.series import SeriesView
from indicators.models import TargetKind
from indicators.spreadsheets import Cell, Column, Kind, Number, Sheet
from kpi.progress import STATUS_LABELS
from kpi.wareki import year_label

HEADLINE = "プロジェクト指標"
NO_TARGET = "目標なし"
TARGET_KINDS = dict(TargetKind.choices)
COLUMNS = [
    Column("区分"),
    Column("取組の方向性"),
    Column("重点施策", Kind.CODE),
    Column("施策の展開方針・取組"),
    Column("指標コード", Kind.CODE),
    Column("成果指標"),
    Column("系列"),
    Column("所管課"),
    Column("単位"),
    Column("現状値", Kind.NUMBER),
    Column("現状値の表記"),
    Column("現状値の年度", Kind.YEAR),
    Column("最新実績値", Kind.NUMBER),
    Column("実績年度", Kind.YEAR),
    Column("暫定値"),
    Column("目標値", Kind.NUMBER),
    Column("目標値の表記"),
    Column("目標年度", Kind.YEAR),
    Column("目標の種類"),
    Column("進捗率（％）", Kind.RATE),
    Column("状況"),
]


def _series_cells(view: SeriesView) -> list[Cell]:
    indicator, target, progress = view.indicator, view.target, view.progress
    decimals = indicator.decimals
    department = indicator.department
    return [
        indicator.code,
        indicator.name,
        view.series.label,
        department.name if department else "",
        indicator.unit,
        Number(target.baseline_value if target else None, decimals),
        target.baseline_label if target else "",
        target.baseline_year if target else None,
        Number(progress.latest_value, decimals),
        progress.latest_year,
        "暫定" if view.latest_is_provisional else "",
        Number(target.target_value if target else None, decimals),
        target.target_label if target else "",
        target.target_year if target else None,
        TARGET_KINDS.get(target.target_kind, "") if target else "",
        progress.rate if target else None,
        STATUS_LABELS[progress.status] if target else NO_TARGET,
    ]


def project_sheet(page: ProjectPage, row_filter: RowFilter, as_of: int) -> Sheet:
    """The rows the page shows with this filter: the project indicators first."""

    def rows() -> Iterator[list[Cell]]:
        for view in page.headline:
            if row_filter.shows_view(view):
                yield [HEADLINE, "", "", "", *_series_cells(view)]
        for row in row_filter.apply(page.rows):
            place = [row.theme.name, row.measure_code, row.place]
            yield ["取組の方向性", *place, *_series_cells(row.view)]

    project = page.project
    return Sheet(f"重点プロジェクト{project.number}（{year_label(as_of)}時点）", COLUMNS, rows())


def download_name(page: ProjectPage, as_of: int) -> str:
    """Without the extension."""
    project = page.project
    return f"重点プロジェクト{project.number}_{project.short_name}_{year_label(as_of)}時点"
