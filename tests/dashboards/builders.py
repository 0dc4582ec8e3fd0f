"""Unsaved model instances shaped like the dashboards' reads, for tests that need no database."""

from decimal import Decimal

from dashboards.reads import LinkRow
from dashboards.series import SeriesView
from indicators.goals import goal_of, tolerances
from indicators.models import Department, Indicator, Series, Target
from kpi.progress import NO_PROGRESS, evaluate
from measures.models import ActionPlan, Direction, Initiative, Measure, Policy
from projects.models import Project, Theme, ThemeLink

D = Decimal
PLAN = ActionPlan(pk=1, code="2025-2029", name="前期", first_year=2025, last_year=2029)


def crime_target(*, label: str = "", department: Department | None = None) -> Target:
    """刑法犯認知件数 1,869件 (令和5年度) → 1,400件 (令和11年度), a decrease."""
    indicator = Indicator(pk=6, code="K006", name="刑法犯認知件数", unit="件", decimals=0)
    if department is not None:
        indicator.department = department
    series = Series(pk=6, indicator=indicator, label=label, order=1)
    return Target(
        series=series,
        plan=PLAN,
        baseline_value=D("1869"),
        baseline_year=2023,
        target_value=D("1400"),
        target_year=2029,
        target_kind="decrease",
    )


def crime_view(
    actuals: dict[int, str],
    *,
    provisional: frozenset[int] = frozenset(),
    as_of: int = 2025,
    target: Target | None = None,
) -> SeriesView:
    """The series as ``series_view`` makes it from prefetched rows."""
    target = target or crime_target()
    values = {year: D(value) for year, value in actuals.items()}
    progress = evaluate(goal_of(target), values, as_of=as_of, tolerances=tolerances())
    return SeriesView(target.series, target, values, provisional, as_of, progress)


def no_target_view() -> SeriesView:
    """An SDGs local indicator: values, no target."""
    indicator = Indicator(pk=99, code="K099", name="製造品出荷額等", unit="億円", decimals=0)
    series = Series(pk=99, indicator=indicator, label="", order=1)
    return SeriesView(series, None, {2024: D("12000")}, frozenset(), 2025, NO_PROGRESS)


def link_row(view: SeriesView, *, initiative: str = "", program: str = "") -> LinkRow:
    policy = Policy(pk=5, plan=PLAN, number=5, name="安全・安心政策")
    measure = Measure(pk=20, plan=PLAN, policy=policy, code="5-2", name="防犯対策の推進", order=20)
    direction = Direction(pk=50, measure=measure, number=1, name="地域防犯力の向上")
    project = Project(
        pk=4, plan=PLAN, number=4, name="暮らしの安心実現プロジェクト", short_name="安心"
    )
    theme = Theme(pk=40, project=project, order=1, name="安全な暮らし")
    link = ThemeLink(pk=400, theme=theme, order=1, direction=direction, indicator=view.indicator)
    if initiative:
        link.initiative = Initiative(pk=60, direction=direction, name=initiative, program=program)
    return LinkRow(theme, link, view)
