"""The evaluation list as an Excel workbook: one row per sheet, counts and shares as real
numbers, every text cell neutralised against formulas (``kpi.csvsafe``), a Japanese sheet name
and a frozen header row. Written with openpyxl directly, in this one function, until a shared
export writer for every spreadsheet of the product exists."""

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from evaluations.models import Outlook, Rank
from evaluations.reads import ListRow
from kpi.csvsafe import neutralise_formula
from kpi.wareki import year_label

Cell = str | int | float | None
COLUMNS: tuple[tuple[str, int], ...] = (  # header, width in characters
    ("評価年度", 10),
    ("区分", 14),
    ("番号", 8),
    ("名称", 40),
    ("作成課", 20),
    ("状態", 10),
    ("段階", 12),
    ("担当", 30),
    ("推進会議に付議", 10),
    ("指標（系列）数", 10),
    ("評価できる系列数", 10),
    ("達成・順調の系列数", 10),
    ("達成・順調の割合（%）", 12),
    ("推奨評価", 14),
    ("総合評価（所管課）", 14),
    ("確定評価", 14),
    ("今後の方向性", 10),
)


def _text(value: str) -> str:
    return neutralise_formula(value)


def _rank(code: str) -> str:
    return Rank(code).label if code else ""


def row_cells(row: ListRow) -> list[Cell]:
    sheet, suggested = row.sheet, row.suggested
    subject = sheet.project or sheet.measure
    number: Cell = sheet.project.number if sheet.project else _text(sheet.measure.code)  # type: ignore[union-attr]
    share = suggested.share
    return [
        sheet.year,
        sheet.kind_label,
        number,
        _text(subject.name),  # type: ignore[union-attr]
        _text(sheet.department.name if sheet.department else "企画担当"),
        sheet.get_state_display(),
        "" if sheet.is_finalised else _text(sheet.step.name),
        _text(row.holder),
        "○" if sheet.to_committee else "",
        row.figures,
        suggested.evaluable,
        suggested.good,
        float(share) if share is not None else None,
        _rank(suggested.rank or ""),
        _rank(sheet.rank_given),
        _rank(sheet.final_rank),
        Outlook(sheet.outlook).label if sheet.outlook else "",
    ]


def list_workbook(rows: Sequence[ListRow], year: int) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"評価調書一覧（{year_label(year)}）"[:31]
    sheet.append([header for header, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row_cells(row))
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width * 1.8
    share_column = [h for h, _ in COLUMNS].index("達成・順調の割合（%）") + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=share_column, max_col=share_column):
        cell.number_format = "0.0"
    sheet.freeze_panes = "A2"
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def list_filename(year: int) -> str:
    return f"評価調書一覧_{year_label(year)}.xlsx"
