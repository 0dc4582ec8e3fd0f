"""The entry rules of an actual, in plain Python (the form that applies them:
tests/indicators/test_forms.py)."""

from datetime import date
from decimal import Decimal

from kpi import entry_rules as validation
from kpi.entry_rules import EntryRules

PERCENT = EntryRules(
    unit="％",
    decimals=1,
    allow_negative=False,
    period_kind="fiscal",
    first_year=2023,
    last_year=2029,
    current_year=2026,
)
PEOPLE = EntryRules(
    unit="人",
    decimals=0,
    allow_negative=False,
    period_kind="fiscal",
    first_year=2023,
    last_year=2029,
    current_year=2026,
)
SHARE = Decimal("0.3")


def test_a_percentage_must_lie_between_0_and_100() -> None:
    assert validation.value_errors(Decimal("100"), PERCENT) == []
    assert validation.value_errors(Decimal("0"), PERCENT) == []
    assert validation.value_errors(Decimal("100.1"), PERCENT) == [
        "割合（％）は0から100までの値を入力してください。"
    ]
    assert validation.value_errors(Decimal("-1"), PERCENT) == [
        "割合（％）は0から100までの値を入力してください。"
    ]


def test_a_half_width_percent_sign_is_a_percentage_too() -> None:
    assert validation.is_percent("%") and validation.is_percent("％")
    assert not validation.is_percent("人")


def test_counts_may_not_be_negative_unless_the_indicator_allows_it() -> None:
    assert validation.value_errors(Decimal("-3"), PEOPLE) == [
        "負の値は入力できません（この指標は0以上の値です）。"
    ]
    net_change = EntryRules(**{**PEOPLE.__dict__, "allow_negative": True})
    assert validation.value_errors(Decimal("-3"), net_change) == []


def test_no_more_decimals_than_the_indicator_prints() -> None:
    assert validation.value_errors(Decimal("95.25"), PERCENT) == [
        "小数点以下は1桁までで入力してください。"
    ]
    assert validation.value_errors(Decimal("95.20"), PERCENT) == []
    assert validation.value_errors(Decimal("12.5"), PEOPLE) == [
        "整数で入力してください（この指標は小数を使いません）。"
    ]
    assert validation.value_errors(Decimal("1.2E+3"), PEOPLE) == []


def test_decimal_places_ignore_trailing_zeros() -> None:
    assert [validation.decimal_places(Decimal(v)) for v in ("96.10", "100", "1E+2", "0.25")] == [
        1,
        0,
        0,
        2,
    ]


def test_the_year_must_lie_within_the_plan_and_not_in_the_future() -> None:
    assert validation.year_errors(2024, PERCENT) == []
    assert validation.year_errors(2026, PERCENT) == []  # the current fiscal year itself
    assert validation.year_errors(2027, PERCENT) == [
        "令和9年度はまだ来ていません。令和8年度までの実績値を入力できます。"
    ]
    assert validation.year_errors(2022, PERCENT) == [
        "令和4年度は計画の対象期間（令和5年度から）より前です。"
    ]
    after_the_plan = EntryRules(**{**PERCENT.__dict__, "current_year": 2031})
    assert validation.year_errors(2030, after_the_plan) == [
        "令和12年度は計画の対象期間（令和11年度まで）より後です。"
    ]


def test_calendar_indicators_may_enter_the_current_calendar_year() -> None:
    january = date(2027, 1, 15)  # still fiscal year 2026
    assert validation.current_year("fiscal", january) == 2026
    assert validation.current_year("calendar", january) == 2027


def test_a_move_beyond_the_share_is_a_jump_and_a_smaller_one_is_not() -> None:
    def jump(value: str, previous: str | None) -> validation.Jump | None:
        prev = Decimal(previous) if previous is not None else None
        return validation.jump(Decimal(value), prev, previous_year=2023, share=SHARE, rules=PEOPLE)

    assert jump("130", "100") is None  # exactly 30%
    assert jump("131", "100") is not None
    assert jump("69", "100") is not None
    assert jump("70", "100") is None
    assert jump("5", None) is None  # nothing to compare with
    assert jump("1", "0") is not None  # from 0, any change
    assert jump("0", "0") is None


def test_the_jump_warning_names_the_previous_value_and_the_change() -> None:
    jump = validation.jump(
        Decimal("1400"), Decimal("1000"), previous_year=2023, share=SHARE, rules=PEOPLE
    )
    assert jump is not None
    assert jump.message() == (
        "前年度（令和5年度）の値 1,000人 から大きく変化しています（+40.0%）。"
        "正しい値であれば、備考に理由を記入し、「大きな変化を確認」にチェックして保存してください。"
    )
    assert validation.note_required_message("calendar") == (
        "前年から大きく変化した理由を備考に記入してください。"
    )


def _rules(unit: str, decimals: int) -> EntryRules:
    return validation.rules_for(
        unit=unit,
        decimals=decimals,
        allow_negative=False,
        period_kind="fiscal",
        ranges=[(2023, 2029)],
        fallback_last=None,
        today=date(2026, 11, 29),
    )


def test_a_written_unit_must_be_the_indicators() -> None:
    assert validation.read_value("１，８６９件", "件") == Decimal("1869")
    assert validation.read_value("30.2％", "％") == Decimal("30.2")
    assert validation.read_value("30.2%", "％") == Decimal("30.2")
    assert validation.read_value("265万人", "万人") == Decimal("265")
    assert validation.read_value("81", "％") == Decimal("81")  # no unit: the indicator's
    for typed, unit in [("81人", "％"), ("2,650,000人", "万人"), ("5件", "人")]:
        try:
            validation.read_value(typed, unit)
        except validation.WrongUnit as wrong:
            assert str(wrong).endswith(f"がこの指標の単位「{unit}」と違います。"), wrong
        else:
            raise AssertionError(f"{typed} accepted for {unit}")


def test_an_indicator_without_a_unit_reads_any_unit_and_text_is_still_refused() -> None:
    assert validation.read_value("12件", "") == Decimal("12")
    try:
        validation.read_value("約300", "人")
    except validation.WrongUnit:
        raise AssertionError("not a unit problem") from None
    except ValueError:
        pass


def test_a_percent_share_takes_one_decimal_even_where_the_plan_prints_whole_targets() -> None:
    assert validation.entry_decimals("％", 0) == 1
    assert validation.entry_decimals("％", 1) == 1 and validation.entry_decimals("％", 2) == 2
    assert validation.entry_decimals("人", 0) == 0
    rules = _rules("％", 0)  # 学校体育館の空調機設置率: target 100％
    assert validation.value_errors(Decimal("12.5"), rules) == []
    assert validation.value_errors(Decimal("12.55"), rules) == [
        "小数点以下は1桁までで入力してください。"
    ]
    assert validation.value_errors(Decimal("12.5"), _rules("人", 0)) == [
        "整数で入力してください（この指標は小数を使いません）。"
    ]


def test_a_value_is_shown_with_the_decimals_it_was_allowed() -> None:
    assert validation.shown_decimals(Decimal("12.5"), "％", 0) == 1
    assert validation.shown_decimals(Decimal("100"), "％", 0) == 0
    assert validation.shown_decimals(Decimal("95.25"), "％", 1) == 1  # old data: as printed
    assert validation.shown_decimals(Decimal("12.5000"), "人", 0) == 0
