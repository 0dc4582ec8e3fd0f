"""Japanese era years (和暦) as the plan prints and people type them."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.wareki import (
    era_year,
    fiscal_year_of,
    parse_year,
    year_label,
    year_label_with_gregorian,
)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, "令和6"), (2019, "令和元"), (2020, "令和2"), (2018, "平成30"), (1989, "平成元")],
)
def test_era_year_uses_reiwa_from_2019_and_heisei_before(year: int, expected: str) -> None:
    assert era_year(year) == expected


def test_era_year_refuses_years_before_heisei() -> None:
    with pytest.raises(ValueError, match="1988"):
        era_year(1988)


def test_year_label_writes_fiscal_and_calendar_years() -> None:
    assert year_label(2024) == "令和6年度"
    assert year_label(2024, "fiscal") == "令和6年度"
    assert year_label(2024, "calendar") == "令和6年"


def test_fiscal_year_2019_is_written_reiwa_gannen_although_it_began_under_heisei() -> None:
    assert year_label(2019) == "令和元年度"
    assert year_label(2019, "calendar") == "令和元年"
    assert year_label(2018) == "平成30年度"


def test_year_label_refuses_an_unknown_period() -> None:
    with pytest.raises(ValueError, match="period"):
        year_label(2024, "academic")


def test_year_label_with_gregorian_uses_full_width_parentheses() -> None:
    assert year_label_with_gregorian(2024) == "令和6年度（2024）"
    assert year_label_with_gregorian(2019, "calendar") == "令和元年（2019）"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (2024, 2024),
        ("2024", 2024),
        ("２０２４", 2024),
        ("R6", 2024),
        ("r6", 2024),
        ("Ｒ６", 2024),
        ("令和6年度", 2024),
        ("令和６年度", 2024),
        ("令和6年", 2024),
        ("令和6", 2024),
        ("令和元年度", 2019),
        ("R元", 2019),
        ("H30", 2018),
        ("h30", 2018),
        ("平成30年度", 2018),
        ("平成31年", 2019),
        ("2024年度", 2024),
        ("2024年", 2024),
        ("FY2024", 2024),
        ("fy2024", 2024),
        ("  令和6年度　", 2024),
        (" 2024 ", 2024),
        ("令和6年度（2024）", 2024),
    ],
)
def test_parse_year_reads_the_ways_people_write_a_year(text: str | int, expected: int) -> None:
    assert parse_year(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "",
        "   ",
        "令和0年度",
        "R0",
        "平成32年",
        "H0",
        "1899",
        "2201",
        1899,
        2201,
        "昭和60年",
        "令和",
        "R6.5",
        "24",
        "令和6年度（2025）",
        "S60",
    ],
)
def test_parse_year_refuses_anything_else_naming_the_text(text: str | int) -> None:
    with pytest.raises(ValueError, match="年度を読み取れません") as raised:
        parse_year(text)
    assert repr(text) in str(raised.value)


def test_parse_year_refuses_a_boolean() -> None:
    with pytest.raises(ValueError):
        parse_year(True)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
        (date(2024, 12, 31), 2024),
        (date(2025, 1, 1), 2024),
    ],
)
def test_fiscal_year_of_runs_april_to_march(day: date, expected: int) -> None:
    assert fiscal_year_of(day) == expected


@given(st.integers(min_value=1989, max_value=2099), st.sampled_from(["fiscal", "calendar"]))
def test_parse_year_reads_back_every_label(year: int, period: str) -> None:
    assert parse_year(year_label(year, period)) == year
    assert parse_year(year_label_with_gregorian(year, period)) == year
