"""Rules for an actual as it is entered (実績値の入力チェック), in plain Python.

Each function takes values and returns the Japanese messages to show next to a field; an empty
list means the value passes. ``indicators.forms.ActualForm`` adapts an indicator to
``EntryRules`` and puts the messages on its fields.

* ％ (percent) values lie within 0–100.
* Values are never negative, whatever the unit (人, 件, 校, 日, 回, ha …: the plan has no
  indicator whose value may fall below zero), unless the indicator allows it
  (``Indicator.allow_negative``, e.g. a net change in population).
* A written unit must be the indicator's (``read_value``, for the form and the import alike):
  「81人」 is refused for a ％ indicator, 「2,650,000人」 for one counted in 万人 (it would be
  stored 10,000× too large); a value without a unit is read in the indicator's unit.
* No more decimals than the measurement yields (``entry_decimals``): as many as the plan
  prints (``Indicator.decimals``), and at least one for a ％ share — the plan prints whole
  targets such as 100％ for some shares, which are measured as 12.5％ all the same. 96.10 is
  96.1.
* The year lies within the indicator's plan range, from its earliest baseline year to its plan's
  last year, and is not in the future: the fiscal year (年度) of today for fiscal indicators, the
  calendar year for calendar (年) ones. The current year itself may be entered.
* A running total (累計, entered as the total) never falls: a value below the previous year's
  (its actual, else the baseline of that year) is refused — most often it is the year's amount
  typed where the total belongs.
* A value that moves more than a share (setting ``KPI_JUMP_WARNING_SHARE``, 0.3 = 30%) from the
  previous year's value is a *warning*, not an error: it is saved once the user gives a reason in
  the note and ticks the confirmation. From a previous value of 0, any change is such a jump.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from kpi.numbers import format_number, parse_number_with_unit
from kpi.wareki import fiscal_year_of, year_label

PERCENT_UNITS = frozenset({"%"})  # after NFKC, which turns ％ into %


@dataclass(frozen=True)
class EntryRules:
    unit: str
    decimals: int  # allowed in an actual: entry_decimals() of the printed ones
    allow_negative: bool
    period_kind: str  # "fiscal" (年度) or "calendar" (年)
    first_year: int | None  # earliest baseline year of the indicator's targets
    last_year: int | None  # last year of the indicator's (latest) plan
    current_year: int  # the newest year that may be entered: see current_year()
    running_total: bool = False  # a 累計 entered as the running total: it never falls


class WrongUnit(ValueError):
    """A value written with a unit that is not its indicator's."""

    def __init__(self, written: str, unit: str) -> None:
        super().__init__(f"単位「{written}」がこの指標の単位「{unit}」と違います。")


def read_value(text: str | int | float | Decimal, unit: str) -> Decimal:
    """The value typed (or imported) for an indicator counted in ``unit``: "１，８６９件",
    "30.2％", "▲5". Raises ValueError when it is not a number and WrongUnit when the unit
    written after it is another ("81人" for ％). An indicator without a unit (some SDGs local
    ones) cannot tell a wrong one."""
    value, written = parse_number_with_unit(text, units=[unit] if unit else [])
    expected = _unit_key(unit)
    if written and expected and written != expected:
        raise WrongUnit(written, unit)
    return value


@lru_cache(maxsize=256)  # an import asks once a row, for a few units
def _unit_key(unit: str) -> str:
    """The unit as parse_number_with_unit reports a written one: "％" → "%"."""
    return "".join(unicodedata.normalize("NFKC", unit).split())


def entry_decimals(unit: str, printed: int) -> int:
    """Decimals an actual may have: the plan's printed decimals, at least one for a ％ share."""
    return max(printed, 1) if is_percent(unit) else printed


def shown_decimals(value: Decimal, unit: str, printed: int) -> int:
    """Decimals to print a value with: the plan's, or the value's own where the entry rules
    allow more (12.5％ of an indicator printed as 100％ is not shown as 13％)."""
    return max(printed, min(decimal_places(value), entry_decimals(unit, printed)))


def rules_for(
    *,
    unit: str,
    decimals: int,
    allow_negative: bool,
    period_kind: str,
    ranges: Iterable[tuple[int, int]],
    fallback_last: int | None,
    today: date,
    running_total: bool = False,
) -> EntryRules:
    """An indicator's rules. ``decimals`` are those the plan prints (see ``entry_decimals``);
    ``ranges`` are (baseline year, plan's last year) of its targets: the plan range runs from
    the earliest baseline year to the latest plan's last year; an indicator without a target
    (an SDGs local one) may be entered up to ``fallback_last``, the current plan's end."""
    ranges = list(ranges)
    return EntryRules(
        unit=unit,
        decimals=entry_decimals(unit, decimals),
        allow_negative=allow_negative,
        period_kind=period_kind,
        first_year=min(r[0] for r in ranges) if ranges else None,
        last_year=max(r[1] for r in ranges) if ranges else fallback_last,
        current_year=current_year(period_kind, today),
        running_total=running_total,
    )


def falling_total_error(
    value: Decimal, previous: Decimal | None, *, previous_year: int, rules: EntryRules
) -> str | None:
    """The refusal of a running total below the previous year's (see the module docstring)."""
    if not rules.running_total or previous is None or value >= previous:
        return None
    when = year_label(previous_year, rules.period_kind)
    shown = format_number(previous, rules.decimals, rules.unit)
    return (
        f"累計の指標です。{_previous_label(rules.period_kind)}（{when}）の累計 {shown} を下回る値は"
        "入力できません。その年度の増分ではなく、累計値を入力してください。"
    )


@dataclass(frozen=True)
class Jump:
    """A move from the previous year's value larger than the warning share."""

    previous_year: int
    previous: Decimal
    value: Decimal
    decimals: int
    unit: str
    period_kind: str

    @property
    def change(self) -> str:
        """ "+35.0%", or "0から" when the previous value was 0 (no share to speak of)."""
        if self.previous == 0:
            return "0から変化"
        share = (self.value - self.previous) / abs(self.previous) * 100
        return f"{share:+.1f}%"

    def message(self) -> str:
        previous = format_number(self.previous, self.decimals, self.unit)
        when = year_label(self.previous_year, self.period_kind)
        return (
            f"{_previous_label(self.period_kind)}（{when}）の値 {previous} から大きく変化して"
            f"います（{self.change}）。正しい値であれば、備考に理由を記入し、"
            "「大きな変化を確認」にチェックして保存してください。"
        )


def current_year(period_kind: str, today: date) -> int:
    """The newest year an actual may be entered for: this fiscal year (年度) or calendar year."""
    return today.year if period_kind == "calendar" else fiscal_year_of(today)


def is_percent(unit: str) -> bool:
    return unicodedata.normalize("NFKC", unit).strip() in PERCENT_UNITS


def decimal_places(value: Decimal) -> int:
    """Digits after the point that carry meaning: 96.10 → 1, 100 → 0, 1E+2 → 0."""
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def value_errors(value: Decimal, rules: EntryRules) -> list[str]:
    errors = []
    if is_percent(rules.unit) and not Decimal(0) <= value <= Decimal(100):
        errors.append("割合（％）は0から100までの値を入力してください。")
    elif value < 0 and not rules.allow_negative:
        errors.append("負の値は入力できません（この指標は0以上の値です）。")
    if decimal_places(value) > rules.decimals:
        errors.append(
            f"小数点以下は{rules.decimals}桁までで入力してください。"
            if rules.decimals
            else "整数で入力してください（この指標は小数を使いません）。"
        )
    return errors


def year_errors(year: int, rules: EntryRules) -> list[str]:
    label = year_label(year, rules.period_kind)
    if year > rules.current_year:
        newest = year_label(rules.current_year, rules.period_kind)
        return [f"{label}はまだ来ていません。{newest}までの実績値を入力できます。"]
    if rules.first_year is not None and year < rules.first_year:
        first = year_label(rules.first_year, rules.period_kind)
        return [f"{label}は計画の対象期間（{first}から）より前です。"]
    if rules.last_year is not None and year > rules.last_year:
        last = year_label(rules.last_year, rules.period_kind)
        return [f"{label}は計画の対象期間（{last}まで）より後です。"]
    return []


def jump(
    value: Decimal,
    previous: Decimal | None,
    *,
    previous_year: int,
    share: Decimal,
    rules: EntryRules,
) -> Jump | None:
    """The warning for a value that moves more than ``share`` from the previous year's value."""
    if previous is None or value == previous:
        return None
    if previous != 0 and abs(value - previous) <= share * abs(previous):
        return None
    return Jump(previous_year, previous, value, rules.decimals, rules.unit, rules.period_kind)


def note_required_message(period_kind: str) -> str:
    return f"{_previous_label(period_kind)}から大きく変化した理由を備考に記入してください。"


def _previous_label(period_kind: str) -> str:
    return "前年" if period_kind == "calendar" else "前年度"
