"""Admin pages read in a number of queries that does not grow with an indicator's years or
series (issue 16): the indicator page (each actual row prints itself), an actual's page, the
実績値 list and the entry status, each compared at two sizes of years and of series."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Actual, ActualStatus, Indicator, Series, Target
from tests.conftest import add_actual

pytestmark = pytest.mark.django_db


def _years(series: Series, first: int, last: int) -> None:
    stored = set(Actual.objects.filter(series=series).values_list("year", flat=True))
    Actual.objects.bulk_create(
        Actual(series=series, year=y, value=280 + y % 7, status=ActualStatus.APPROVED)
        for y in range(first, last + 1)
        if y not in stored
    )


def _second_series(indicator: Indicator) -> Series:
    series = Series.objects.create(indicator=indicator, label="女性", order=2)
    target = Target.objects.get(series__indicator=indicator, series__order=1)
    target.pk = None
    target.series = series
    target.save()
    return series


def _sql(client: Client, url: str) -> list[str]:
    client.get(url)  # session and permissions as a later request finds them
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in context.captured_queries]


def _sizes(indicator: Indicator, count: Callable[[], int]) -> list[int]:
    """The page's queries with 3 years, 11 years, then 11 years of two series."""
    first = indicator.series.get()
    _years(first, 2023, 2025)
    counts = [count()]
    _years(first, 2015, 2025)
    counts.append(count())
    _years(_second_series(indicator), 2015, 2025)
    counts.append(count())
    return counts


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["sato", "takahashi", "admin_user"])
def test_the_indicator_page_reads_the_same_queries_for_3_or_11_years_and_1_or_2_series(
    who: str, request: pytest.FixtureRequest, childcare_indicator: Indicator
) -> None:
    user = request.getfixturevalue(who)
    client = _client(user)
    url = reverse("admin:indicators_indicator_change", args=[childcare_indicator.pk])
    add_actual(childcare_indicator, 2024, "95.5")  # a draft staff may still change
    counts = _sizes(childcare_indicator, lambda: len(_sql(client, url)))
    # session, user, (permissions), indicator, series, their targets, their actuals, the
    # entry rules' targets, three 変更履歴 reads, departments, plans (superuser's choices) …
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] <= 16, counts


@pytest.mark.parametrize("status", [ActualStatus.DRAFT, ActualStatus.APPROVED])
def test_an_actuals_page_reads_the_same_queries_for_3_or_11_years(
    status: str, sato: User, childcare_indicator: Indicator
) -> None:
    actual = add_actual(childcare_indicator, 2024, "95.5", status)
    client = _client(sato)
    url = reverse("admin:indicators_actual_change", args=[actual.pk])
    counts = _sizes(childcare_indicator, lambda: len(_sql(client, url)))
    assert counts[0] == counts[1] == counts[2], counts


def test_the_actual_list_counts_once_and_offers_the_plans_years(
    takahashi: User, childcare_indicator: Indicator
) -> None:
    client = _client(takahashi)
    url = reverse("admin:indicators_actual_changelist")
    counts = _sizes(childcare_indicator, lambda: len(_sql(client, url)))
    assert counts[0] == counts[1] == counts[2], counts
    sql = _sql(client, url)
    assert sum("COUNT(*)" in q for q in sql) == 1  # no second, unfiltered total
    assert not any('SELECT DISTINCT "indicators_actual"."year"' in q for q in sql)
    page = client.get(url).content.decode()
    # The plan FY2025–2029 and the baseline FY2023: 令和5（2023） to 令和11（2029）.
    assert "?year__exact=2023" in page and "?year__exact=2029" in page
    assert "?year__exact=2015" not in page  # stored, but outside every plan
    filtered = client.get(url, {"year__exact": "2024"})
    assert [a.year for a in filtered.context["cl"].result_list] == [2024, 2024]


def test_the_entry_status_reads_the_same_queries_for_3_or_11_years(
    takahashi: User, childcare_indicator: Indicator
) -> None:
    client = _client(takahashi)
    url = reverse("admin:indicators_actual_entry_status") + "?year=2025"
    counts = _sizes(childcare_indicator, lambda: len(_sql(client, url)))
    assert counts[0] == counts[1] == counts[2], counts
    csv = client.get(url + "&format=csv")
    assert csv.status_code == 200
