"""manage.py create_demo_actuals: a living plan for a first look (DEBUG only)."""

import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from pytest_django import Settings

from dashboards import reads
from indicators.forms import indicator_rules
from indicators.models import Actual, ActualStatus, ImportRecord, Target
from kpi import entry_rules
from kpi.progress import Status
from measures.models import ActionPlan

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = io.StringIO()
    call_command("create_demo_actuals", stdout=out)
    return out.getvalue()


def test_the_dashboards_show_every_status_once_the_demo_actuals_are_in(
    plan: ActionPlan, settings: Settings
) -> None:
    settings.DEBUG = True
    _run()

    statuses: Counter[Status] = Counter()
    for summary in reads.overview(plan, 2025):
        statuses.update({s: n for s, n in summary.counts.items() if n})
    # 達成（要注意）, 横ばい and 判定不能 depend on the plan's own data: tests/kpi
    classic = {Status.ACHIEVED, Status.ON_TRACK, Status.BEHIND, Status.WORSE, Status.NO_DATA}
    assert classic <= set(statuses)
    # Mostly moving, some of everything: not 100 % 未入力.
    assert statuses[Status.NO_DATA] < sum(statuses.values()) * 0.2


def test_demo_actuals_cover_every_target_kind_and_every_review_status(
    plan: ActionPlan, settings: Settings
) -> None:
    settings.DEBUG = True
    _run()

    kinds_with_values = set(
        Target.objects.filter(series__actuals__isnull=False).values_list("target_kind", flat=True)
    )
    assert kinds_with_values == set(Target.objects.values_list("target_kind", flat=True))
    assert set(Actual.objects.values_list("status", flat=True)) == set(ActualStatus.values)
    # Years before the current one are approved: the dashboards count them.
    assert not Actual.objects.filter(year__lte=2025).exclude(status=ActualStatus.APPROVED).exists()


def test_demo_actuals_say_they_are_demo_data(plan: ActionPlan, settings: Settings) -> None:
    settings.DEBUG = True
    _run()

    author = get_user_model().objects.get(username="demo-data")
    assert not author.is_active and not author.has_usable_password()
    actuals = Actual.objects.all()
    assert all(a.note.startswith("デモデータ") and a.updated_by == author for a in actuals)
    record = ImportRecord.objects.get()
    assert record.file_name == "デモデータ（create_demo_actuals）"
    assert record.rows_new == actuals.count()
    reasons = set(Actual.history.values_list("history_change_reason", flat=True))
    assert reasons == {f"取込 #{record.pk}（デモデータ（create_demo_actuals））"}


def test_demo_actuals_pass_the_entry_rules(plan: ActionPlan, settings: Settings) -> None:
    settings.DEBUG = True
    _run()

    for actual in Actual.objects.select_related("series__indicator"):
        rules = indicator_rules(actual.series.indicator, entry_rules_today())
        assert entry_rules.value_errors(actual.value, rules) == [], actual
        assert entry_rules.year_errors(actual.year, rules) == [], actual


def entry_rules_today():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.localdate()


def test_running_it_again_changes_nothing_and_keeps_typed_values(
    plan: ActionPlan, settings: Settings
) -> None:
    settings.DEBUG = True
    typed = Target.objects.filter(target_kind="increase").select_related("series").first()
    assert typed is not None
    mine = Actual.objects.create(series=typed.series, year=2024, value=1, note="手入力")
    _run()
    count = Actual.objects.count()

    assert "ありません" in _run()
    assert Actual.objects.count() == count and ImportRecord.objects.count() == 1
    mine.refresh_from_db()
    assert mine.note == "手入力" and mine.value == 1


def test_the_overview_reads_the_demo_plan(
    plan: ActionPlan, settings: Settings, admin_user: object
) -> None:
    settings.DEBUG = True
    _run()
    client = Client()
    client.force_login(admin_user)  # type: ignore[arg-type]

    page = client.get("/").content.decode()
    assert "順調" in page and "遅れ" in page


def test_it_refuses_to_run_without_debug(settings: Settings, plan: ActionPlan) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _run()
    assert not Actual.objects.exists()
