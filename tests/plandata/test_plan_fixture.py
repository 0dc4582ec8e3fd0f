"""The whole plan, loaded from its YAML by load_plan, is the plan as printed."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from dashboards.reads import matrix_page
from indicators.models import Indicator, SdgLocalIndicator, Target
from measures.models import ActionPlan, Direction, Measure, Policy
from projects.models import Project, ProjectIndicator, Theme, ThemeLink

PRINTED_MATRIX = Path(__file__).parent.parent / "data" / "printed_matrix.tsv"


def target_of(name: str, label: str = "") -> Target:
    return Target.objects.select_related("series__indicator").get(
        series__indicator__name=name, series__label=label
    )


@pytest.mark.django_db
def test_plan_has_the_printed_structure(plan: ActionPlan) -> None:
    assert plan.first_year == 2025 and plan.last_year == 2029
    assert Policy.objects.count() == 7
    assert Measure.objects.count() == 36
    assert Project.objects.count() == 5
    assert Theme.objects.count() == 15
    assert ProjectIndicator.objects.count() == 10
    for project in Project.objects.all():
        assert project.themes.count() == 3
        assert project.project_indicators.count() == 2
        assert project.related_plans.exists()
    codes = list(Measure.objects.order_by("order").values_list("code", flat=True))
    assert (codes[0], codes[-1], len(set(codes))) == ("1-1", "7-4", 36)


@pytest.mark.django_db
def test_every_link_points_at_a_direction_of_its_measure(plan: ActionPlan) -> None:
    links = ThemeLink.objects.select_related("direction", "initiative")
    assert links.count() > 80
    for link in links:
        if link.initiative:
            assert link.initiative.direction_id == link.direction_id
    assert Direction.objects.get(measure__code="1-1", number=1).name == (
        "結婚、出産、子育てまでの切れ目のない支援"
    )


@pytest.mark.django_db
def test_an_indicator_shown_by_several_projects_is_one_record(plan: ActionPlan) -> None:
    for name, projects in [
        ("学校体育館の空調機設置率", {1, 3}),
        ("運転免許証自主返納者数", {1, 5}),
        ("市の審議会等における女性委員の割合", {2, 4}),
    ]:
        indicator = Indicator.objects.get(name=name)
        shown_in = set(indicator.theme_links.values_list("theme__project__number", flat=True))
        assert shown_in == projects
        assert indicator.series.count() == 1
    assert Indicator.objects.filter(name="介護を必要としない高齢者の割合").count() == 1
    assert SdgLocalIndicator.objects.filter(
        indicator__name="介護を必要としない高齢者の割合", measure__code="2-6"
    ).exists()


@pytest.mark.django_db
def test_targets_of_every_kind_are_as_printed(plan: ActionPlan) -> None:
    crime = target_of("刑法犯認知件数")
    assert (crime.baseline_value, crime.target_value, crime.target_kind) == (
        Decimal("1869"),
        Decimal("1400"),
        "decrease",
    )
    care = target_of("介護を必要としない高齢者の割合")
    assert (care.baseline_value, care.target_value, care.target_kind) == (
        Decimal("81.0"),
        Decimal("81.0"),
        "at_least",
    )
    children = target_of("年少人口")
    assert (children.baseline_value, children.target_value, children.target_kind) == (
        Decimal("26186"),
        Decimal("23914"),
        "at_least",
    )
    assert (children.baseline_year, children.target_year) == (2023, 2029)
    assert children.series.indicator.period_kind == "calendar"
    idle = target_of("遊休農地面積")
    assert (idle.target_value, idle.target_kind, idle.series.indicator.unit) == (
        Decimal("46.7"),
        "at_most",
        "ha",
    )
    clinic = target_of("休日夜間急患センターの開設日数")
    assert (clinic.baseline_value, clinic.target_value, clinic.target_kind) == (
        Decimal("365"),
        Decimal("365"),
        "keep",
    )
    waiting = target_of("保育所等及び放課後児童クラブの待機児童数")
    assert (waiting.target_value, waiting.target_kind, waiting.target_label) == (
        Decimal("0"),
        "zero",
        "待機児童なし",
    )
    aircon = target_of("学校体育館の空調機設置率")
    assert (aircon.baseline_value, aircon.target_value, aircon.target_kind) == (
        None,
        Decimal("100"),
        "increase",
    )
    experience = target_of("体験活動等への参加者数")
    assert (experience.baseline_value, experience.target_value, experience.target_kind) == (
        Decimal("5094"),
        Decimal("5000"),
        "at_least",
    )


@pytest.mark.django_db
def test_split_series_cumulative_and_calendar_indicators(plan: ActionPlan) -> None:
    men = target_of("健康寿命（平均自立期間）", "男性")
    women = target_of("健康寿命（平均自立期間）", "女性")
    assert (men.baseline_value, men.target_value, men.baseline_year, men.target_year) == (
        Decimal("79.4"),
        Decimal("79.5"),
        2022,
        2028,
    )
    assert (women.baseline_value, women.target_value) == (Decimal("83.7"), Decimal("84.1"))
    english = Indicator.objects.get(name__startswith="英語の学習が楽しい")
    assert list(english.series.values_list("label", flat=True)) == ["小学校", "中学校"]
    farmers = Indicator.objects.get(name__startswith="新規就農者数")
    assert farmers.cumulative
    tourists = target_of("観光入込客数")
    assert (tourists.baseline_value, tourists.series.indicator.unit) == (Decimal("258"), "万人")
    cadastral = target_of("地籍調査完了面積（累計）")
    assert (cadastral.baseline_value, cadastral.series.indicator.unit) == (Decimal("24.26"), "km²")
    rail = target_of("鉄道利用者数")
    assert (rail.baseline_year, rail.target_year) == (2022, 2028)
    assert rail.series.indicator.period_kind == "fiscal"


@pytest.mark.django_db
def test_sdgs_local_indicators_include_ones_without_targets(plan: ActionPlan) -> None:
    entries = SdgLocalIndicator.objects.filter(measure__code="7-1")
    assert entries.count() == 9
    assert SdgLocalIndicator.objects.filter(indicator__name="製造品出荷額等").count() == 2
    without_target = Indicator.objects.filter(sdg_entries__isnull=False, series__targets=None)
    assert without_target.exists()


@pytest.mark.django_db
def test_measure_project_table_derived_from_links_matches_the_printed_one(plan: ActionPlan) -> None:
    page = matrix_page(plan)
    derived = {
        (measure.code, project.number): mark
        for measure, marks in page.rows
        for project, mark in zip(page.projects, marks, strict=True)
        if mark
    }
    lines = [ln for ln in PRINTED_MATRIX.read_text(encoding="utf-8").splitlines() if ln[:1] != "#"]
    reader = csv.reader(lines[1:], delimiter="\t")
    printed = {
        (row[0], project): mark
        for row in reader
        for project, mark in enumerate(row[1:], start=1)
        if mark != "-"
    }
    assert len({code for code, _ in printed}) == 32  # 2-5, 6-1, 6-2, 6-3 have none
    assert derived == printed
