"""Numbers as Japanese statistics print them (数値の読み取りと表示).

Data arrives as "１，８６９件", "30.2％", "▲5" or "－" (no value). `parse_number` reads
such text into an exact Decimal; `format_number` prints a Decimal the way the plan does.

A trailing unit is dropped, never applied: "258万人" is 258 in the unit 万人, not 2,580,000.
Digits may only appear in a unit as the exponent after "m" (km2, m2, m3, and ㎡/km² after
NFKC), so "12a34" or "1e5" is refused rather than read as 12 or 1. Units that contain other
digits ("人/10万人") can be allowed explicitly through `units`.

Thousands separators must group by three ("1,869"); "12,34" is refused, since it is more
likely a typo or a list than a number.
"""

import re
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal

NO_VALUE = "－"
# After NFKC: full-width "－" has become "-", half-width "ｰ" has become "ー".
_BLANK_TEXTS = frozenset({"", "-", "―", "—", "ー", "−", "–", "‐"})
_NEGATIVE_SIGNS = frozenset({"-", "−", "‐", "▲", "△"})
_NUMBER = re.compile(
    r"(?P<sign>[-−‐▲△+]?)"
    r"(?P<integer>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
    r"(?P<fraction>\.[0-9]+)?"
    r"(?P<unit>.*)",
    re.S,
)
_UNIT_CHAR = r"(?:[^\W\d_]|[%°])"
_UNIT = re.compile(rf"{_UNIT_CHAR}(?:{_UNIT_CHAR}|[/・])*(?:(?<=m)[23])?")
_WHITESPACE = re.compile(r"\s+")


def is_blank_value(text: object) -> bool:
    """True for None and the dashes the plan prints for "no value" (－, ―, ー, ...)."""
    if text is None:
        return True
    return isinstance(text, str) and _normalize(text) in _BLANK_TEXTS


def parse_number(text: str | int | float | Decimal, *, units: Iterable[str] = ()) -> Decimal:
    """Exact Decimal from a number as typed or printed (数値の読み取り)."""
    if isinstance(text, bool):
        raise _unreadable(text)
    if isinstance(text, Decimal | int | float):
        return _from_number(text)
    if not isinstance(text, str) or is_blank_value(text):
        raise _unreadable(text)
    return _from_text(text, {_normalize(unit) for unit in units})


def parse_number_with_unit(
    text: str | int | float | Decimal, *, units: Iterable[str] = ()
) -> tuple[Decimal, str]:
    """`parse_number`, and the unit written after the number, after NFKC ("" when there is
    none): "１，８６９件" → (1869, "件"), "30.2％" → (30.2, "%"). Lets an import check the unit
    against the indicator's (2,580,000人 is not 258万人)."""
    if not isinstance(text, str) or is_blank_value(text):
        return parse_number(text, units=units), ""
    return _number_and_unit(text, {_normalize(unit) for unit in units})


def format_number(value: Decimal | None, decimals: int, unit: str = "") -> str:
    """As the plan prints: "1,869件", "95.2％"; half up (四捨五入); None → "－"."""
    if value is None:
        return NO_VALUE
    if decimals < 0 or not value.is_finite():
        raise ValueError(f"cannot format {value!r} with {decimals} decimals")
    return f"{_round_half_up(value, decimals):,.{decimals}f}{unit}"


def format_value(value: Decimal | None, decimals: int, unit: str = "") -> str:
    """``format_number`` for a stored value, which it never rounds: at least the indicator's
    decimals, more if the value has them (25702.0000 → "25,702人", 79.45 with 1 → "79.45歳")."""
    if value is None or not value.is_finite():
        return format_number(value, decimals, unit)
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(value, max(decimals, places), unit)


def _from_number(value: Decimal | int | float) -> Decimal:
    # repr() of a float is its shortest round-tripping text: 0.1 becomes Decimal("0.1").
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise _unreadable(value)
    return _without_negative_zero(number)


def _from_text(text: str, allowed_units: set[str]) -> Decimal:
    return _number_and_unit(text, allowed_units)[0]


def _number_and_unit(text: str, allowed_units: set[str]) -> tuple[Decimal, str]:
    match = _NUMBER.fullmatch(_normalize(text))
    if match is None or not _is_unit(match["unit"], allowed_units):
        raise _unreadable(text)
    sign = "-" if match["sign"] in _NEGATIVE_SIGNS else ""
    digits = match["integer"].replace(",", "") + (match["fraction"] or "")
    return _without_negative_zero(Decimal(sign + digits)), match["unit"]


def _is_unit(suffix: str, allowed_units: set[str]) -> bool:
    return suffix == "" or suffix in allowed_units or _UNIT.fullmatch(suffix) is not None


def _normalize(text: str) -> str:
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


def _round_half_up(value: Decimal, decimals: int) -> Decimal:
    # Enough precision for the quantize to be exact whatever the magnitude.
    precision = max(28, value.adjusted() + decimals + 2)
    exponent = Decimal(1).scaleb(-decimals)
    rounded = value.quantize(exponent, rounding=ROUND_HALF_UP, context=Context(prec=precision))
    return _without_negative_zero(rounded)


def _without_negative_zero(value: Decimal) -> Decimal:
    return value.copy_abs() if value.is_zero() else value


def _unreadable(text: object) -> ValueError:
    return ValueError(f"数値を読み取れません: {text!r}")
