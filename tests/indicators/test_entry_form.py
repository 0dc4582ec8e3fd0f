"""Staff type numbers the way they are written in Japan; the entry form reads them."""

from decimal import Decimal

from indicators.forms import JapaneseNumberField, actual_form_for
from indicators.models import Indicator


def form(user, indicator: Indicator, value: str, year: int = 2024):  # type: ignore[no-untyped-def]
    data = {"series": indicator.series.get().pk, "year": year, "value": value, "note": ""}
    return actual_form_for(user)(data=data)


def test_entry_reads_full_width_digits_separators_and_units(sato, school_indicator) -> None:  # type: ignore[no-untyped-def]
    for typed, expected in [("２９０", "290"), ("290人", "290"), ("２８０．０", "280")]:
        entry = form(sato, school_indicator, typed)
        entry.is_valid()
        assert entry.cleaned_data.get("value") == Decimal(expected), (typed, entry.errors)


def test_entry_refuses_text_that_is_not_a_number_next_to_the_field(sato, school_indicator) -> None:  # type: ignore[no-untyped-def]
    entry = form(sato, school_indicator, "約300")
    assert not entry.is_valid()
    assert entry.errors["value"] == ["数値を入力してください（例：1,800、95.2）。"]


def test_entry_shows_stored_values_without_trailing_zeros(sato, childcare_actual) -> None:  # type: ignore[no-untyped-def]
    entry = actual_form_for(sato)(instance=childcare_actual)
    assert 'value="95.5"' in str(entry["value"])
    assert 'type="text"' in str(entry["value"]) and 'inputmode="decimal"' in str(entry["value"])


def test_the_number_field_takes_thousands_separators_in_both_widths() -> None:
    field = JapaneseNumberField(max_digits=16, decimal_places=4)
    assert field.clean("1,869") == field.clean("１，８６９件") == Decimal("1869")
    assert field.clean("▲5") == Decimal("-5")
