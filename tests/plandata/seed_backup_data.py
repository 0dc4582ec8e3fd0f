"""Fills a freshly migrated database for test_backup_roundtrip.py; run as a script, so that it
works on whatever DATABASE_URL the subprocess gets. The plan comes from its YAML (load_plan) when
it exists, otherwise a small plan is built here. Then: actuals, users, a group, an admin log."""

import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import django

from plandata.sources import FIRST_PLAN_SOURCE

if TYPE_CHECKING:  # the models are imported once Django is set up
    from django.contrib.auth.models import User

BASE_DIR = Path(__file__).resolve().parents[2]


def build_small_plan() -> None:
    from indicators.models import Indicator, SdgLocalIndicator, Series, Target
    from measures.models import ActionPlan, Direction, Initiative, Measure, Policy
    from projects.models import (
        GlossaryTerm,
        Project,
        ProjectIndicator,
        ProjectRelatedPlan,
        RelatedPlan,
        Theme,
        ThemeLink,
    )

    plan = ActionPlan.objects.create(
        code="2025-2029", name="前期アクションプラン", first_year=2025, last_year=2029
    )
    policy = Policy.objects.create(plan=plan, number=1, name="子育て・教育")
    measure = Measure.objects.create(plan=plan, policy=policy, code="1-1", name="子育て", order=1)
    direction = Direction.objects.create(measure=measure, number=1, name="")
    initiative = Initiative.objects.create(direction=direction, name="① 相談", program="～事業")
    indicator = Indicator.objects.create(
        code="K001", name="年少人口", unit="人", definition="住民基本台帳\n各年4月1日"
    )
    satisfaction = Indicator.objects.create(
        code="K002", name="満足度", unit="%", decimals=1, survey_measure=measure
    )
    for order, (ind, label) in enumerate([(indicator, ""), (satisfaction, "")], start=1):
        series = Series.objects.create(indicator=ind, label=label, order=1)
        Target.objects.create(
            series=series,
            plan=plan,
            baseline_value=Decimal("26186") if order == 1 else None,
            baseline_year=2024,
            target_value=Decimal("23914") if order == 1 else Decimal("50.5"),
            target_year=2029,
            target_kind="at_least",
        )
    SdgLocalIndicator.objects.create(measure=measure, indicator=satisfaction, order=1)
    projects = [
        Project.objects.create(plan=plan, number=n, name=f"P{n}", short_name=f"P{n}", aim="…")
        for n in (1, 2)
    ]
    ProjectIndicator.objects.create(project=projects[0], indicator=indicator, order=1)
    theme = Theme.objects.create(project=projects[0], order=1, name="方向性")
    ThemeLink.objects.create(
        theme=theme, order=1, direction=direction, initiative=initiative, indicator=indicator
    )
    related = RelatedPlan.objects.create(name="子ども・子育て支援事業計画")
    ProjectRelatedPlan.objects.create(project=projects[0], related_plan=related, order=1)
    term = GlossaryTerm.objects.create(term="合計特殊出生率", description="…")
    term.projects.add(projects[1], projects[0])


def seed() -> None:
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from indicators.models import Actual, Series

    if FIRST_PLAN_SOURCE.exists():
        call_command("load_plan", str(FIRST_PLAN_SOURCE), verbosity=0)
    else:
        build_small_plan()

    staff = Group.objects.create(name="集計担当")
    staff.permissions.set(
        Permission.objects.filter(codename__in=["change_actual", "add_actual", "view_indicator"])
    )
    Group.objects.create(name="閲覧のみ")
    tanaka = User.objects.create_user("tanaka", "tanaka@example.jp", "pw-tanaka-1", is_staff=True)
    tanaka.groups.set(Group.objects.order_by("-name"))  # all, pks out of order
    tanaka.user_permissions.add(Permission.objects.get(codename="view_actual"))
    User.objects.create_superuser("kanri", "kanri@example.jp", "pw-kanri-1")

    values = [Decimal("96.1"), Decimal("0"), Decimal("26186"), Decimal("-0.25"), Decimal("1.2345")]
    for series in Series.objects.order_by("pk")[:3]:
        for year, value in zip(range(2021, 2026), values, strict=True):
            actual = Actual.objects.create(
                series=series, year=year, value=value, note="速報値\n（確定前）", updated_by=tanaka
            )
    LogEntry.objects.create(
        user=tanaka,
        content_type=ContentType.objects.get_for_model(Actual),
        object_id=str(actual.pk),
        object_repr=str(actual),
        action_flag=ADDITION,
        change_message='[{"added": {}}]',
    )
    seed_evaluations(tanaka)


def seed_evaluations(author: "User") -> None:
    """A bureau, a position, a year's evaluation sheets (with their history), one submitted."""
    from evaluations.models import Bureau, BureauDepartment, EvaluationSheet, Position
    from evaluations.services import evaluations_open
    from indicators.models import Department
    from measures.models import ActionPlan, Measure

    plan = ActionPlan.objects.current()
    assert plan is not None
    department = Department.objects.create(name="子育て支援課", code="C10")
    bureau = Bureau.objects.create(code="B1", name="健康福祉部")
    BureauDepartment.objects.create(bureau=bureau, department=department)
    Position.objects.create(user=author, kind="section_chief", department=department)
    Measure.objects.filter(plan=plan).order_by("order").update(lead_department=department)
    evaluations_open(plan=plan, year=plan.first_year, user=None)
    sheet = EvaluationSheet.objects.filter(department=department).order_by("pk").first()
    assert sheet is not None
    sheet.achievements = "取組実績\n（速報）"
    sheet.save()


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isesaki.settings")
    django.setup()
    seed()
