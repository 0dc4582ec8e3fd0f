"""One read per dashboard page: each page's data in a fixed number of queries, whatever the
size of the plan and however many years of actuals (the views only render what these return)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q

from dashboards.series import SeriesView, latest_progress, series_views
from evaluations.models import EvaluationSheet
from evaluations.reads import finalised_sheet
from indicators.models import Indicator, SdgLocalIndicator
from kpi.matrix import derive_matrix
from kpi.progress import Progress, Status, mean_rate, status_counts
from measures.models import ActionPlan, Direction, Initiative, Measure, Policy
from projects.models import Project, ProjectIndicator, Theme, ThemeLink


@dataclass(frozen=True)
class ProjectSummary:
    project: Project
    headline: list[SeriesView]  # the project indicators' series
    counts: dict[Status, int]
    rate: Decimal | None  # mean 進捗率 (each clamped to 0–100 %) of the series that have one
    total: int  # series with a target: the project indicators' and the theme rows'
    rated: int  # of which have a 進捗率 (an actual up to the as-of year, not a goal to hold)


PROJECTS_PER_PAGE = 20  # cards on one page of the overview


@dataclass(frozen=True)
class OverviewPage:
    summaries: list[ProjectSummary]
    page: Page  # the overview's page of projects (its number and its neighbours)


def overview_page(
    plan: ActionPlan, as_of: int, number: str | None, *, include_provisional: bool = False
) -> OverviewPage:
    """A page of the overview (``PROJECTS_PER_PAGE`` cards, in the order of their numbers):
    what it reads and renders grows with the page, not with the plan. A page number out of
    range or not a number gives the last or the first page."""
    # The projects as a list (a few hundred rows at most): no separate COUNT(*).
    paginator = Paginator(
        list(Project.objects.filter(plan=plan).order_by("number")), PROJECTS_PER_PAGE
    )
    page = paginator.get_page(number)
    projects = list(page.object_list)
    return OverviewPage(
        overview(plan, as_of, include_provisional=include_provisional, projects=projects), page
    )


def overview(
    plan: ActionPlan,
    as_of: int,
    *,
    include_provisional: bool = False,
    projects: list[Project] | None = None,
) -> list[ProjectSummary]:
    """The overview's cards, of every project of the plan or of the ``projects`` given: 8
    queries however many projects, indicators and years. A card counts the series of the
    project's own project indicators and of its theme rows, each series once; counts come
    from each series' judged progress (``latest_progress``); full views only for the project
    indicators (the card's table)."""
    if projects is None:
        projects = list(Project.objects.filter(plan=plan).order_by("number"))
    ids = [p.pk for p in projects]
    links = ThemeLink.objects.filter(theme__project_id__in=ids).values_list(
        "theme__project_id", "indicator_id"
    )
    entries = list(
        ProjectIndicator.objects.filter(project_id__in=ids)
        .order_by("order")
        .values_list("project_id", "indicator_id")
    )
    headline = Q(
        indicator_id__in=ProjectIndicator.objects.filter(project_id__in=ids).values("indicator_id")
    )
    # With their forecasts: a row of the card's table and the card's count are one verdict
    # (達成（要注意） is met today with a trend that misses the target).
    headline_views = series_views(headline, plan, as_of, include_provisional=include_provisional)
    # One subquery (a UNION), not an OR of two: PostgreSQL plans that as two hashed subplans.
    linked = ThemeLink.objects.filter(theme__project_id__in=ids).order_by().values("indicator_id")
    own = ProjectIndicator.objects.filter(project_id__in=ids).order_by().values("indicator_id")
    shown = Q(indicator_id__in=linked.union(own))
    latest = latest_progress(plan, shown, as_of, include_provisional=include_provisional)
    progress_of: dict[int, list[Progress]] = defaultdict(list)  # indicator id → its series
    for indicator_id, progress in latest.values():
        progress_of[indicator_id].append(progress)
    indicators_of: dict[int, dict[int, None]] = defaultdict(dict)  # ordered set per project
    headline_of: dict[int, list[SeriesView]] = defaultdict(list)
    for project_id, indicator_id in entries:
        indicators_of[project_id][indicator_id] = None
        headline_of[project_id].extend(headline_views.get(indicator_id, []))
    for project_id, indicator_id in links:
        indicators_of[project_id][indicator_id] = None
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
                rated=sum(1 for p in progresses if p.rate is not None),
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
    evaluation: EvaluationSheet | None  # the finalised sheet of the as-of year (評価調書)

    @property
    def rows(self) -> list[LinkRow]:
        return [row for section in self.sections for row in section.rows]


def project_page(project: Project, as_of: int, *, include_provisional: bool = False) -> ProjectPage:
    """A project's page: 7 queries however many themes, links and years."""
    themes = list(project.themes.order_by("order"))
    links = list(
        ThemeLink.objects.filter(theme__project=project)
        .select_related("direction__measure", "initiative", "indicator")
        .order_by("theme__order", "order")
    )
    entries = list(
        project.project_indicators.order_by("order").values_list("indicator_id", flat=True)
    )
    # One list of ids: an OR of two subqueries made PostgreSQL scan every actual.
    shown = Q(indicator_id__in=sorted({link.indicator_id for link in links} | set(entries)))
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
        evaluation=finalised_sheet(project.plan, as_of, project=project),
    )


# --- measures ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class MeasureSummary:
    measure: Measure
    counts: dict[Status, int]
    total: int  # series with a target in the plan


def measure_index(
    plan: ActionPlan, as_of: int, *, include_provisional: bool = False
) -> list[tuple[Policy, list[MeasureSummary]]]:
    """The measures by policy, each with the statuses of its indicators' series with a target in
    the plan (a series shown under several directions of a measure counts once): 4 queries.
    Statuses come from each series' latest actual (``latest_progress``): no forecasts and no
    series views, which nothing on the page shows."""
    measures = list(plan.measures.select_related("policy").order_by("order"))
    links = (
        ThemeLink.objects.filter(direction__measure__plan=plan)
        .order_by()
        .values_list("direction__measure_id", "indicator_id")
    )
    shown = Q(indicator__theme_links__direction__measure__plan=plan)
    latest = latest_progress(plan, shown, as_of, include_provisional=include_provisional)
    series_of: dict[int, list[tuple[int, Progress]]] = defaultdict(list)  # indicator → series
    for series_id, (indicator_id, progress) in latest.items():
        series_of[indicator_id].append((series_id, progress))
    by_measure: dict[int, dict[int, Progress]] = defaultdict(dict)  # measure → series → …
    for measure_id, indicator_id in links:
        by_measure[measure_id].update(series_of.get(indicator_id, []))
    groups: dict[Policy, list[MeasureSummary]] = defaultdict(list)
    for measure in measures:
        measured = list(by_measure[measure.pk].values())
        groups[measure.policy].append(
            MeasureSummary(measure, status_counts(measured), len(measured))
        )
    return list(groups.items())


@dataclass(frozen=True)
class MeasurePage:
    measure: Measure
    directions: list[Direction]  # with their initiatives prefetched
    link_rows: list[tuple[ThemeLink, list[SeriesView]]]
    sdg_rows: list[tuple[SdgLocalIndicator, list[SeriesView]]]
    satisfaction_rows: list[tuple[Indicator, list[SeriesView]]]
    evaluation: EvaluationSheet | None  # the finalised sheet of the as-of year (評価調書)


def measure_page(
    measure: Measure, plan: ActionPlan, as_of: int, *, include_provisional: bool = False
) -> MeasurePage:
    """A measure's page: its directions and initiatives, the theme links to it, its SDGs local
    indicators and its satisfaction indicators, each with its series, and the as-of year's
    finalised evaluation sheet: 9 queries."""
    directions = measure.directions.prefetch_related(
        Prefetch("initiatives", queryset=Initiative.objects.order_by("id"))
    ).order_by("number")
    links = list(
        ThemeLink.objects.filter(direction__measure=measure)
        .select_related("theme__project", "direction", "initiative", "indicator")
        .order_by("direction__number", "theme__project__number", "order")
    )
    sdgs = list(measure.sdg_indicators.select_related("indicator").order_by("order"))
    satisfaction = list(measure.satisfaction_indicators.all())
    shown = (
        Q(indicator__theme_links__direction__measure=measure)
        | Q(indicator__sdg_entries__measure=measure)
        | Q(indicator__survey_measure=measure)
    )
    views = series_views(shown, plan, as_of, include_provisional=include_provisional)
    return MeasurePage(
        measure=measure,
        directions=list(directions),
        link_rows=[(link, views.get(link.indicator_id, [])) for link in links],
        sdg_rows=[(entry, views.get(entry.indicator_id, [])) for entry in sdgs],
        satisfaction_rows=[(i, views.get(i.pk, [])) for i in satisfaction],
        evaluation=finalised_sheet(plan, as_of, measure=measure),
    )


def sdgs_page(
    plan: ActionPlan, as_of: int, *, include_provisional: bool = False
) -> list[tuple[Measure, list[tuple[SdgLocalIndicator, list[SeriesView]]]]]:
    """The SDGs local indicators by measure, with their series: 4 queries."""
    entries = (
        SdgLocalIndicator.objects.filter(measure__plan=plan)
        .select_related("measure__policy", "indicator")
        .order_by("measure__order", "order")
    )
    shown = Q(indicator__sdg_entries__measure__plan=plan)
    views = series_views(shown, plan, as_of, include_provisional=include_provisional)
    groups: dict[Measure, list[tuple[SdgLocalIndicator, list[SeriesView]]]] = defaultdict(list)
    for entry in entries:
        groups[entry.measure].append((entry, views.get(entry.indicator_id, [])))
    return list(groups.items())


# --- indicators and the ◎/○ table ---------------------------------------------------------------
@dataclass(frozen=True)
class IndicatorPage:
    indicator: Indicator
    views: list[SeriesView]
    links: list[ThemeLink]  # where the plan shows it, with project, measure and initiative
    headline_of: list[ProjectIndicator]  # the projects it is a project indicator of
    sdg_entries: list[SdgLocalIndicator]


def indicator_series(
    indicator: Indicator, plan: ActionPlan, as_of: int, *, include_provisional: bool = False
) -> list[SeriesView]:
    """An indicator's series as of a year, judged by the plan's target, with the other plans'
    targets beside it: 3 queries (the JSON needs nothing more)."""
    views = series_views(
        Q(indicator=indicator),
        plan,
        as_of,
        include_provisional=include_provisional,
        every_plan=True,
    )
    return views.get(indicator.pk, [])


def indicator_page(
    indicator: Indicator, plan: ActionPlan, as_of: int, *, include_provisional: bool = False
) -> IndicatorPage:
    """An indicator's page: its series and where the plan shows it: 6 queries."""
    links = indicator.theme_links.filter(theme__project__plan=plan).select_related(
        "theme__project", "direction__measure", "initiative"
    )
    return IndicatorPage(
        indicator=indicator,
        views=indicator_series(indicator, plan, as_of, include_provisional=include_provisional),
        links=list(links.order_by("theme__project__number", "theme__order", "order")),
        headline_of=list(
            indicator.project_entries.filter(project__plan=plan).select_related("project")
        ),
        sdg_entries=list(indicator.sdg_entries.select_related("measure")),
    )


@dataclass(frozen=True)
class MatrixPage:
    projects: list[Project]
    rows: list[tuple[Measure, list[str]]]  # a measure and its ◎/○/"" per project


def matrix_page(plan: ActionPlan) -> MatrixPage:
    """The measure × project ◎/○ table derived from the theme links: 3 queries."""
    rows = ThemeLink.objects.filter(theme__project__plan=plan).values_list(
        "direction__measure__code", "theme__project__number", "direction_id", "initiative_id"
    )
    # What the plan counts: an initiative, or a direction named without one.
    cells = derive_matrix(
        (measure, project, ("initiative", initiative) if initiative else ("direction", direction))
        for measure, project, direction, initiative in rows
    )
    projects = list(Project.objects.filter(plan=plan).order_by("number"))
    measures = plan.measures.select_related("policy").order_by("order")
    return MatrixPage(
        projects=projects,
        rows=[(m, [cells.get((m.code, p.number), "") for p in projects]) for m in measures],
    )
