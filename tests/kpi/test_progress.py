"""Progress of a series toward its target, on the plan's own indicators."""

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kpi.progress import (
    STATUS_LABELS,
    Goal,
    Progress,
    Status,
    TargetKind,
    Tolerances,
    evaluate,
    expected_value,
    is_met,
    linear_forecast,
    mean_rate,
    status_counts,
)

D = Decimal

# 刑法犯認知件数: 1,869 → 1,400 (減少), over the plan period.
CRIME = Goal(D("1869"), 2023, D("1400"), 2029, TargetKind.DECREASE)
# 介護を必要としない高齢者の割合: 81.0% → 81.0%以上.
INDEPENDENT_ELDERLY = Goal(D("81.0"), 2023, D("81.0"), 2029, TargetKind.AT_LEAST)
# 休日夜間急患センターの開設日数: 365日 → 365日 (維持).
CLINIC_DAYS = Goal(D("365"), 2023, D("365"), 2029, TargetKind.KEEP)
# 保育所等及び放課後児童クラブの待機児童数: 0人 → 待機児童なし.
NO_WAITING_CHILDREN = Goal(D("0"), 2023, D("0"), 2029, TargetKind.ZERO)
# 体験活動等への参加者数: 5,094人 → 5,000人以上.
EXPERIENCE = Goal(D("5094"), 2023, D("5000"), 2029, TargetKind.AT_LEAST)
# 学校体育館の空調機設置率: － → 100% (no baseline: measured from zero).
GYM_AIRCON = Goal(None, 2023, D("100"), 2029, TargetKind.INCREASE)
# 健康寿命（平均自立期間）: 男性 79.4 → 79.5, 女性 83.7 → 84.1 (2022 → 2028), two series.
HEALTHY_LIFE_MEN = Goal(D("79.4"), 2022, D("79.5"), 2028, TargetKind.INCREASE)
HEALTHY_LIFE_WOMEN = Goal(D("83.7"), 2022, D("84.1"), 2028, TargetKind.INCREASE)
# 新規就農者数（累計）: 17人 → 77人.
NEW_FARMERS = Goal(D("17"), 2023, D("77"), 2029, TargetKind.INCREASE)
# 年少人口: 26,186人 → 23,914人以上, a floor for a shrinking population.
CHILD_POPULATION = Goal(D("26186"), 2023, D("23914"), 2029, TargetKind.AT_LEAST)

STATUS_RANK = {Status.WORSE: 0, Status.BEHIND: 1, Status.ON_TRACK: 2, Status.ACHIEVED: 3}


def progress_of(goal: Goal, year: int, value: str, **tolerances: Decimal) -> Progress:
    return evaluate(goal, {year: D(value)}, tolerances=Tolerances(**tolerances))


def test_progress_counts_a_fall_toward_a_lower_target() -> None:
    progress = progress_of(CRIME, 2025, "1700")
    assert progress.rate == D("36.0")
    assert progress.expected is not None
    assert progress.expected.quantize(D("0.01")) == D("1712.67")
    assert progress.met is False
    assert progress.status is Status.ON_TRACK


def test_progress_is_behind_when_the_fall_lags_the_straight_line() -> None:
    progress = progress_of(CRIME, 2025, "1720")
    assert progress.rate == D("31.8")
    assert progress.status is Status.BEHIND


def test_on_track_margin_forgives_a_small_lag_behind_the_line() -> None:
    # Lag 7.33 件; 5% of the 469 件 distance is 23.45 件.
    progress = progress_of(CRIME, 2025, "1720", on_track_margin=D("0.05"))
    assert progress.status is Status.ON_TRACK
    assert progress_of(CRIME, 2025, "1740", on_track_margin=D("0.05")).status is Status.BEHIND


def test_progress_calls_a_rise_above_the_baseline_of_a_decrease_worse() -> None:
    progress = progress_of(CRIME, 2025, "1900")
    assert progress.rate == D("-6.6")
    assert progress.status is Status.WORSE


def test_progress_achieves_a_decrease_at_or_below_the_target() -> None:
    assert progress_of(CRIME, 2027, "1400").rate == D("100.0")
    beyond = progress_of(CRIME, 2027, "1350")
    assert (beyond.rate, beyond.met, beyond.status) == (D("110.7"), True, Status.ACHIEVED)


def test_a_floor_equal_to_the_baseline_is_achieved_while_held_and_worse_when_broken() -> None:
    held = progress_of(INDEPENDENT_ELDERLY, 2025, "81.3")
    assert (held.rate, held.met, held.status) == (None, True, Status.ACHIEVED)
    assert progress_of(INDEPENDENT_ELDERLY, 2025, "81.0").status is Status.ACHIEVED
    broken = progress_of(INDEPENDENT_ELDERLY, 2025, "80.5")
    assert (broken.rate, broken.met, broken.status) == (None, False, Status.WORSE)


def test_a_kept_value_is_achieved_only_when_kept() -> None:
    kept = progress_of(CLINIC_DAYS, 2025, "365")
    assert (kept.rate, kept.met, kept.status) == (None, True, Status.ACHIEVED)
    missed = progress_of(CLINIC_DAYS, 2025, "364")
    assert (missed.met, missed.status) == (False, Status.WORSE)


def test_keep_tolerance_is_relative_to_the_target() -> None:
    assert progress_of(CLINIC_DAYS, 2025, "362", keep_tolerance=D("0.01")).met is True
    assert progress_of(CLINIC_DAYS, 2025, "361", keep_tolerance=D("0.01")).met is False


def test_a_keep_target_not_yet_reached_is_behind_unless_it_moved_away() -> None:
    goal = Goal(D("360"), 2023, D("365"), 2029, TargetKind.KEEP)
    assert progress_of(goal, 2025, "362").status is Status.BEHIND
    assert progress_of(goal, 2025, "368").status is Status.BEHIND
    assert progress_of(goal, 2025, "358").status is Status.WORSE
    assert progress_of(goal, 2025, "362").rate is None


def test_a_keep_target_without_baseline_that_is_missed_is_worse() -> None:
    goal = Goal(None, 2023, D("365"), 2029, TargetKind.KEEP)
    assert progress_of(goal, 2025, "300").status is Status.WORSE


def test_no_waiting_children_is_achieved_only_at_zero() -> None:
    none_waiting = progress_of(NO_WAITING_CHILDREN, 2025, "0")
    assert (none_waiting.rate, none_waiting.met, none_waiting.status) == (
        None,
        True,
        Status.ACHIEVED,
    )
    some_waiting = progress_of(NO_WAITING_CHILDREN, 2025, "3")
    assert (some_waiting.rate, some_waiting.met, some_waiting.status) == (
        None,
        False,
        Status.WORSE,
    )


def test_a_zero_target_from_a_non_zero_baseline_is_a_fall_along_the_line() -> None:
    goal = Goal(D("12"), 2023, D("0"), 2029, TargetKind.ZERO)
    on_line = progress_of(goal, 2026, "6")
    assert (on_line.rate, on_line.expected, on_line.status) == (D("50.0"), D("6"), Status.ON_TRACK)
    assert progress_of(goal, 2026, "9").status is Status.BEHIND
    assert progress_of(goal, 2026, "15").status is Status.WORSE
    assert progress_of(goal, 2026, "0").status is Status.ACHIEVED


def test_a_floor_below_the_baseline_is_achieved_while_above_it() -> None:
    above = progress_of(EXPERIENCE, 2025, "5200")
    assert (above.rate, above.met, above.status) == (None, True, Status.ACHIEVED)
    assert progress_of(EXPERIENCE, 2025, "5000").status is Status.ACHIEVED
    below = progress_of(EXPERIENCE, 2025, "4999")
    assert (below.met, below.status) == (False, Status.WORSE)


def test_a_target_without_baseline_is_measured_from_zero() -> None:
    ahead = progress_of(GYM_AIRCON, 2025, "40")
    assert ahead.rate == D("40.0")
    assert ahead.expected is not None
    assert ahead.expected.quantize(D("0.01")) == D("33.33")
    assert ahead.status is Status.ON_TRACK
    lagging = progress_of(GYM_AIRCON, 2025, "30")
    assert (lagging.rate, lagging.status) == (D("30.0"), Status.BEHIND)
    assert progress_of(GYM_AIRCON, 2028, "100").status is Status.ACHIEVED


def test_healthy_life_expectancy_of_men_and_women_are_evaluated_as_two_series() -> None:
    men = progress_of(HEALTHY_LIFE_MEN, 2025, "79.5")
    women = progress_of(HEALTHY_LIFE_WOMEN, 2025, "83.8")
    assert (men.rate, men.status) == (D("100.0"), Status.ACHIEVED)
    assert (women.rate, women.expected, women.status) == (D("25.0"), D("83.9"), Status.BEHIND)
    assert progress_of(HEALTHY_LIFE_WOMEN, 2025, "83.9").status is Status.ON_TRACK
    assert progress_of(HEALTHY_LIFE_MEN, 2025, "79.4").status is Status.BEHIND
    worse = progress_of(HEALTHY_LIFE_MEN, 2025, "79.3")
    assert (worse.rate, worse.status) == (D("-100.0"), Status.WORSE)


def test_a_cumulative_count_follows_the_line_and_its_forecast() -> None:
    lagging = evaluate(NEW_FARMERS, {2024: D("26"), 2025: D("36")})
    assert (lagging.latest_year, lagging.latest_value) == (2025, D("36"))
    assert (lagging.rate, lagging.expected, lagging.status) == (D("31.7"), D("37"), Status.BEHIND)
    # The line runs through the baseline (2023, 17) as well as the two actuals.
    assert lagging.forecast is not None and lagging.forecast_points == 3
    assert (lagging.forecast.quantize(D("0.01")), lagging.forecast_meets) == (D("73.83"), False)
    on_line = evaluate(NEW_FARMERS, {2024: D("27"), 2025: D("37")})
    assert (on_line.rate, on_line.status) == (D("33.3"), Status.ON_TRACK)
    assert (on_line.forecast, on_line.forecast_meets) == (D("77"), True)


def test_falling_below_the_child_population_floor_is_never_an_achievement() -> None:
    still_above = progress_of(CHILD_POPULATION, 2026, "25000")
    assert (still_above.rate, still_above.met, still_above.status) == (
        None,
        True,
        Status.ACHIEVED,
    )
    assert progress_of(CHILD_POPULATION, 2029, "23914").status is Status.ACHIEVED
    below = progress_of(CHILD_POPULATION, 2026, "23000")
    assert (below.rate, below.met, below.status) == (None, False, Status.WORSE)


def test_a_floor_above_the_baseline_is_a_rise_along_the_line() -> None:
    goal = Goal(D("40"), 2023, D("50"), 2029, TargetKind.AT_LEAST)
    assert (progress_of(goal, 2026, "45").rate, progress_of(goal, 2026, "45").status) == (
        D("50.0"),
        Status.ON_TRACK,
    )
    assert progress_of(goal, 2026, "42").status is Status.BEHIND
    assert progress_of(goal, 2026, "39").status is Status.WORSE
    assert progress_of(goal, 2026, "50").status is Status.ACHIEVED


def test_a_ceiling_above_the_baseline_is_achieved_while_under_it() -> None:
    goal = Goal(D("40.0"), 2023, D("46.7"), 2029, TargetKind.AT_MOST)
    under = progress_of(goal, 2026, "45.0")
    assert (under.rate, under.status) == (None, Status.ACHIEVED)
    assert progress_of(goal, 2026, "47.0").status is Status.WORSE


def test_a_ceiling_below_the_baseline_is_a_fall_along_the_line() -> None:
    goal = Goal(D("50.0"), 2023, D("46.7"), 2029, TargetKind.AT_MOST)
    ahead = progress_of(goal, 2026, "48.0")
    assert (ahead.rate, ahead.expected, ahead.status) == (D("60.6"), D("48.35"), Status.ON_TRACK)
    lagging = progress_of(goal, 2026, "49.5")
    assert (lagging.rate, lagging.status) == (D("15.2"), Status.BEHIND)
    assert progress_of(goal, 2026, "51.0").status is Status.WORSE
    assert progress_of(goal, 2026, "46.7").status is Status.ACHIEVED


def test_expected_value_lies_on_the_straight_line_clamped_to_the_plan_period() -> None:
    assert expected_value(CRIME, 2023) == D("1869")
    assert expected_value(CRIME, 2026) == D("1634.5")
    assert expected_value(CRIME, 2029) == D("1400")
    assert expected_value(CRIME, 2020) == D("1869")
    assert expected_value(CRIME, 2035) == D("1400")
    assert expected_value(GYM_AIRCON, 2026) == D("50")
    assert expected_value(CLINIC_DAYS, 2026) == D("365")


def test_linear_forecast_fits_a_least_squares_line() -> None:
    actuals = {2023: D("10"), 2024: D("12"), 2025: D("17")}
    assert linear_forecast(actuals, 2027) == D("23.5")
    assert linear_forecast({2024: D("1800"), 2025: D("1700")}, 2029) == D("1300")


def test_linear_forecast_needs_two_actuals() -> None:
    assert linear_forecast({2025: D("1700")}, 2029) is None
    assert linear_forecast({}, 2029) is None
    single = evaluate(CRIME, {2025: D("1700")})
    assert (single.forecast, single.forecast_meets) == (None, None)


def test_as_of_ignores_actuals_of_later_years() -> None:
    actuals = {2024: D("1800"), 2025: D("1700"), 2026: D("1300")}
    as_of_2025 = evaluate(CRIME, actuals, as_of=2025)
    assert (as_of_2025.latest_year, as_of_2025.latest_value) == (2025, D("1700"))
    assert as_of_2025.status is Status.ON_TRACK
    assert as_of_2025.forecast is not None  # through 1,869 (2023), 1,800 and 1,700
    assert (as_of_2025.forecast.quantize(D("0.1")), as_of_2025.forecast_meets) == (
        D("1367.2"),
        True,
    )
    assert evaluate(CRIME, actuals).status is Status.ACHIEVED


def test_a_series_without_actuals_has_no_data() -> None:
    for progress in [evaluate(CRIME, {}), evaluate(CRIME, {2026: D("1700")}, as_of=2025)]:
        assert progress.status is Status.NO_DATA
        assert (progress.rate, progress.met, progress.latest_year) == (None, None, None)
        assert progress.status_label == "未入力"


def test_is_met_reads_each_kind_of_target() -> None:
    assert is_met(CRIME, D("1400")) and not is_met(CRIME, D("1401"))
    assert is_met(GYM_AIRCON, D("100")) and not is_met(GYM_AIRCON, D("99.9"))
    assert is_met(CHILD_POPULATION, D("23914")) and not is_met(CHILD_POPULATION, D("23913"))
    assert is_met(CLINIC_DAYS, D("365")) and not is_met(CLINIC_DAYS, D("366"))
    assert is_met(NO_WAITING_CHILDREN, D("0")) and not is_met(NO_WAITING_CHILDREN, D("1"))


def test_goal_accepts_the_kind_as_stored_text() -> None:
    assert Goal(D("1"), 2023, D("2"), 2029, "increase").kind is TargetKind.INCREASE  # type: ignore[arg-type]


def test_status_counts_lists_every_status() -> None:
    progresses = [
        progress_of(CRIME, 2025, "1700"),
        progress_of(CRIME, 2025, "1900"),
        progress_of(CLINIC_DAYS, 2025, "365"),
        evaluate(CRIME, {}),
    ]
    assert status_counts(progresses) == {
        Status.ACHIEVED: 1,
        Status.ON_TRACK: 1,
        Status.BEHIND: 0,
        Status.WORSE: 1,
        Status.NO_DATA: 1,
        Status.AT_RISK: 0,
        Status.FLAT: 0,
        Status.NOT_EVALUABLE: 0,
    }
    assert status_counts([]) == dict.fromkeys(Status, 0)
    assert set(STATUS_LABELS) == set(Status)


def test_mean_rate_clamps_each_rate_to_0_100_and_skips_series_without_one() -> None:
    progresses = [
        progress_of(CRIME, 2025, "1700"),  # 36.0
        progress_of(CRIME, 2027, "1350"),  # 110.7 → 100
        progress_of(CRIME, 2025, "1900"),  # -6.6 → 0
        progress_of(CLINIC_DAYS, 2025, "365"),  # None
        evaluate(CRIME, {}),  # None
    ]
    assert mean_rate(progresses) == D("45.3")
    assert mean_rate([progress_of(CLINIC_DAYS, 2025, "365")]) is None


def test_tolerances_cannot_be_negative() -> None:
    with pytest.raises(ValueError):
        Tolerances(on_track_margin=D("-0.1"))


amounts = st.decimals(min_value=-1000, max_value=1000, places=1, allow_nan=False)
directed_kinds = st.sampled_from(
    [TargetKind.INCREASE, TargetKind.DECREASE, TargetKind.AT_LEAST, TargetKind.AT_MOST]
)


@st.composite
def directed_goals(draw: st.DrawFn, kinds: st.SearchStrategy[TargetKind] = directed_kinds) -> Goal:
    kind = draw(kinds)
    baseline = draw(st.none() | amounts)
    target = draw(amounts)
    start = baseline if baseline is not None else D(0)
    assume(kind is not TargetKind.INCREASE or target > start)
    assume(kind is not TargetKind.DECREASE or target < start)
    baseline_year = draw(st.integers(min_value=2018, max_value=2025))
    span = draw(st.integers(min_value=1, max_value=10))
    return Goal(baseline, baseline_year, target, baseline_year + span, kind)


margins = st.builds(Tolerances, on_track_margin=st.sampled_from([D(0), D("0.05"), D("0.2")]))


@st.composite
def goals_with_an_actual(draw: st.DrawFn) -> tuple[Goal, int, Decimal]:
    """A goal and an actual, mostly inside the plan period and near the start-target line."""
    goal = draw(directed_goals())
    year = draw(
        st.integers(min_value=goal.baseline_year, max_value=goal.target_year)
        | st.integers(min_value=2015, max_value=2040)
    )
    share = draw(st.integers(min_value=-50, max_value=150))
    near_the_line = goal.start + (goal.target - goal.start) * share / 100
    return goal, year, draw(st.just(near_the_line) | amounts)


@settings(max_examples=500)
@given(goals_with_an_actual(), st.integers(min_value=0, max_value=10), margins)
def test_moving_the_latest_actual_toward_the_target_never_lowers_rate_or_status(
    goal_and_actual: tuple[Goal, int, Decimal], tenths: int, tolerances: Tolerances
) -> None:
    goal, year, value = goal_and_actual
    closer = value + (goal.target - value) * tenths / 10
    before = evaluate(goal, {year: value}, tolerances=tolerances)
    after = evaluate(goal, {year: closer}, tolerances=tolerances)
    assert STATUS_RANK[after.status] >= STATUS_RANK[before.status]
    if not before.met:
        assert (before.rate is None) == (after.rate is None)
        if before.rate is not None and after.rate is not None:
            assert after.rate >= before.rate


@given(
    directed_goals(st.sampled_from([TargetKind.INCREASE, TargetKind.DECREASE])),
    st.integers(min_value=2015, max_value=2040),
)
def test_rate_is_exactly_100_when_the_latest_actual_equals_the_target(
    goal: Goal, year: int
) -> None:
    progress = evaluate(goal, {year: goal.target})
    assert progress.rate == D("100")
    assert progress.status is Status.ACHIEVED
