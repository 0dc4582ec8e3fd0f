"""The one writer of every spreadsheet the app hands out — CSV and XLSX (表計算ファイルの出力).

Every export (a project's tables, the entry status, the entry templates, ``export_indicators``,
and any later one such as the yearly report) describes its columns and rows as a ``Sheet`` and
gets its bytes from ``write``; nothing else writes CSV or XLSX. What a reader relies on, in
Excel as in any other program, is therefore decided here once:

* **Text** cells are neutralised (``kpi.csvsafe.neutralise_formula``: ``=HYPERLINK(…)`` gets a
  leading ``'``) and written as text: XLSX string cells, never formulas. In a CSV, text that
  Excel would turn into a date or a number (a measure code ``1-1``, ``007``) also gets the
  leading ``'`` (``kpi.csvsafe.keep_as_text``): Excel reads a CSV cell as if it were typed in,
  and a typed ``'`` marks text and is not shown. ``="1-1"``, the usual trick, is itself a
  formula, and a formula is what an export must never contain.
* **Codes** (``CODE``: measure codes, indicator codes) are text that looks like a number or a
  date; in XLSX they also get the text number format ``@``, so an edited cell stays text.
* **Numbers** (``NUMBER``, ``RATE``, ``YEAR``): XLSX numeric cells with a number format
  (``#,##0.0`` by the indicator's decimals, ``0.0`` for a 進捗率, ``0`` for a year); CSV plain
  numbers without separators (``1869``, ``95.2``, ``2024``). The unit is a column of its own,
  never in the cell: ``1,869件`` is text to Excel.
* CSV is UTF-8 with a BOM (Japanese Excel reads UTF-8 only with one) and CRLF line ends;
  XLSX has a Japanese sheet name, a bold, frozen header row with a filter, and column widths
  fitted to the content (a full-width character counts two).

Plain Python and openpyxl, no Django (callers wrap the bytes in a response,
``indicators.downloads``); not in ``kpi``, whose contract keeps third-party libraries out.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from kpi.csvsafe import keep_as_text, neutralise_formula

CSV, XLSX = "csv", "xlsx"
FILE_TYPES = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BOM = "\ufeff"
MAX_WIDTH = 60  # characters; longer text wraps in the cell rather than widening the column
_SHEET_NAME_FORBIDDEN = str.maketrans({c: "" for c in "[]:*?/\\"})


class Kind(StrEnum):
    TEXT = "text"
    CODE = "code"  # text that looks like a number or a date: 1-1, K001
    NUMBER = "number"  # a value, baseline or target: Number(value, decimals) or a Decimal
    RATE = "rate"  # a 進捗率 in %, one decimal
    YEAR = "year"  # a Gregorian year: 2024


@dataclass(frozen=True)
class Number:
    """A value with the number of decimals its indicator prints (1,869 → 0; 95.2 → 1)."""

    value: Decimal | int | None
    decimals: int = 0


Cell = str | int | Decimal | Number | None


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT


@dataclass
class Sheet:
    """A table to export: a Japanese title (the XLSX sheet name), columns and rows of cells."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Cell]] = field(default_factory=list)


def write(sheet: Sheet, file_type: str) -> bytes:
    if file_type == CSV:
        return csv_bytes(sheet)
    if file_type == XLSX:
        return xlsx_bytes([sheet])
    raise ValueError(f"unknown file type: {file_type!r}")


# --- cells ----------------------------------------------------------------------------------
def text(value: object) -> str:
    """A text cell's content, neutralised against formula injection."""
    return "" if value is None else neutralise_formula(str(value))


def _number(cell: Cell) -> tuple[Decimal | None, int | None]:
    """The cell's value and its decimals (None: as many as the value has)."""
    if isinstance(cell, Number):
        value = cell.value
        return (None if value is None else Decimal(value)), cell.decimals
    if cell is None or cell == "":
        return None, None
    if isinstance(cell, bool) or not isinstance(cell, int | Decimal):
        raise TypeError(f"a number cell needs a number, not {cell!r}")
    return Decimal(cell), None


def _places(value: Decimal, decimals: int | None) -> int:
    """The decimals to print: the indicator's, or more if the stored value has more."""
    exponent = value.normalize().as_tuple().exponent
    own = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return own if decimals is None else max(own, decimals)


def plain_number(value: Decimal | int | None, decimals: int | None = None) -> str:
    """1869.0000 → "1869", 95.2000 with 1 decimal → "95.2", 96 with 1 → "96.0"; no exponent,
    no separators."""
    if value is None:
        return ""
    number = Decimal(value)
    return f"{number:.{_places(number, decimals)}f}"


def _csv_cell(cell: Cell, kind: Kind) -> str:
    if kind in (Kind.TEXT, Kind.CODE):
        return keep_as_text(text(cell))
    if kind is Kind.RATE:
        value, _ = _number(cell)
        return plain_number(value, 1)
    value, decimals = _number(cell)
    return plain_number(value, 0 if kind is Kind.YEAR else decimals)


# --- CSV --------------------------------------------------------------------------------------
def csv_bytes(sheet: Sheet) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([keep_as_text(text(c.header)) for c in sheet.columns])
    kinds = [c.kind for c in sheet.columns]
    for row in sheet.rows:
        writer.writerow([_csv_cell(cell, kind) for cell, kind in zip(row, kinds, strict=True)])
    return out.getvalue().encode("utf-8")


# --- XLSX -------------------------------------------------------------------------------------
def sheet_name(title: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    return title.translate(_SHEET_NAME_FORBIDDEN).strip("'")[:31] or "Sheet1"


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for blank in book.worksheets:  # the sheet a new workbook starts with
        book.remove(blank)
    for sheet in sheets:
        _xlsx_sheet(book.create_sheet(sheet_name(sheet.title)), sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_sheet(worksheet, sheet: Sheet) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    widths = [_width(c.header) for c in sheet.columns]
    bold = Font(bold=True)
    for position, column in enumerate(sheet.columns, 1):
        cell = worksheet.cell(row=1, column=position)
        _set_text(cell, text(column.header))
        cell.font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    row_number = 1
    for row_number, row in enumerate(sheet.rows, 2):
        for position, (value, column) in enumerate(zip(row, sheet.columns, strict=True), 1):
            cell = worksheet.cell(row=row_number, column=position)
            shown = _xlsx_cell(cell, value, column.kind)
            widths[position - 1] = max(widths[position - 1], _width(shown))
            if _width(shown) > MAX_WIDTH:
                cell.alignment = wrap
    for position, width in enumerate(widths, 1):
        worksheet.column_dimensions[get_column_letter(position)].width = min(width, MAX_WIDTH) + 2
    worksheet.freeze_panes = "A2"
    last = get_column_letter(max(len(sheet.columns), 1))
    worksheet.auto_filter.ref = f"A1:{last}{max(row_number, 1)}"


def _xlsx_cell(cell, value: Cell, kind: Kind) -> str:  # type: ignore[no-untyped-def]
    """Writes the cell; returns the text it shows (for the column's width)."""
    if kind in (Kind.TEXT, Kind.CODE):
        content = text(value)
        _set_text(cell, content)
        if kind is Kind.CODE:
            cell.number_format = "@"
        return content
    number, decimals = _number(value)
    if number is None:
        return ""
    places = 1 if kind is Kind.RATE else 0 if kind is Kind.YEAR else _places(number, decimals)
    cell.value = int(number) if number == number.to_integral_value() else float(number)
    if kind is Kind.YEAR:
        cell.number_format = "0"
    elif kind is Kind.RATE:
        cell.number_format = "0.0"
    else:
        cell.number_format = "#,##0" + ("." + "0" * places if places else "")
    return f"{number:,.{places}f}"


def _set_text(cell, content: str) -> None:  # type: ignore[no-untyped-def]
    """A string cell, never a formula (openpyxl would take a leading ``=`` for one), without
    the control characters XML cannot hold (openpyxl refuses them)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", content)
    cell.data_type = "s"


def _width(content: str) -> int:
    """Display width: a full-width (East Asian wide) character counts two."""
    longest = max(content.split("\n"), key=len) if content else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)
