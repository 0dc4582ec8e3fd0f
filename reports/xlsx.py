"""The report as the 進捗管理シート the city keeps: one row per indicator series (a project's
project indicators and theme rows, then each measure's), baseline, each year's actual and
target as numbers with the unit in its own column, 進捗率 as a number, status and rank —
written by the one spreadsheet writer (frozen header, fitted widths)."""

from collections.abc import Iterator

from indicators.spreadsheets import XLSX, Cell, Column, Kind, Number, Sheet, write
from kpi.progress import STATUS_LABELS, Status
from kpi.wareki import year_label
from reports.reads import NO_TARGET, Report, SeriesRow


def _columns(report: Report) -> list[Column]:
    return [
        Column("区分"),
        Column("重点プロジェクト・重点施策"),
        Column("取組の方向性"),
        Column("指標コード", Kind.CODE),
        Column("成果指標"),
        Column("系列"),
        Column("所管課"),
        Column("単位"),
        Column("現状値", Kind.NUMBER),
        Column("現状値の年度", Kind.YEAR),
        *(Column(f"{year_label(y)}実績", Kind.NUMBER) for y in report.years),
        Column("目標値", Kind.NUMBER),
        Column("目標年度", Kind.YEAR),
        Column("進捗率（％）", Kind.RATE),
        Column("状況"),
        Column("評価"),
        Column("確定"),
    ]


def _series_cells(row: SeriesRow, finalised: bool) -> list[Cell]:
    view = row.view
    indicator, target = view.indicator, view.target
    decimals = indicator.decimals
    return [
        indicator.code,
        indicator.name,
        view.series.label,
        indicator.department.name if indicator.department else "",
        indicator.unit,
        Number(target.baseline_value if target else None, decimals),
        target.baseline_year if target else None,
        *(Number(v, decimals) for v in row.values),
        Number(target.target_value if target else None, decimals),
        target.target_year if target else None,
        row.rate,
        row.status_label,
        row.rank,
        "確定" if finalised else "未確定",
    ]


def progress_sheet(report: Report) -> Sheet:
    def rows() -> Iterator[list[Cell]]:
        for chapter in report.projects:
            subject = f"重点プロジェクト{chapter.project.number} {chapter.project.name}"
            done = chapter.rank.finalised
            for row in chapter.headline:
                yield ["プロジェクト指標", subject, "", *_series_cells(row, done)]
            for table in chapter.themes:
                for row in table.rows:
                    yield ["取組の方向性", subject, table.theme.name, *_series_cells(row, done)]
        blanks = [None] * len(report.years)
        for measure in report.measures:
            subject = f"重点施策{measure.measure.code} {measure.measure.name}"
            for f in measure.figures:
                status = STATUS_LABELS[Status(f.status)] if f.status else NO_TARGET
                yield [
                    "重点施策",
                    subject,
                    "",
                    f.indicator_code,
                    f.indicator_name,
                    f.series_label,
                    "",
                    f.unit,
                    Number(f.baseline_value, f.decimals),
                    f.baseline_year,
                    *blanks,
                    Number(f.target_value, f.decimals),
                    f.target_year,
                    f.rate,
                    status,
                    f.rank_label,
                    "確定" if measure.rank.finalised else "未確定",
                ]

    return Sheet(f"進捗管理シート（{year_label(report.year)}）", _columns(report), rows())


def report_xlsx(report: Report) -> bytes:
    return write(progress_sheet(report), XLSX)
