"""Plausible made-up actuals for a first look at the dashboards (デモデータ), in plain Python.

``manage.py create_demo_actuals`` (DEBUG only) asks ``demo_actuals`` for each series with a
target. The outcome of a series — 順調, 達成, 遅れ, 悪化 or none at all (未入力) — follows from a
checksum of its key, so that every run makes the same values and the plan shows every status
in plausible shares. Values move along the straight line from the baseline to the target at a
pace the outcome gives, with a small wobble, rounded to the indicator's decimals and kept
within what the entry rules accept (％ within 0–100, no negatives unless allowed).
"""

import zlib
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from kpi.progress import Goal, TargetKind, is_hold_goal


class Outcome(StrEnum):
    ON_TRACK = "on_track"
    ACHIEVED = "achieved"
    BEHIND = "behind"
    WORSE = "worse"
    NONE = "none"  # no actuals: 未入力


# Shares out of 100, in this order: a plan that is mostly moving, with some of everything.
_SHARES = (
    (Outcome.ON_TRACK, 38),
    (Outcome.ACHIEVED, 17),
    (Outcome.BEHIND, 22),
    (Outcome.WORSE, 13),
    (Outcome.NONE, 10),
)
# The share of the straight line's progress reached by a year, per outcome.
_PACE = {
    Outcome.ON_TRACK: Decimal("1.12"),
    Outcome.BEHIND: Decimal("0.45"),
}


def checksum(key: str) -> int:
    return zlib.crc32(key.encode("utf-8"))


def outcome_for(key: str, goal: Goal, *, cumulative: bool) -> Outcome:
    """The series' outcome from its key (e.g. "K011/1"). A goal with nothing to cover is either
    kept (達成) or broken (悪化); a cumulative count never falls, so it is late, not worse."""
    outcome = _dealt(checksum(key) % 100)
    if is_hold_goal(goal) and outcome in (Outcome.ON_TRACK, Outcome.BEHIND):
        return Outcome.ACHIEVED
    if cumulative and outcome is Outcome.WORSE:
        return Outcome.BEHIND
    return outcome


def _dealt(bucket: int) -> Outcome:
    for outcome, share in _SHARES:
        if bucket < share:
            return outcome
        bucket -= share
    return Outcome.NONE


def demo_actuals(
    key: str,
    goal: Goal,
    years: range,
    *,
    settled: int,
    decimals: int,
    percent: bool,
    allow_negative: bool,
    cumulative: bool = False,
) -> dict[int, Decimal]:
    """Values by year for the series, or {} for a series left 未入力. ``settled`` is the year
    whose value shows the outcome (the last approved one); later years go on at the same pace."""
    outcome = outcome_for(key, goal, cumulative=cumulative)
    if outcome is Outcome.NONE or not years:
        return {}
    values = {}
    for year in years:
        raw = _value(goal, outcome, year, last=settled, wobble=_wobble(key, year, settled))
        values[year] = _fit(raw, decimals=decimals, percent=percent, allow_negative=allow_negative)
    return values


def _wobble(key: str, year: int, last: int) -> Decimal:
    """−3 … +3 % of the distance, never from the settled year on (which decides the status)."""
    if year >= last:
        return Decimal(0)
    return Decimal(checksum(f"{key}/{year}") % 7 - 3) / 100


def _value(goal: Goal, outcome: Outcome, year: int, *, last: int, wobble: Decimal) -> Decimal:
    start = goal.start
    if is_hold_goal(goal):
        return _held(goal, outcome)
    distance = goal.aim - start
    span = Decimal(max(goal.target_year - goal.baseline_year, 1))
    elapsed = Decimal(year - goal.baseline_year)
    if outcome is Outcome.ACHIEVED:
        share = min(elapsed / Decimal(max(last - goal.baseline_year, 1)), Decimal(1))
        share *= Decimal("1.02")
    elif outcome is Outcome.WORSE:
        share = Decimal("-0.04") * elapsed
    else:
        share = min(elapsed / span * _PACE[outcome], Decimal("0.95"))
    return start + distance * (share + wobble)


def _held(goal: Goal, outcome: Outcome) -> Decimal:
    """A floor, ceiling, value to keep or zero that the baseline meets: kept, or broken."""
    target = goal.aim
    if outcome is Outcome.ACHIEVED:
        if goal.kind in (TargetKind.KEEP, TargetKind.ZERO):
            return target
        # Stay on the right side of the bound, a little closer to it than the baseline.
        base = goal.start
        return base + (target - base) * Decimal("0.3")
    if goal.kind is TargetKind.ZERO:
        return Decimal(2)
    if goal.kind is TargetKind.AT_MOST:
        return target * Decimal("1.05") + 1
    return target * Decimal("0.95")


def _fit(value: Decimal, *, decimals: int, percent: bool, allow_negative: bool) -> Decimal:
    if percent:
        value = min(max(value, Decimal(0)), Decimal(100))
    elif not allow_negative:
        value = max(value, Decimal(0))
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded
