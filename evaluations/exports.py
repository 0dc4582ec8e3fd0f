"""The evaluation list as an Excel workbook: one row per sheet, counts, shares and years as
real numbers, every text cell neutralised against formulas, a Japanese sheet name and a frozen
header row — written by the one writer of every export, ``indicators.spreadsheets``."""

from collections.abc import Sequence

from evaluations.models import Outlook, Rank
from evaluations.reads import ListRow
from indicators.spreadsheets import Cell, Column, Kind, Sheet, xlsx_bytes
from kpi.wareki import year_label

COLUMNS = [
    Column("評価年度", Kind.YEAR),
    Column("区分"),
    Column("番号", Kind.CODE),  # a project's number or a measure's code (1-1): text
    Column("名称"),
    Column("作成課"),
    Column("状態"),
    Column("段階"),
    Column("担当"),
    Column("推進会議に付議"),
    Column("指標（系列）数", Kind.NUMBER),
    Column("評価できる系列数", Kind.NUMBER),
    Column("達成・順調の系列数", Kind.NUMBER),
    Column("達成・順調の割合（%）", Kind.RATE),
    Column("推奨評価"),
    Column("総合評価（所管課）"),
    Column("確定評価"),
    Column("今後の方向性"),
]


def _rank(code: str) -> str:
    return Rank(code).label if code else ""


def row_cells(row: ListRow) -> list[Cell]:
    sheet, suggested = row.sheet, row.suggested
    subject = sheet.project or sheet.measure
    assert subject is not None
    number = str(sheet.project.number) if sheet.project else subject.code  # type: ignore[union-attr]
    return [
        sheet.year,
        sheet.kind_label,
        number,
        subject.name,
        sheet.department.name if sheet.department else "企画担当",
        sheet.get_state_display(),
        "" if sheet.is_finalised else sheet.step.name,
        row.holder,
        "○" if sheet.to_committee else "",
        row.figures,
        suggested.evaluable,
        suggested.good,
        suggested.share,
        _rank(suggested.rank or ""),
        _rank(sheet.rank_given),
        _rank(sheet.final_rank),
        Outlook(sheet.outlook).label if sheet.outlook else "",
    ]


def list_workbook(rows: Sequence[ListRow], year: int) -> bytes:
    title = f"評価調書一覧（{year_label(year)}）"
    return xlsx_bytes([Sheet(title, COLUMNS, [row_cells(row) for row in rows])])


def list_filename(year: int) -> str:
    return f"評価調書一覧_{year_label(year)}.xlsx"
