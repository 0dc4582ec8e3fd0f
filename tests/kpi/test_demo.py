"""kpi.demo: made-up actuals whose last settled value has the outcome the series was dealt."""

from decimal import Decimal

import pytest

from kpi.demo import Outcome, demo_actuals, outcome_for
from kpi.progress import Goal, Status, TargetKind, Tolerances, evaluate

INCREASE = Goal(Decimal("95.2"), 2023, Decimal("96.5"), 2029, TargetKind.INCREASE)
DECREASE = Goal(Decimal("300"), 2023, Decimal("250"), 2029, TargetKind.DECREASE)
FLOOR_MET = Goal(Decimal("26186"), 2023, Decimal("23914"), 2029, TargetKind.AT_LEAST)
TOLERANCES = Tolerances(on_track_margin=Decimal("0.05"))
EXPECTED = {
    Outcome.ON_TRACK: Status.ON_TRACK,
    Outcome.ACHIEVED: Status.ACHIEVED,
    Outcome.BEHIND: Status.BEHIND,
    Outcome.WORSE: Status.WORSE,
}


def _key_for(outcome: Outcome, goal: Goal) -> str:
    return next(
        key
        for key in (f"K{n:03}/1" for n in range(1, 1000))
        if outcome_for(key, goal, cumulative=False) is outcome
    )


@pytest.mark.parametrize(
    ("goal", "percent"), [(INCREASE, True), (DECREASE, False)], ids=["increase", "decrease"]
)
@pytest.mark.parametrize("outcome", list(EXPECTED))
def test_a_distance_goal_ends_up_in_the_status_it_was_dealt(
    goal: Goal, percent: bool, outcome: Outcome
) -> None:
    key = _key_for(outcome, goal)
    values = demo_actuals(
        key,
        goal,
        range(2024, 2027),
        settled=2025,
        decimals=1,
        percent=percent,
        allow_negative=False,
    )

    progress = evaluate(goal, values, as_of=2025, tolerances=TOLERANCES)
    assert progress.status is EXPECTED[outcome]
    assert all(Decimal(0) <= v <= Decimal(100) for v in values.values()) or not percent


def test_a_floor_the_baseline_meets_is_kept_or_broken_never_late() -> None:
    outcomes = {outcome_for(f"K{n:03}/1", FLOOR_MET, cumulative=False) for n in range(200)}
    assert outcomes == {Outcome.ACHIEVED, Outcome.WORSE, Outcome.NONE}


def test_a_series_dealt_none_has_no_values() -> None:
    key = _key_for(Outcome.NONE, INCREASE)
    assert (
        demo_actuals(
            key,
            INCREASE,
            range(2024, 2026),
            settled=2025,
            decimals=1,
            percent=True,
            allow_negative=False,
        )
        == {}
    )


def test_values_follow_the_indicators_decimals_and_are_the_same_every_time() -> None:
    key = _key_for(Outcome.ON_TRACK, DECREASE)
    first = demo_actuals(
        key,
        DECREASE,
        range(2024, 2027),
        settled=2025,
        decimals=0,
        percent=False,
        allow_negative=False,
    )
    assert first == demo_actuals(
        key,
        DECREASE,
        range(2024, 2027),
        settled=2025,
        decimals=0,
        percent=False,
        allow_negative=False,
    )
    assert all(v == v.to_integral_value() for v in first.values())


def test_a_cumulative_count_is_never_dealt_a_fall() -> None:
    outcomes = {outcome_for(f"K{n:03}/1", INCREASE, cumulative=True) for n in range(200)}
    assert Outcome.WORSE not in outcomes
