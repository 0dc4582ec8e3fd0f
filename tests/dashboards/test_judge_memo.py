"""``judge`` remembers verdicts by their inputs (issue 16): a page judged again after a change
judges only what changed, and a changed input is never answered from memory."""

from decimal import Decimal as D

from dashboards.series import _judged, judge
from indicators.goals import tolerances
from kpi.progress import Goal, Status, TargetKind, evaluate

GOAL = Goal(D("40.0"), 2023, D("50.0"), 2029, TargetKind.INCREASE)


def test_a_verdict_is_the_evaluation_of_the_same_inputs() -> None:
    _judged.cache_clear()
    actuals = {2024: D("41.0"), 2025: D("43.0")}
    assert judge(GOAL, actuals, 2025) == evaluate(
        GOAL, actuals, as_of=2025, tolerances=tolerances()
    )
    assert judge(GOAL, dict(reversed(actuals.items())), 2025) is judge(GOAL, actuals, 2025)
    assert _judged.cache_info().hits == 2  # the same inputs, in any order of years


def test_a_changed_value_target_or_year_is_judged_again() -> None:
    behind = judge(GOAL, {2025: D("40.5")}, 2025)
    assert behind.status is Status.BEHIND
    assert judge(GOAL, {2025: D("50.0")}, 2025).status is Status.ACHIEVED
    lower = Goal(D("40.0"), 2023, D("40.5"), 2029, TargetKind.INCREASE)
    assert judge(lower, {2025: D("40.5")}, 2025).status is Status.ACHIEVED
    assert judge(GOAL, {2025: D("40.5")}, 2024).status is Status.NO_DATA
    assert judge(GOAL, {2025: D("40.5")}, 2025, forecast=False).forecast is None
