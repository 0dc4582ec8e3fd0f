"""Rows of a file → PlannedRows: each cell normalised (NFKC for codes, years and numbers only;
names, series labels and notes keep their characters), the indicator and series resolved
through ``Lookups``, loaded once per import."""

import unicodedata
from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import lru_cache

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


class Lookups:
    """Indicators, series, rules, scope and measures: five queries, whatever the file."""

    def __init__(
        self,
        indicators: list[IndicatorInfo],
        editable: set[int] | None,
        statuses: frozenset[str],
        baselines: dict[tuple[int, int], Decimal],
    ) -> None:
        self.by_code = {i.code: i for i in indicators}
        self.by_name: dict[str, list[IndicatorInfo]] = defaultdict(list)
        for info in indicators:
            self.by_name[info.name].append(info)
        self.by_pk = {i.pk: i for i in indicators}
        self.editable = editable  # None: every indicator
        self.statuses = statuses
        self.baselines = baselines  # (series id, year) → the baseline value of that year

    @classmethod
    def load(cls, user: AnyUser | None, today: date) -> "Lookups":
        series: dict[int, dict[str, int]] = defaultdict(dict)
        for pk, indicator_id, label in Series.objects.values_list("pk", "indicator_id", "label"):
            series[indicator_id][label] = pk
        ranges: dict[int, list[tuple[int, int]]] = defaultdict(list)
        baselines: dict[tuple[int, int], Decimal] = {}
        targets = Target.objects.values_list(
            "series_id",
            "series__indicator_id",
            "baseline_year",
            "baseline_value",
            "plan__last_year",
        )
        for series_id, indicator_id, baseline_year, baseline, last_year in targets:
            ranges[indicator_id].append((baseline_year, last_year))
            if baseline is not None:
                baselines[(series_id, baseline_year)] = baseline
        plan = ActionPlan.objects.current()
        fallback_last = plan.last_year if plan else None
        fields = ("pk", "code", "name", "unit", "decimals", "period_kind", "allow_negative")
        rows = Indicator.objects.values_list(
            *fields, "department_id", "department__name", "cumulative", "entry_mode"
        )
        indicators = [
            IndicatorInfo(
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
                    fallback_last=fallback_last,
                    today=today,
                    running_total=cumulative and entry_mode == EntryMode.TOTAL,
                ),
                series=series[pk],
            )
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
            ) in rows
        ]
        if user is None:
            return cls(indicators, None, APPROVER_EDITABLE, baselines)
        editable = set(editable_indicators(user).values_list("pk", flat=True))
        return cls(indicators, editable, editable_statuses(user), baselines)


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
    planned = []
    has_note = NOTE.key in columns.index
    width = len(table.headers)
    for line, cells in table.rows:
        row = PlannedRow(line=line)
        row.code = _normalised_code(_text(_cell(cells, columns, CODE)))
        row.name = restore_neutralised(_text(_cell(cells, columns, NAME)))
        row.series_label = restore_neutralised(_text(_cell(cells, columns, SERIES)))
        value = _cell(cells, columns, VALUE)
        row.value_text = _text(value)
        if has_note:
            row.new_note = restore_neutralised(_text(_cell(cells, columns, NOTE)))
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
    a measure with none is a warning row, not an error."""
    linked = _satisfaction_indicators(lookups)
    planned = []
    width = len(table.headers)
    for line, cells in table.rows:
        row = PlannedRow(line=line)
        row.measure = _measure_code(_text(_cell(cells, columns, MEASURE)))
        value = _cell(cells, columns, SATISFACTION)
        row.value_text = _text(value)
        if _is_blank(value):
            _blank(row, _cell(cells, columns, YEAR))
            _refuse_unheaded(row, cells, width)
            planned.append(row)
            continue
        _read_year(row, _cell(cells, columns, YEAR), columns)
        _refuse_unheaded(row, cells, width)
        indicators = _of_plan_of_year(linked.get(row.measure), row.year)
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
            planned.append(row)
            continue
        planned.extend(_survey_row(row, info, value, columns) for info in indicators)
    return planned


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


# 施策番号 → {first year of a plan with that measure: the indicators linked to it}
Satisfaction = dict[str, dict[int, list[IndicatorInfo]]]


def _satisfaction_indicators(lookups: Lookups) -> Satisfaction:
    """施策番号 → per plan that has the measure, the indicators linked to it: two queries."""
    linked: Satisfaction = defaultdict(dict)
    for code, first_year in Measure.objects.values_list("code", "plan__first_year"):
        linked[code][first_year] = []
    pairs = Indicator.objects.filter(survey_measure__isnull=False).values_list(
        "survey_measure__code", "survey_measure__plan__first_year", "pk"
    )
    for code, first_year, pk in pairs.order_by("code"):
        linked[code][first_year].append(lookups.by_pk[pk])
    return dict(linked)


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
