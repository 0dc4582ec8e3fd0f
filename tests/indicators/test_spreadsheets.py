"""indicators.spreadsheets, the one writer of every export: read back with openpyxl and csv."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from indicators.spreadsheets import (
    Cell,
    Column,
    Kind,
    Number,
    Sheet,
    csv_bytes,
    sheet_name,
    write,
    xlsx_bytes,
)

COLUMNS = [
    Column("指標コード", Kind.CODE),
    Column("重点施策", Kind.CODE),
    Column("指標名"),
    Column("単位"),
    Column("年度", Kind.YEAR),
    Column("実績値", Kind.NUMBER),
    Column("進捗率（％）", Kind.RATE),
]
ROWS: list[list[Cell]] = [
    ["K006", "5-2", "刑法犯認知件数", "件", 2024, Number(Decimal("1752.0000"), 0), Decimal("35.2")],
    ["K011", "1-1", "３歳児健康診査受診率", "％", 2025, Number(Decimal("96"), 1), None],
    ["K012", "1-1", '=HYPERLINK("http://x","y")', "", None, Number(None, 0), Decimal("-5.0")],
]


def _sheet() -> Sheet:
    return Sheet("実績値の一覧", COLUMNS, ROWS)


def _xlsx() -> openpyxl.worksheet.worksheet.Worksheet:  # type: ignore[name-defined]
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes([_sheet()]))).active


def test_xlsx_values_rates_and_years_are_numeric_cells_with_a_number_format() -> None:
    sheet = _xlsx()
    year, value, rate = sheet["E2"], sheet["F2"], sheet["G2"]
    assert (year.value, year.data_type, year.number_format) == (2024, "n", "0")
    assert (value.value, value.data_type, value.number_format) == (1752, "n", "#,##0")
    assert (rate.value, rate.data_type, rate.number_format) == (35.2, "n", "0.0")
    one_decimal = sheet["F3"]
    assert (one_decimal.value, one_decimal.number_format) == (96, "#,##0.0")
    assert sheet["F4"].value is None and sheet["E4"].value is None


def test_xlsx_codes_are_text_cells_in_the_text_format_and_names_never_formulas() -> None:
    sheet = _xlsx()
    code = sheet["B2"]
    assert (code.value, code.data_type, code.number_format) == ("5-2", "s", "@")
    name = sheet["C4"]
    assert (name.value, name.data_type) == ('\'=HYPERLINK("http://x","y")', "s")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_has_a_japanese_sheet_name_a_frozen_bold_header_and_fitted_widths() -> None:
    sheet = _xlsx()
    assert sheet.title == "実績値の一覧"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and sheet.auto_filter.ref == "A1:G4"
    widths = {c: sheet.column_dimensions[c].width for c in "ABC"}
    assert widths["C"] > widths["A"]  # 20 full-width characters against 5
    assert widths["C"] >= 2 * len("３歳児健康診査受診率")


def test_csv_is_utf8_with_a_bom_crlf_and_plain_numbers() -> None:
    raw = csv_bytes(_sheet())
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [c.header for c in COLUMNS]
    assert rows[1] == ["K006", "'5-2", "刑法犯認知件数", "件", "2024", "1752", "35.2"]
    assert rows[2][5:] == ["96.0", ""]
    assert rows[3][2] == '\'=HYPERLINK("http://x","y")' and rows[3][6] == "-5.0"


def test_control_characters_xml_cannot_hold_are_dropped_not_a_crash() -> None:
    sheet = Sheet("x", [Column("名前")], [["課\x01名\x1f"]])
    book = openpyxl.load_workbook(io.BytesIO(write(sheet, "xlsx")))
    assert book.worksheets[0]["A2"].value == "課名"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("入力状況 令和7年度", "入力状況 令和7年度"),
        ("a/b:c*d?[e]", "abcde"),
        ("長" * 40, "長" * 31),
    ],
)
def test_sheet_names_follow_excels_rules(title: str, expected: str) -> None:
    assert sheet_name(title) == expected


def test_a_number_column_refuses_text() -> None:
    with pytest.raises(TypeError):
        csv_bytes(Sheet("x", [Column("値", Kind.NUMBER)], [["1,869件"]]))
