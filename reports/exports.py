"""The worry list as a spreadsheet (CSV or XLSX), by the one writer."""

from collections.abc import Iterable, Iterator

from indicators.spreadsheets import Cell, Column, Kind, Number, Sheet
from kpi.wareki import year_label
from reports.worries import WorryRow

COLUMNS = [
    Column("所管課"),
    Column("重点プロジェクト"),
    Column("重点施策", Kind.CODE),
    Column("指標コード", Kind.CODE),
    Column("成果指標"),
    Column("系列"),
    Column("単位"),
    Column("最新実績値", Kind.NUMBER),
    Column("実績年度", Kind.YEAR),
    Column("前年からの変化", Kind.NUMBER),
    Column("目標値", Kind.NUMBER),
    Column("目標年度", Kind.YEAR),
    Column("進捗率（％）", Kind.RATE),
    Column("状況"),
]


def worry_sheet(rows: Iterable[WorryRow], as_of: int) -> Sheet:
    def cells() -> Iterator[list[Cell]]:
        for row in rows:
            view = row.view
            indicator, target, progress = view.indicator, view.target, view.progress
            decimals = indicator.decimals
            yield [
                row.department.name if row.department else "",
                "・".join(f"PJ{n}" for n in row.projects),
                "・".join(row.measures),
                indicator.code,
                indicator.name,
                view.series.label,
                indicator.unit,
                Number(progress.latest_value, decimals),
                progress.latest_year,
                Number(row.trend, decimals),
                Number(target.target_value if target else None, decimals),
                target.target_year if target else None,
                progress.rate,
                row.reason,
            ]

    return Sheet(f"要注意の指標（{year_label(as_of)}時点）", COLUMNS, cells())
