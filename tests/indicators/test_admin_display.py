"""The admin reads like the dashboards: values with units and separators, 和暦 years, titles
that name the series and year, year choices the entry rules accept, and the approver's review
with the context of each value — in a constant number of queries."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from indicators.models import Actual, ActualStatus, Indicator, Series, Target
from tests.conftest import add_actual

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:indicators_actual_changelist")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_actual_is_titled_by_series_year_and_value_as_printed(
    school_indicator: Indicator, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    add_actual(school_indicator, 2024, "1752")
    actual = Actual.objects.select_related("series__indicator").get()
    with django_assert_num_queries(0):  # what a list selects is enough
        title = str(actual)
    assert title == "T201 不登校児童生徒数 令和6年度（2024）: 1,752人"


def test_the_actual_list_prints_values_and_years_like_the_dashboards(
    takahashi: User, school_indicator: Indicator, childcare_indicator: Indicator
) -> None:
    add_actual(school_indicator, 2024, "25702")
    add_actual(childcare_indicator, 2024, "95.5")
    page = _client(takahashi).get(CHANGELIST).content.decode()
    assert "25,702人" in page and "95.5％" in page
    assert "25702.0000" not in page and "95.5000" not in page
    assert "令和6年度（2024）" in page


def test_the_actual_list_takes_the_same_queries_for_one_row_or_many(
    takahashi: User,
    school_indicator: Indicator,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = _client(takahashi)
    add_actual(school_indicator, 2024, "290")
    client.get(CHANGELIST)  # permissions and session cached as a later request has them
    with django_assert_num_queries(_count(client, CHANGELIST)) as one:
        client.get(CHANGELIST)
    for year in range(2015, 2024):
        Actual.objects.create(series=school_indicator.series.get(), year=year, value=year)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(CHANGELIST)


def _count(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context.captured_queries)


def test_baselines_and_targets_read_as_the_plan_prints_them(
    takahashi: User, admin_user: User, school_indicator: Indicator
) -> None:
    target = Target.objects.get(series__indicator=school_indicator)
    page = _client(takahashi).get(reverse("admin:indicators_target_changelist")).content.decode()
    assert "300人" in page and "250人" in page and "300.0000" not in page

    change = reverse("admin:indicators_indicator_change", args=[school_indicator.pk])
    readonly = _client(takahashi).get(change).content.decode()
    assert "300人" in readonly and "令和5年度（2023）" in readonly
    assert "300.0000" not in readonly
    editable = _client(admin_user).get(change).content.decode()
    assert 'value="300"' in editable and "300.0000" not in editable
    assert target.baseline_value == Decimal("300")


def test_the_year_choices_are_the_years_the_entry_rules_accept(
    sato: User, childcare_indicator: Indicator
) -> None:
    """Baseline FY2023, plan to FY2029: from 2023 to the current fiscal year, not 2015."""
    from django.utils import timezone

    from kpi.wareki import fiscal_year_of

    current = fiscal_year_of(timezone.localdate())
    add_actual(childcare_indicator, 2020, "90.0")  # a stored value outside stays shown
    change = reverse("admin:indicators_indicator_change", args=[childcare_indicator.pk])
    response = _client(sato).get(change)
    form = response.context["inline_admin_formsets"][0]
    actual_formset = next(f for f in form.formset.forms[0].nested_formsets if f.model is Actual)
    offered = [v for v, _ in actual_formset.forms[0].fields["year"].choices if v != ""]
    assert offered == [*range(current, 2022, -1), 2020]

    actual = Actual.objects.get()
    page = _client(sato).get(reverse("admin:indicators_actual_change", args=[actual.pk]))
    offered = [v for v, _ in page.context["adminform"].form.fields["year"].choices if v]
    assert offered == [*range(current, 2022, -1), 2020]


# --- the approver's review ---------------------------------------------------------------------
def _submitted(indicator: Indicator, year: int, value: str, note: str = "") -> Actual:
    actual = add_actual(indicator, year, value, ActualStatus.SUBMITTED)
    actual.note = note
    actual.save()
    return actual


def test_the_submitted_list_shows_each_value_with_what_it_is_judged_against(
    takahashi: User, school_indicator: Indicator
) -> None:
    add_actual(school_indicator, 2024, "290", ActualStatus.APPROVED)
    _submitted(school_indicator, 2025, "200", "不登校対策の効果")
    page = _client(takahashi).get(CHANGELIST, {"status__exact": "submitted"}).content.decode()
    assert "290人" in page  # the year before
    assert "300人 → 250人" in page  # baseline and target
    assert '<strong class="jump">-31.0%</strong>' in page  # a jump is marked
    assert "不登校対策の効果" in page


def test_the_previous_value_of_the_first_year_is_the_baseline(
    takahashi: User, school_indicator: Indicator
) -> None:
    _submitted(school_indicator, 2024, "297")
    page = _client(takahashi).get(CHANGELIST, {"status__exact": "submitted"}).content.decode()
    assert "300人<wbr>（現状値）" in page and "-1.0%" in page


def test_the_submitted_list_takes_the_same_queries_for_one_value_or_many(
    takahashi: User,
    school_indicator: Indicator,
    childcare_indicator: Indicator,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = _client(takahashi)
    url = f"{CHANGELIST}?status__exact=submitted"
    _submitted(school_indicator, 2025, "280")
    client.get(url)
    queries = _count(client, url)
    for indicator in (school_indicator, childcare_indicator):
        series = Series.objects.create(indicator=indicator, label="追加", order=5)
        for year in (2024, 2025):
            Actual.objects.create(series=series, year=year, value=1, status="submitted")
    with django_assert_num_queries(queries):
        client.get(url)


def test_the_return_dialog_shows_the_same_context_in_one_query_for_all(
    takahashi: User,
    school_indicator: Indicator,
    childcare_indicator: Indicator,
) -> None:
    add_actual(school_indicator, 2024, "290", ActualStatus.APPROVED)
    first = _submitted(school_indicator, 2025, "200", "対策の効果")
    second = _submitted(childcare_indicator, 2024, "96.0")
    data = {"action": "return_selected", "_selected_action": [first.pk, second.pk]}
    page = _client(takahashi).post(CHANGELIST, data).content.decode()
    assert "実績値の差戻し" in page
    assert "290人" in page and "300人 → 250人" in page and "-31.0%" in page
    assert "対策の効果" in page
    assert "95.2％（現状値）" in page and "95.2％ → 96.5％" in page


def test_an_approver_sees_the_context_on_a_submitted_values_page_and_the_checkbox_of_a_jump(
    takahashi: User, school_indicator: Indicator
) -> None:
    add_actual(school_indicator, 2024, "290", ActualStatus.APPROVED)
    actual = _submitted(school_indicator, 2025, "200", "対策の効果")
    page = _client(takahashi).get(reverse("admin:indicators_actual_change", args=[actual.pk]))
    html = page.content.decode()
    assert "審査の参考" in html and "-31.0%" in html
    assert 'name="confirm_jump"' in html  # the stored value is a large change


def test_no_checkbox_where_the_value_is_no_large_change(
    sato: User, school_indicator: Indicator
) -> None:
    add_actual(school_indicator, 2024, "290", ActualStatus.APPROVED)
    actual = add_actual(school_indicator, 2025, "280")
    suzuki_page = reverse("admin:indicators_actual_change", args=[actual.pk])
    from indicators.models import Department

    Department.objects.get(code="S20").members.add(sato)
    html = _client(sato).get(suzuki_page).content.decode()
    assert 'name="confirm_jump"' not in html and "審査の参考" not in html
