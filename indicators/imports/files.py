"""Reading an uploaded file into a table of cells (取込ファイルの読み取り), in plain Python.

Accepted: ``.csv`` in UTF-8, UTF-8 with BOM or CP932 (what Japanese Excel writes as "CSV"),
and ``.xlsx`` (its first sheet). The encoding of a CSV is detected — a BOM means UTF-8, else
UTF-8 if the whole file decodes, else CP932 — unless the user names one. The ``shift_jis``
codec is never used, whatever the user types: it cannot read ①, 髙 or ～, which CP932 (the
Windows code page that Excel writes) can.

Anything else is refused with a message that says what is wrong and where (the row as Excel
numbers it): an empty or oversized file, a binary file or an XLSX renamed ``.csv``, UTF-16,
a line in neither encoding, and UTF-8 and CP932 lines mixed in one file (copy-pasted from two
sources), which no single codec reads correctly.
"""

import codecs
import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

CSV, XLSX = "csv", "xlsx"
FILE_TYPES = (CSV, XLSX)
UTF8, UTF8_BOM, CP932 = "utf-8", "utf-8-sig", "cp932"
ENCODING_LABELS = {UTF8: "UTF-8", UTF8_BOM: "UTF-8（BOM付き）", CP932: "Shift_JIS（CP932）"}
# What users and the --encoding option may call them; all Shift_JIS spellings read as CP932.
_ENCODING_ALIASES = {
    **dict.fromkeys(("utf-8", "utf8", "utf_8", "utf-8-sig", "utf_8_sig"), UTF8_BOM),
    **dict.fromkeys(
        ("cp932", "ms932", "windows-31j", "shift_jis", "shift-jis", "sjis", "s-jis", "mskanji"),
        CP932,
    ),
}
MAX_ROWS = 200_000  # an XLSX expands far beyond its size; this bounds memory whatever the file
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, and password-protected .xlsx
_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in UTF-8 or CP932 text

Cell = Any  # str from a CSV; str, int, float, Decimal, datetime, bool or None from an XLSX


class ImportFileError(ValueError):
    """The file cannot be read at all. The message is Japanese and names the row or column."""


Record = tuple[int, list[Cell]]  # (row number as Excel shows it, cells)


@dataclass(frozen=True)
class Table:
    """The header, and the data rows read as they are consumed (once): memory holds the
    file and the row being read, not a copy of every row."""

    file_type: str  # CSV or XLSX
    encoding: str | None  # the codec that read a CSV; None for an XLSX
    headers: list[str]
    rows: Iterator[Record]

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS.get(self.encoding or "", "－（Excel）")


def canonical_encoding(name: str | None) -> str | None:
    """The codec for a user's choice: None or "auto" → detect; Shift_JIS spellings → cp932."""
    if name is None or name.strip().lower() in {"", "auto"}:
        return None
    try:
        return _ENCODING_ALIASES[name.strip().lower()]
    except KeyError:
        raise ImportFileError(
            f"文字コード「{name}」には対応していません（UTF-8 か Shift_JIS（CP932））。"
        ) from None


def file_type_of(file_name: str) -> str:
    suffix = PurePath(file_name).suffix.lower()
    if suffix in {".csv", ".xlsx"}:
        return suffix[1:]
    if suffix in {".xls", ".xlsm", ".xlsb", ".ods"}:
        raise ImportFileError(
            f"{suffix} 形式には対応していません。Excel で「Excel ブック（.xlsx）」か"
            "「CSV」として保存し直してください。"
        )
    raise ImportFileError(
        "対応していないファイル形式です。.csv か .xlsx のファイルを選んでください。"
    )


def read_table(
    data: bytes, file_name: str, *, encoding: str | None = None, max_bytes: int
) -> Table:
    """The file's header row and data rows (rows with no value at all are left out)."""
    if len(data) > max_bytes:
        raise ImportFileError(
            f"ファイルが大きすぎます（{_megabytes(len(data))}）。"
            f"上限は {_megabytes(max_bytes)} です。ファイルを分けて取り込んでください。"
        )
    if not data.strip():
        raise ImportFileError("ファイルが空です。")
    if file_type_of(file_name) == XLSX:
        return _table(XLSX, None, _xlsx_records(data))
    codec, records = _csv_records(data, canonical_encoding(encoding))
    return _table(CSV, codec, records)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


# --- CSV ------------------------------------------------------------------------------------
def _csv_records(data: bytes, encoding: str | None) -> tuple[str, Iterator[Record]]:
    _refuse_binary(data)
    codec = encoding or _detect_encoding(data)
    text = _decode(data, codec, detected=encoding is None)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    return codec, _csv_rows(io.StringIO(text, newline=""), delimiter)


def _csv_rows(lines: io.StringIO, delimiter: str) -> Iterator[Record]:
    number = 0
    try:
        for number, record in enumerate(csv.reader(lines, delimiter=delimiter), 1):
            _check_row_count(number)
            if any(cell.strip() for cell in record):
                yield number, record
    except csv.Error as error:
        raise ImportFileError(f"{number + 1}行目を CSV として読めません（{error}）。") from None


def _refuse_binary(data: bytes) -> None:
    if data.startswith(_ZIP_MAGIC):
        raise ImportFileError(
            "このファイルは CSV ではなく Excel（.xlsx）などのファイルです。"
            "拡張子を .xlsx にするか、Excel で CSV として保存し直してください。"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(
            "UTF-16（Excel の「Unicode テキスト」）には対応していません。"
            "Excel で「CSV UTF-8（コンマ区切り）」として保存し直してください。"
        )
    control = _CONTROL_BYTE.search(data)
    if control is not None:
        raise ImportFileError(
            f"{_line_of(data, control.start())}行目に文字ではないデータがあります。"
            "CSV ではないファイル（画像、PDF、Word など）のようです。"
        )


def _detect_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    try:
        data.decode(UTF8)
    except UnicodeDecodeError:
        return CP932
    return UTF8


def _decode(data: bytes, codec: str, *, detected: bool) -> str:
    label = ENCODING_LABELS[codec]
    if detected and codec == CP932:
        _refuse_mixed(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start)
        hint = (
            "UTF-8 でも Shift_JIS（CP932）でもない文字があります"
            if detected and codec == CP932
            else f"{label} として読めない文字があります（文字コードの指定を確かめてください）"
        )
        raise ImportFileError(f"{line}行目：{hint}。") from None
    return text


def _refuse_mixed(data: bytes) -> None:
    """A CP932 file in which some lines are UTF-8: CP932 would read them as mojibake."""
    utf8_line = cp932_line = None
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            line.decode(UTF8)
        except UnicodeDecodeError:
            cp932_line = cp932_line or number
        else:
            utf8_line = utf8_line or number
        if utf8_line and cp932_line:
            raise ImportFileError(
                f"文字コードが混在しています：{utf8_line}行目は UTF-8、{cp932_line}行目は"
                " Shift_JIS（CP932）です。どちらか一方で保存し直してください。"
            )


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


# --- XLSX -----------------------------------------------------------------------------------
def _xlsx_records(data: bytes) -> Iterator[Record]:
    from openpyxl import load_workbook  # only imported when an XLSX arrives

    if data.startswith(_OLE_MAGIC):
        raise ImportFileError(
            "パスワード付きの Excel ファイルか、古い .xls 形式のファイルです。"
            "パスワードを外して .xlsx で保存し直してください。"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise ImportFileError("Excel（.xlsx）のファイルとして読めません。")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(
            f"Excel（.xlsx）のファイルとして読めません（{type(error).__name__}）。"
        ) from None
    try:
        for number, row in enumerate(book.worksheets[0].iter_rows(), 1):
            _check_row_count(number)
            cells = [_xlsx_value(cell) for cell in row]
            if any(not _blank(cell) for cell in cells):
                yield number, cells
    finally:
        book.close()


def _xlsx_value(cell: Any) -> Cell:
    """A cell's value; a number shown as a percentage (0.302 as 30.2%) becomes 30.2, as seen."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (cell.number_format or ""):
            return (number * 100).normalize()
        return number
    return value


# --- both -----------------------------------------------------------------------------------
def _table(file_type: str, encoding: str | None, records: Iterator[Record]) -> Table:
    """The first row with a value is the header; there must be a data row after it."""
    header = next(records, None)
    if header is None:
        raise ImportFileError("ファイルにデータがありません（空の表です）。")
    first = next(records, None)
    if first is None:
        raise ImportFileError("見出し行のほかにデータの行がありません。")
    headers = [_header_text(cell) for cell in header[1]]
    while headers and not headers[-1]:
        headers.pop()
    return Table(file_type, encoding, headers, itertools.chain([first], records))


def _header_text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip().lstrip("\ufeff")


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _check_row_count(number: int) -> None:
    if number > MAX_ROWS:
        raise ImportFileError(f"行が多すぎます（上限 {MAX_ROWS:,} 行）。ファイルを分けてください。")
