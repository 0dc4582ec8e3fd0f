"""The overview's project cards (issue 14): a card counts the project's own project indicators
as well as its theme rows, each series once, and its mean 進捗率 is what the legend says —
reproducible from the rows: each series' rate clamped to 0–100 %, averaged over the series
that have one."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client

from dashboards.reads import overview
from indicators.models import Actual, Target
from kpi.progress import Status
from measures.models import ActionPlan
from projects.models import Project, ThemeLink

pytestmark = pytest.mark.django_db


def _approve(target: Target, value: Decimal, year: int = 2025) -> None:
    Actual.objects.create(series=target.series, year=year, value=value, status="approved")


def _headline_targets(plan: ActionPlan, project: Project) -> list[Target]:
    return list(
        Target.objects.filter(
            plan=plan, series__indicator__project_entries__project=project
        ).select_related("series")
    )


def test_a_card_counts_the_projects_own_project_indicators(
    plan: ActionPlan, manager_client: Client
) -> None:
    project = Project.objects.get(plan=plan, number=4)
    headline = _headline_targets(plan, project)
    assert headline, "project 4 has project indicators"
    linked = set(
        ThemeLink.objects.filter(theme__project=project).values_list("indicator_id", flat=True)
    )
    for target in headline:
        _approve(target, target.target_value)  # met
    card = {s.project.number: s for s in overview(plan, 2025)}[4]
    assert card.counts[Status.ACHIEVED] >= len(headline)
    own_only = [t for t in headline if t.series.indicator_id not in linked]
    theme_series = Target.objects.filter(plan=plan, series__indicator_id__in=linked).count()
    assert card.total == theme_series + len(own_only)  # each series once
    page = manager_client.get("/?year=2025").content.decode()
    assert f"成果指標 {card.total} 系列（進捗率は {card.rated} 系列の平均）" in page


def test_the_cards_mean_rate_is_the_mean_of_clamped_rates(plan: ActionPlan) -> None:
    project = Project.objects.get(plan=plan, number=4)
    first, *rest = [t for t in _headline_targets(plan, project) if t.baseline_value is not None]
    # Far past the target (a rate above 100 %) counts as 100 %.
    assert first.baseline_value is not None
    overshoot = first.target_value + 10 * (first.target_value - first.baseline_value)
    _approve(first, overshoot)
    card = {s.project.number: s for s in overview(plan, 2025)}[4]
    assert card.rated == 1
    assert card.rate == Decimal("100.0")
    if rest and rest[0].baseline_value is not None:  # at its baseline: 0 %; mean of 100, 0
        _approve(rest[0], rest[0].baseline_value)
        card = {s.project.number: s for s in overview(plan, 2025)}[4]
        expected = (Decimal(100) + Decimal(0)) / 2
        assert card.rated == 2
        assert card.rate == expected.quantize(Decimal("0.1"), ROUND_HALF_UP)


def test_the_legend_says_how_the_mean_rate_is_computed(
    plan: ActionPlan, manager_client: Client
) -> None:
    page = manager_client.get("/?year=2025").content.decode()
    assert "0％未満は0％、100％超は100％として" in page
    assert "プロジェクト指標と、取組の方向性の各行の成果指標" in page
    assert 'aria-describedby="rate-legend"' in page


def test_a_card_shows_the_rarer_statuses_only_where_a_series_has_them(
    plan: ActionPlan, manager_client: Client
) -> None:
    """達成（要注意）, 横ばい and 判定不能 appear on a card when a series reads so; the four
    statuses and 未入力 are always counted, 0 included."""
    page = manager_client.get("/?year=2025").content.decode()
    assert "未入力 " in page and "達成 0" in page
    assert "横ばい 0" not in page and "判定不能 0" not in page and "達成（要注意） 0" not in page
    # 年少人口 26,186 → 23,914人以上 (project 1), met but falling faster than the line.
    young = Target.objects.get(plan=plan, series__indicator__name="年少人口")
    _approve(young, Decimal("25200"), 2024)
    _approve(young, Decimal("24300"), 2025)
    page = manager_client.get("/?year=2025").content.decode()
    assert "達成（要注意） 1" in page
    # Where the series is also a project indicator, its row in the card's table says so too
    # (the row and the count are one verdict, with its forecast).
    if young.series.indicator.project_entries.filter(project__plan=plan).exists():
        assert '<span class="badge status-at_risk">達成（要注意）</span>' in page


def _more_projects(plan: ActionPlan, count: int) -> None:
    """Copies of project 4 numbered 101…, each with project 4's theme rows."""
    seed = Project.objects.get(plan=plan, number=4)
    links = list(ThemeLink.objects.filter(theme__project=seed))
    for n in range(count):
        project = Project.objects.create(plan=plan, number=101 + n, name=f"複製プロジェクト{n + 1}")
        themes = {
            t.pk: project.themes.create(name=t.name, order=t.order) for t in seed.themes.all()
        }
        ThemeLink.objects.bulk_create(
            ThemeLink(
                theme=themes[link.theme_id],
                order=link.order,
                direction_id=link.direction_id,
                initiative_id=link.initiative_id,
                indicator_id=link.indicator_id,
            )
            for link in links
        )


def test_the_overview_shows_twenty_cards_a_page_with_a_pager(
    plan: ActionPlan, manager_client: Client
) -> None:
    _more_projects(plan, 18)  # 5 + 18 = 23 projects: 20 on page 1, 3 on page 2
    first = manager_client.get("/?year=2025").content.decode()
    second = manager_client.get("/?year=2025&page=2").content.decode()
    assert first.count('<section class="card"') == 20
    assert second.count('<section class="card"') == 3
    assert "重点プロジェクト 23件のうち 1〜20件目（1／2ページ）" in first
    assert "21〜23件目（2／2ページ）" in second
    # The pager keeps the as-of year; the last page links back, not forward.
    assert 'href="?year=2025&amp;page=2" rel="next"' in first
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert "複製プロジェクト18" in second and "複製プロジェクト18" not in first
    # A page's card counts what the whole overview's card for that project counts.
    card = {s.project.number: s for s in overview(plan, 2025)}[118]
    assert card.total > 0
    assert f"成果指標 {card.total} 系列（進捗率は {card.rated} 系列の平均）" in second


def test_a_page_out_of_range_or_not_a_number_is_the_last_or_the_first(
    plan: ActionPlan, manager_client: Client
) -> None:
    _more_projects(plan, 18)
    assert "21〜23件目" in manager_client.get("/?page=99").content.decode()
    assert "1〜20件目" in manager_client.get("/?page=abc").content.decode()


def test_a_plan_of_five_projects_has_no_pager(plan: ActionPlan, manager_client: Client) -> None:
    page = manager_client.get("/?year=2025").content.decode()
    assert page.count('<section class="card"') == 5
    assert 'class="pager"' not in page
