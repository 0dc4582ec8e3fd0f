"""The managers' worry list (要注意の指標): every series of the plan that is 遅れ or 悪化 as of the
year, or 順調 today but not expected to reach its target (見込み不足: the forecast falls short),
across projects and measures, with its 所管課, latest value, target and trend."""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from dashboards.series import SeriesView, series_views
from indicators.models import Department
from kpi.progress import Status
from measures.models import ActionPlan
from projects.models import Project, ProjectIndicator, ThemeLink

AT_RISK = "見込み不足"  # 順調 today, but the forecast misses the target
# 遅れ, 悪化 and 達成（要注意） (met today, the trend breaks it) are worries by their status.
WORRYING = frozenset({Status.BEHIND, Status.WORSE, Status.AT_RISK})
SORTS = {
    "department": "所管課",
    "project": "重点プロジェクト",
    "rate": "進捗率（低い順）",
    "code": "指標コード",
}


@dataclass(frozen=True)
class WorryRow:
    view: SeriesView
    projects: tuple[int, ...]  # project numbers where the plan shows the indicator
    measures: tuple[str, ...]  # measure codes

    @property
    def reason(self) -> str:
        if self.view.status in WORRYING:
            return self.view.progress.status_label
        return AT_RISK

    @property
    def department(self) -> Department | None:
        return self.view.indicator.department

    @property
    def trend(self) -> Decimal | None:
        """The latest approved actual (up to the as-of year) minus the one before it, or
        minus the baseline for the first actual."""
        actuals = self.view.actuals  # already cut at the as-of year (``series_view``)
        years = sorted(actuals)
        if len(years) >= 2:
            return actuals[years[-1]] - actuals[years[-2]]
        baseline = self.view.target.baseline_value if self.view.target else None
        return actuals[years[-1]] - baseline if years and baseline is not None else None


@dataclass(frozen=True)
class WorryFilter:
    department: int | None = None
    project: int | None = None  # a project number
    sort: str = "department"

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "WorryFilter":
        department, project = query.get("department", ""), query.get("project", "")
        sort = query.get("sort", "")
        return cls(
            department=int(department) if department.isdigit() else None,
            project=int(project) if project.isdigit() else None,
            sort=sort if sort in SORTS else "department",
        )


def is_worrying(view: SeriesView) -> bool:
    if not view.has_target:
        return False
    status = view.progress.status
    at_risk = status == Status.ON_TRACK and view.progress.forecast_meets is False
    return status in WORRYING or at_risk


def _places(plan: ActionPlan) -> tuple[dict[int, set[int]], dict[int, set[str]]]:
    """indicator id → the project numbers and measure codes showing it: two queries."""
    projects: dict[int, set[int]] = defaultdict(set)
    measures: dict[int, set[str]] = defaultdict(set)
    links = ThemeLink.objects.filter(theme__project__plan=plan).values_list(
        "indicator_id", "theme__project__number", "direction__measure__code"
    )
    for indicator_id, number, code in links:
        projects[indicator_id].add(number)
        measures[indicator_id].add(code)
    headline = ProjectIndicator.objects.filter(project__plan=plan)
    for indicator_id, number in headline.values_list("indicator_id", "project__number"):
        projects[indicator_id].add(number)
    return projects, measures


def _sort_key(sort: str) -> Callable[[WorryRow], tuple[object, ...]]:
    def key(row: WorryRow) -> tuple[object, ...]:
        code = row.view.indicator.code
        if sort == "project":
            return (min(row.projects, default=999), code)
        if sort == "rate":
            rate = row.view.progress.rate
            return (rate is None, rate if rate is not None else 0, code)
        if sort == "code":
            return (code, row.view.series.order)
        department = row.department
        return (department is None, department.code if department else "", code)

    return key


def worry_list(plan: ActionPlan, year: int, chosen: WorryFilter) -> list[WorryRow]:
    """5 queries however many series (the series' views: 3, their places: 2)."""
    shown = (
        Q(indicator__theme_links__theme__project__plan=plan)
        | Q(indicator__project_entries__project__plan=plan)
        | Q(indicator__survey_measure__plan=plan)
    )
    views = series_views(shown, plan, year, forecast=True)
    projects, measures = _places(plan)
    rows = []
    for indicator_id, indicator_views in views.items():
        numbers = tuple(sorted(projects.get(indicator_id, ())))
        if chosen.project is not None and chosen.project not in numbers:
            continue
        for view in indicator_views:
            if chosen.department is not None and view.indicator.department_id != chosen.department:
                continue
            if is_worrying(view):
                codes = tuple(sorted(measures.get(indicator_id, ())))
                rows.append(WorryRow(view, numbers, codes))
    return sorted(rows, key=_sort_key(chosen.sort))


def filter_options(plan: ActionPlan) -> tuple[list[Department], list[Project]]:
    """The departments and projects to filter by: two queries."""
    departments = list(
        Department.objects.filter(indicators__isnull=False).distinct().order_by("code")
    )
    return departments, list(Project.objects.filter(plan=plan).order_by("number"))
