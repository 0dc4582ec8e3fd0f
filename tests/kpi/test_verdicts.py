"""The verdicts a planning official would sign (issue 11), each on the plan's own indicator."""

from decimal import Decimal

from kpi.progress import (
    BaselineMeaning,
    Goal,
    KeepDirection,
    Revision,
    Status,
    TargetKind,
    evaluate,
    expected_value,
)

D = Decimal

# K062 新規就農者数（累計）: 17名 → 77名.
NEW_FARMERS = Goal(D("17"), 2023, D("77"), 2029, TargetKind.INCREASE)
# K003 従業者数（公務を除く）: 98,564人 (令和3年) → 98,600人 (令和8年), inside a plan to 2029.
EMPLOYEES = Goal(D("98564"), 2021, D("98600"), 2026, TargetKind.INCREASE)
# K041 学校体育館の空調機設置率: － (none yet) → 100%.
GYM_AIRCON = Goal(None, 2023, D("100"), 2029, TargetKind.INCREASE)
# K010 「伊勢崎市はデジタル化が進んでいる」と感じる市民の割合: － (not measured yet) → 50.0%.
DIGITAL = Goal(
    None, 2023, D("50.0"), 2029, TargetKind.INCREASE, baseline_meaning=BaselineMeaning.UNMEASURED
)
# K052 休日夜間急患センターの開設日数: 365日 → 365日 (維持, at least).
CLINIC_DAYS = Goal(
    D("365"), 2023, D("365"), 2029, TargetKind.KEEP, keep_direction=KeepDirection.AT_LEAST
)
# 年少人口: 26,186人 → 23,914人以上.
CHILD_POPULATION = Goal(D("26186"), 2023, D("23914"), 2029, TargetKind.AT_LEAST)
# K007 多文化共生の推進に関する満足度: 30.2% → 31.7%, sampling error ±1.0 pt.
MULTICULTURAL = Goal(D("30.2"), 2023, D("31.7"), 2029, TargetKind.INCREASE, noise_band=D("1.0"))
# K006 刑法犯認知件数: 1,869件 → 1,400件.
CRIME = Goal(D("1869"), 2023, D("1400"), 2029, TargetKind.DECREASE)


def test_a_cumulative_count_entered_year_by_year_is_judged_on_its_running_total() -> None:
    yearly = Goal(**{**NEW_FARMERS.__dict__, "yearly_amounts": True})
    by_year = evaluate(yearly, {2024: D("12"), 2025: D("12")})
    as_totals = evaluate(NEW_FARMERS, {2024: D("29"), 2025: D("41")})
    assert (by_year.latest_value, by_year.rate, by_year.status) == (
        D("41"),
        D("40.0"),
        Status.ON_TRACK,
    )
    assert (as_totals.latest_value, as_totals.rate, as_totals.status) == (
        by_year.latest_value,
        by_year.rate,
        by_year.status,
    )


def test_the_verdict_is_the_one_at_the_target_year_later_values_do_not_rewrite_it() -> None:
    met = evaluate(EMPLOYEES, {2026: D("98700"), 2028: D("98400")}, as_of=2029)
    assert (met.latest_year, met.status, met.final, met.target_year_passed) == (
        2026,
        Status.ACHIEVED,
        True,
        True,
    )
    assert met.forecast is None  # the target year's value is in: nothing left to forecast
    missed = evaluate(EMPLOYEES, {2026: D("98500"), 2028: D("98700")}, as_of=2029)
    assert (missed.latest_year, missed.met, missed.status) == (2026, False, Status.WORSE)
    before = evaluate(EMPLOYEES, {2024: D("98580")}, as_of=2025)
    assert (before.final, before.target_year_passed) == (False, False)


def test_a_baseline_of_none_yet_starts_from_zero() -> None:
    progress = evaluate(GYM_AIRCON, {2025: D("20")})
    assert (progress.rate, progress.status) == (D("20.0"), Status.BEHIND)


def test_a_baseline_not_measured_yet_makes_the_first_survey_the_start() -> None:
    first = evaluate(DIGITAL, {2025: D("20.0")})
    assert (first.rate, first.status) == (None, Status.NOT_EVALUABLE)
    second = evaluate(DIGITAL, {2025: D("20.0"), 2026: D("26.0")})
    assert second.rate == D("20.0")  # (26 − 20) / (50 − 20)
    assert expected_value(Goal(D("20.0"), 2025, D("50.0"), 2029, TargetKind.INCREASE), 2026) == D(
        "27.5"
    )
    assert second.status is Status.BEHIND


def test_a_lower_target_with_no_measured_baseline_is_not_worse_at_its_first_value() -> None:
    lower = Goal(
        None, 2023, D("10"), 2029, TargetKind.AT_MOST, baseline_meaning=BaselineMeaning.UNMEASURED
    )
    assert evaluate(lower, {2025: D("15")}).status is Status.NOT_EVALUABLE


def test_a_keep_target_that_is_a_floor_is_met_by_a_leap_year() -> None:
    assert evaluate(CLINIC_DAYS, {2027: D("366")}).status is Status.ACHIEVED
    exact = Goal(D("365"), 2023, D("365"), 2029, TargetKind.KEEP)
    assert evaluate(exact, {2027: D("366")}).status is Status.WORSE
    assert evaluate(CLINIC_DAYS, {2027: D("364")}).status is Status.WORSE


def test_a_floor_met_today_that_the_trend_will_break_is_met_but_at_risk() -> None:
    progress = evaluate(CHILD_POPULATION, {2024: D("25500"), 2025: D("24800")})
    assert progress.met is True and progress.forecast_meets is False
    assert progress.status is Status.AT_RISK
    assert progress.status_label == "達成（要注意）"
    assert "届かない見込み" in progress.forecast_note


def test_a_survey_share_within_its_noise_band_is_flat() -> None:
    assert evaluate(MULTICULTURAL, {2025: D("29.9")}).status is Status.FLAT
    plain = Goal(D("30.2"), 2023, D("31.7"), 2029, TargetKind.INCREASE)
    assert evaluate(plain, {2025: D("29.9")}).status is Status.WORSE
    assert evaluate(MULTICULTURAL, {2025: D("29.0")}).status is Status.WORSE


def test_a_decrease_exactly_at_its_baseline_is_zero_not_minus_zero() -> None:
    progress = evaluate(CRIME, {2025: D("1869")})
    assert str(progress.rate) == "0.0"
    assert f"{progress.rate:.1f}%" == "0.0%"


def test_interim_targets_make_the_expected_line_run_through_them() -> None:
    # 空調機設置率 in steps: 0% until 2026, 50% in 2027, 100% in 2029.
    stepped = Goal(
        None, 2023, D("100"), 2029, TargetKind.INCREASE, interim=((2026, D("0")), (2027, D("50")))
    )
    assert expected_value(stepped, 2025) == 0
    assert expected_value(stepped, 2027) == 50
    assert expected_value(stepped, 2028) == 75
    assert evaluate(stepped, {2025: D("0")}).status is Status.ON_TRACK


def test_a_revised_target_applies_from_its_effective_year_only() -> None:
    revised = Goal(
        D("17"),
        2023,
        D("77"),
        2029,
        TargetKind.INCREASE,
        revisions=(Revision(2027, D("60"), 2029),),
    )
    before = evaluate(revised, {2026: D("50")}, as_of=2026)
    after = evaluate(revised, {2026: D("50"), 2027: D("55")}, as_of=2027)
    assert before.rate == D("55.0")  # (50 − 17) / (77 − 17)
    assert after.rate == D("88.4")  # (55 − 17) / (60 − 17)


def test_the_forecast_goes_through_the_baseline_and_needs_three_points() -> None:
    one = evaluate(CRIME, {2024: D("1800")})
    assert one.forecast is None and one.forecast_points == 2
    assert "3点以上" in one.forecast_note
    two = evaluate(CRIME, {2024: D("1800"), 2025: D("1700")})
    assert two.forecast_points == 3 and two.forecast is not None
