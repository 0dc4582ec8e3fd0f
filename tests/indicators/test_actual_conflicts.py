"""Two actuals meeting on one year, and edits that would overwrite someone else's: the form's
message next to the field, never an error page, never a silent overwrite."""

import threading
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from indicators.forms import ActualForm
from indicators.imports import Upload, confirm_import
from indicators.models import Actual, Indicator
from tests.conftest import add_actual
from tests.indicators.admin_forms import form_data
from tests.indicators.import_files import csv_file
from tests.indicators.test_forms import form_for

if TYPE_CHECKING:  # what the test client returns (django-stubs names it privately)
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

TAKEN = "令和5年度（2023）の実績値はすでに入力されています。その値を変更してください。"
STALE = "このページを開いた後に、この実績値は変更されています"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(actual: Actual) -> str:
    return reverse("admin:indicators_actual_change", args=[actual.pk])


def indicator_url(indicator: Indicator) -> str:
    return reverse("admin:indicators_indicator_change", args=[indicator.pk])


def import_value(user: User, year: str, value: str) -> None:
    """What an import by someone else does in the meantime."""
    rows = [["指標コード", "年度", "実績値"], ["T101", year, value]]
    record, plan = confirm_import(Upload("実績.csv", csv_file(rows)), user=user)
    assert record.applied, plan.messages()


# --- one year, one value ------------------------------------------------------------------------
@pytest.mark.django_db
def test_moving_an_actual_to_a_year_the_series_has_is_refused_on_its_change_page(
    sato: User, childcare_indicator: Indicator, childcare_actual: Actual
) -> None:
    add_actual(childcare_indicator, 2023, "95.0")
    client = logged_in(sato)
    data = form_data(client.get(change_url(childcare_actual)).text, "actual_form")

    page = client.post(change_url(childcare_actual), {**data, "year": "2023"})

    assert page.status_code == 200
    assert TAKEN in page.text
    assert sorted(Actual.objects.values_list("year", flat=True)) == [2023, 2024]


@pytest.mark.django_db
def test_adding_a_year_the_series_has_gives_the_same_message(
    sato: User, childcare_indicator: Indicator
) -> None:
    add_actual(childcare_indicator, 2023, "95.0")
    client = logged_in(sato)
    add = reverse("admin:indicators_actual_add")
    data = {
        **form_data(client.get(add).text, "actual_form"),
        "series": str(childcare_indicator.series.get().pk),
        "year": "2023",
        "value": "95.1",
    }

    page = client.post(add, data)

    assert page.status_code == 200
    assert TAKEN in page.text
    assert Actual.objects.count() == 1


@pytest.mark.django_db
def test_the_indicator_page_refuses_a_row_moved_onto_another_rows_year(
    sato: User, childcare_indicator: Indicator, childcare_actual: Actual
) -> None:
    add_actual(childcare_indicator, 2023, "95.0")
    client = logged_in(sato)
    url = indicator_url(childcare_indicator)
    data = form_data(client.get(url).text, "indicator_form")
    moved = next(k for k, v in data.items() if k.endswith("-year") and v == "2024")

    page = client.post(url, {**data, moved: "2023"})

    assert page.status_code == 200
    assert TAKEN in page.text
    assert sorted(Actual.objects.values_list("year", flat=True)) == [2023, 2024]


def _add_at_once(
    users: list[User], series_id: int, monkeypatch: pytest.MonkeyPatch
) -> list["Response"]:
    """Both adds pass the form's year check before either writes (a barrier in the check)."""
    barrier = threading.Barrier(len(users), timeout=20)
    checked = threading.local()
    original = ActualForm._refuse_taken_year

    def check_then_wait(form: ActualForm, *args: Any, **kwargs: Any) -> None:
        original(form, *args, **kwargs)
        if not getattr(checked, "once", False):  # the retry after the conflict does not wait
            checked.once = True
            barrier.wait()

    monkeypatch.setattr(ActualForm, "_refuse_taken_year", check_then_wait)
    responses: list[Response] = []

    def add(user: User) -> None:
        try:
            client = logged_in(user)
            data = {"series": str(series_id), "year": "2023", "value": "95.1", "note": ""}
            responses.append(client.post(reverse("admin:indicators_actual_add"), data))
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_adds_of_one_year_save_one_and_tell_the_other(
    sato: User,
    takahashi: User,
    childcare_indicator: Indicator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers with a database lock: no two inserts at once")
    series = childcare_indicator.series.get()

    responses = _add_at_once([sato, takahashi], series.pk, monkeypatch)

    assert sorted(r.status_code for r in responses) == [200, 302]
    (refused,) = [r for r in responses if r.status_code == 200]
    assert TAKEN in refused.text
    assert Actual.objects.filter(series=series, year=2023).count() == 1


# --- optimistic check -------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_change_page_loaded_before_an_import_does_not_overwrite_the_imported_value(
    sato: User, takahashi: User, childcare_actual: Actual
) -> None:
    client = logged_in(sato)
    data = form_data(client.get(change_url(childcare_actual)).text, "actual_form")
    import_value(takahashi, "2024", "96.0")

    page = client.post(change_url(childcare_actual), {**data, "value": "95.7"})

    assert page.status_code == 200
    assert STALE in page.text and "takahashiが令和6年度（2024）の値を 96 に" in page.text
    assert Actual.objects.get().value == Decimal("96.0")

    reloaded = form_data(client.get(change_url(childcare_actual)).text, "actual_form")
    again = client.post(change_url(childcare_actual), {**reloaded, "value": "95.7"})
    assert again.status_code == 302
    assert Actual.objects.get().value == Decimal("95.7")


@pytest.mark.django_db
def test_the_indicator_page_loaded_before_another_users_save_does_not_overwrite_it(
    sato: User, takahashi: User, childcare_actual: Actual
) -> None:
    url = indicator_url(childcare_actual.series.indicator)
    sato_page = form_data(logged_in(sato).get(url).text, "indicator_form")
    approver = logged_in(takahashi)
    other_page = form_data(approver.get(url).text, "indicator_form")
    value_key = next(k for k, v in other_page.items() if k.endswith("-value") and v == "95.5")
    assert approver.post(url, {**other_page, value_key: "95.9"}).status_code == 302

    page = logged_in(sato).post(url, {**sato_page, value_key: "95.6"})

    assert page.status_code == 200
    assert STALE in page.text
    assert Actual.objects.get().value == Decimal("95.9")


@pytest.mark.django_db
def test_rows_changed_by_others_but_untouched_here_do_not_block_a_save(
    sato: User, takahashi: User, childcare_actual: Actual
) -> None:
    url = indicator_url(childcare_actual.series.indicator)
    client = logged_in(sato)
    data = form_data(client.get(url).text, "indicator_form")
    import_value(takahashi, "2024", "96.0")
    new_row = {**data, "series-0-actuals-1-year": "2023", "series-0-actuals-1-value": "95.3"}

    assert client.post(url, new_row).status_code == 302

    assert dict(Actual.objects.values_list("year", "value")) == {
        2023: Decimal("95.3"),
        2024: Decimal("96.0"),
    }


@pytest.mark.django_db
def test_the_forms_conflict_checks_cost_one_query_each(
    sato: User,
    childcare_indicator: Indicator,
    childcare_actual: Actual,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    series = childcare_indicator.series.get()
    new = form_for(sato, {"series": series.pk, "year": 2025, "value": "95.6", "note": ""})
    # series choice, its indicator; targets (rules); the year taken? (ours); previous year's
    # actual; Django's own checks: series exists, (series, year) unique, the year constraint
    # (in a savepoint: 3)
    with django_assert_num_queries(10):
        assert new.is_valid(), new.errors

    data = {"series": series.pk, "year": 2024, "value": "95.6", "note": ""}
    changed = form_for(sato, data, instance=childcare_actual)
    # series choice, its indicator; the stored actual, locked (the version check, ours);
    # targets (rules); previous year's actual, else its baseline; Django's own checks as above
    with django_assert_num_queries(11):
        assert changed.is_valid(), changed.errors
