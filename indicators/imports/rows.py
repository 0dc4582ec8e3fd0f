"""Rows of a file → PlannedRows: each cell normalised (NFKC for codes, years and numbers only;
names, series labels and notes keep their characters), the indicator and series resolved
through ``Lookups``, which loads only the indicators the file names."""

import itertools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

from django.db.models import Q, QuerySet

from indicators.imports.columns import (
    CODE,
    MEASURE,
    NAME,
    NOTE,
    SATISFACTION,
    SERIES,
    VALUE,
    YEAR,
    Column,
    Columns,
)
from indicators.imports.files import Table, shown
from indicators.imports.plan import IndicatorInfo, PlannedRow, RowKind
from indicators.models import EntryMode, Indicator, Series, Target
from indicators.permissions import (
    APPROVER_EDITABLE,
    AnyUser,
    editable_indicators,
    editable_statuses,
)
from kpi import entry_rules
from kpi.csvsafe import restore_neutralised
from kpi.numbers import is_blank_value
from kpi.wareki import parse_year
from measures.models import ActionPlan, Measure

MAX_VALUE = Decimal(10) ** 12  # Actual.value: 16 digits, 4 of them decimals
MAX_DECIMALS = 4


CHUNK = 1000  # rows resolved together; codes (or primary keys) in one query's IN list

T = TypeVar("T")

# 施策番号 → {first year of a plan with that measure: the indicators linked to it}
Satisfaction = dict[str, dict[int, list[IndicatorInfo]]]


def chunked(items: Iterable[T]) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield chunk


class Lookups:
    """The indicators the file names — by code, by name or through a survey's 施策番号 — with
    their series, rules, baselines and whether the user may enter them, loaded as the rows
    name them (``require``, ``require_measures``): four queries per chunk of new codes, none
    for an indicator the file does not name, however many the database holds."""

    def __init__(
        self,
        *,
        scope: QuerySet[Indicator] | None,
        statuses: frozenset[str],
        fallback_last: int | None,
        today: date,
    ) -> None:
        self.by_code: dict[str, IndicatorInfo] = {}
        self.by_name: dict[str, list[IndicatorInfo]] = {}  # the names asked for only
        self.by_pk: dict[int, IndicatorInfo] = {}
        self.editable: set[int] | None = None if scope is None else set()  # None: every one
        self.statuses = statuses
        self.baselines: dict[tuple[int, int], Decimal] = {}  # (series id, year) → baseline
        self.satisfaction: Satisfaction = {}  # the 施策番号 asked for only
        self._scope, self._fallback_last, self._today = scope, fallback_last, today
        self._asked_codes: set[str] = set()

    @classmethod
    def load(cls, user: AnyUser | None, today: date) -> "Lookups":
        """Lookups for ``user`` (None: every indicator, as an approver could), empty until
        rows name indicators: one query, the current plan."""
        plan = ActionPlan.objects.current()
        fallback_last = plan.last_year if plan else None
        scope: QuerySet[Indicator] | None
        statuses: frozenset[str]
        if user is None:
            scope, statuses = None, APPROVER_EDITABLE
        else:
            scope, statuses = editable_indicators(user), editable_statuses(user)
        return cls(scope=scope, statuses=statuses, fallback_last=fallback_last, today=today)

    def require(self, *, codes: Iterable[str] = (), names: Iterable[str] = ()) -> None:
        """Load the indicators of these codes, and every indicator of these names (a name two
        indicators share must be known to be ambiguous)."""
        new_codes = sorted(set(codes) - self._asked_codes)
        self._asked_codes.update(new_codes)
        for chunk in chunked(new_codes):
            self._add(Q(code__in=chunk))
        for chunk in chunked(sorted(set(names) - self.by_name.keys())):
            found = self._add(Q(name__in=chunk))
            for name in chunk:
                self.by_name[name] = [info for info in found if info.name == name]

    def require_measures(self, measures: Iterable[str]) -> None:
        """The plans that have these 施策番号 and the satisfaction indicators linked to them
        (Indicator.survey_measure)."""
        for chunk in chunked(sorted(set(measures) - self.satisfaction.keys())):
            for code in chunk:
                self.satisfaction[code] = {}
            plans = Measure.objects.filter(code__in=chunk).values_list("code", "plan__first_year")
            for code, first_year in plans:
                self.satisfaction[code][first_year] = []
            linked = Indicator.objects.filter(survey_measure__code__in=chunk).values_list(
                "survey_measure__code", "survey_measure__plan__first_year", "pk"
            )
            pairs = list(linked.order_by("code"))
            if pairs:
                self._add(Q(pk__in=[pk for _, _, pk in pairs]))
            for code, first_year, pk in pairs:
                self.satisfaction[code][first_year].append(self.by_pk[pk])

    def measure(self, code: str) -> dict[int, list[IndicatorInfo]] | None:
        """A 施策番号 asked for: its plans' satisfaction indicators; None: no such measure."""
        return self.satisfaction.get(code) or None

    def _add(self, condition: Q) -> list[IndicatorInfo]:
        """The indicators matching ``condition`` (those loaded before as they are), with the
        series, targets and scope of the new ones: at most four queries."""
        fields = ("pk", "code", "name", "unit", "decimals", "period_kind", "allow_negative")
        found = list(
            Indicator.objects.filter(condition).values_list(
                *fields, "department_id", "department__name", "cumulative", "entry_mode"
            )
        )
        new = [row for row in found if row[0] not in self.by_pk]
        if new:
            self._load(new)
        return [self.by_pk[row[0]] for row in found]

    def _load(self, rows: list[tuple[Any, ...]]) -> None:
        pks = [row[0] for row in rows]
        series: dict[int, dict[str, int]] = defaultdict(dict)
        labels = Series.objects.filter(indicator_id__in=pks).values_list(
            "pk", "indicator_id", "label"
        )
        for pk, indicator_id, label in labels:
            series[indicator_id][label] = pk
        ranges: dict[int, list[tuple[int, int]]] = defaultdict(list)
        targets = Target.objects.filter(series__indicator_id__in=pks).values_list(
            "series_id",
            "series__indicator_id",
            "baseline_year",
            "baseline_value",
            "plan__last_year",
        )
        for series_id, indicator_id, baseline_year, baseline, last_year in targets:
            ranges[indicator_id].append((baseline_year, last_year))
            if baseline is not None:
                self.baselines[(series_id, baseline_year)] = baseline
        if self.editable is not None and self._scope is not None:
            self.editable.update(self._scope.filter(pk__in=pks).values_list("pk", flat=True))
        for (
            pk,
            code,
            name,
            unit,
            decimals,
            period,
            negative,
            department_id,
            department,
            cumulative,
            entry_mode,
        ) in rows:
            info = IndicatorInfo(
                pk=pk,
                code=code,
                name=name,
                unit=unit,
                decimals=decimals,
                period_kind=period,
                department_id=department_id,
                department=department or "未設定",
                rules=entry_rules.rules_for(
                    unit=unit,
                    decimals=decimals,
                    allow_negative=negative,
                    period_kind=period,
                    ranges=ranges[pk],
                    fallback_last=self._fallback_last,
                    today=self._today,
                    running_total=cumulative and entry_mode == EntryMode.TOTAL,
                ),
                series=series[pk],
            )
            self.by_pk[pk] = self.by_code[code] = info


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return f"{cell.normalize():f}"
    return str(cell).strip()


def _cell(cells: list[object], columns: Columns, column: Column) -> object:
    position = columns.index.get(column.key)
    return cells[position] if position is not None and position < len(cells) else None


def _normalised_code(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def actual_rows(table: Table, columns: Columns, lookups: Lookups) -> list[PlannedRow]:
    """The rows, CHUNK at a time: their cells read, then the indicators they name looked up
    together, then each resolved."""
    planned = []
    has_note = NOTE.key in columns.index
    width = len(table.headers)
    for chunk in chunked(table.rows):
        read = [_read_actual(line, cells, columns, has_note) for line, cells in chunk]
        named = [row for row, _, value in read if not _is_blank(value)]
        lookups.require(
            codes=(row.code for row in named if row.code),
            names=(row.name for row in named if not row.code and row.name),
        )
        for row, cells, value in read:
            if _is_blank(value):
                _blank(row, _cell(cells, columns, YEAR))
            else:
                resolved = _resolve_indicator(row, columns, lookups)
                _read_year(row, _cell(cells, columns, YEAR), columns)
                if resolved:
                    _resolve_series(row, columns)
                    _read_value(row, value, columns.label(VALUE))
            _refuse_unheaded(row, cells, width)
            planned.append(row)
    return planned


def _read_actual(
    line: int, cells: list[object], columns: Columns, has_note: bool
) -> tuple[PlannedRow, list[object], object]:
    """A row of actuals with its code, name, series, value and note read: the row, its cells
    and its value's cell."""
    row = PlannedRow(line=line)
    row.code = _normalised_code(_text(_cell(cells, columns, CODE)))
    row.name = restore_neutralised(_text(_cell(cells, columns, NAME)))
    row.series_label = restore_neutralised(_text(_cell(cells, columns, SERIES)))
    value = _cell(cells, columns, VALUE)
    row.value_text = _text(value)
    if has_note:
        row.new_note = restore_neutralised(_text(_cell(cells, columns, NOTE)))
    return row, cells, value


def _refuse_unheaded(row: PlannedRow, cells: list[object], width: int) -> None:
    """A value right of the header's last column: the row has more cells than the header (an
    unquoted 「2,610」 splits in two and shifts the note), so none of its cells can be trusted."""
    for position in range(width, len(cells)):
        if not _is_blank(cells[position]):
            row.error(
                f"{position + 1}列目",
                f"：見出しのない列に値「{shown(_text(cells[position]))}」があります。"
                '区切りの「,」が多くないか確かめてください（「,」を含む数値や文字は「"」で囲みます）。',
            )
            return


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and is_blank_value(value))


def _blank(row: PlannedRow, year: object) -> None:
    """A row without a value is not imported (a template's unfilled year): nothing in it can
    be wrong."""
    row.kind, row.year_text = RowKind.BLANK, _text(year)
    try:
        row.year = _parse_year(row.year_text)
    except ValueError:
        row.year = None


def _resolve_indicator(row: PlannedRow, columns: Columns, lookups: Lookups) -> bool:
    if row.code:
        info = lookups.by_code.get(row.code)
        if info is None:
            row.error(columns.label(CODE), f"：指標コード「{row.code}」の指標はありません。")
            return False
        if row.name and row.name != info.name:
            row.error(
                columns.label(NAME),
                f"：「{row.name}」は {info.code} の指標名（{info.name}）と違います。"
                "行がずれていないか確かめてください。",
            )
            return False
    elif row.name:
        matches = lookups.by_name.get(row.name, [])
        if len(matches) != 1:
            problem = (
                "ありません" if not matches else "複数あります（指標コードで指定してください）"
            )
            row.error(columns.label(NAME), f"：指標名「{row.name}」の指標が{problem}。")
            return False
        info = matches[0]
    else:
        row.error(columns.label(CODE), "：指標コード（または指標名）を入力してください。")
        return False
    row.indicator, row.code, row.name = info, info.code, info.name
    return True


def _resolve_series(row: PlannedRow, columns: Columns) -> None:
    info = row.indicator
    assert info is not None
    series = info.series
    if row.series_label in series:
        row.series_id = series[row.series_label]
    elif not row.series_label and len(series) == 1:
        row.series_id, row.series_label = next(iter(series.items()))[::-1]
    else:
        labels = "、".join(label or "（系列名なし）" for label in series)
        what = f"「{row.series_label}」はありません" if row.series_label else "を指定してください"
        row.error(columns.label(SERIES), f"：{info.code} の系列{what}（{labels}）。")


# A file writes the same few years thousands of times.
_parse_year = lru_cache(maxsize=64)(parse_year)


def _read_year(row: PlannedRow, cell: object, columns: Columns) -> None:
    row.year_text = _text(cell)
    if not row.year_text:
        row.error(columns.label(YEAR), "：年度を入力してください。")
        return
    try:
        row.year = _parse_year(row.year_text)
    except ValueError:
        row.error(
            columns.label(YEAR),
            f"：「{row.year_text}」を年度として読めません（例：2024、R6、令和6年度）。",
        )


def _read_value(row: PlannedRow, cell: object, column: str) -> None:
    info = row.indicator
    assert info is not None
    try:
        value = entry_rules.read_value(cell, info.unit)  # type: ignore[arg-type]
    except entry_rules.WrongUnit as wrong:
        row.error(column, f"：{wrong}")
        return
    except (ValueError, TypeError, ArithmeticError):
        row.error(column, f"：「{row.value_text}」を数値として読めません（例：1,869、30.2％）。")
        return
    if abs(value) >= MAX_VALUE or entry_rules.decimal_places(value) > MAX_DECIMALS:
        row.error(column, f"：「{row.value_text}」は桁が多すぎます。")
        return
    row.new_value = value


def survey_rows(table: Table, columns: Columns, lookups: Lookups) -> list[PlannedRow]:
    """A row per survey line and satisfaction indicator of its measure (Indicator.survey_measure);
    a measure with none is a warning row, not an error. CHUNK lines at a time, their measures
    looked up together."""
    planned = []
    width = len(table.headers)
    for chunk in chunked(table.rows):
        measures = [_measure_code(_text(_cell(cells, columns, MEASURE))) for _, cells in chunk]
        lookups.require_measures(code for code in measures if code)
        for (line, cells), measure in zip(chunk, measures, strict=True):
            planned.extend(_survey_line(line, cells, measure, columns, lookups, width))
    return planned


def _survey_line(
    line: int, cells: list[object], measure: str, columns: Columns, lookups: Lookups, width: int
) -> list[PlannedRow]:
    row = PlannedRow(line=line, measure=measure)
    value = _cell(cells, columns, SATISFACTION)
    row.value_text = _text(value)
    if _is_blank(value):
        _blank(row, _cell(cells, columns, YEAR))
        _refuse_unheaded(row, cells, width)
        return [row]
    _read_year(row, _cell(cells, columns, YEAR), columns)
    _refuse_unheaded(row, cells, width)
    indicators = _of_plan_of_year(lookups.measure(row.measure), row.year)
    if not row.measure:
        row.error(columns.label(MEASURE), "：施策番号を入力してください（例：7-1）。")
    elif indicators is None:
        row.error(columns.label(MEASURE), f"：施策番号「{row.measure}」の施策はありません。")
    elif not indicators and not row.errors:
        row.kind = RowKind.WARNING
        row.warnings.append(
            f"施策 {row.measure} には満足度の指標がないため、取り込みません"
            "（成果指標の「市民意識調査の対象施策」で設定できます）。"
        )
    if row.kind != RowKind.PENDING or not indicators:
        return [row]
    return [_survey_row(row, info, value, columns) for info in indicators]


def _survey_row(
    source: PlannedRow, info: IndicatorInfo, value: object, columns: Columns
) -> PlannedRow:
    row = PlannedRow(
        line=source.line,
        measure=source.measure,
        year=source.year,
        year_text=source.year_text,
        value_text=source.value_text,
        indicator=info,
        code=info.code,
        name=info.name,
    )
    if len(info.series) != 1:
        row.error(columns.label(MEASURE), f"：{info.code} には系列が複数あります。")
        return row
    row.series_label, row.series_id = next(iter(info.series.items()))
    _read_value(row, value, columns.label(SATISFACTION))
    return row


def _of_plan_of_year(
    plans: dict[int, list[IndicatorInfo]] | None, year: int | None
) -> list[IndicatorInfo] | None:
    """The measure of the plan the survey's year belongs to (7-1 of the 前期 plan for 2027,
    of the 後期 one for 2031): the last plan begun by then, else the first."""
    if plans is None:
        return None
    starts = sorted(plans)
    begun = [s for s in starts if year is not None and s <= year]
    return plans[begun[-1] if begun else starts[0]]


_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー－ｰ", "-"))


def _measure_code(text: str) -> str:
    """ "７－１", "7ー1", " 7-1 " → "7-1"."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_DASHES).split())
