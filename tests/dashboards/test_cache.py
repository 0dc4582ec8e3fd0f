"""The page cache (dashboards.cache) never serves a page older than a committed change: the
data version (measures.versioning) changes in the writer's transaction, and the next request —
of this process or any other sharing the cache — computes the page again."""

import re
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from indicators.models import Actual, ActualStatus, Indicator
from measures import versioning
from measures.signals import data_changed
from tests.conftest import add_actual

PAGES = ["/", "/measures/", "/matrix/", "/sdgs/", "/indicators/T101/?year=2025"]


@pytest.fixture
def reader(watanabe: object) -> Client:
    client = Client()
    client.force_login(watanabe)  # type: ignore[arg-type]
    return client


def _without_token(page: bytes) -> bytes:
    """The page but the logout form's CSRF token, which differs per response."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)


def _value_shown(reader: Client) -> object:
    return reader.get("/indicators/T101.json?year=2025").json()["series"][0]["latest_value"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_a_second_request_reads_no_data(
    url: str,
    reader: Client,
    childcare_indicator: Indicator,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    add_actual(childcare_indicator, 2025, "96.0", ActualStatus.APPROVED)
    first = _without_token(reader.get(url).content)
    # session, user, groups, plan, data version (and on the indicator page: the indicator and
    # the user's permissions, which decide whether 変更履歴 shows)
    with django_assert_num_queries(8 if "indicators" in url else 5):
        again = _without_token(reader.get(url).content)
    assert again == first


@pytest.mark.django_db
def test_a_saved_change_shows_on_the_next_request(
    reader: Client, childcare_indicator: Indicator
) -> None:
    actual = add_actual(childcare_indicator, 2025, "96.0", ActualStatus.APPROVED)
    assert _value_shown(reader) == 96
    assert "96.0％" in reader.get("/indicators/T101/?year=2025").content.decode()
    actual.value = Decimal("97.5")
    actual.save()
    assert _value_shown(reader) == 97.5
    assert "97.5％" in reader.get("/indicators/T101/?year=2025").content.decode()
    actual.delete()
    assert _value_shown(reader) is None


@pytest.mark.django_db
def test_the_version_changes_inside_the_writers_transaction(
    childcare_indicator: Indicator,
) -> None:
    before = versioning.current()
    with transaction.atomic():
        add_actual(childcare_indicator, 2025, "96.0")
        inside = versioning.current()
        assert inside != before
        transaction.set_rollback(True)
    assert versioning.current() == before  # rolled back with the change


@pytest.mark.django_db
def test_bulk_writers_change_the_version_with_the_data_changed_signal(
    childcare_indicator: Indicator,
) -> None:
    before = versioning.current()
    Actual.objects.filter(series__indicator=childcare_indicator).update(note="x")
    assert versioning.current() == before  # update() sends no model signal …
    data_changed.send(sender=Actual)
    assert versioning.current() != before  # … so bulk writers send this one


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_connection_shows_on_the_next_request(
    reader: Client, childcare_indicator: Indicator
) -> None:
    """Another worker or container: its own connection commits the value and the new version
    (as its signals would); this process's cache still holds the old page."""
    actual = add_actual(childcare_indicator, 2025, "96.0", ActualStatus.APPROVED)
    assert _value_shown(reader) == 96
    assert "96.0％" in reader.get("/indicators/T101/?year=2025").content.decode()
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:  # autocommit: committed when the block ends
            other.set_autocommit(False)
            cursor.execute("UPDATE indicators_actual SET value = 97.5 WHERE id = %s", [actual.pk])
            cursor.execute("UPDATE measures_dataversion SET token = token + 7 WHERE id = 1")
            other.commit()
    finally:
        other.close()
    assert connection.in_atomic_block is False
    assert _value_shown(reader) == 97.5
    assert "97.5％" in reader.get("/indicators/T101/?year=2025").content.decode()


@pytest.mark.django_db
def test_provisional_and_approved_pages_are_kept_apart(
    reader: Client, childcare_indicator: Indicator
) -> None:
    add_actual(childcare_indicator, 2025, "96.0", ActualStatus.SUBMITTED)
    assert _value_shown(reader) is None
    provisional = reader.get("/indicators/T101.json?year=2025&provisional=1").json()
    assert provisional["series"][0]["latest_value"] == 96
    assert _value_shown(reader) is None


@pytest.mark.django_db
def test_an_import_changes_the_version_in_its_transaction(
    reader: Client, childcare_indicator: Indicator
) -> None:
    from indicators.imports.write import Write, write_actuals

    assert _value_shown(reader) is None
    series = childcare_indicator.series.get()
    before = versioning.current()
    write = Write(series_id=series.pk, year=2025, value=Decimal("96.5"), note="", actual_id=None)
    with transaction.atomic():
        write_actuals([write], user=None, reason="取込")
        assert versioning.current() != before
    Actual.objects.update(status=ActualStatus.APPROVED)  # approving is its own (bulk) step here
    data_changed.send(sender=Actual)
    assert _value_shown(reader) == 96.5
