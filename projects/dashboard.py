"""Read side of the project dashboards: every page's data in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q

from indicators.dashboard import SeriesView, counted_values, latest_progress, series_view
from indicators.models import Series, Target
from indicators.progress import Progress, Status, mean_rate, status_counts
from measures.models import ActionPlan
from projects.models import Project, ProjectIndicator, Theme, ThemeLink


def series_views(
    series_filter: Q,
    plan: ActionPlan,
    as_of: int,
    *,
    forecast: bool = True,
    include_provisional: bool = False,
) -> dict[int, list[SeriesView]]:
    """indicator id → its series as of a year (3 queries). The filter may span multi-valued
    relations: it runs as a subquery, so each series comes once."""
    matching = Series.objects.filter(series_filter).values("pk")
    actuals, provisional = counted_values(matching, include_provisional=include_provisional)
    series_list = (
        Series.objects.filter(pk__in=matching)
        .select_related("indicator__department")
        .prefetch_related(Prefetch("targets", queryset=Target.objects.filter(plan=plan)))
        .order_by("indicator_id", "order")
    )
    by_indicator: dict[int, list[SeriesView]] = defaultdict(list)
    for series in series_list:
        view = series_view(
            series,
            as_of,
            actuals=actuals.get(series.pk, {}),
            provisional=provisional.get(series.pk, frozenset()),
            forecast=forecast,
        )
        by_indicator[series.indicator_id].append(view)
    return by_indicator


@dataclass(frozen=True)
class ProjectSummary:
    project: Project
    headline: list[SeriesView]  # the project indicators' series
    counts: dict[Status, int]
    rate: Decimal | None  # mean 進捗率 of the project's measure indicators
    total: int


def overview(
    plan: ActionPlan, as_of: int, *, include_provisional: bool = False
) -> list[ProjectSummary]:
    """The overview page: 8 queries however many projects, indicators and years. Counts come
    from each series' latest actual only; full views only for the project indicators."""
    projects = list(Project.objects.filter(plan=plan).order_by("number"))
    links = ThemeLink.objects.filter(theme__project__plan=plan).values_list(
        "theme__project_id", "indicator_id"
    )
    entries = list(
        ProjectIndicator.objects.filter(project__plan=plan)
        .order_by("order")
        .values_list("project_id", "indicator_id")
    )
    headline = Q(
        indicator_id__in=ProjectIndicator.objects.filter(project__plan=plan).values("indicator_id")
    )
    headline_views = series_views(
        headline, plan, as_of, forecast=False, include_provisional=include_provisional
    )
    shown = Q(
        indicator_id__in=ThemeLink.objects.filter(theme__project__plan=plan).values("indicator_id")
    )
    latest = latest_progress(plan, shown, as_of, include_provisional=include_provisional)
    progress_of: dict[int, list[Progress]] = defaultdict(list)  # indicator id → its series
    for indicator_id, progress in latest.values():
        progress_of[indicator_id].append(progress)
    indicators_of: dict[int, dict[int, None]] = defaultdict(dict)  # ordered set per project
    for project_id, indicator_id in links:
        indicators_of[project_id][indicator_id] = None
    headline_of: dict[int, list[SeriesView]] = defaultdict(list)
    for project_id, indicator_id in entries:
        headline_of[project_id].extend(headline_views.get(indicator_id, []))
    summaries = []
    for project in projects:
        progresses = [p for i in indicators_of[project.pk] for p in progress_of.get(i, [])]
        summaries.append(
            ProjectSummary(
                project=project,
                headline=headline_of[project.pk],
                counts=status_counts(progresses),
                rate=mean_rate(progresses),
                total=len(progresses),
            )
        )
    return summaries


@dataclass(frozen=True)
class LinkRow:
    """A row of a theme's table: one link and one series of its indicator."""

    theme: Theme
    link: ThemeLink
    view: SeriesView

    @property
    def measure_code(self) -> str:
        return self.link.direction.measure.code

    @property
    def place(self) -> str:
        """方針N：name, or the initiative (取組) with its program."""
        if self.link.initiative:
            initiative = self.link.initiative
            label = f"方針{self.link.direction.number}関係：{initiative.name}"
            return f"{label}（{initiative.program}）" if initiative.program else label
        direction = self.link.direction
        return (
            f"方針{direction.number}：{direction.name}"
            if direction.name
            else f"方針{direction.number}"
        )


@dataclass(frozen=True)
class ThemeSection:
    theme: Theme
    rows: list[LinkRow]


@dataclass(frozen=True)
class ProjectPage:
    project: Project
    headline: list[SeriesView]
    sections: list[ThemeSection]

    @property
    def rows(self) -> list[LinkRow]:
        return [row for section in self.sections for row in section.rows]


def project_page(project: Project, as_of: int, *, include_provisional: bool = False) -> ProjectPage:
    """A project's page: 6 queries however many themes, links and years."""
    themes = list(project.themes.order_by("order"))
    links = (
        ThemeLink.objects.filter(theme__project=project)
        .select_related("direction__measure", "initiative", "indicator")
        .order_by("theme__order", "order")
    )
    entries = list(
        project.project_indicators.order_by("order").values_list("indicator_id", flat=True)
    )
    linked = ThemeLink.objects.filter(theme__project=project).values("indicator_id")
    headline = ProjectIndicator.objects.filter(project=project).values("indicator_id")
    shown = Q(indicator_id__in=linked) | Q(indicator_id__in=headline)
    views = series_views(shown, project.plan, as_of, include_provisional=include_provisional)
    rows_of: dict[int, list[LinkRow]] = defaultdict(list)
    theme_by_id = {t.pk: t for t in themes}
    for link in links:
        theme = theme_by_id[link.theme_id]
        rows_of[theme.pk].extend(LinkRow(theme, link, v) for v in views.get(link.indicator_id, []))
    return ProjectPage(
        project=project,
        headline=[v for i in entries for v in views.get(i, [])],
        sections=[ThemeSection(t, rows_of[t.pk]) for t in themes],
    )
