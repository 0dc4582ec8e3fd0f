"""The first sheet of an ``.xlsx``, read as a stream within the bounds of ``limits``.

Why not openpyxl, which writes our templates: in read-only mode it pads every row to the
sheet's *declared* dimension (a 1.7 KB file declaring ``A1:XFD1048576`` is a million rows of
16,384 cells), builds a whole row before anyone can count its cells (one row of 3,000,000 cells:
1.4 GB), loads every shared string when the workbook opens (one of 200 MB), and fails with a
dozen exception types while the rows are read. Checking the zip members' sizes first would not
fix the first three. So the few parts a table needs — the workbook and its relationships, the
cell formats, the shared strings, the first worksheet — are read here from the zip in
``CHUNK_BYTES`` pieces, their bytes, elements and characters counted as they come, and fed to
defusedxml's parser with DTDs forbidden (an OOXML part never has one: no entity expansion, no
external entity). Cells are placed by their reference, so a gap of a million rows costs
nothing; the declared dimension and counts are never read.

Values are what openpyxl's read-only, data-only mode gives — numbers as Decimal (0.302 shown as
30.2% is 30.2, as Excel shows it), text, dates as datetime, booleans — except that a formula
without a saved result, a number that is not one, or a reference to a string or format that is
not there is an error naming the cell, not a blank or a 500.
"""

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

from indicators.imports import limits
from indicators.imports.files import Cell, ImportFileError, Record, megabytes, shown

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, and password-protected .xlsx
_END_OF_DIRECTORY = b"PK\x05\x06"
_NAMESPACES = (
    "",
    "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}",
    "{http://purl.oclc.org/ooxml/spreadsheetml/main}",  # ISO strict
    "{http://schemas.openxmlformats.org/package/2006/relationships}",
)
_NAMES = "row c v f is t r rPh si sheet workbookPr numFmt cellXfs xf Relationship".split()  # noqa: SIM905
# The elements read, by their name as the parser reports it: any other is skipped unlooked-at.
_LOCAL = {namespace + name: name for namespace in _NAMESPACES for name in _NAMES}
_ID = "id"  # r:id, in either relationships namespace
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
_INTEGER = re.compile(r"[+-]?[0-9]{1,30}")
_CJK_DATE_FORMATS = frozenset([*range(27, 37), *range(50, 59)])  # Japanese Excel's built-ins
_PERCENT, _DATE, _DURATION = "percent", "date", "duration"
_MAX_ROW = 1_048_576
_MAX_SHEETS = 1_000  # the first worksheet among the first thousand sheets


def records(data: bytes, *, max_text: int) -> Iterator[Record]:
    """(row number, cells) of the first worksheet's rows that have cells; ``max_text``
    characters of text cells in all."""
    book = _open(data)
    with book:
        workbook = _office_document(book)
        sheet_ids, epoch = _workbook(book, workbook)
        rels = _relationships(book, workbook, wanted=set(sheet_ids))
        sheet = next((rels.worksheets[i] for i in sheet_ids if i in rels.worksheets), None)
        if sheet is None:
            raise _unreadable("ブックにシート（ワークシート）がありません")
        text = _TextBudget(max_text)
        strings = _shared_strings(book, rels.shared_strings, text) if rels.shared_strings else []
        formats = _cell_formats(book, rels.styles) if rels.styles else []
        reader = _SheetReader(strings, formats, epoch, text)
        for _ in _parse(book, sheet, reader, where=reader.where):
            ready, reader.ready = reader.ready, []
            yield from ready


# --- the zip --------------------------------------------------------------------------------
def _open(data: bytes) -> zipfile.ZipFile:
    if data.startswith(_OLE_MAGIC):
        raise ImportFileError(
            "パスワード付きの Excel ファイルか、古い .xls 形式のファイルです。"
            "パスワードを外して .xlsx で保存し直してください。"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise ImportFileError("Excel（.xlsx）のファイルとして読めません。")
    _check_directory(data)
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _unreadable("ZIP として壊れています") from None
    if len(book.infolist()) > limits.MAX_ZIP_MEMBERS:
        raise _too_many_members(len(book.infolist()))
    return book


def _check_directory(data: bytes) -> None:
    """The zip's directory is read whole when it opens: its declared size and count first."""
    end = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return  # zipfile says what is wrong
    members = int.from_bytes(data[end + 10 : end + 12], "little")
    size = int.from_bytes(data[end + 12 : end + 16], "little")
    if members != 0xFFFF and members > limits.MAX_ZIP_MEMBERS:
        raise _too_many_members(members)
    if size != 0xFFFFFFFF and size > limits.MAX_ZIP_DIRECTORY_BYTES:
        raise _too_many_members(size // 46)  # 46 bytes: the smallest directory entry


def _too_many_members(count: int) -> ImportFileError:
    return ImportFileError(
        f"Excel ファイルの中のファイルが多すぎます（{count:,}個。"
        f"上限 {limits.MAX_ZIP_MEMBERS:,}個）。Excel で開いて保存し直してください。"
    )


def _unreadable(why: str) -> ImportFileError:
    return ImportFileError(
        f"Excel（.xlsx）のファイルとして読めません：{why}。"
        "Excel で開いて「Excel ブック（.xlsx）」として保存し直してください。"
    )


def _parse(book: zipfile.ZipFile, name: str, target: Any, *, where: Any = None) -> Iterator[None]:
    """Feed part ``name`` to ``target`` chunk by chunk, yielding after each chunk (a sheet's
    finished rows are taken then). Its size is checked before it is opened and counted while it
    is read; no stretch without a ``>`` may pass MAX_TOKEN_BYTES, so the parser never buffers
    more than that."""
    try:
        info = book.getinfo(name)
    except KeyError:
        raise _unreadable(f"{name} がありません") from None
    if info.file_size > limits.MAX_PART_BYTES:
        raise _part_too_large(name, info.file_size)
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    size = since_tag_end = 0
    try:
        with book.open(info) as stream:
            while chunk := stream.read(limits.CHUNK_BYTES):
                size += len(chunk)
                if size > limits.MAX_PART_BYTES:
                    raise _part_too_large(name, size)
                since_tag_end = _check_token(name, chunk, since_tag_end)
                parser.feed(chunk)
                yield
        parser.close()
    except DefusedXmlException:
        raise _unreadable(
            f"{name} に DTD（実体の宣言）があります。Excel が作るファイルにはないもので、"
            "安全のため読みません"
        ) from None
    except ParseError:
        place = f"（{where()}）" if where else ""
        raise _unreadable(f"{name} の XML が壊れています{place}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise _unreadable(f"{name} が壊れています（ZIP の展開に失敗しました）") from None
    except (NotImplementedError, RuntimeError):  # another compression, or an encrypted member
        raise _unreadable(f"{name} の圧縮方式には対応していません") from None
    yield


def _check_token(name: str, chunk: bytes, since_tag_end: int) -> int:
    first, last = chunk.find(b">"), chunk.rfind(b">")
    if first < 0:
        since_tag_end += len(chunk)
    elif since_tag_end + first > limits.MAX_TOKEN_BYTES:
        since_tag_end = limits.MAX_TOKEN_BYTES + 1
    else:
        since_tag_end = len(chunk) - last - 1
    if since_tag_end > limits.MAX_TOKEN_BYTES:
        raise _unreadable(
            f"{name} に {megabytes(limits.MAX_TOKEN_BYTES)} を超える XML の要素か文字列があります"
        )
    return since_tag_end


def _part_too_large(name: str, size: int) -> ImportFileError:
    return ImportFileError(
        f"Excel ファイルの中身が大きすぎます：{name} は展開すると {megabytes(size)} 以上です"
        f"（上限 {megabytes(limits.MAX_PART_BYTES)}）。ファイルを分けて取り込んでください。"
    )


class _Target:
    """A parser target counting its elements: no part holds more than MAX_XML_ELEMENTS."""

    part = ""

    def __init__(self) -> None:
        self.elements = 0

    def count(self) -> None:
        self.elements += 1
        if self.elements > limits.MAX_XML_ELEMENTS:
            raise ImportFileError(
                f"Excel ファイルの中身が大きすぎます：{self.part}の XML の要素が"
                f" {limits.MAX_XML_ELEMENTS:,} 個を超えています。"
                "ファイルを分けて取り込んでください。"
            )


# --- the workbook: which part is the first sheet, which are the strings and formats -----------
class _Rels(_Target):
    part = "関係（.rels）"

    def __init__(self, wanted: set[str]) -> None:
        super().__init__()
        self.wanted = wanted
        self.office_document = ""
        self.worksheets: dict[str, str] = {}
        self.shared_strings = self.styles = ""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.count()
        if _LOCAL.get(tag) != "Relationship" or attrib.get("TargetMode") == "External":
            return
        kind, target = attrib.get("Type", ""), attrib.get("Target", "")
        kind = kind.rpartition("/")[2]
        if kind == "officeDocument":
            self.office_document = self.office_document or target
        elif kind == "worksheet" and attrib.get("Id") in self.wanted:
            self.worksheets[attrib["Id"]] = target
        elif kind == "sharedStrings":
            self.shared_strings = self.shared_strings or target
        elif kind == "styles":
            self.styles = self.styles or target


def _office_document(book: zipfile.ZipFile) -> str:
    if "_rels/.rels" not in book.namelist():
        return "xl/workbook.xml"
    rels = _Rels(set())
    for _ in _parse(book, "_rels/.rels", rels):
        pass
    return _resolve("", rels.office_document or "xl/workbook.xml")


def _resolve(folder: str, target: str) -> str:
    """A relationship's target as a member name: relative to the source part's folder, or
    absolute from the package's root."""
    path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(path).lstrip("/")


class _Workbook(_Target):
    part = "ブック"

    def __init__(self) -> None:
        super().__init__()
        self.sheet_ids: list[str] = []
        self.date1904 = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.count()
        name = _LOCAL.get(tag)
        if name == "sheet" and len(self.sheet_ids) < _MAX_SHEETS:
            self.sheet_ids.append(next((v for k, v in attrib.items() if k.endswith("}id")), ""))
        elif name == "workbookPr":
            self.date1904 = attrib.get("date1904", "").lower() in {"1", "true"}


def _workbook(book: zipfile.ZipFile, name: str) -> tuple[list[str], datetime]:
    workbook = _Workbook()
    for _ in _parse(book, name, workbook):
        pass
    if not workbook.sheet_ids:
        raise _unreadable("ブックにシートがありません")
    return workbook.sheet_ids, MAC_EPOCH if workbook.date1904 else WINDOWS_EPOCH


class _WorkbookRels:
    def __init__(self, rels: _Rels, folder: str) -> None:
        self.worksheets = {k: _resolve(folder, v) for k, v in rels.worksheets.items()}
        self.shared_strings = rels.shared_strings and _resolve(folder, rels.shared_strings)
        self.styles = rels.styles and _resolve(folder, rels.styles)


def _relationships(book: zipfile.ZipFile, workbook: str, *, wanted: set[str]) -> _WorkbookRels:
    folder, file = posixpath.split(workbook)
    rels = _Rels(wanted)
    for _ in _parse(book, posixpath.join(folder, "_rels", f"{file}.rels"), rels):
        pass
    return _WorkbookRels(rels, folder)


class _TextBudget:
    """Characters of text cells, in all: no more than a CSV of the allowed size holds."""

    def __init__(self, limit: int) -> None:
        self.limit, self.used = limit, 0

    def spend(self, characters: int) -> None:
        self.used += characters
        if self.used > self.limit:
            raise ImportFileError(
                "Excel ファイルの文字が多すぎます"
                f"（文字列のセルに合わせて {self.limit:,} 文字まで）。"
                "ファイルを分けて取り込んでください。"
            )


class _SharedStrings(_Target):
    """The shared strings (xl/sharedStrings.xml), rich text runs joined, phonetic guides
    (ふりがな, <rPh>) left out, as Excel shows the cell."""

    part = "共有文字列"

    def __init__(self, text: _TextBudget) -> None:
        super().__init__()
        self.text = text
        self.strings: list[str] = []
        self.pieces: list[str] | None = None  # the <si> being read, if any
        self.parts: list[str] | None = None  # its <t> being read, if any
        self.length = 0
        self.phonetic = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.count()
        name = _LOCAL.get(tag)
        if name == "si":
            if len(self.strings) >= limits.MAX_SHARED_STRINGS:
                raise ImportFileError(
                    "Excel ファイルの文字列が多すぎます"
                    f"（上限 {limits.MAX_SHARED_STRINGS:,} 種類）。"
                    "ファイルを分けて取り込んでください。"
                )
            self.pieces, self.length = [], 0
        elif name == "t" and not self.phonetic:
            self.parts = self.pieces
        elif name == "rPh":
            self.phonetic = True

    def data(self, text: str) -> None:
        if self.parts is not None:
            self.length += len(text)
            if self.length > limits.MAX_CELL_CHARS:
                raise ImportFileError(
                    "Excel ファイルに長すぎる文字列があります"
                    f"（1つのセルに {limits.MAX_CELL_CHARS:,} 文字まで）。"
                )
            self.parts.append(text)

    def end(self, tag: str) -> None:
        name = _LOCAL.get(tag)
        if name == "t":
            self.parts = None
        elif name == "rPh":
            self.phonetic = False
        elif name == "si" and self.pieces is not None:
            self.text.spend(self.length)
            self.strings.append("".join(self.pieces))
            self.pieces = None


def _shared_strings(book: zipfile.ZipFile, name: str, text: _TextBudget) -> list[str]:
    strings = _SharedStrings(text)
    for _ in _parse(book, name, strings):
        pass
    return strings.strings


class _CellFormats(_Target):
    """Per cell format (xl/styles.xml cellXfs) what its number format makes of a number."""

    part = "書式"

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[int, str] = {}
        self.format_ids: list[int] = []
        self.in_cell_formats = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.count()
        name = _LOCAL.get(tag)
        if name == "numFmt" and len(self.codes) < limits.MAX_CELL_FORMATS:
            self.codes[_format_id(attrib.get("numFmtId"))] = attrib.get("formatCode", "")
        elif name == "cellXfs":
            self.in_cell_formats = True
        elif name == "xf" and self.in_cell_formats:
            if len(self.format_ids) >= limits.MAX_CELL_FORMATS:
                raise _unreadable(f"書式が {limits.MAX_CELL_FORMATS:,} 個を超えています")
            self.format_ids.append(_format_id(attrib.get("numFmtId", "0")))

    def end(self, tag: str) -> None:
        if _LOCAL.get(tag) == "cellXfs":
            self.in_cell_formats = False

    def kinds(self) -> list[str | None]:
        return [self._kind(i) for i in self.format_ids]

    def _kind(self, format_id: int) -> str | None:
        if format_id in _CJK_DATE_FORMATS and format_id not in self.codes:
            return _DATE
        code = self.codes.get(format_id) or BUILTIN_FORMATS.get(format_id, "General")
        if "%" in code:
            return _PERCENT
        if is_timedelta_format(code):
            return _DURATION
        return _DATE if is_date_format(code) else None


def _format_id(text: str | None) -> int:
    if text is None or not _INTEGER.fullmatch(text):
        raise _unreadable(f"書式の番号「{shown(text)}」が不正です")
    return int(text)


def _cell_formats(book: zipfile.ZipFile, name: str) -> list[str | None]:
    formats = _CellFormats()
    for _ in _parse(book, name, formats):
        pass
    return formats.kinds()


# --- the sheet ------------------------------------------------------------------------------
_COLUMN_INDEX: dict[str, int] = {}


def _column_index(letters: str) -> int:
    """ "A" → 1, "XFD" → 16384; 0 for anything else."""
    index = _COLUMN_INDEX.get(letters)
    if index is None:
        index = 0
        if 1 <= len(letters) <= 3 and letters.isascii() and letters.isupper():
            for letter in letters:
                index = index * 26 + ord(letter) - 64
        if not 1 <= index <= 16_384:
            return 0
        _COLUMN_INDEX[letters] = index  # at most 16,384 entries
    return index


def column_letters(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _handlers(**handlers: Any) -> dict[str, Any]:
    """Handlers by element name as the parser reports it ("{namespace}c")."""
    return {ns + name: h for ns in _NAMESPACES for name, h in handlers.items()}


class _SheetReader(_Target):
    """Rows of a worksheet as the parser reaches their end, placed by their references. Every
    element passes through here (a sheet of 200,000 rows has ~3,000,000): dispatch by table."""

    part = "シート"

    def __init__(
        self, strings: list[str], formats: list[str | None], epoch: datetime, text: _TextBudget
    ) -> None:
        super().__init__()
        self.strings, self.formats, self.epoch, self.text = strings, formats, epoch, text
        self.ready: list[Record] = []
        self.row = 0
        self.values: dict[int, Cell] = {}
        self.cells = 0
        self.column = 0
        self.kind: str | None = None
        self.style = "0"
        self.formula = False
        self.value: list[str] | None = None  # the <v> of the cell, if any
        self.inline: list[str] | None = None  # the <is> of the cell, if any
        self.parts: list[str] | None = None  # the text being read, if any
        self.length = 0
        self.phonetic = False
        self._starts = _handlers(
            c=self._start_cell,
            v=self._start_value,
            t=self._start_text,
            f=self._start_formula,
            rPh=self._start_phonetic,
            row=self._start_row,
            **{"is": self._start_inline},
        )
        self._ends = _handlers(
            c=self._end_cell, v=self._end_text, t=self._end_text, rPh=self._end_phonetic
        )
        self._ends.update(_handlers(row=self._end_row))

    def where(self) -> str:
        return f"{self.row}行目のあたり" if self.row else "先頭"

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > limits.MAX_XML_ELEMENTS:
            self.count()
        handler = self._starts.get(tag)
        if handler is not None:
            handler(attrib)

    def end(self, tag: str) -> None:
        handler = self._ends.get(tag)
        if handler is not None:
            handler()

    def data(self, text: str) -> None:
        if self.parts is not None:
            self.length += len(text)
            if self.length > limits.MAX_CELL_CHARS:
                raise self._error(
                    f"セルの文字が多すぎます（1つのセルに {limits.MAX_CELL_CHARS:,} 文字まで）"
                )
            self.parts.append(text)

    # --- elements -------------------------------------------------------------------------------
    def _start_row(self, attrib: dict[str, str]) -> None:
        reference = attrib.get("r")
        if reference is None:
            row = self.row + 1
        elif reference.isdigit() and reference.isascii() and len(reference) < 8:
            row = int(reference)
        else:
            row = 0
        if not self.row < row <= _MAX_ROW:
            raise ImportFileError(
                f"{self.row + 1}行目のあたり：行番号「{shown(reference)}」が不正です"
                "（壊れたファイルです）。"
            )
        self.row, self.column = row, 0

    def _end_row(self) -> None:
        if self.values:
            cells: list[Cell] = [None] * max(self.values)
            for column, value in self.values.items():
                cells[column - 1] = value
            self.ready.append((self.row, cells))
            self.values = {}

    def _start_cell(self, attrib: dict[str, str]) -> None:
        self.cells += 1
        if self.cells > limits.MAX_CELLS:
            raise ImportFileError(
                f"セルが多すぎます（上限 {limits.MAX_CELLS:,} 個）。ファイルを分けてください。"
            )
        reference = attrib.get("r")
        if reference is None:
            column = self.column + 1
        else:
            column = _column_index(reference.rstrip("0123456789"))
            if column <= self.column:  # 0: not a reference; else out of order
                raise ImportFileError(
                    f"{self.row}行目：セルの位置「{shown(reference)}」が不正です"
                    "（壊れたファイルです）。"
                )
        self.column = column
        self.kind = attrib.get("t")
        self.style = attrib.get("s", "0")
        self.formula = False
        self.value = self.inline = None

    def _end_cell(self) -> None:
        value = self._value()
        if value is not None:
            if self.column > limits.MAX_COLUMNS:
                raise ImportFileError(
                    f"{self.row}行目：列が多すぎます（{column_letters(self.column)}列に値が"
                    f"あります。上限 {limits.MAX_COLUMNS:,}列）。"
                )
            self.values[self.column] = value

    def _start_value(self, attrib: dict[str, str]) -> None:
        self.value = self.parts = []
        self.length = 0

    def _start_inline(self, attrib: dict[str, str]) -> None:
        self.inline, self.length = [], 0

    def _start_text(self, attrib: dict[str, str]) -> None:
        if self.inline is not None and not self.phonetic:
            self.parts = self.inline

    def _end_text(self) -> None:
        self.parts = None

    def _start_formula(self, attrib: dict[str, str]) -> None:
        self.formula = True

    def _start_phonetic(self, attrib: dict[str, str]) -> None:
        self.phonetic = True

    def _end_phonetic(self) -> None:
        self.phonetic = False

    # --- values ---------------------------------------------------------------------------------
    def _value(self) -> Cell:
        kind = self.kind
        if self.value is None:
            if kind == "inlineStr":
                text = "".join(self.inline or [])
                self.text.spend(len(text))
                return text
            if self.formula:
                raise self._error(
                    "数式の計算結果が保存されていません。Excel で開いて上書き保存してから"
                    "取り込んでください（計算結果を保存しないソフトで作られたファイルです）"
                )
            return None
        value = "".join(self.value)
        if kind is None or kind == "n":
            return self._number(value.strip())
        if kind == "s":
            index = int(value) if _INTEGER.fullmatch(value.strip()) else -1
            if not 0 <= index < len(self.strings):
                raise self._broken(f"文字列の番号「{shown(value)}」がありません")
            return self.strings[index]
        if kind in {"str", "e", "inlineStr"}:  # a formula's text, an error such as #DIV/0!
            self.text.spend(len(value))
            return value
        if kind == "b":
            if value.strip() not in {"0", "1"}:
                raise self._broken(f"真偽値のセルの値「{shown(value)}」が不正です")
            return value.strip() == "1"
        if kind == "d":
            try:
                return datetime.fromisoformat(value.strip())
            except ValueError:
                message = f"日付のセルの値「{shown(value)}」を日付として読めません"
                raise self._error(message) from None
        raise self._broken(f"セルの種類「{shown(kind)}」が不明です")

    def _number(self, value: str) -> Cell:
        if _INTEGER.fullmatch(value):
            number = Decimal(int(value))
        elif _NUMBER.fullmatch(value):
            number = Decimal(repr(float(value)))
            if not number.is_finite():
                raise self._error(f"数値のセルの値「{shown(value)}」が大きすぎます")
        else:
            raise self._broken(f"数値のセルに数値でない値「{shown(value)}」があります")
        kind = self._format()
        if kind is None:
            return number
        if kind == _PERCENT:
            return (number * 100).normalize()
        try:
            return from_excel(float(number), self.epoch, timedelta=kind == _DURATION)
        except (OverflowError, ValueError):
            message = f"日付のセルの値「{shown(value)}」が日付の範囲を超えています"
            raise self._error(message) from None

    def _format(self) -> str | None:
        style = self.style
        if style == "0" and not self.formats:  # no styles part: the default format
            return None
        index = int(style) if style.isdigit() and style.isascii() and len(style) < 6 else -1
        if 0 <= index < len(self.formats):
            return self.formats[index]
        raise self._broken(f"書式の番号「{shown(style)}」がありません")

    def _error(self, message: str) -> ImportFileError:
        return ImportFileError(f"{self.row}行目 {column_letters(self.column)}列：{message}。")

    def _broken(self, message: str) -> ImportFileError:
        return self._error(f"{message}（壊れたファイルです）")
