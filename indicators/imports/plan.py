"""What an import would do, row by row (the preview), and the file it came from."""

import hashlib
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from indicators.models import ImportFormat, ImportRecord
from kpi import entry_rules
from kpi.numbers import format_number
from kpi.wareki import year_label_with_gregorian


class RowKind:
    PENDING = "pending"  # read, not yet checked against the database
    NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
    BLANK, WARNING, ERROR = "blank", "warning", "error"
    LABELS = {
        NEW: "新規",
        CHANGED: "変更",
        UNCHANGED: "変更なし",
        BLANK: "空欄（取り込まない）",
        WARNING: "警告（取り込まない）",
        ERROR: "エラー",
    }
    WRITTEN = frozenset({NEW, CHANGED})


# The preview page shows at most this many rows of each kind and this many error lines, with
# the counts of the rest: a 10 MB file of 190,000 error rows renders a page of a few hundred
# rows, not 90 MB of HTML, and the preview needs no more memory than the import itself.
PREVIEW_ROWS_PER_KIND = 100
PREVIEW_ERRORS = 200


@dataclass(frozen=True)
class CellError:
    column: str  # the header as the file writes it
    message: str

    def __str__(self) -> str:
        return f"「{self.column}」{self.message}"


@dataclass(frozen=True)
class IndicatorInfo:
    """What the checks need to know about an indicator, loaded once per import."""

    pk: int
    code: str
    name: str
    unit: str
    decimals: int
    period_kind: str
    department_id: int | None
    department: str
    rules: entry_rules.EntryRules
    series: dict[str, int]  # label ("" for the single series) → series id


@dataclass(slots=True, eq=False)
class PlannedRow:
    """One row of the preview: a row of the file (a survey row may give several)."""

    line: int
    kind: str = RowKind.PENDING
    code: str = ""
    name: str = ""
    series_label: str = ""
    measure: str = ""  # survey rows: the 施策番号
    year: int | None = None
    year_text: str = ""
    value_text: str = ""
    new_value: Decimal | None = None
    new_note: str | None = None  # None: the file has no 備考 column, the note stays
    old_value: Decimal | None = None
    old_note: str = ""
    old_status: str = ""
    actual_id: int | None = None  # the stored actual a changed row updates
    indicator: IndicatorInfo | None = None
    series_id: int | None = None
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(CellError(column, message))
        self.kind = RowKind.ERROR

    @property
    def kind_label(self) -> str:
        return RowKind.LABELS[self.kind]

    @property
    def year_display(self) -> str:
        if self.year is None:
            return self.year_text
        period = self.indicator.period_kind if self.indicator else "fiscal"
        return year_label_with_gregorian(self.year, period)

    @property
    def old_display(self) -> str:
        return self._number(self.old_value) if self.old_value is not None else ""

    @property
    def new_display(self) -> str:
        return self._number(self.new_value) if self.new_value is not None else self.value_text

    @property
    def note_changed(self) -> bool:
        return self.new_note is not None and self.new_note != self.old_note

    @property
    def messages(self) -> list[str]:
        return [str(e) for e in self.errors] + self.warnings

    @property
    def located_messages(self) -> list[str]:
        """ "5行目「年度」：…", "7行目：…": each message with its row (and column)."""
        errors = [f"{self.line}行目{e}" for e in self.errors]
        return errors + [f"{self.line}行目：{w}" for w in self.warnings]

    def _number(self, value: Decimal) -> str:
        info = self.indicator
        decimals = max(info.decimals if info else 0, entry_rules.decimal_places(value))
        return format_number(value, decimals, info.unit if info else "")


@dataclass
class ImportPlan:
    file_name: str
    checksum: str
    file_size: int
    file_type: str
    encoding: str | None
    encoding_label: str
    format: str
    rows: list[PlannedRow]
    previous_import: ImportRecord | None = None  # an earlier saved import of the same file
    problems: list[str] = field(default_factory=list)  # errors of the import as a whole

    @cached_property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(RowKind.LABELS, 0)
        for row in self.rows:
            counts[row.kind] += 1
        return counts

    @cached_property
    def warning_rows(self) -> int:
        """Rows that show a warning: not imported (警告), or imported with one (a large change
        from the year before) — the count the preview's summary gives for the rows it shows."""
        return sum(1 for row in self.rows if row.warnings or row.kind == RowKind.WARNING)

    @property
    def year_header(self) -> str:
        """年度, 年 (calendar-year indicators only) or 年（度） for both."""
        periods = {row.indicator.period_kind for row in self.rows if row.indicator}
        if periods == {"calendar"}:
            return "年"
        return "年（度）" if len(periods) > 1 else "年度"

    @property
    def has_errors(self) -> bool:
        return bool(self.problems) or self.counts[RowKind.ERROR] > 0

    @property
    def writes(self) -> int:
        return self.counts[RowKind.NEW] + self.counts[RowKind.CHANGED]

    @property
    def format_label(self) -> str:
        return ImportFormat(self.format).label

    def messages(self) -> list[str]:
        """ "5行目「年度」…": every error and warning, in file order."""
        return [*self.problems, *(m for row in self.rows for m in row.located_messages)]

    def preview(
        self, *, rows_per_kind: int = PREVIEW_ROWS_PER_KIND, errors: int = PREVIEW_ERRORS
    ) -> "PreviewPage":
        """What the preview page shows: the first rows of each kind, in file order, and the
        first error lines, with counts of what is left out."""
        shown = dict.fromkeys(RowKind.LABELS, 0)
        rows = []
        for row in self.rows:
            if shown[row.kind] < rows_per_kind:
                shown[row.kind] += 1
                rows.append(row)
        lines = itertools.chain(
            self.problems,
            (f"{row.line}行目{error}" for row in self.rows for error in row.errors),
        )
        error_lines = list(itertools.islice(lines, errors))
        total_errors = len(self.problems) + sum(len(row.errors) for row in self.rows)
        hidden = {
            RowKind.LABELS[kind]: count - shown[kind]
            for kind, count in self.counts.items()
            if count > shown[kind]
        }
        return PreviewPage(
            rows=rows,
            hidden_rows=hidden,
            errors=error_lines,
            hidden_errors=total_errors - len(error_lines),
        )


@dataclass(frozen=True)
class PreviewPage:
    """A bounded view of an ImportPlan for the admin's preview page."""

    rows: list[PlannedRow]  # the first PREVIEW_ROWS_PER_KIND rows of each kind, in file order
    hidden_rows: dict[str, int]  # kind label → rows not shown
    errors: list[str]  # the first error lines: "5行目「年度」：…"
    hidden_errors: int

    @property
    def hidden_row_count(self) -> int:
        return sum(self.hidden_rows.values())


@dataclass(frozen=True)
class Upload:
    """The bytes of a file and its name as the user had it."""

    name: str
    data: bytes

    @cached_property
    def checksum(self) -> str:
        return hashlib.sha256(self.data).hexdigest()
