"""入力状況: the planning division's page of what each department still owes for a year."""

import csv
import io
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from indicators.entry_status import UNASSIGNED, entry_status, pending_status
from indicators.models import Actual, ActualStatus, Department, Indicator, Series, Target
from kpi.wareki import fiscal_year_of
from measures.models import ActionPlan
from tests.conftest import add_actual

pytestmark = pytest.mark.django_db


def url(**params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("admin:indicators_actual_entry_status") + (f"?{query}" if query else "")


@pytest.fixture
def year_2025(childcare_indicator: Indicator, school_indicator: Indicator, sato: User) -> None:
    """FY2025: 子育て支援課 submitted its value; 学校教育課 has entered nothing; an SDGs-only
    indicator (no target, no department) has an approved one; a second childcare series is
    returned."""
    add_actual(childcare_indicator, 2025, "95.8", ActualStatus.SUBMITTED)
    add_actual(childcare_indicator, 2024, "1", ActualStatus.APPROVED)  # another year: ignored
    boys = Series.objects.create(indicator=childcare_indicator, label="男性", order=2)
    boys.targets.create(
        plan=Target.objects.get(series__indicator=childcare_indicator).plan,
        baseline_year=2023,
        target_value=2,
        target_year=2029,
        target_kind="increase",
    )
    Actual.objects.create(
        series=boys, year=2025, value=1, status=ActualStatus.RETURNED, review_comment="要確認"
    )
    sdgs = Indicator.objects.create(code="T901", name="ＳＤＧｓだけの指標", unit="件")
    Series.objects.create(indicator=sdgs)
    add_actual(sdgs, 2025, "3", ActualStatus.APPROVED)


def test_counts_per_department_show_what_is_missing_or_unapproved(year_2025: None) -> None:
    departments = entry_status(2025)
    summary = {d.name: d.counts for d in departments}
    # 未入力, 下書き, 差戻し, 提出済, 承認済
    assert summary == {
        "子育て支援課": [0, 0, 1, 1, 0],
        "学校教育課": [1, 0, 0, 0, 0],
        "（所管課未設定）": [0, 0, 0, 0, 1],
    }
    assert [d.name for d in departments][-1] == "（所管課未設定）"
    childcare = departments[0]
    assert [(r.label, r.state_label) for r in childcare.pending_rows] == [
        ("", "提出済"),
        ("男性", "差戻し"),
    ]
    # The CSV's: only the departments still owing something, with their members' addresses.
    pending = pending_status(2025, emails=True)
    assert [(d.name, d.emails, len(d.pending_rows)) for d in pending] == [
        ("子育て支援課", ["sato@example.jp"], 2),
        ("学校教育課", [], 1),
    ]


def test_a_year_outside_a_plan_expects_nothing_from_targeted_series(year_2025: None) -> None:
    names = {d.name for d in entry_status(2023)}  # the baseline year: known from the plan
    assert names == {"（所管課未設定）"}


def test_a_series_owes_the_year_when_any_of_its_plans_covers_it(
    year_2025: None, school_indicator: Indicator
) -> None:
    older = ActionPlan.objects.create(code="old", name="前計画", first_year=2020, last_year=2024)
    school_indicator.series.get().targets.create(
        plan=older, baseline_year=2018, target_value=1, target_year=2024, target_kind="increase"
    )
    assert {d.name for d in entry_status(2025)} == {"子育て支援課", "学校教育課", UNASSIGNED}
    # FY2023, the current plan's baseline year: only the older plan covers it
    assert {d.name for d in entry_status(2023)} == {"学校教育課", UNASSIGNED}


def test_the_approver_sees_the_page_and_the_changelist_links_it(
    client: Client, takahashi: User, year_2025: None
) -> None:
    client.force_login(takahashi)
    page = client.get(url(year="2025"))
    assert page.status_code == 200
    assert "入力状況（令和7年度）" in page.text and "学校教育課：未入力・未承認 1件" in page.text
    changelist = client.get(reverse("admin:indicators_actual_changelist"))
    assert url() in changelist.text


def test_the_csv_lists_the_pending_series_for_reminder_mails(
    client: Client, takahashi: User, year_2025: None
) -> None:
    client.force_login(takahashi)
    response = client.get(url(year="2025", format="csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == "入力状況_令和7年度（2025）.csv"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["所管課", "指標コード", "指標名", "系列", "年度", "状況"]
    assert [(r[0], r[1], r[3], r[5], r[6], r[9]) for r in rows[1:]] == [
        ("子育て支援課", "T101", "", "提出済", "", "sato@example.jp"),
        ("子育て支援課", "T101", "男性", "差戻し", "要確認", "sato@example.jp"),
        ("学校教育課", "T201", "", "未入力", "", ""),
    ]


def test_the_page_and_the_csv_say_who_changed_each_pending_value_and_when(
    client: Client, takahashi: User, sato: User, year_2025: None
) -> None:
    returned = Actual.objects.get(year=2025, series__label="男性")
    sato.first_name, sato.last_name = "花子", "佐藤"
    sato.save()
    Actual.objects.filter(pk=returned.pk).update(updated_by=sato)
    submitted = Actual.objects.get(year=2025, series__label="", status=ActualStatus.SUBMITTED)
    when = timezone.localtime(returned.updated_at).strftime("%Y-%m-%d %H:%M")
    client.force_login(takahashi)

    page = client.get(url(year="2025")).text
    rows = list(csv.reader(io.StringIO(client.get(url(year="2025", format="csv")).text)))

    change = reverse("admin:indicators_actual_change", args=[returned.pk])
    assert f'<a href="{change}">差戻し</a>' in page
    assert "<td>要確認</td>" in page and f"<td>{when} sato</td>" in page  # the admin's name
    # 最終更新者 and 最終更新日時: the full name; no one for a value entered by no user
    assert [(r[5], r[7], r[8]) for r in rows[1:3]] == [
        ("提出済", "", timezone.localtime(submitted.updated_at).strftime("%Y-%m-%d %H:%M")),
        ("差戻し", "花子 佐藤", when),
    ]
    assert rows[3][5:9] == ["未入力", "", "", ""]


def test_the_year_defaults_to_the_one_being_reported(
    client: Client, admin_user: User, year_2025: None
) -> None:
    client.force_login(admin_user)
    expected = fiscal_year_of(timezone.localdate()) - 1
    assert client.get(url()).context["year"] == expected
    assert client.get(url(year="abc")).context["year"] == expected
    assert client.get(url(year="3000")).context["year"] == expected


def test_only_approvers_and_superusers_see_it(
    client: Client, sato: User, watanabe: User, year_2025: None
) -> None:
    assert client.get(url()).status_code == 302  # to the login page
    client.force_login(watanabe)
    assert client.get(url()).status_code == 302
    client.force_login(sato)
    assert client.get(url()).status_code == 403
    assert client.get(url(format="csv")).status_code == 403
    assert url() not in client.get(reverse("admin:indicators_actual_changelist")).text


def _grow(extra_departments: int, plan: ActionPlan, member: User) -> None:
    for n in range(extra_departments):
        department = Department.objects.create(name=f"課{n}", code=f"X{n}")
        department.members.add(member)
        indicator = Indicator.objects.create(code=f"X{n}", name=f"指標{n}", department=department)
        series = Series.objects.create(indicator=indicator)
        series.targets.create(
            plan=plan, baseline_year=2023, target_value=10, target_year=2029, target_kind="increase"
        )
        add_actual(indicator, 2025, "1")


@pytest.mark.parametrize("extra_departments", [0, 6])
def test_the_page_takes_a_constant_number_of_queries(
    extra_departments: int,
    client: Client,
    takahashi: User,
    year_2025: None,
    entry_plan: ActionPlan,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _grow(extra_departments, entry_plan, takahashi)
    # the pending series with the year's actual and who changed it; series per department and
    # state, counted in the database
    with django_assert_num_queries(2):
        entry_status(2025)
    with django_assert_num_queries(2):  # the pending series; the departments' members' addresses
        pending_status(2025, emails=True)
    client.force_login(takahashi)
    # session, user, the user's own and their groups' permissions, the data version (which keys
    # the cached table), then the two of entry_status, and the year's evaluation sheets (none
    # here: reports.status reads nothing more)
    with django_assert_num_queries(8):
        assert client.get(url(year="2025")).status_code == 200
    with django_assert_num_queries(6):  # the same data: the table comes from the cache
        assert client.get(url(year="2025")).status_code == 200
    # session, user, permissions (2), the data version, then the two of pending_status
    with django_assert_num_queries(7):
        assert client.get(url(year="2025", format="csv")).status_code == 200
    with django_assert_num_queries(5):  # the same data: the file comes from the cache
        assert client.get(url(year="2025", format="csv")).status_code == 200
