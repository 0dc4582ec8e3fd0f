"""The figures of an evaluation sheet: each series of its indicators as of the sheet's year, read
from the approved actuals, with its rank — and the overall rank they suggest.

Which indicators a sheet shows:
* a project's: its project indicators, then every indicator its themes link to, in the order of
  the project page; each series once;
* a measure's: the indicators the projects' themes link to under the measure's directions, then
  its satisfaction indicators (市民意識調査, ``Indicator.survey_measure``); each series once. The
  SDGs local indicators stay on the measure's page: most have no target in the plan, and they
  report on the SDGs, not on the measure's own aims.

``rank_of`` is the one place a figure's rank comes from: the plan's rank scheme
(``measures.RankScheme``, ``kpi.rank_scheme``), or without one today's statuses (達成・順調・遅れ・
悪化・未入力) under the scheme ``status`` version ``1``; each frozen figure stores the scheme and
version it was judged by, so a later version of the scheme does not rewrite it.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Protocol

from indicators.goals import goal_of, tolerances
from indicators.models import Actual, Indicator, Series, Target
from kpi.progress import Goal, Progress, evaluate
from kpi.rank_scheme import DEFAULT_SCHEME, Scheme, rank
from kpi.sheet_rank import Suggestion, suggest_rank
from measures.models import ActionPlan, scheme_of_plan
from projects.models import ProjectIndicator, ThemeLink

NO_TARGET = "目標なし"


@dataclass(frozen=True)
class RankVerdict:
    label: str
    scheme: str
    version: str


def scheme_of(plan: ActionPlan) -> tuple[str, str]:
    """The rank scheme the plan's verdicts are made with, and its version (one query)."""
    scheme = scheme_of_plan(plan)
    return scheme.code, scheme.version


def rank_of(
    progress: Progress | None,
    *,
    scheme: Scheme = DEFAULT_SCHEME,
    goal: Goal | None = None,
    previous: Decimal | None = None,
) -> RankVerdict:
    """A figure's rank under the plan's rank scheme (None: the series has no target)."""
    if progress is None:
        return RankVerdict(NO_TARGET, scheme.code, scheme.version)
    if goal is None:  # a caller without the goal: today's statuses
        return RankVerdict(progress.status_label, DEFAULT_SCHEME.code, DEFAULT_SCHEME.version)
    return RankVerdict(rank(scheme, goal, progress, previous).label, scheme.code, scheme.version)


@dataclass(frozen=True)
class Figure:
    """One series of a sheet as of its year: what is shown, frozen and compared."""

    series_id: int
    indicator_code: str
    indicator_name: str
    series_label: str
    unit: str
    decimals: int
    period_kind: str
    baseline_value: Decimal | None
    baseline_year: int | None
    baseline_label: str
    target_value: Decimal | None
    target_year: int | None
    target_kind: str
    target_label: str
    latest_value: Decimal | None
    latest_year: int | None
    rate: Decimal | None
    status: str  # a kpi.progress.Status value; "" without a target
    rank_label: str
    rank_scheme: str
    rank_scheme_version: str

    @property
    def name(self) -> str:
        label = self.series_label
        return f"{self.indicator_name}（{label}）" if label else self.indicator_name

    def differs_from(self, other: "Figure") -> bool:
        """Whether a figure read now says something else than this one (a corrected actual,
        a changed target): the texts and the scheme's version do not count."""
        return any(getattr(self, name) != getattr(other, name) for name in COMPARED)


COMPARED = (
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "target_kind",
    "latest_value",
    "latest_year",
    "rate",
    "status",
    "rank_label",
)
FIGURE_FIELDS = tuple(f.name for f in fields(Figure))


def figure_of(
    series: Series,
    target: Target | None,
    actuals: Mapping[int, Decimal],
    year: int,
    scheme: Scheme = DEFAULT_SCHEME,
) -> Figure:
    """The series (with its indicator) as of ``year``, from its approved actuals by year."""
    indicator = series.indicator
    goal = goal_of(target) if target else None
    progress = evaluate(goal, actuals, as_of=year, tolerances=tolerances()) if goal else None
    latest = progress.latest_year if progress else None
    previous = actuals.get(latest - 1) if latest else None
    rank = rank_of(progress, scheme=scheme, goal=goal, previous=previous)
    latest_year = max((y for y in actuals if y <= year), default=None)
    return Figure(
        series_id=series.pk,
        indicator_code=indicator.code,
        indicator_name=indicator.name,
        series_label=series.label,
        unit=indicator.unit,
        decimals=indicator.decimals,
        period_kind=indicator.period_kind,
        baseline_value=target.baseline_value if target else None,
        baseline_year=target.baseline_year if target else None,
        baseline_label=target.baseline_label if target else "",
        target_value=target.target_value if target else None,
        target_year=target.target_year if target else None,
        target_kind=target.target_kind if target else "",
        target_label=target.target_label if target else "",
        latest_value=actuals.get(latest_year) if latest_year else None,
        latest_year=latest_year,
        rate=progress.rate if progress else None,
        status=progress.status.value if progress else "",
        rank_label=rank.label,
        rank_scheme=rank.scheme,
        rank_scheme_version=rank.version,
    )


def suggestion(figures: Iterable[Figure]) -> Suggestion:
    return suggest_rank(f.status or None for f in figures)


class SheetLike(Protocol):
    """What is read here of an evaluation sheet."""

    pk: int
    project_id: int | None
    measure_id: int | None


def _ordered_set(pairs: Iterable[tuple[int, int]]) -> dict[int, dict[int, None]]:
    grouped: dict[int, dict[int, None]] = defaultdict(dict)
    for owner, indicator_id in pairs:
        grouped[owner][indicator_id] = None
    return grouped


def indicators_of(sheets: Sequence[SheetLike]) -> dict[int, list[int]]:
    """sheet id → its indicators' ids in the sheet's order: up to four queries for any number
    of sheets (two for those of projects, two for those of measures)."""
    projects = {s.project_id for s in sheets if s.project_id}
    measures = {s.measure_id for s in sheets if s.measure_id}
    of_project: dict[int, dict[int, None]] = defaultdict(dict)
    of_measure: dict[int, dict[int, None]] = defaultdict(dict)
    if projects:
        headline = ProjectIndicator.objects.filter(project_id__in=projects).order_by(
            "project_id", "order"
        )
        linked = ThemeLink.objects.filter(theme__project_id__in=projects).order_by(
            "theme__order", "order"
        )
        of_project = _ordered_set(
            [
                *headline.values_list("project_id", "indicator_id"),
                *linked.values_list("theme__project_id", "indicator_id"),
            ]
        )
    if measures:
        linked = ThemeLink.objects.filter(direction__measure_id__in=measures).order_by(
            "direction__number", "theme__project__number", "theme__order", "order"
        )
        surveyed = Indicator.objects.filter(survey_measure_id__in=measures).order_by("code")
        of_measure = _ordered_set(
            [
                *linked.values_list("direction__measure_id", "indicator_id"),
                *surveyed.values_list("survey_measure_id", "pk"),
            ]
        )
    return {s.pk: list(_owned(s, of_project, of_measure)) for s in sheets}


def _owned(
    sheet: SheetLike, of_project: dict[int, dict[int, None]], of_measure: dict[int, dict[int, None]]
) -> dict[int, None]:
    if sheet.project_id is not None:
        return of_project[sheet.project_id]
    return of_measure[sheet.measure_id] if sheet.measure_id is not None else {}


def live_figures(
    plan: ActionPlan, year: int, sheets: Sequence[SheetLike]
) -> dict[int, list[Figure]]:
    """sheet id → its figures read now from the approved actuals as of ``year``: seven queries
    at most, however many sheets, series and years (``indicators_of``, then the series with
    their indicator, the plan's targets and the approved actuals' values)."""
    order = indicators_of(sheets)
    wanted = {i for ids in order.values() for i in ids}
    if not wanted:
        return {s.pk: [] for s in sheets}
    series_list = list(
        Series.objects.filter(indicator_id__in=wanted).select_related("indicator").order_by("order")
    )
    targets = {
        t.series_id: t
        for t in Target.objects.filter(plan=plan, series__indicator_id__in=wanted).select_related(
            "series__indicator"
        )
    }
    # Plain values, not model instances: a year's list reads every sheet's series at once.
    actuals: dict[int, dict[int, Decimal]] = defaultdict(dict)
    approved = Actual.objects.counted().filter(series__indicator_id__in=wanted, year__lte=year)
    for series_id, actual_year, value in approved.values_list("series_id", "year", "value"):
        actuals[series_id][actual_year] = value
    series_of: dict[int, list[Series]] = defaultdict(list)
    figures: dict[int, Figure] = {}
    scheme = scheme_of_plan(plan)
    for series in series_list:
        series_of[series.indicator_id].append(series)
        figures[series.pk] = figure_of(
            series, targets.get(series.pk), actuals[series.pk], year, scheme
        )
    return {
        sheet_id: [figures[s.pk] for i in ids for s in series_of.get(i, [])]
        for sheet_id, ids in order.items()
    }
