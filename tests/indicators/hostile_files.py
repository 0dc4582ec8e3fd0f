"""Hostile files, built in code: what an attacker or a careless tool sends to the import.

Each is small on disk (nothing large is checked in) and holds a valid row for T101, so that a
file the import wrongly accepted would change the stored value: a refused file changes nothing.
``hostile_files()`` is the catalogue that the tests run through the command and the admin, and
that ``bench/hostile_files.py`` measures (``full=True``: the sizes of the issue's files, e.g.
one shared string of 200 MB, one row of 3,000,000 cells).
"""

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tests.indicators.import_files import csv_file

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = ["指標コード", "系列", "年度", "実績値", "備考"]
GOOD = ["T101", "", "R6", "95.5", ""]  # 95.0 is stored: accepting the file would change it


@dataclass(frozen=True)
class Hostile:
    name: str  # the file name as uploaded
    data: Callable[[], bytes]  # built when needed: some take a second
    message: str  # what the refusal says (part of it)
    bounds: dict[str, int] = field(default_factory=dict)  # limits lowered for the test
    max_bytes: int | None = None  # KPI_IMPORT_MAX_BYTES for the test
    row_error: bool = False  # refused as a row in error (the preview shows it), not unreadable


# --- XLSX packages, part by part -------------------------------------------------------------
def cell(ref: str, value: object = None, *, t: str | None = None, s: int | None = None) -> str:
    kind = f' t="{t}"' if t else ""
    style = f' s="{s}"' if s is not None else ""
    if value is None:
        return f'<c r="{ref}"{kind}{style}/>'
    if t == "inlineStr":
        return f'<c r="{ref}"{kind}{style}><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"{kind}{style}><v>{value}</v></c>'


def text_cells(number: int, values: list[str]) -> str:
    cells = "".join(
        cell(f"{chr(65 + i)}{number}", v, t="inlineStr") for i, v in enumerate(values) if v
    )
    return f'<row r="{number}">{cells}</row>'


HEADER_ROW = text_cells(1, HEADER)
GOOD_ROW = (
    '<row r="2">'
    + cell("A2", "T101", t="inlineStr")
    + cell("C2", 2024)
    + cell("D2", 95.5)
    + "</row>"
)


def sheet(*rows: str, prefix: str = "", dimension: str = "") -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'{prefix}<worksheet xmlns="{MAIN}">{declared}<sheetData>'
        + "".join(rows)
        + "</sheetData></worksheet>"
    )


STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
    'formatCode="yyyy/m/d"/></numFmts><cellXfs count="2"><xf numFmtId="0"/>'
    '<xf numFmtId="164"/></cellXfs></styleSheet>'
)
DATE_STYLE = 1


def workbook(sheets: str = '<sheet name="実績" sheetId="1" r:id="rId1"/>') -> str:
    return f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>{sheets}</sheets></workbook>'


def xlsx_package(
    sheet_xml: str | Iterable[bytes],
    *,
    shared_strings: str | Iterable[bytes] | None = None,
    styles: str | None = STYLES,
    workbook_xml: str | None = None,
    extra: dict[str, bytes] | None = None,
    leave_out: tuple[str, ...] = (),
) -> bytes:
    """An .xlsx written part by part; a part given as chunks is streamed into the zip."""
    rels = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    if shared_strings is not None:
        rels.append(("rId2", "sharedStrings", "sharedStrings.xml"))
    if styles is not None:
        rels.append(("rId3", "styles", "styles.xml"))
    parts: dict[str, str | Iterable[bytes] | None] = {
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": workbook_xml or workbook(),
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}">'
        + "".join(
            f'<Relationship Id="{i}" Type="{DOC_RELS}/{kind}" Target="{target}"/>'
            for i, kind, target in rels
        )
        + "</Relationships>",
        "xl/worksheets/sheet1.xml": sheet_xml,
        "xl/sharedStrings.xml": shared_strings,
        "xl/styles.xml": styles,
    }
    present = [n for n, c in parts.items() if c is not None and n not in leave_out]
    parts = {"[Content_Types].xml": _content_types(present), **parts}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in parts.items():
            if content is None or name in leave_out:
                continue
            if isinstance(content, str):
                book.writestr(name, content.encode())
            else:
                with book.open(name, "w", force_zip64=True) as member:
                    for chunk in content:
                        member.write(chunk)
        for name, data in (extra or {}).items():
            book.writestr(name, data)
    return out.getvalue()


def _content_types(parts: list[str]) -> str:
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    kinds = {
        "xl/workbook.xml": "sheet.main",
        "xl/worksheets/sheet1.xml": "worksheet",
        "xl/sharedStrings.xml": "sharedStrings",
        "xl/styles.xml": "styles",
    }
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{sml}.{kinds[name]}+xml"/>'
        for name in parts
        if name in kinds
    )
    return (
        f'<Types xmlns="{ns}"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )


def good_xlsx(*rows: str) -> bytes:
    return xlsx_package(sheet(HEADER_ROW, GOOD_ROW, *rows))


def with_bad_cell(bad: str) -> bytes:
    """The valid row, then row 3 with one bad cell in column D."""
    return good_xlsx(f'<row r="3">{cell("A3", "T101", t="inlineStr")}{cell("C3", 2023)}{bad}</row>')


def _repeated(piece: bytes, times: int, *, head: bytes = b"", tail: bytes = b"") -> Iterable[bytes]:
    yield head
    batch = 1000
    for _ in range(times // batch):
        yield piece * batch
    yield piece * (times % batch)
    yield tail


def wide_row(cells: int) -> bytes:
    """Row 2 holds ``cells`` cells with a value and no reference (89 KB for 3,000,000)."""
    head = (f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER_ROW}<row r="2">').encode()
    return xlsx_package(
        _repeated(b"<c><v>1</v></c>", cells, head=head, tail=b"</row></sheetData></worksheet>")
    )


def long_shared_string(characters: int) -> bytes:
    """One shared string of ``characters`` (196 KB for 200 MB), used by row 2's note."""
    head = f'<sst xmlns="{MAIN}"><si><t>'.encode()
    strings = _repeated(b"a" * 1000, characters // 1000, head=head, tail=b"</t></si></sst>")
    rows = GOOD_ROW.replace("</row>", cell("E2", 0, t="s") + "</row>")
    return xlsx_package(sheet(HEADER_ROW, rows), shared_strings=strings)


def lying_member() -> bytes:
    """sharedStrings.xml declares 1,000 bytes in the zip and holds 10 MB."""
    strings = f'<sst xmlns="{MAIN}"><si><t>{"a" * 10_000_000}</t></si></sst>'
    data = bytearray(xlsx_package(sheet(HEADER_ROW, GOOD_ROW), shared_strings=strings))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as book:
        real = book.getinfo("xl/sharedStrings.xml").file_size.to_bytes(4, "little")
    # The uncompressed size: at byte 22 of the member's local header, 24 of its directory entry.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        position = data.find(signature)
        while position >= 0:
            if data[position + offset : position + offset + 4] == real:
                data[position + offset : position + offset + 4] = (1000).to_bytes(4, "little")
            position = data.find(signature, position + 4)
    return bytes(data)


def many_members(count: int) -> bytes:
    return xlsx_package(
        sheet(HEADER_ROW, GOOD_ROW), extra={f"docProps/x{i}.xml": b"" for i in range(count)}
    )


def dimension_bomb() -> bytes:
    """1.7 KB: declares A1:XFD1048576 and has rows 1, 2 and 1,048,576."""
    last = text_cells(1_048_576, ["T999", "", "R6", "1", ""])
    return xlsx_package(sheet(HEADER_ROW, GOOD_ROW, last, dimension="A1:XFD1048576"))


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">' for i in range(1, 10)
    )
    + "]>"
)
EXTERNAL_ENTITY = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


# --- CSV ------------------------------------------------------------------------------------
def csv_rows(*lines: str, header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    return csv_file([header]) + "".join(line + "\r\n" for line in lines).encode(encoding)


def hostile_files(*, full: bool = False) -> dict[str, Hostile]:
    """Every class of hostile file; ``full``: the issue's sizes (for the benchmark)."""
    wide = 3_000_000 if full else 5_000
    xlsx = "実績.xlsx"
    return {
        # XLSX within hard bounds
        "xlsx: declared dimension A1:XFD1048576, row 1,048,576": Hostile(
            xlsx,
            dimension_bomb,
            "1048576行目「指標コード」：指標コード「T999」の指標はありません",
            row_error=True,
        ),
        f"xlsx: one row of {wide:,} cells": Hostile(
            xlsx,
            lambda: wide_row(wide),
            "2行目：列が多すぎます（ALM列に値があります。上限 1,000列）",
        ),
        "xlsx: one shared string of 200 MB": Hostile(
            xlsx,
            lambda: long_shared_string(200_000_000 if full else 135_000_000),
            "中身が大きすぎます：xl/sharedStrings.xml は展開すると",
        ),
        "xlsx: one shared string of 40,000 characters": Hostile(
            xlsx,
            lambda: long_shared_string(40_000),
            "長すぎる文字列があります（1つのセルに 32,767 文字まで）",
        ),
        "xlsx: a member lying about its size": Hostile(
            xlsx,
            lying_member,
            "xl/sharedStrings.xml が壊れています（ZIP の展開に失敗しました）",
        ),
        "xlsx: 1,001 zip members": Hostile(
            xlsx,
            lambda: many_members(1_001),
            "Excel ファイルの中のファイルが多すぎます",
        ),
        "xlsx: a tag of 2 MB": Hostile(
            xlsx,
            lambda: good_xlsx(f'<row r="3"><c r="A3" x="{"a" * 2_000_000}"/></row>'),
            "xl/worksheets/sheet1.xml に 1.0 MB を超える XML の要素か文字列があります",
        ),
        "xlsx: more rows than the bound": Hostile(
            xlsx,
            lambda: good_xlsx(*(text_cells(n, ["T101", "", "R5", "1", ""]) for n in range(3, 9))),
            "行が多すぎます（上限 5 行）",
            bounds={"MAX_ROWS": 5},
        ),
        "xlsx: more cells than the bound": Hostile(
            xlsx,
            lambda: good_xlsx(*(f'<row r="{n}"><c/><c/><c/><c/></row>' for n in range(3, 30))),
            "セルが多すぎます（上限 100 個）",
            bounds={"MAX_CELLS": 100},
        ),
        "xlsx: more XML elements than the bound": Hostile(
            xlsx,
            lambda: good_xlsx(*(f'<row r="{n}"/>' for n in range(3, 300))),
            "シートの XML の要素が 200 個を超えています",
            bounds={"MAX_XML_ELEMENTS": 200},
        ),
        "xlsx: more shared strings than the bound": Hostile(
            xlsx,
            lambda: xlsx_package(
                sheet(HEADER_ROW, GOOD_ROW),
                shared_strings=f'<sst xmlns="{MAIN}">' + "<si><t>a</t></si>" * 20 + "</sst>",
            ),
            "Excel ファイルの文字列が多すぎます（上限 10 種類）",
            bounds={"MAX_SHARED_STRINGS": 10},
        ),
        "xlsx: more text than a CSV of the allowed size": Hostile(
            xlsx,
            lambda: xlsx_package(
                sheet(HEADER_ROW, GOOD_ROW),
                shared_strings=f'<sst xmlns="{MAIN}">'
                + "<si><t>速報値</t></si>" * 20_000
                + "</sst>",
            ),
            "Excel ファイルの文字が多すぎます（文字列のセルに合わせて 50,000 文字まで）",
            max_bytes=50_000,
        ),
        "xlsx: entity expansion (billion laughs)": Hostile(
            xlsx,
            lambda: xlsx_package(
                sheet(HEADER_ROW, GOOD_ROW.replace("95.5", "&lol9;"), prefix=BILLION_LAUGHS)
            ),
            "xl/worksheets/sheet1.xml に DTD（実体の宣言）があります",
        ),
        "xlsx: an external entity": Hostile(
            xlsx,
            lambda: xlsx_package(
                sheet(HEADER_ROW, GOOD_ROW.replace("95.5", "&x;"), prefix=EXTERNAL_ENTITY)
            ),
            "DTD（実体の宣言）があります",
        ),
        "xlsx: entity expansion in the shared strings": Hostile(
            xlsx,
            lambda: xlsx_package(
                sheet(HEADER_ROW, GOOD_ROW),
                shared_strings=BILLION_LAUGHS + f'<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>',
            ),
            "xl/sharedStrings.xml に DTD（実体の宣言）があります",
        ),
        # XLSX read errors, while opening and while reading rows
        "xlsx: malformed sheet XML": Hostile(
            xlsx,
            lambda: xlsx_package(sheet(HEADER_ROW, GOOD_ROW, '<row r="3"><c r="A3"><v>1</c>')),
            "xl/worksheets/sheet1.xml の XML が壊れています（3行目のあたり）",
        ),
        "xlsx: malformed workbook XML": Hostile(
            xlsx,
            lambda: xlsx_package(sheet(HEADER_ROW, GOOD_ROW), workbook_xml="<workbook><sheets>"),
            "xl/workbook.xml の XML が壊れています",
        ),
        "xlsx: no sheets": Hostile(
            xlsx,
            lambda: xlsx_package(sheet(HEADER_ROW, GOOD_ROW), workbook_xml=workbook("")),
            "ブックにシートがありません",
        ),
        "xlsx: the sheet part missing": Hostile(
            xlsx,
            lambda: xlsx_package(sheet(), leave_out=("xl/worksheets/sheet1.xml",)),
            "xl/worksheets/sheet1.xml がありません",
        ),
        "xlsx: a truncated zip": Hostile(
            xlsx,
            lambda: good_xlsx()[:-300],
            "Excel（.xlsx）のファイルとして読めません",
        ),
        "xlsx: a bad style index": Hostile(
            xlsx,
            lambda: with_bad_cell(cell("D3", 1, s=99)),
            "3行目 D列：書式の番号「99」がありません",
        ),
        "xlsx: a bad shared-string index": Hostile(
            xlsx,
            lambda: with_bad_cell(cell("D3", 99, t="s")),
            "3行目 D列：文字列の番号「99」がありません",
        ),
        "xlsx: <v>NaN</v>": Hostile(
            xlsx,
            lambda: with_bad_cell(cell("D3", "NaN")),
            "3行目 D列：数値のセルに数値でない値「NaN」",
        ),
        "xlsx: text in a numeric cell": Hostile(
            xlsx,
            lambda: with_bad_cell(cell("D3", "abc")),
            "3行目 D列：数値のセルに数値でない値「abc」",
        ),
        "xlsx: a number too large": Hostile(
            xlsx,
            lambda: with_bad_cell(cell("D3", "1e999")),
            "3行目 D列：数値のセルの値「1e999」が大きすぎます",
        ),
        "xlsx: a bad ISO date": Hostile(
            xlsx,
            lambda: with_bad_cell(cell("D3", "2024-13-45", t="d")),
            "3行目 D列：日付のセルの値「2024-13-45」を日付として読めません",
        ),
        "xlsx: a date serial out of range": Hostile(
            xlsx,
            lambda: with_bad_cell(cell("D3", 1e10, s=DATE_STYLE)),
            "3行目 D列：日付のセルの値「10000000000.0」が日付の範囲を超えています",
        ),
        "xlsx: an unknown cell type": Hostile(
            xlsx,
            lambda: with_bad_cell(cell("D3", 1, t="zz")),
            "3行目 D列：セルの種類「zz」が不明です",
        ),
        "xlsx: cells out of order": Hostile(
            xlsx,
            lambda: with_bad_cell(cell("D3", 1) + cell("B3", 1)),
            "3行目：セルの位置「B3」が不正です",
        ),
        "xlsx: a formula without its saved result": Hostile(
            xlsx,
            lambda: with_bad_cell('<c r="D3"><f>SUM(D1:D2)</f></c>'),
            "3行目 D列：数式の計算結果が保存されていません",
        ),
        # CSV files that stored wrong data without a word
        "csv: a quote open to the end of the file": Hostile(
            "実績.csv",
            lambda: csv_rows('T101,,R6,95.5,"速報', "T201,,R6,280,"),
            '2行目「備考」：「"」で始まるセルが閉じられないまま、ファイルが終わっています',
        ),
        "csv: a quote closed before more text": Hostile(
            "実績.csv",
            lambda: csv_rows('T101,,R6,95.5,"速報', 'T201,,R6,280,"確定"'),
            '2行目「備考」：「"」で囲んだセルの閉じる「"」のあとに文字があります',
        ),
        "csv: a quote that swallows the next row": Hostile(
            "実績.csv",
            lambda: csv_rows('T101,,R6,95.5,"速報', 'T201,,R6,280,修正"', "T101,,R5,95.0,"),
            '2行目「備考」：「"」で始まるセルが閉じられていないため、次の行（「T201,,R6,280,修正」）から',
        ),
        "csv: EUC-JP read as CP932 (速報値です)": Hostile(
            "実績.csv",
            lambda: csv_rows(
                "T101,,2024,95.5,速報値です",
                header=["indicator_code", "series", "year", "value", "note"],
                encoding="euc-jp",
            ),
            "2行目：Shift_JIS（CP932）として読むと文字化けします",
        ),
        "csv: EUC-JP throughout, header too": Hostile(
            "実績.csv",
            lambda: "指標コード,年度,実績値,備考\r\nT101,R6,95.5,速報値です\r\n".encode("euc-jp"),
            "1行目：Shift_JIS（CP932）として読むと文字化けします",
        ),
        "csv: Latin-1 read as CP932 (Ä)": Hostile(
            "実績.csv",
            lambda: b"indicator_code,series,year,value,note\r\nT101,,2024,95.5,\xc4\r\n",
            "2行目：Shift_JIS（CP932）として読むと文字化けします（「ﾄ」）",
        ),
        "csv: a row with more cells than the header": Hostile(
            "実績.csv",
            lambda: csv_rows(
                "T101,,2024,95,5,n", header=["指標コード", "系列", "年度", "実績値", "備考"]
            ),
            "2行目「6列目」：見出しのない列に値「n」があります",
            row_error=True,
        ),
        "csv: 100,000 unknown columns": Hostile(
            "実績.csv",
            lambda: csv_file([[*HEADER, *(f"x{i}" for i in range(100_000))], GOOD]),
            "1行目：列が多すぎます（100,005列。上限 1,000列）",
        ),
        "csv: a cell of 10 MB": Hostile(
            "実績.csv",
            lambda: csv_rows("T101,,R6,95.5," + "あ" * 3_300_000),
            "2行目：セルの文字が多すぎます（1つのセルに 32,767 文字まで）",
        ),
        "csv: a cell of 40,000 characters": Hostile(
            "実績.csv",
            lambda: csv_rows("T101,,R6,95.5," + "a" * 40_000),
            "2行目：セルの文字が多すぎます（1つのセルに 32,767 文字まで）",
        ),
    }
