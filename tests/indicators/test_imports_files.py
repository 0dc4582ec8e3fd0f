"""Reading an uploaded file: encodings, Excel, and every kind of file that must be refused with
a message naming the row. Plain Python: no database."""

from decimal import Decimal

import pytest

from indicators.imports.files import CP932, UTF8, UTF8_BOM, ImportFileError, Table, read_table
from tests.indicators.import_files import csv_file, xlsx_file

LIMIT = 10 * 1024 * 1024
ROWS = [["指標コード", "年度", "実績値", "備考"], ["T101", "令和６年度", "95.5", "㈱テスト①～髙"]]


def read(
    data: bytes, name: str = "実績.csv", *, encoding: str | None = None, max_bytes: int = LIMIT
) -> Table:
    return read_table(data, name, encoding=encoding, max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("encoding", "detected", "label"),
    [
        ("utf-8", UTF8, "UTF-8"),
        ("utf-8-sig", UTF8_BOM, "UTF-8（BOM付き）"),
        ("cp932", CP932, "Shift_JIS（CP932）"),
    ],
)
def test_a_csv_is_read_in_utf8_with_or_without_bom_and_in_cp932(
    encoding: str, detected: str, label: str
) -> None:
    table = read(csv_file(ROWS, encoding))

    assert table.encoding == detected and table.encoding_label == label
    assert table.headers == ["指標コード", "年度", "実績値", "備考"]
    assert list(table.rows) == [(2, ["T101", "令和６年度", "95.5", "㈱テスト①～髙"])]


def test_every_spelling_of_shift_jis_reads_as_cp932_which_knows_circled_digits_and_tildes() -> None:
    data = csv_file(ROWS, "cp932")
    for name in ["shift_jis", "Shift-JIS", "sjis", "cp932", "MS932", "windows-31j"]:
        assert next(read(data, encoding=name).rows)[1][3] == "㈱テスト①～髙", name


def test_an_explicit_encoding_overrides_detection() -> None:
    # A CP932 header over a line that is also valid UTF-8: detection calls it mixed; the user
    # who knows the file is CP932 says so.
    data = "年度,実績値\n".encode("cp932") + "日".encode() + b",1\n"
    with pytest.raises(ImportFileError, match="混在"):
        read(data)
    table = read(data, encoding="cp932")
    assert table.encoding == CP932 and table.headers == ["年度", "実績値"]


def test_an_unknown_encoding_name_is_refused() -> None:
    with pytest.raises(ImportFileError, match="文字コード「latin-1」には対応していません"):
        read(csv_file(ROWS), encoding="latin-1")


def test_a_cp932_file_read_as_utf8_names_the_line_that_fails() -> None:
    data = csv_file([*ROWS, ["T101", "R5", "95", "備考"]], "cp932")
    with pytest.raises(ImportFileError, match="^1行目：UTF-8（BOM付き） として読めない文字"):
        read(data, encoding="utf-8")


def test_a_utf8_file_with_bom_and_one_cp932_line_is_refused_naming_that_line() -> None:
    data = csv_file(ROWS, "utf-8-sig") + "T101,R5,95,別の課から貼付\r\n".encode("cp932")
    with pytest.raises(ImportFileError, match="^3行目：UTF-8（BOM付き） として読めない"):
        read(data)


def test_utf8_and_cp932_lines_mixed_in_one_file_are_refused_naming_both() -> None:
    data = csv_file(ROWS, "utf-8") + "T101,R5,95,別の課から貼付\r\n".encode("cp932")
    with pytest.raises(ImportFileError, match="混在しています：1行目は UTF-8、3行目は Shift_JIS"):
        read(data)


def test_bytes_in_neither_encoding_are_refused_naming_the_line() -> None:
    data = csv_file(ROWS, "cp932") + b"T101,R5,95,\x81\x20\r\n"
    with pytest.raises(ImportFileError, match="^3行目：UTF-8 でも Shift_JIS（CP932）でもない文字"):
        read(data)


def test_an_empty_file_and_a_file_with_only_a_header_are_refused() -> None:
    with pytest.raises(ImportFileError, match="ファイルが空です"):
        read(b"")
    with pytest.raises(ImportFileError, match="ファイルが空です"):
        read(b" \r\n\r\n")
    with pytest.raises(ImportFileError, match="データの行がありません"):
        read(csv_file(ROWS[:1]))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(ImportFileError, match=r"大きすぎます（0\.0 MB）。上限は 0\.0 MB"):
        read(csv_file(ROWS), max_bytes=10)


def test_a_binary_file_renamed_csv_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(ImportFileError, match="2行目に文字ではないデータ.*CSV ではないファイル"):
        read(png, "写真.csv")


def test_an_excel_file_renamed_csv_is_refused_with_a_hint() -> None:
    with pytest.raises(ImportFileError, match="CSV ではなく Excel"):
        read(xlsx_file(ROWS), "実績.csv")


def test_utf16_unicode_text_from_excel_is_refused_with_a_hint() -> None:
    with pytest.raises(ImportFileError, match="UTF-16"):
        read("\ufeff年度\t実績値\r\n".encode("utf-16-le"))


def test_files_that_are_not_csv_or_xlsx_are_refused_by_extension() -> None:
    with pytest.raises(ImportFileError, match=r"\.xls 形式には対応していません"):
        read(b"\xd0\xcf\x11\xe0", "実績.xls")
    with pytest.raises(ImportFileError, match=r"\.csv か \.xlsx"):
        read(csv_file(ROWS), "実績.txt")


def test_a_csv_named_xlsx_or_a_broken_xlsx_is_refused() -> None:
    with pytest.raises(ImportFileError, match="Excel（.xlsx）のファイルとして読めません"):
        read(csv_file(ROWS), "実績.xlsx")
    with pytest.raises(ImportFileError, match="Excel（.xlsx）のファイルとして読めません"):
        read(xlsx_file(ROWS)[:200], "実績.xlsx")


def test_an_xlsx_is_read_from_its_first_sheet_with_numbers_as_decimals() -> None:
    rows: list[list[object]] = [["指標コード", "年度", "実績値"], [None] * 3, ["T101", 2024, 95.5]]
    table = read(xlsx_file(rows), "実績.xlsx")

    assert table.file_type == "xlsx" and table.encoding is None
    assert list(table.rows) == [(3, ["T101", Decimal(2024), Decimal("95.5")])]  # row 2 was empty


def test_an_xlsx_percentage_cell_is_read_as_the_percentage_it_shows() -> None:
    rows: list[list[object]] = [["指標コード", "年度", "実績値"], ["T101", 2024, 0.302]]
    table = read(xlsx_file(rows, percent_cells=[(1, 2)]), "実績.xlsx")
    assert next(table.rows)[1][2] == Decimal("30.2")


def test_blank_rows_are_skipped_but_row_numbers_stay_those_excel_shows() -> None:
    data = csv_file([ROWS[0], ["", "", "", ""], ROWS[1], [], ROWS[1]])
    assert [number for number, _ in read(data).rows] == [3, 5]


def test_a_tab_separated_file_is_read_too() -> None:
    table = read("年度\t実績値\r\nR6\t1,869\r\n".encode())
    assert table.headers == ["年度", "実績値"] and list(table.rows) == [(2, ["R6", "1,869"])]


def test_a_quoted_cell_may_hold_commas_and_line_breaks() -> None:
    table = read(csv_file([ROWS[0], ["T101", "R6", "1,869", "一行目\n二行目"], ROWS[1]]))
    assert next(table.rows) == (2, ["T101", "R6", "1,869", "一行目\n二行目"])
    table = read(csv_file([ROWS[0], ["T101", "R6", "1,869", "一行目\n二行目"], ROWS[1]]))
    assert [number for number, _ in table.rows] == [2, 3]


def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("indicators.imports.files.MAX_ROWS", 3)
    table = read(csv_file([ROWS[0], ROWS[1], ROWS[1], ROWS[1]]))
    with pytest.raises(ImportFileError, match="行が多すぎます（上限 3 行）"):
        list(table.rows)
