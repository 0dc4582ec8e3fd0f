"""The evaluation's cast, on top of tests/conftest.py's.

A small plan (FY2025–2029): project 1 「子育て応援プロジェクト」 whose one theme links measure 1-1
(lead department 子育て支援課) to ３歳児健康診査受診率 (also the project indicator) and measure
1-2 (学校教育課) to 不登校児童生徒数. 子育て支援課 and the planning division's 企画調整課 belong to
健康福祉部 and 企画部, 学校教育課 to 教育部.

People, besides sato, suzuki (入力担当), takahashi (承認者, the planning division), watanabe
(閲覧者) and kanri (superuser):
yamada 課長 of 子育て支援課, ito 課長 of 学校教育課, nakamura and kobayashi 副部局長 of 健康福祉部
and 教育部, kato and yoshida their 部局長, mori 課長 of 企画調整課, shimizu and hayashi 副部局長
and 部局長 of 企画部, matsumoto a 推進会議 member.
"""

import pytest
from django.contrib.auth.models import User

from evaluations.chains import ensure_default_chain
from evaluations.models import (
    Bureau,
    BureauDepartment,
    EvaluationSheet,
    PositionKind,
)
from evaluations.permissions import ROLE_COMMITTEE, sync_evaluation_roles
from evaluations.services import evaluations_open
from indicators.models import Department, Indicator
from measures.models import ActionPlan, Direction, Measure, Policy
from projects.models import Project, ProjectIndicator, Theme, ThemeLink
from tests.evaluations.builders import World, hold, person


@pytest.fixture
def world(
    roles: None,
    entry_plan: ActionPlan,
    childcare: Department,
    school: Department,
    childcare_indicator: Indicator,
    school_indicator: Indicator,
) -> World:
    sync_evaluation_roles()
    chain = ensure_default_chain()
    policy = Policy.objects.create(plan=entry_plan, number=1, name="子育て・教育")
    childcare_measure = Measure.objects.create(
        plan=entry_plan,
        policy=policy,
        code="1-1",
        name="子どもを産み育てる環境づくりの推進",
        order=1,
        lead_department=childcare,
    )
    school_measure = Measure.objects.create(
        plan=entry_plan,
        policy=policy,
        code="1-2",
        name="幼児教育・学校教育の充実",
        order=2,
        lead_department=school,
    )
    project = Project.objects.create(
        plan=entry_plan, number=1, name="子育て応援プロジェクト", short_name="子育て応援", aim="…"
    )
    ProjectIndicator.objects.create(project=project, indicator=childcare_indicator, order=1)
    theme = Theme.objects.create(project=project, order=1, name="子育てを支える")
    for order, (measure, indicator) in enumerate(
        [(childcare_measure, childcare_indicator), (school_measure, school_indicator)], start=1
    ):
        direction = Direction.objects.create(measure=measure, number=1, name="")
        ThemeLink.objects.create(theme=theme, order=order, direction=direction, indicator=indicator)
    planning = Department.objects.create(name="企画調整課", code="P01")
    chain.planning_department = planning
    chain.save()
    health = Bureau.objects.create(code="B1", name="健康福祉部")
    education = Bureau.objects.create(code="B2", name="教育部")
    governance = Bureau.objects.create(code="B0", name="企画部")
    for bureau, department in [(health, childcare), (education, school), (governance, planning)]:
        BureauDepartment.objects.create(bureau=bureau, department=department)
    return World(
        entry_plan,
        project,
        childcare_measure,
        school_measure,
        planning,
        health,
        education,
        governance,
        chain,
    )


@pytest.fixture
def reviewers(world: World) -> dict[str, User]:
    """The position holders and the committee member, by name."""
    chief, deputy, director = (
        PositionKind.SECTION_CHIEF,
        PositionKind.DEPUTY_DIRECTOR,
        PositionKind.DIRECTOR,
    )
    childcare = world.childcare_measure.lead_department
    school = world.school_measure.lead_department
    assert childcare is not None and school is not None
    return {
        "yamada": hold(person("yamada"), chief, childcare),
        "ito": hold(person("ito"), chief, school),
        "nakamura": hold(person("nakamura"), deputy, world.health),
        "kobayashi": hold(person("kobayashi"), deputy, world.education),
        "kato": hold(person("kato"), director, world.health),
        "yoshida": hold(person("yoshida"), director, world.education),
        "mori": hold(person("mori"), chief, world.planning),
        "shimizu": hold(person("shimizu"), deputy, world.governance),
        "hayashi": hold(person("hayashi"), director, world.governance),
        "matsumoto": person("matsumoto", groups=(ROLE_COMMITTEE,)),
    }


@pytest.fixture
def opened(world: World) -> dict[str, EvaluationSheet]:
    """FY2025's sheets: "project", "childcare" (measure 1-1) and "school" (1-2)."""
    evaluations_open(plan=world.plan, year=2025, user=None)
    sheets = EvaluationSheet.objects.of_year(world.plan, 2025)
    return {
        "project": sheets.get(project=world.project),
        "childcare": sheets.get(measure=world.childcare_measure),
        "school": sheets.get(measure=world.school_measure),
    }
