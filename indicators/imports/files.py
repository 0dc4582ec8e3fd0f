"""Reading an uploaded file into a table of cells (取込ファイルの読み取り), in plain Python.

Accepted: ``.csv`` in UTF-8, UTF-8 with BOM or CP932 (what Japanese Excel writes as "CSV"),
and ``.xlsx`` (its first sheet, read by ``xlsx``). The encoding of a CSV is detected — a BOM
means UTF-8, else UTF-8 if the whole file decodes, else CP932 — unless the user names one. The
``shift_jis`` codec is never used, whatever the user types: it cannot read ①, 髙 or ～, which
CP932 (the Windows code page that Excel writes) can.

Every file is read within the bounds of ``limits``. Anything else is refused with one Japanese
message that says what is wrong and where (the row as Excel numbers it) — while the file is
opened *and* while its rows are read, since rows are read as they are consumed: an empty or
oversized file, a binary file or an XLSX renamed ``.csv``, UTF-16, a line in neither encoding,
UTF-8 and CP932 lines mixed in one file (copy-pasted from two sources), and text that CP932
reads only as mojibake. A CSV quote left open is refused rather than allowed to swallow the
rows after it (see ``_csv_rows``).
"""

import codecs
import csv
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from indicators.imports import limits

CSV, XLSX = "csv", "xlsx"
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
_ZIP_MAGIC = b"PK\x03\x04"
_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in UTF-8 or CP932 text
_DOS_EOF = b"\x1a"  # Ctrl-Z: old DOS and Windows tools end a text file with it
_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# What EUC-JP, Latin-1 and other 8-bit text turns into when read as CP932: half-width katakana
# (bytes 0xA1–0xDF) and the user-defined area (外字, 0xF040–0xF9FC → private use).
_MOJIBAKE = re.compile(r"[\uff61-\uff9f\ue000-\uf8ff]+")
# The lines csv wants, breaks kept; a run of empty lines as one (a character class repeated:
# a nested repeat would take 50 times as long).
_LINE_OR_RUN = re.compile(r"(?P<run>[\r\n]{2,})|[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
_LINE_BREAK = re.compile(r"\r\n?|\n")
_BREAK = re.compile(r"[\r\n]")
_QUOTED = re.compile(r'"(?:[^"]|"")*("?)')
# Anything these raise while a file is read is the file's fault: a message, never a 500.
_UNREADABLE = (
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    ArithmeticError,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    zipfile.BadZipFile,
    zlib.error,
    csv.Error,
)

Cell = Any  # str from a CSV; str, Decimal, datetime, bool or None from an XLSX


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
            f"文字コード「{shown(name)}」には対応していません（UTF-8 か Shift_JIS（CP932））。"
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


def check_size(size: int, max_bytes: int) -> None:
    """Refuse a file larger than the limit, before it is read (the admin and the command ask
    with the upload's or the file's size, then the reader asks again with the bytes)."""
    if size > max_bytes:
        raise ImportFileError(
            f"ファイルが大きすぎます（{megabytes(size)}）。"
            f"上限は {megabytes(max_bytes)} です。ファイルを分けて取り込んでください。"
        )


def read_table(
    data: bytes, file_name: str, *, encoding: str | None = None, max_bytes: int
) -> Table:
    """The file's header row and data rows (rows with no value at all are left out)."""
    check_size(len(data), max_bytes)
    file_type = file_type_of(file_name)
    if file_type == CSV:
        data = data.rstrip(_DOS_EOF)
    if not data or data.isspace():
        raise ImportFileError("ファイルが空です。")
    if file_type == XLSX:
        from indicators.imports import xlsx  # openpyxl's helpers load only for an XLSX

        return _table(XLSX, None, _bounded(xlsx.records(data, max_text=max_bytes)))
    codec, records = _csv_records(data, canonical_encoding(encoding))
    return _table(CSV, codec, _bounded(records))


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def shown(text: object, limit: int = 20) -> str:
    """A cell's text as a message quotes it: short, on one line."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[:limit] + "…"


# --- CSV ------------------------------------------------------------------------------------
def _csv_records(data: bytes, encoding: str | None) -> tuple[str, Iterator[Record]]:
    _refuse_binary(data)
    codec, text = _decode(data, encoding)
    if codec == CP932:
        _refuse_mojibake(text)
    first_line = text[:65536].split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    return codec, _csv_rows(text, delimiter)


class _LineFeed:
    """The text's lines with their breaks, as ``csv.reader`` wants them, one at a time (a
    StringIO would copy the text at 4 bytes a character), and a run of empty lines as one item:
    csv reads it as one blank record (or as part of a quoted cell), so 5,000,000 empty lines
    cost one step, not 5,000,000. Says where the last item ended and how many records a run
    stood for."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.end = 0  # where the last item given ends
        self.run = 1  # the empty lines the last item holds (1 for any other line)

    def __iter__(self) -> Iterator[str]:
        for match in _LINE_OR_RUN.finditer(self.text):
            item = match.group()
            self.end = match.end()
            if match.lastgroup == "run":
                self.run = item.count("\n") + item.count("\r") - item.count("\r\n")
            else:
                self.run = 1
            yield item


def _refuse_wide_lines(text: str, delimiter: str) -> None:
    """A line with a value after MAX_COLUMNS delimiters is refused before csv splits it:
    100,000 two-letter cells would take ~60 bytes each. Trailing delimiters (Excel's used range)
    do not count; a delimiter inside quotes does (no note holds a thousand commas). Such a line
    is at least MAX_COLUMNS long, so it holds a multiple of MAX_COLUMNS: only the lines around
    those positions are looked at (a 10 MB file: 10,000 looks, not a scan per line)."""
    step = limits.MAX_COLUMNS
    position, after = step, 0  # after: where the line last looked at ended
    while position < len(text):
        start = max(text.rfind("\n", after, position), text.rfind("\r", after, position), after - 1)
        start += 1
        end = _line_end(text, position)
        if end - start >= step:
            line = text[start:end].rstrip(f" \t{delimiter}")
            if line.count(delimiter) >= step:
                number = text.count("\n", 0, start) + 1
                raise ImportFileError(
                    f"{number}行目：列が多すぎます"
                    f"（{line.count(delimiter) + 1:,}列。上限 {step:,}列）。"
                )
        position, after = max(position + step, end + 1), end + 1


def _line_end(text: str, start: int) -> int:
    end = _BREAK.search(text, start)
    return end.start() if end else len(text)


def _csv_rows(text: str, delimiter: str) -> Iterator[Record]:
    """Rows as csv reads them, strictly: a quote must close, and be followed by a delimiter.

    A cell may hold line breaks (Excel writes a note typed with Alt+Enter so), but a line inside
    a cell that splits at the delimiter into as many cells as the header is a row that a quote
    left open has swallowed: refused, naming the row and column where the quote opened, like a
    quote still open at the end of the file or a closing quote followed by more text."""
    _refuse_wide_lines(text, delimiter)
    feed = _LineFeed(text)
    reader = csv.reader(feed, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    number = items = start = 0  # the last record's number, items read, where the next begins
    try:
        for record in reader:
            if not any(record):  # blank lines, or a line of delimiters: cheap, may be millions
                number, items, start = number + feed.run, reader.line_num, feed.end
                continue
            number += 1
            if max(map(len, record)) > limits.MAX_CELL_CHARS:
                raise ImportFileError(_too_long(number))
            if header is None:
                if any(cell.strip() for cell in record):
                    header = record
            elif reader.line_num - items > 1:
                _refuse_swallowed_rows(number, record, header, delimiter)
            items, start = reader.line_num, feed.end
            yield number, record
    except csv.Error as error:
        column = _quote_column(text, start, delimiter)
        raise ImportFileError(_csv_error(number + 1, column, header, str(error))) from None


def _refuse_swallowed_rows(
    number: int, record: list[str], header: list[str], delimiter: str
) -> None:
    width = _width(header)
    if width < 3:  # too few columns to tell a row from text
        return
    for position, cell in enumerate(record):
        for line in _LINE_BREAK.split(cell)[1:]:
            if line.count(delimiter) + 1 >= width:
                raise ImportFileError(
                    f"{number}行目「{_column_name(header, position)}」："
                    '「"」で始まるセルが閉じられていないため、次の行'
                    f"（「{shown(line)}」）からを1つのセルとして読んでしまいます。"
                    '「"」を閉じるか、消してください。'
                )


def _quote_column(text: str, start: int, delimiter: str) -> int | None:
    """The column of the record at ``start`` whose quote does not close, or closes before
    more text; None if none does (then csv failed for another reason)."""
    unquoted = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    position, column, end = start, 0, len(text)
    while position < end:
        if text[position] == '"':
            match = _QUOTED.match(text, position)
            assert match is not None  # the pattern matches any text starting with a quote
            position = match.end()
            if not match.group(1) or (position < end and text[position] not in delimiter + "\r\n"):
                return column
        position = unquoted.match(text, position).end()  # type: ignore[union-attr]
        if position >= end or text[position] != delimiter:
            return None
        position, column = position + 1, column + 1
    return None


def _csv_error(number: int, column: int | None, header: list[str] | None, error: str) -> str:
    if "field larger than field limit" in error:
        return _too_long(number)
    where = f"{number}行目" + (f"「{_column_name(header, column)}」" if column is not None else "")
    if "unexpected end of data" in error:
        return (
            f'{where}：「"」で始まるセルが閉じられないまま、ファイルが終わっています。'
            '「"」を閉じるか、消してください。'
        )
    if "expected after" in error:
        return (
            f'{where}：「"」で囲んだセルの閉じる「"」のあとに文字があります。'
            'セルの中の「"」は「""」と2つ重ねて書いてください。'
        )
    return f"{where}：CSV として読めません。"


def _column_name(header: list[str] | None, position: int) -> str:
    if header and position < len(header) and header[position].strip():
        return header[position].strip().lstrip("\ufeff")
    return f"{position + 1}列目"


def _too_long(number: int) -> str:
    return (
        f"{number}行目：セルの文字が多すぎます（1つのセルに {limits.MAX_CELL_CHARS:,} 文字まで）。"
    )


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


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    """The codec and the text: the named codec, else a BOM's, else UTF-8 if the whole file
    decodes (decoded once), else CP932."""
    detected = encoding is None
    codec = encoding or (UTF8_BOM if data.startswith(codecs.BOM_UTF8) else UTF8)
    if detected and codec == UTF8:
        try:
            return UTF8, data.decode(UTF8)
        except UnicodeDecodeError:
            codec = CP932
            _refuse_mixed(data)
    try:
        return codec, data.decode(codec)
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start)
        hint = (
            "UTF-8 でも Shift_JIS（CP932）でもない文字があります"
            if detected and codec == CP932
            else f"{ENCODING_LABELS[codec]} として読めない文字があります"
            "（文字コードの指定を確かめてください）"
        )
        raise ImportFileError(f"{line}行目：{hint}。") from None


def _refuse_mixed(data: bytes) -> None:
    """A CP932 file in which some lines are UTF-8: CP932 would read them as mojibake."""
    utf8_line = cp932_line = None
    line, position = 1, 0
    for match in _NON_ASCII_LINE.finditer(data):
        line += data.count(b"\n", position, match.start())
        position = match.start()
        try:
            match.group().decode(UTF8)
        except UnicodeDecodeError:
            cp932_line = cp932_line or line
        else:
            utf8_line = utf8_line or line
        if utf8_line and cp932_line:
            raise ImportFileError(
                f"文字コードが混在しています：{utf8_line}行目は UTF-8、{cp932_line}行目は"
                " Shift_JIS（CP932）です。どちらか一方で保存し直してください。"
            )


def _refuse_mojibake(text: str) -> None:
    """Text that CP932 reads mostly into half-width katakana and private-use characters is
    another encoding (EUC-JP: 速報値です → ﾂｮﾊ…; Latin-1: Ä → ﾄ), not what a department typed:
    refused when at least half of the non-ASCII characters are such. A Japanese header alone
    outweighs a few genuine half-width katakana notes; a file that really is mostly half-width
    katakana can be saved as UTF-8, which is never ambiguous."""
    first = _MOJIBAKE.search(text)
    if first is None:
        return
    suspect = sum(len(m.group()) for m in _MOJIBAKE.finditer(text))
    non_ascii = sum(len(m.group()) for m in _NON_ASCII.finditer(text))
    if suspect * 2 >= non_ascii:
        line = text.count("\n", 0, first.start()) + 1
        raise ImportFileError(
            f"{line}行目：Shift_JIS（CP932）として読むと文字化けします"
            f"（「{shown(text[first.start() : first.start() + 10])}」）。"
            "EUC-JP など別の文字コードのファイルのようです。"
            "「CSV UTF-8（コンマ区切り）」で保存し直してください。"
        )


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


# --- both -----------------------------------------------------------------------------------
def _bounded(records: Iterator[Record]) -> Iterator[Record]:
    """The rows with a value, trimmed after their last value, within the row, column and cell
    bounds; whatever fails while the file is read becomes one ImportFileError, also when the
    rows are read late (the checks consume them)."""
    rows = cells = number = 0
    try:
        for number, record in records:
            last = record[-1] if record else None
            if last is not None and (not isinstance(last, str) or last.strip()):
                width = len(record)  # the usual row: its last cell has a value
            else:
                width = _width(record)
            if not width:
                continue  # blank rows do not count toward the bounds
            if width > limits.MAX_COLUMNS:
                raise ImportFileError(
                    f"{number}行目：列が多すぎます（{width:,}列目に値があります。"
                    f"上限 {limits.MAX_COLUMNS:,}列）。"
                )
            rows, cells = rows + 1, cells + width
            if rows > limits.MAX_ROWS:
                raise ImportFileError(
                    f"行が多すぎます（上限 {limits.MAX_ROWS:,} 行）。ファイルを分けてください。"
                )
            if cells > limits.MAX_CELLS:
                raise ImportFileError(
                    f"セルが多すぎます（上限 {limits.MAX_CELLS:,} 個）。ファイルを分けてください。"
                )
            yield number, record if width == len(record) else record[:width]
    except ImportFileError:
        raise
    except _UNREADABLE:
        raise ImportFileError(
            f"{number + 1}行目のあたりでファイルが読めなくなりました（壊れたファイルのようです）。"
        ) from None


def _width(record: list[Cell]) -> int:
    """The columns up to the last with a value."""
    for position in range(len(record) - 1, -1, -1):
        if not _blank(record[position]):
            return position + 1
    return 0


def _table(file_type: str, encoding: str | None, records: Iterator[Record]) -> Table:
    """The first row with a value is the header; there must be a data row after it."""
    header = next(records, None)
    if header is None:
        raise ImportFileError("ファイルにデータがありません（空の表です）。")
    first = next(records, None)
    if first is None:
        raise ImportFileError("見出し行のほかにデータの行がありません。")
    headers = [_header_text(cell) for cell in header[1]]
    return Table(file_type, encoding, headers, itertools.chain([first], records))


def _header_text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip().lstrip("\ufeff")


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
