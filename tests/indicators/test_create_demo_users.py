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
    assert Indicator.objects.filter(department__name="デモ：学校教育課").count() == 10

    client = Client()  # the printed password works, through django-axes
    credentials = {"username": "demo-etsuran", "password": passwords["demo-etsuran"]}
    response = client.post(reverse("login"), credentials)
    assert response.status_code == 302 and client.get("/").status_code == 200


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
