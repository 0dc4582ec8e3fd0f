"""Reading an uploaded file: encodings, Excel, and every kind of file that must be refused with
a message naming the row. Plain Python: no database."""

import tracemalloc
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import pytest

from indicators.imports.files import CP932, UTF8, UTF8_BOM, ImportFileError, Table, read_table
from tests.indicators.hostile_files import (
    DATE_STYLE,
    HEADER_ROW,
    MAIN,
    cell,
    dimension_bomb,
    long_shared_string,
    sheet,
    text_cells,
    wide_row,
    xlsx_package,
)
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
    monkeypatch.setattr("indicators.imports.limits.MAX_ROWS", 3)
    table = read(csv_file([ROWS[0], ROWS[1], ROWS[1], ROWS[1]]))
    with pytest.raises(ImportFileError, match="行が多すぎます（上限 3 行）"):
        list(table.rows)


# --- hard bounds and hostile files (the catalogue runs through the command and the admin in
# test_imports_hostile.py; these pin the reader's own behaviour) -----------------------------
def test_a_trailing_ctrl_z_is_the_dos_end_of_file_not_binary_data() -> None:
    table = read(csv_file(ROWS, "cp932") + b"\x1a")
    assert list(table.rows) == [(2, ["T101", "令和６年度", "95.5", "㈱テスト①～髙"])]


def test_blank_lines_do_not_count_toward_the_row_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("indicators.imports.limits.MAX_ROWS", 3)
    blank = [[""] * 4, [], [" ", "", "", ""]] * 100
    table = read(csv_file([ROWS[0], ROWS[1], *blank, ROWS[1]]))
    assert [number for number, _ in table.rows] == [2, 303]  # numbered as Excel shows them


def test_a_note_on_several_lines_with_commas_in_it_is_still_one_cell() -> None:
    note = "内訳：\n男性 10人, 女性 12人"  # a line inside the cell, but not a row of the file
    table = read(csv_file([ROWS[0], ["T101", "R6", "1,869", note], ROWS[1]]))
    assert [cells[3] for _, cells in table.rows] == [note, "㈱テスト①～髙"]


def test_genuine_cp932_with_half_width_katakana_is_not_taken_for_mojibake() -> None:
    rows = [ROWS[0], ["T101", "R6", "95.5", "ｿｸﾎｳﾁ"], ["T101", "R5", "95.0", "確定値です"]]
    assert [cells[3] for _, cells in read(csv_file(rows, "cp932")).rows] == ["ｿｸﾎｳﾁ", "確定値です"]
    header = ["indicator_code", "year", "value", "note"]  # mostly katakana: UTF-8 reads it
    table = read(csv_file([header, ["T101", "R6", "95.5", "ｿｸﾎｳﾁ"]], "utf-8"))
    assert next(table.rows)[1][3] == "ｿｸﾎｳﾁ"


def test_a_cell_longer_than_excel_allows_is_refused_in_japanese_only() -> None:
    for length in (40_000, 10_000_000):  # below and above the csv module's own limit
        with pytest.raises(ImportFileError) as refused:
            list(read(csv_file([ROWS[0], ["T101", "R6", "1", "a" * length]])).rows)
        assert (
            str(refused.value) == "2行目：セルの文字が多すぎます（1つのセルに 32,767 文字まで）。"
        )


def test_an_xlsx_is_read_by_cell_reference_ignoring_its_declared_dimension() -> None:
    table = read(dimension_bomb(), "実績.xlsx")
    assert list(table.rows) == [
        (2, ["T101", None, Decimal(2024), Decimal("95.5")]),
        (1_048_576, ["T999", None, "R6", "1"]),
    ]


def test_xlsx_shared_strings_read_as_excel_shows_them_without_phonetic_guides() -> None:
    strings = (
        f'<sst xmlns="{MAIN}"><si><t>指標コード</t></si><si><t>備考</t></si>'
        '<si><r><t>伊勢崎</t></r><r><rPr><b/></rPr><t xml:space="preserve">市 </t></r>'
        '<rPh sb="0" eb="3"><t>イセサキ</t></rPh><phoneticPr fontId="1"/></si></sst>'
    )
    rows = [
        f'<row r="1">{cell("A1", 0, t="s")}{cell("B1", 1, t="s")}</row>',
        f'<row r="2">{cell("A2", "T101", t="inlineStr")}{cell("B2", 2, t="s")}</row>',
    ]
    table = read(xlsx_package(sheet(*rows), shared_strings=strings), "実績.xlsx")
    assert table.headers == ["指標コード", "備考"]
    assert list(table.rows) == [(2, ["T101", "伊勢崎市 "])]


def test_xlsx_cells_keep_their_kind_as_openpyxl_reads_them() -> None:
    styles = (
        f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="164" formatCode="yyyy/m/d"/>'
        '</numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="9"/>'
        '<xf numFmtId="10"/><xf numFmtId="31"/></cellXfs></styleSheet>'
    )
    cells = [
        cell("A2", 1, t="b"),
        cell("B2", "#DIV/0!", t="e"),
        '<c r="C2" t="str"><f>A1&amp;"x"</f><v>計算結果</v></c>',
        cell("D2", 45383, s=1),  # 2024-04-01
        cell("E2", "0.30199999999999999", s=2),  # 30.2%, as Excel writes it
        cell("F2", 0.0125, s=3),  # 1.25%
        cell("G2", 45383, s=4),  # 令和6年4月1日 (a Japanese built-in date format)
        cell("H2", "2024-04-01T00:00:00", t="d"),
        cell("J2", "-1.5E3"),
    ]
    data = xlsx_package(
        sheet(text_cells(1, list("ABCDEFGHIJ")), f'<row r="2">{"".join(cells)}</row>'),
        styles=styles,
    )
    (number, values), *_ = read(data, "実績.xlsx").rows
    april = datetime(2024, 4, 1)
    assert values == [
        True, "#DIV/0!", "計算結果", april, Decimal("30.2"), Decimal("1.25"), april, april, None,
        Decimal("-1500.0"),
    ]  # fmt: skip


def test_an_xlsx_in_the_1904_date_system_and_the_strict_namespace_is_read() -> None:
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    relations = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    book = (
        f'<workbook xmlns="{strict}" xmlns:r="{relations}"><workbookPr date1904="1"/>'
        '<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    rows = sheet(HEADER_ROW, f'<row r="2">{cell("A2", 1, s=DATE_STYLE)}</row>')
    data = xlsx_package(rows.replace(MAIN, strict), workbook_xml=book)
    assert next(read(data, "実績.xlsx").rows) == (2, [datetime(1904, 1, 2)])  # 1900: 1900-01-01


def test_an_xlsx_error_late_in_the_sheet_is_raised_as_a_file_error_while_rows_are_read() -> None:
    body = [text_cells(n, ["T101", "", "R6", "95.5", ""]) for n in range(2, 5000)]
    late = '<row r="5000"><c r="D5000"><f>SUM(D1:D2)</f></c></row>'
    table = read(xlsx_package(sheet(HEADER_ROW, *body, late)), "実績.xlsx")  # opens fine
    with pytest.raises(ImportFileError, match="^5000行目 D列：数式の計算結果が保存されていません"):
        list(table.rows)


def _peak_while_read(data: bytes, name: str) -> tuple[int, str]:
    tracemalloc.start()
    try:
        list(read(data, name).rows)
        outcome = "read"
    except ImportFileError as error:
        outcome = str(error)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, outcome


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: wide_row(3_000_000), "2行目：列が多すぎます"),
        (lambda: long_shared_string(200_000_000), "は展開すると 190.7 MB 以上です"),
        (dimension_bomb, "read"),
    ],
    ids=["one row of 3,000,000 cells", "one shared string of 200 MB", "A1:XFD1048576"],
)
def test_the_issues_small_workbooks_are_read_or_refused_within_a_few_megabytes(
    build: Callable[[], bytes], message: str
) -> None:
    data = build()
    assert len(data) < 200_000
    peak, outcome = _peak_while_read(data, "実績.xlsx")
    assert message in outcome
    assert peak < 5 * 1024 * 1024  # openpyxl: 0.45–1.4 GB


def test_a_csv_row_of_100000_cells_is_refused_before_it_is_split() -> None:
    data = csv_file([ROWS[0]]) + b"T101,R6,1," + b",".join([b"ab"] * 100_000)
    peak, outcome = _peak_while_read(data, "実績.csv")
    assert outcome == "2行目：列が多すぎます（100,003列。上限 1,000列）。"
    assert peak < 5 * len(data)  # split, it would take 60 bytes a cell: 20 times the file


def test_trailing_empty_cells_of_excels_used_range_do_not_count_as_columns() -> None:
    data = csv_file([ROWS[0] + [""] * 5000, ROWS[1] + [""] * 5000])
    assert list(read(data).rows) == [(2, ROWS[1])]


def test_empty_lines_inside_a_quoted_note_stay_in_it_and_rows_keep_their_numbers() -> None:
    note = "一行目\n\n\n四行目"
    data = csv_file([ROWS[0], ["T101", "R6", "1", note], [], [], ROWS[1]])
    assert [(n, cells[3]) for n, cells in read(data).rows] == [(2, note), (5, "㈱テスト①～髙")]
