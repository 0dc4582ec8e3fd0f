"""The audit trail: every change to actuals, baselines and targets, with who, when, old → new and
why, from django-simple-history through the admin (nested inlines included)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from indicators.audit import NO_EARLIER_RECORD, AuditEntry, audit_entries
from indicators.models import Actual, Department, Indicator, Target
from indicators.services import actual_approve, actual_return, actual_submit
from measures.models import ActionPlan
from tests.conftest import add_actual
from tests.indicators.admin_forms import form_data

pytestmark = pytest.mark.django_db


def entry_of(entries: list[AuditEntry], what: str) -> AuditEntry:
    return next(e for e in entries if e.what == what)


def indicator_page(client: Client, indicator: Indicator) -> str:
    return reverse("admin:indicators_indicator_change", args=[indicator.pk])


def test_a_value_entered_on_the_indicator_page_is_recorded_with_its_user(
    client: Client, admin_user: User, sato: User, childcare_actual: Actual
) -> None:
    """The nested inline (django-nested-admin) saves through the history middleware."""
    indicator = childcare_actual.series.indicator
    client.force_login(admin_user)
    data = form_data(client.get(indicator_page(client, indicator)).text, "indicator_form")
    client.force_login(sato)

    response = client.post(
        indicator_page(client, indicator), {**data, "series-0-actuals-0-value": "95.9"}
    )

    assert response.status_code == 302
    latest = childcare_actual.history.latest()
    assert (latest.history_user, latest.value) == (sato, Decimal("95.9"))
    change = entry_of(audit_entries(indicator), "令和6年度（2024） 実績値")
    assert (change.who, change.old, change.new) == ("sato", "95.5", "95.9")


def test_the_trail_shows_old_and_new_values_and_the_return_comment_newest_first(
    childcare_actual: Actual, sato: User, takahashi: User
) -> None:
    indicator = childcare_actual.series.indicator
    actual_submit(actual=childcare_actual, user=sato)
    actual_return(actual=childcare_actual, user=takahashi, comment="出典の数値と違います")
    childcare_actual.value, childcare_actual.note = Decimal("95.7"), "出典を再確認"
    childcare_actual._history_user = sato  # type: ignore[attr-defined]
    childcare_actual.save()
    actual_submit(actual=childcare_actual, user=sato)
    actual_approve(actual=childcare_actual, user=takahashi)

    entries = audit_entries(indicator)

    described = [
        (e.who, e.what, e.old, e.new, e.comment) for e in entries if e.what.startswith("令和")
    ]
    assert described == [
        ("takahashi", "令和6年度（2024） 状態", "提出済", "承認済", ""),
        ("takahashi", "令和6年度（2024） 差戻しコメント", "出典の数値と違います", "", ""),
        ("sato", "令和6年度（2024） 状態", "差戻し", "提出済", ""),
        ("sato", "令和6年度（2024） 実績値", "95.5", "95.7", ""),
        ("sato", "令和6年度（2024） 備考", "", "出典を再確認", ""),
        ("takahashi", "令和6年度（2024） 状態", "提出済", "差戻し", "出典の数値と違います"),
        (
            "takahashi",
            "令和6年度（2024） 差戻しコメント",
            "",
            "出典の数値と違います",
            "出典の数値と違います",
        ),
        ("sato", "令和6年度（2024） 状態", "下書き", "提出済", ""),
        ("", "令和6年度（2024） 実績値", "", "95.5", ""),
    ]
    assert entries[0].when >= entries[-1].when


def test_baseline_target_and_department_changes_are_in_the_trail(
    client: Client, admin_user: User, childcare_indicator: Indicator, school: Department
) -> None:
    client.force_login(admin_user)
    target = Target.objects.get()
    data = form_data(client.get(indicator_page(client, childcare_indicator)).text, "indicator_form")
    client.post(
        indicator_page(client, childcare_indicator),
        {
            **data,
            "department": str(school.pk),
            "series-0-targets-0-baseline_value": "95.0",
            "series-0-targets-0-target_value": "97.0",
        },
    )

    entries = audit_entries(childcare_indicator)

    assert Target.objects.get(pk=target.pk).target_value == Decimal("97.0")
    target_value = entry_of(entries, "test-2025-2029 目標値")
    assert (target_value.old, target_value.new) == ("96.5", "97.0")
    assert entry_of(entries, "test-2025-2029 現状値").old == "95.2"
    department = entry_of(entries, "所管課")
    assert (department.who, department.old, department.new) == (
        "kanri",
        "子育て支援課",
        "学校教育課",
    )


def test_a_deleted_actual_stays_in_the_trail(childcare_actual: Actual) -> None:
    indicator = childcare_actual.series.indicator
    childcare_actual.delete()
    deleted = audit_entries(indicator)[0]
    assert (deleted.what, deleted.new) == ("令和6年度（2024）", "（削除）")
    assert "実績値：95.5" in deleted.old


def test_a_change_without_an_earlier_record_shows_the_whole_new_state(
    childcare_indicator: Indicator,
) -> None:
    Target.history.all().delete()  # as after loaddata, which writes no history
    target = Target.objects.get()
    target.target_value = Decimal("97.0")
    target.save()
    entry = audit_entries(childcare_indicator)[0]
    assert entry.old == NO_EARLIER_RECORD
    assert "目標値：97.0" in entry.new


def test_populate_history_records_the_loaded_plan_so_that_later_changes_show_old_values(
    plan: ActionPlan,
) -> None:
    call_command("populate_history", auto=True, stdout=None)
    target = Target.objects.get(series__indicator__name="刑法犯認知件数")
    target.target_value = Decimal("1300")
    target.save()
    entry = audit_entries(target.series.indicator)[0]
    assert (entry.old, entry.new) == ("1,400", "1,300")


@pytest.mark.parametrize("years", [1, 8])
def test_the_trail_takes_three_queries_however_long_it_is(
    years: int, childcare_indicator: Indicator, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for year in range(2024 - years, 2024):
        actual = add_actual(childcare_indicator, year, "95.0")
        actual.value = Decimal("95.1")
        actual.save()
    target = Target.objects.get()
    target.target_value = Decimal("97")
    target.save()

    # actual history + user + series; target history + user + series + plan; indicator history
    with django_assert_num_queries(3):
        entries = audit_entries(childcare_indicator)
    # per year a creation and a change; the target's creation and change; the indicator's creation
    assert len(entries) == years * 2 + 3


def test_the_indicator_admin_page_lists_recent_changes_and_links_the_history(
    client: Client, takahashi: User, childcare_actual: Actual
) -> None:
    actual_approve(actual=childcare_actual, user=takahashi)
    indicator = childcare_actual.series.indicator
    client.force_login(takahashi)

    page = client.get(indicator_page(client, indicator))
    history = client.get(reverse("admin:indicators_indicator_history", args=[indicator.pk]))
    actual_history = client.get(
        reverse("admin:indicators_actual_history", args=[childcare_actual.pk])
    )

    assert page.status_code == 200
    assert "変更履歴" in page.text and "承認済" in page.text
    assert history.status_code == 200 and actual_history.status_code == 200
    assert "takahashi" in actual_history.text


def test_history_is_read_only_no_revert(
    client: Client, admin_user: User, childcare_actual: Actual
) -> None:
    first = childcare_actual.history.earliest()
    childcare_actual.value = Decimal("95.9")
    childcare_actual.save()
    url = reverse(
        "admin:indicators_actual_simple_history", args=[childcare_actual.pk, first.history_id]
    )
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    assert client.post(url, {"year": "2024", "value": "95.5"}).status_code == 403
    assert Actual.objects.get().value == Decimal("95.9")


def test_the_partial_renders_the_entries_it_is_given(childcare_actual: Actual) -> None:
    entries = audit_entries(childcare_actual.series.indicator)
    html = render_to_string("indicators/_audit_trail.html", {"audit_entries": entries})
    assert "変更履歴" in html and "令和6年度（2024） 実績値" in html
    empty = render_to_string("indicators/_audit_trail.html", {"audit_entries": []})
    assert "変更履歴はまだありません。" in empty
