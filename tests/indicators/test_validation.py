"""Entry rules for actuals: the plain module without HTTP, then the form that both admins use."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators import validation
from indicators.forms import ActualForm, actual_form_for, entry_rules
from indicators.models import Actual, Indicator
from indicators.validation import EntryRules
from indicators.wareki import fiscal_year_of, year_label
from tests.conftest import add_actual
from tests.indicators.admin_forms import form_data

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


# --- the form (ActualForm), as both admins use it ---------------------------------------------
def form_for(
    user: AbstractUser, data: dict[str, object], instance: Actual | None = None
) -> ActualForm:
    return actual_form_for(user)(data=data, instance=instance)


@pytest.mark.django_db
def test_the_form_puts_each_message_next_to_its_field(
    childcare_indicator: Indicator, sato: AbstractUser
) -> None:
    series = childcare_indicator.series.get()
    future = fiscal_year_of(timezone.localdate()) + 1
    form = form_for(sato, {"series": series.pk, "year": future, "value": "101.25", "note": ""})

    assert not form.is_valid()
    newest = year_label(future - 1)
    assert form.errors["year"] == [
        f"{year_label(future)}はまだ来ていません。{newest}までの実績値を入力できます。"
    ]
    assert form.errors["value"] == [
        "割合（％）は0から100までの値を入力してください。",
        "小数点以下は1桁までで入力してください。",
    ]


@pytest.mark.django_db
def test_a_large_change_asks_for_a_note_and_a_confirmation_then_saves(
    childcare_indicator: Indicator, sato: AbstractUser
) -> None:
    series = childcare_indicator.series.get()
    data = {"series": series.pk, "year": 2024, "value": "60.0", "note": ""}

    first = form_for(sato, data)
    assert not first.is_valid()
    assert "大きく変化しています（-37.0%）" in first.errors["value"][0]  # vs the 2023 baseline
    assert first.errors["note"] == ["前年度から大きく変化した理由を備考に記入してください。"]
    assert 'name="confirm_jump"' in str(first["confirm_jump"])  # the checkbox appears

    with_note = form_for(sato, {**data, "note": "調査方法の変更"})
    assert not with_note.is_valid() and "value" in with_note.errors

    confirmed = form_for(sato, {**data, "note": "調査方法の変更", "confirm_jump": "on"})
    assert confirmed.is_valid(), confirmed.errors
    assert confirmed.save().value == Decimal("60.0")


@pytest.mark.django_db
def test_the_confirmation_checkbox_is_hidden_without_a_warning(
    childcare_indicator: Indicator, sato: AbstractUser
) -> None:
    series = childcare_indicator.series.get()
    form = form_for(sato, {"series": series.pk, "year": 2024, "value": "95.6", "note": ""})
    assert form.is_valid(), form.errors
    assert str(form["confirm_jump"]) == ""


@pytest.mark.django_db
def test_the_previous_years_actual_is_what_a_value_is_compared_with(
    childcare_indicator: Indicator, sato: AbstractUser
) -> None:
    add_actual(childcare_indicator, 2024, "60.0")
    series = childcare_indicator.series.get()
    form = form_for(sato, {"series": series.pk, "year": 2025, "value": "61.0", "note": ""})
    assert form.is_valid(), form.errors  # 60.0 → 61.0, not 95.2 → 61.0


@pytest.mark.django_db
def test_an_unchanged_old_value_outside_todays_rules_does_not_block_a_save(
    childcare_indicator: Indicator, sato: AbstractUser
) -> None:
    old = add_actual(childcare_indicator, 2022, "95.25")  # before the plan, two decimals
    form = form_for(
        sato,
        {"series": old.series_id, "year": 2022, "value": "95.25", "note": "旧システムから移行"},
        instance=old,
    )
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_an_approved_value_is_locked_in_the_form(
    childcare_indicator: Indicator, sato: AbstractUser
) -> None:
    approved = add_actual(childcare_indicator, 2024, "95.5", status="approved")
    form = form_for(sato, {"series": approved.series_id, "year": 2024, "value": "1"}, approved)

    assert all(field.disabled for field in form.fields.values())
    assert form.is_valid()
    assert form.cleaned_data["value"] == Decimal("95.5")


@pytest.mark.django_db
def test_rules_come_from_the_indicator_and_its_targets(childcare_indicator: Indicator) -> None:
    rules = entry_rules(childcare_indicator, date(2026, 11, 29))
    assert rules == EntryRules(
        unit="％",
        decimals=1,
        allow_negative=False,
        period_kind="fiscal",
        first_year=2023,
        last_year=2029,
        current_year=2026,
    )


@pytest.mark.django_db
def test_the_indicator_page_warns_next_to_the_value_and_saves_once_confirmed(
    client: Client, admin_user: AbstractUser, sato: AbstractUser, childcare_actual: Actual
) -> None:
    url = reverse("admin:indicators_indicator_change", args=[childcare_actual.series.indicator_id])
    client.force_login(admin_user)
    data = form_data(client.get(url).text, "indicator_form")
    client.force_login(sato)
    new_row = {**data, "series-0-actuals-1-year": "2025", "series-0-actuals-1-value": "50.0"}

    warned = client.post(url, new_row)
    assert warned.status_code == 200
    assert 'id="id_series-0-actuals-1-value_error"' in warned.text
    assert 'type="checkbox" name="series-0-actuals-1-confirm_jump"' in warned.text
    assert Actual.objects.count() == 1

    confirmed = {
        **new_row,
        "series-0-actuals-1-note": "集計方法の変更",
        "series-0-actuals-1-confirm_jump": "on",
    }
    assert client.post(url, confirmed).status_code == 302
    assert Actual.objects.get(year=2025).value == Decimal("50.0")
