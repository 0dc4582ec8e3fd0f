"""manage.py create_demo_users: demo departments and one user per role, for a local trial."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from indicators.models import Department, Indicator
from measures.models import ActionPlan

pytestmark = pytest.mark.django_db


def test_demo_users_get_roles_departments_and_printed_passwords(
    plan: ActionPlan, settings: Settings
) -> None:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("create_demo_users", stdout=out, stderr=io.StringIO())

    lines = [line.split("\t") for line in out.getvalue().splitlines()[1:-1]]
    passwords = {username: password for username, password, *_ in lines}
    assert set(passwords) == {"demo-nyuryoku", "demo-shonin", "demo-etsuran"}
    staff = get_user_model().objects.get(username="demo-nyuryoku")
    assert [d.name for d in staff.departments.all()] == ["デモ：子育て支援課"]
    assert [g.name for g in staff.groups.all()] == ["入力担当"]
    assert not get_user_model().objects.get(username="demo-etsuran").is_staff

    client = Client()  # the printed password works, through django-axes
    credentials = {"username": "demo-etsuran", "password": passwords["demo-etsuran"]}
    response = client.post(reverse("login"), credentials)
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_demo_departments_get_the_indicators_of_their_own_measures(
    plan: ActionPlan, settings: Settings
) -> None:
    settings.DEBUG = True
    call_command("create_demo_users", stdout=io.StringIO(), stderr=io.StringIO())

    def names(department: str) -> set[str]:
        return set(
            Indicator.objects.filter(department__name=department).values_list("name", flat=True)
        )

    childcare, school = names("デモ：子育て支援課"), names("デモ：学校教育課")
    assert "保育所等及び放課後児童クラブの待機児童数" in childcare
    assert "学校の授業内容が分かると感じている児童・生徒の割合" in school
    for unrelated in ("刑法犯認知件数", "有効求人倍率"):
        assert unrelated not in childcare | school
    for name, wanted in (
        ("デモ：子育て支援課", {"1-1", "1-5"}),
        ("デモ：学校教育課", {"1-2", "1-3", "1-4"}),
    ):
        for indicator in Indicator.objects.filter(department__name=name):
            codes = set(
                indicator.theme_links.values_list("direction__measure__code", flat=True)
            ) | set(indicator.sdg_entries.values_list("measure__code", flat=True))
            assert codes & wanted, (indicator.code, codes)


def test_an_earlier_assignment_by_code_is_put_right(plan: ActionPlan, settings: Settings) -> None:
    settings.DEBUG = True
    wrong = Department.objects.create(code="DEMO-01", name="デモ：子育て支援課")
    Indicator.objects.filter(name="刑法犯認知件数").update(department=wrong)

    call_command("create_demo_users", stdout=io.StringIO(), stderr=io.StringIO())

    assert Indicator.objects.get(name="刑法犯認知件数").department is None
    assert wrong.indicators.filter(name="保育所等及び放課後児童クラブの待機児童数").exists()


def test_running_it_again_keeps_the_assignments_and_renews_the_passwords(
    plan: ActionPlan, settings: Settings
) -> None:
    settings.DEBUG = True
    call_command("create_demo_users", stdout=io.StringIO(), stderr=io.StringIO())
    before = list(Indicator.objects.exclude(department=None).values_list("code", "department"))
    call_command("create_demo_users", stdout=io.StringIO(), stderr=io.StringIO())
    after = list(Indicator.objects.exclude(department=None).values_list("code", "department"))
    assert before == after and Department.objects.count() == 2


def test_it_refuses_to_run_without_debug(settings: Settings, db: None) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_users")
    assert not get_user_model().objects.exists()
