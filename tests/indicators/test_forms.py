"""The entry form of an actual, which both admins use: numbers as typed in Japan, the entry
rules' messages next to the fields, the large-change confirmation."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators.forms import ActualForm, JapaneseNumberField, actual_form_for, indicator_rules
from indicators.models import Actual, Indicator
from kpi.entry_rules import EntryRules
from kpi.wareki import fiscal_year_of, year_label
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
SHARE = Decimal("0.3")


def form_for(user: User, data: dict[str, object], instance: Actual | None = None) -> ActualForm:
    """The form as posted from a page that showed ``instance`` as it is now (its version and
    the values it showed travel as hidden fields)."""
    if instance is not None:
        shown = {
            "version": instance.updated_at.isoformat(),
            "initial-year": instance.year,
            "initial-value": f"{instance.value.normalize():f}",
            "initial-note": instance.note,
        }
        data = {**shown, **data}
    return actual_form_for(user)(data=data, instance=instance)


def form(user: User, indicator: Indicator, value: str, year: int = 2024) -> ActualForm:
    data = {"series": indicator.series.get().pk, "year": year, "value": value, "note": ""}
    return actual_form_for(user)(data=data)


def test_entry_reads_full_width_digits_separators_and_units(
    sato: User, school_indicator: Indicator
) -> None:
    for typed, expected in [("２９０", "290"), ("290人", "290"), ("２８０．０", "280")]:
        entry = form(sato, school_indicator, typed)
        entry.is_valid()
        assert entry.cleaned_data.get("value") == Decimal(expected), (typed, entry.errors)


def test_entry_refuses_text_that_is_not_a_number_next_to_the_field(
    sato: User, school_indicator: Indicator
) -> None:
    entry = form(sato, school_indicator, "約300")
    assert not entry.is_valid()
    assert entry.errors["value"] == ["数値を入力してください（例：1,800、95.2）。"]


def test_entry_shows_stored_values_without_trailing_zeros(
    sato: User, childcare_actual: Actual
) -> None:
    entry = actual_form_for(sato)(instance=childcare_actual)
    assert 'value="95.5"' in str(entry["value"])
    assert 'type="text"' in str(entry["value"]) and 'inputmode="decimal"' in str(entry["value"])


def test_the_number_field_takes_thousands_separators_in_both_widths() -> None:
    field = JapaneseNumberField(max_digits=16, decimal_places=4)
    assert field.clean("1,869") == field.clean("１，８６９件") == Decimal("1869")
    assert field.clean("▲5") == Decimal("-5")


@pytest.mark.django_db
def test_the_form_puts_each_message_next_to_its_field(
    childcare_indicator: Indicator, sato: User
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
    childcare_indicator: Indicator, sato: User
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
    childcare_indicator: Indicator, sato: User
) -> None:
    series = childcare_indicator.series.get()
    form = form_for(sato, {"series": series.pk, "year": 2024, "value": "95.6", "note": ""})
    assert form.is_valid(), form.errors
    assert str(form["confirm_jump"]) == ""


@pytest.mark.django_db
def test_the_previous_years_actual_is_what_a_value_is_compared_with(
    childcare_indicator: Indicator, sato: User
) -> None:
    add_actual(childcare_indicator, 2024, "60.0")
    series = childcare_indicator.series.get()
    form = form_for(sato, {"series": series.pk, "year": 2025, "value": "61.0", "note": ""})
    assert form.is_valid(), form.errors  # 60.0 → 61.0, not 95.2 → 61.0


@pytest.mark.django_db
def test_an_unchanged_old_value_outside_todays_rules_does_not_block_a_save(
    childcare_indicator: Indicator, sato: User
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
    childcare_indicator: Indicator, sato: User
) -> None:
    approved = add_actual(childcare_indicator, 2024, "95.5", status="approved")
    form = form_for(sato, {"series": approved.series_id, "year": 2024, "value": "1"}, approved)

    assert all(field.disabled for field in form.fields.values())
    assert form.is_valid()
    assert form.cleaned_data["value"] == Decimal("95.5")


@pytest.mark.django_db
def test_rules_come_from_the_indicator_and_its_targets(childcare_indicator: Indicator) -> None:
    rules = indicator_rules(childcare_indicator, date(2026, 11, 29))
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
    client: Client, admin_user: User, sato: User, childcare_actual: Actual
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


def test_a_running_total_below_the_previous_years_is_refused_next_to_the_value(
    sato: User, new_farmers: Indicator
) -> None:
    first_year = form(sato, new_farmers, "12")  # the year's amount typed over the 17 of 令和5年度
    assert not first_year.is_valid(), first_year.errors
    assert "累計 17名 を下回る値" in first_year.errors["value"][0]
    add_actual(new_farmers, 2024, "41")
    falling = form(sato, new_farmers, "39", year=2025)
    assert not falling.is_valid()
    assert str(falling.errors["value"][0]).startswith(
        "累計の指標です。前年度（令和6年度）の累計 41名"
    )
    assert form(sato, new_farmers, "41", year=2025).is_valid()
