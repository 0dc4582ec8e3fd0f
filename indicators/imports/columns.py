"""The columns of an import file (列), by their Japanese or English header."""

import unicodedata
from dataclasses import dataclass

from indicators.imports.files import ImportFileError, shown
from indicators.models import ImportFormat


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the Japanese header, as templates write it
    english: str
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {header_key(n) for n in (self.label, self.english, *self.aliases)}

    def __str__(self) -> str:
        return f"{self.label}（{self.english}）"


CODE = Column("code", "指標コード", "indicator_code")
NAME = Column("name", "指標名", "indicator_name")
SERIES = Column("series", "系列", "series", ("系列名",))
UNIT = Column("unit", "単位", "unit")  # written by templates for the reader; never read
YEAR = Column("year", "年度", "year", ("年",))
VALUE = Column("value", "実績値", "value")
NOTE = Column("note", "備考", "note")
MEASURE = Column("measure", "施策番号", "measure", ("measure_code",))
SATISFACTION = Column("satisfaction", "満足度", "satisfaction")

ACTUAL_COLUMNS = (CODE, NAME, SERIES, UNIT, YEAR, VALUE, NOTE)
UNKNOWN_NAMED = 5  # unknown columns named in the message; the rest are counted
SURVEY_COLUMNS = (MEASURE, YEAR, SATISFACTION)  # any other column is ignored


def header_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


@dataclass(frozen=True)
class Columns:
    """Where each known column is in the file, and the header as the file writes it."""

    index: dict[str, int]
    header: dict[str, str]

    def label(self, column: Column) -> str:
        return self.header.get(column.key, column.label)


def detect_format(headers: list[str]) -> str:
    """Survey results when the header has 施策番号 and 満足度; actuals otherwise."""
    keys = {header_key(h) for h in headers}
    if MEASURE.names() & keys and SATISFACTION.names() & keys:
        return ImportFormat.SURVEY
    return ImportFormat.ACTUALS


def map_columns(headers: list[str], format: str) -> Columns:
    known = SURVEY_COLUMNS if format == ImportFormat.SURVEY else ACTUAL_COLUMNS
    by_name = {name: column for column in known for name in column.names()}
    index: dict[str, int] = {}
    header: dict[str, str] = {}
    unknown = []
    for position, text in enumerate(headers):
        column = by_name.get(header_key(text))
        if column is None:
            if text and format == ImportFormat.ACTUALS:
                unknown.append(f"「{shown(text)}」（{position + 1}列目）")
            continue
        if column.key in index:
            raise ImportFileError(
                f"列「{column.label}」が2つあります（{index[column.key] + 1}列目と"
                f"{position + 1}列目）。"
            )
        index[column.key], header[column.key] = position, text
    if unknown:
        usable = "、".join(str(c) for c in known if c is not UNIT)
        named = "、".join(unknown[:UNKNOWN_NAMED])
        rest = f"ほか {len(unknown) - UNKNOWN_NAMED:,}列" if len(unknown) > UNKNOWN_NAMED else ""
        raise ImportFileError(f"不明な列があります：{named}{rest}。使える列：{usable}。")
    required = [MEASURE, YEAR, SATISFACTION] if format == ImportFormat.SURVEY else [YEAR, VALUE]
    missing = [str(c) for c in required if c.key not in index]
    if format == ImportFormat.ACTUALS and CODE.key not in index and NAME.key not in index:
        missing.insert(0, f"{CODE}または{NAME}")
    if missing:
        raise ImportFileError(f"列がありません：{'、'.join(missing)}。1行目は列の見出しです。")
    return Columns(index, header)
