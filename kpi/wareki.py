"""Japanese era years (和暦) for fiscal years (年度) and calendar years (年).

Reiwa (令和) N is 2018 + N and Heisei (平成) N is 1988 + N; year 1 is written 元 (令和元年度).

Decision: 2019 is always 令和元, for fiscal and calendar years alike. FY2019 began on
1 April 2019, still under Heisei (the era changed on 1 May 2019), but the city and everyone
else now write it 令和元年度, so we do too. Years up to 2018 use 平成; years before 1989
(昭和) are outside the plan's range and are refused.

Only Reiwa and Heisei are read back by `parse_year`; 平成31/H31 is accepted and means 2019.
"""

import re
import unicodedata
from datetime import date
from enum import StrEnum


class PeriodKind(StrEnum):
    """What an indicator's year means: a fiscal year (年度, April–March) or a calendar year (年)."""

    FISCAL = "fiscal"  # 年度
    CALENDAR = "calendar"  # 年


REIWA_FIRST_YEAR = 2019
HEISEI_FIRST_YEAR = 1989
HEISEI_LAST_ERA_YEAR = 31
ERA_OFFSETS = {"令和": 2018, "平成": 1988}
ERA_ALIASES = {"r": "令和", "h": "平成", "令和": "令和", "平成": "平成"}
PERIOD_SUFFIXES = {PeriodKind.FISCAL: "年度", PeriodKind.CALENDAR: "年"}
# The years stored anywhere (the database checks them too: indicators.models).
MIN_YEAR = 1900
MAX_YEAR = 2200
FIRST_ERA_YEAR = "元"
FISCAL_YEAR_START_MONTH = 4

_ERA_YEAR = re.compile(r"(?P<era>令和|平成|r|h)\s*(?P<number>[0-9]+|元)\s*(?:年度|年)?", re.I)
_GREGORIAN_YEAR = re.compile(r"(?:fy\s*)?(?P<year>[0-9]{4})\s*(?:年度|年)?", re.I)
# "令和6年度(2024)" as printed by year_label_with_gregorian, after NFKC.
_WITH_GREGORIAN = re.compile(r"(?P<label>.+?)\s*\(\s*(?P<year>[0-9]{4})\s*\)")


def era_year(year: int) -> str:
    """Era name and era year (和暦の年), e.g. 2024 → "令和6", 2019 → "令和元"."""
    era, number = _era_and_number(year)
    return f"{era}{FIRST_ERA_YEAR if number == 1 else number}"


def year_label(year: int, period: str = "fiscal") -> str:
    """ "令和6年度" for a fiscal year (年度), "令和6年" for a calendar year (年)."""
    return f"{era_year(year)}{_period_suffix(period)}"


def year_label_with_gregorian(year: int, period: str = "fiscal") -> str:
    """ "令和6年度（2024）": the form users read in tables and the admin."""
    return f"{year_label(year, period)}（{year}）"


def parse_year(text: str | int) -> int:
    """Gregorian year from a year as typed or printed (2024, "R6", "令和６年度", "FY2024", ...)."""
    if isinstance(text, bool) or not isinstance(text, int | str):
        raise _unreadable(text)
    if isinstance(text, int):
        return _checked_year(text, text)
    normalized = unicodedata.normalize("NFKC", text).strip()
    annotated = _WITH_GREGORIAN.fullmatch(normalized)
    if annotated is None:
        return _parse_single_year(normalized, text)
    year = _parse_single_year(annotated["label"], text)
    if year != int(annotated["year"]):
        raise _unreadable(text)
    return year


def fiscal_year_of(d: date) -> int:
    """Fiscal year (年度, April–March) containing the date: 2025-03-31 → 2024."""
    return d.year if d.month >= FISCAL_YEAR_START_MONTH else d.year - 1


def _era_and_number(year: int) -> tuple[str, int]:
    if year >= REIWA_FIRST_YEAR:
        return "令和", year - ERA_OFFSETS["令和"]
    if year >= HEISEI_FIRST_YEAR:
        return "平成", year - ERA_OFFSETS["平成"]
    raise ValueError(f"平成より前の年は和暦で表示できません: {year}")


def _period_suffix(period: str) -> str:
    try:
        return PERIOD_SUFFIXES[PeriodKind(period)]
    except ValueError:
        raise ValueError(f"period must be 'fiscal' or 'calendar', not {period!r}") from None


def _parse_single_year(normalized: str, original: str) -> int:
    era_match = _ERA_YEAR.fullmatch(normalized)
    if era_match is not None:
        return _era_to_gregorian(era_match["era"], era_match["number"], original)
    gregorian_match = _GREGORIAN_YEAR.fullmatch(normalized)
    if gregorian_match is not None:
        return _checked_year(int(gregorian_match["year"]), original)
    raise _unreadable(original)


def _era_to_gregorian(era_text: str, number_text: str, original: str) -> int:
    era = ERA_ALIASES[era_text.lower()]
    number = 1 if number_text == FIRST_ERA_YEAR else int(number_text)
    if number < 1 or (era == "平成" and number > HEISEI_LAST_ERA_YEAR):
        raise _unreadable(original)
    return _checked_year(ERA_OFFSETS[era] + number, original)


def _checked_year(year: int, original: object) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _unreadable(original)
    return year


def _unreadable(original: object) -> ValueError:
    return ValueError(f"年度を読み取れません: {original!r}")
