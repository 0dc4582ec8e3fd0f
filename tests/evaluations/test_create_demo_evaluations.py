"""manage.py create_demo_evaluations: positions, a committee member and last year's sheets."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from pytest_django import Settings

from evaluations.models import EvaluationSheet, Position
from measures.models import ActionPlan, Measure

pytestmark = pytest.mark.django_db


def test_demo_reviewers_can_log_in_and_the_demo_departments_lead_measures(
    plan: ActionPlan, settings: Settings
) -> None:
    settings.DEBUG = True
    with pytest.raises(CommandError, match="create_demo_users"):
        call_command("create_demo_evaluations", stdout=io.StringIO())
    call_command("create_demo_users", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()

    call_command("create_demo_evaluations", stdout=out)

    lines = [line.split("\t") for line in out.getvalue().splitlines()[1:-1]]
    passwords = {username: password for username, password, *_ in lines}
    assert set(passwords) == {"demo-kacho", "demo-fukubucho", "demo-bucho", "demo-iin"}
    chief_of = Position.objects.get(user__username="demo-kacho").department
    assert chief_of is not None and chief_of.name == "デモ：子育て支援課"
    lead = Measure.objects.get(plan=plan, code="1-1").lead_department
    assert lead is not None and lead.code == "DEMO-01"
    assert EvaluationSheet.objects.filter(department=lead).count() == 2  # 1-1 and 1-5
    assert not User.objects.get(username="demo-iin").is_staff

    client = Client()
    credentials = {"username": "demo-iin", "password": passwords["demo-iin"]}
    assert client.post("/login/", credentials).status_code == 302
    assert client.get("/").url == "/evaluations/"  # type: ignore[attr-defined]
    call_command("create_demo_evaluations", stdout=io.StringIO())  # again: no duplicates
    assert Position.objects.count() == 3


def test_the_demo_refuses_to_run_without_debug(settings: Settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_evaluations", stdout=io.StringIO())
