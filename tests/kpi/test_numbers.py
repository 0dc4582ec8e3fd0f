"""Numbers as Japanese statistics print them."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.numbers import format_number, is_blank_value, parse_number, parse_number_with_unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１，８６９件", "1869"),
        ("1,869", "1869"),
        ("1869", "1869"),
        ("30.2％", "30.2"),
        ("30.2%", "30.2"),
        ("79.4歳", "79.4"),
        ("258万人", "258"),
        ("24.26ｋｍ2", "24.26"),
        ("24.26km²", "24.26"),
        ("10.14ｍ2", "10.14"),
        ("10.14㎡", "10.14"),
        ("12.5℃", "12.5"),
        ("1,234,567.89円", "1234567.89"),
        ("  95.2 ％ ", "95.2"),
        ("3か所", "3"),
        ("12人/日", "12"),
        ("－5", "-5"),
        ("-5", "-5"),
        ("−5", "-5"),
        ("▲1,200", "-1200"),
        ("△5", "-5"),
        ("+5", "5"),
        ("0", "0"),
        ("-0", "0"),
        ("0.50", "0.50"),
    ],
)
def test_parse_number_reads_numbers_as_japanese_data_prints_them(text: str, expected: str) -> None:
    assert parse_number(text) == Decimal(expected)


def test_parse_number_keeps_the_unit_as_a_unit_instead_of_multiplying() -> None:
    assert parse_number("258万人") == Decimal("258")
    assert parse_number("5千円") == Decimal("5")


def test_parse_number_keeps_trailing_zeros_of_the_text() -> None:
    assert str(parse_number("30.20％")) == "30.20"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1869, "1869"),
        (Decimal("30.2"), "30.2"),
        (0.1, "0.1"),
        (79.4, "79.4"),
        (-3, "-3"),
    ],
)
def test_parse_number_accepts_numbers_without_float_arithmetic(
    value: int | float | Decimal, expected: str
) -> None:
    result = parse_number(value)
    assert result == Decimal(expected)
    assert str(result) == expected


def test_parse_number_accepts_an_explicitly_allowed_unit_with_digits() -> None:
    assert parse_number("3.5人/10万人", units=["人/10万人"]) == Decimal("3.5")
    with pytest.raises(ValueError):
        parse_number("3.5人/10万人")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "－",
        "-",
        "―",
        "ー",
        "1.2.3",
        "12a34",
        "1e5",
        "1e3",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "abc",
        "件",
        "約100件",
        "12,34",
        "1,2345",
        "--5",
        "▲-5",
        ".5",
        "5.",
        "5-",
        "1.5.",
        "100%%2",
    ],
)
def test_parse_number_refuses_text_that_is_not_one_number(text: str) -> None:
    with pytest.raises(ValueError, match="数値を読み取れません") as raised:
        parse_number(text)
    assert repr(text) in str(raised.value)


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity"), True, None]
)
def test_parse_number_refuses_values_that_are_not_finite_numbers(value: object) -> None:
    with pytest.raises(ValueError, match="数値を読み取れません"):
        parse_number(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [None, "", " ", "－", "-", "―", "—", "ー", "ｰ", "　－　"])
def test_is_blank_value_recognises_the_dashes_printed_for_no_value(text: str | None) -> None:
    assert is_blank_value(text)


@pytest.mark.parametrize("value", ["0", "－5", "1,869件", 0, Decimal("0"), "abc"])
def test_is_blank_value_is_false_for_anything_else(value: object) -> None:
    assert not is_blank_value(value)


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "expected"),
    [
        (Decimal("1869"), 0, "件", "1,869件"),
        (Decimal("95.2"), 1, "％", "95.2％"),
        (Decimal("24.26"), 2, "km²", "24.26km²"),
        (Decimal("1234567.891"), 2, "", "1,234,567.89"),
        (Decimal("30"), 1, "％", "30.0％"),
        (Decimal("0.05"), 1, "", "0.1"),
        (Decimal("0.15"), 1, "", "0.2"),
        (Decimal("0.25"), 1, "", "0.3"),
        (Decimal("-1234.5"), 0, "", "-1,235"),
        (Decimal("-0.04"), 1, "", "0.0"),
        (Decimal("100"), 0, "", "100"),
        (None, 1, "％", "－"),
    ],
)
def test_format_number_prints_numbers_as_the_plan_does(
    value: Decimal | None, decimals: int, unit: str, expected: str
) -> None:
    assert format_number(value, decimals, unit) == expected


def test_format_number_refuses_negative_decimals() -> None:
    with pytest.raises(ValueError):
        format_number(Decimal("1"), -1)


def test_format_number_handles_values_beyond_the_default_decimal_precision() -> None:
    assert format_number(Decimal(10) ** 30, 2) == "1,000,000,000,000,000,000,000,000,000,000.00"


@given(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=4),
    st.integers(min_value=0, max_value=4),
    st.sampled_from(["", "件", "％", "%", "km²", "人", "歳", "万人", "m2"]),
)
def test_parse_number_reads_back_what_format_number_prints(
    value: Decimal, decimals: int, unit: str
) -> None:
    printed = format_number(value, decimals, unit)
    quantum = Decimal(1).scaleb(-decimals)
    assert parse_number(printed) == value.quantize(quantum, rounding="ROUND_HALF_UP")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１，８６９件", (Decimal("1869"), "件")),
        ("30.2％", (Decimal("30.2"), "%")),
        ("79.4歳", (Decimal("79.4"), "歳")),
        ("24.26km²", (Decimal("24.26"), "km2")),
        ("1,869", (Decimal("1869"), "")),
        (Decimal("95.5"), (Decimal("95.5"), "")),
    ],
)
def test_parse_number_with_unit_also_says_which_unit_was_written(
    text: str | Decimal, expected: tuple[Decimal, str]
) -> None:
    assert parse_number_with_unit(text) == expected
