"""What the dashboards show for a series: its target, actuals and progress as of a year.

``series_views`` loads the series a page shows (three queries however many) and adapts them to
the pure functions of ``kpi.progress``; ``latest_progress`` is its lean twin for overviews of
thousands of series; the rest turns a ``SeriesView`` into JSON or a chart without a query.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db.models import Prefetch, Q, QuerySet

from indicators.goals import GOAL_FIELDS, goal_of, goal_of_row, tolerances
from indicators.models import PROVISIONAL_STATUSES, Actual, Indicator, Series, Target
from kpi.charts import ChartData, OtherGoal, line_chart
from kpi.progress import (
    NO_PROGRESS,
    Goal,
    Progress,
    Status,
    Tolerances,
    evaluate,
    expected_value,
    is_hold_goal,
    judged_goal,
    running_totals,
)
from kpi.rank_scheme import DEFAULT_SCHEME, Rank, Scheme, rank
from measures.models import ActionPlan


@dataclass(frozen=True)
class SeriesView:
    """A series as of a year, ready for a table row, a chart or JSON."""

    series: Series
    target: Target | None
    actuals: dict[int, Decimal]  # the counted actuals up to as_of, by year: as-of means as-of
    provisional_years: frozenset[int]
    as_of: int
    progress: Progress
    other_targets: tuple[Target, ...] = ()  # other plans' targets (the indicator page's)

    @property
    def targets(self) -> list[Target]:
        """Every plan's target shown, in the order of the plans."""
        own = [self.target] if self.target else []
        if not self.other_targets:
            return own
        return sorted([*self.other_targets, *own], key=lambda t: t.plan.first_year)

    @property
    def indicator(self) -> Indicator:
        return self.series.indicator

    @property
    def status(self) -> Status:
        return self.progress.status

    @property
    def has_target(self) -> bool:
        return self.target is not None

    @property
    def latest_is_provisional(self) -> bool:
        return self.progress.latest_year in self.provisional_years

    @property
    def has_data(self) -> bool:
        """Anything to draw: a baseline, a target or an actual up to as_of."""
        return bool(self.actuals) or self.target is not None

    @property
    def goal(self) -> Goal | None:
        """The goal as judged (``kpi.progress.judged_goal``): the chart, the table and the
        進捗率 start from the same point, also where the baseline was not measured yet."""
        if self.target is None:
            return None
        goal = goal_of(self.target)
        return judged_goal(goal, running_totals(goal, self.actuals), self.as_of)

    @property
    def judged_values(self) -> dict[int, Decimal]:
        """The values judged: the running totals of a 累計 entered year by year."""
        return running_totals(self.goal, self.actuals) if self.goal else dict(self.actuals)

    @property
    def is_hold(self) -> bool:
        """A floor, ceiling or value to keep that the baseline already meets (no straight line)."""
        goal = self.goal
        return goal is not None and is_hold_goal(goal)

    def expected_for(self, year: int) -> Decimal | None:
        goal = self.goal
        if goal is None or is_hold_goal(goal) or year < goal.baseline_year:
            return None
        return expected_value(goal, year)


def series_view(
    series: Series,
    as_of: int,
    *,
    actuals: dict[int, Decimal] | None = None,
    provisional: frozenset[int] | None = None,
    forecast: bool = True,
    plan_id: int | None = None,
) -> SeriesView:
    """Uses the series' prefetched ``targets`` (this plan's only, or with ``plan_id`` every
    plan's: that plan's is the one judged, the others are shown beside it) and, unless given
    as plain values, its prefetched ``actuals``."""
    targets = list(series.targets.all())
    others: tuple[Target, ...] = ()
    if plan_id is None:
        target = next(iter(targets), None)
    else:
        target = next((t for t in targets if t.plan_id == plan_id), None)
        others = tuple(t for t in targets if t.plan_id != plan_id)
    if actuals is None:
        actuals = {a.year: a.value for a in series.actuals.all()}
        provisional = frozenset(a.year for a in series.actuals.all() if a.is_provisional)
    # A page, a chart or JSON "as of" a year never shows what was measured after it.
    actuals = {year: value for year, value in actuals.items() if year <= as_of}
    provisional = frozenset(year for year in provisional or () if year <= as_of)
    progress = judge(goal_of(target), actuals, as_of, forecast=forecast) if target else NO_PROGRESS
    return SeriesView(series, target, actuals, provisional, as_of, progress, others)


def series_views(
    series_filter: Q,
    plan: ActionPlan,
    as_of: int,
    *,
    forecast: bool = True,
    include_provisional: bool = False,
    every_plan: bool = False,
) -> dict[int, list[SeriesView]]:
    """indicator id → its series as of a year (3 queries). The filter may span multi-valued
    relations: it runs as a subquery, so each series comes once. With ``every_plan`` other
    plans' targets come along (``SeriesView.other_targets``); the plan's own is judged."""
    matching = Series.objects.filter(series_filter).values("pk")
    actuals, provisional = counted_values(matching, include_provisional=include_provisional)
    targets = Target.objects.select_related("plan").order_by("plan__first_year")
    if not every_plan:
        targets = targets.filter(plan=plan)
    series_list = (
        Series.objects.filter(pk__in=matching)
        .select_related("indicator__department")
        .prefetch_related(Prefetch("targets", queryset=targets))
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
            plan_id=plan.pk if every_plan else None,
        )
        by_indicator[series.indicator_id].append(view)
    return by_indicator


def counted_values(
    matching: QuerySet, *, include_provisional: bool = False, up_to: int | None = None
) -> tuple[dict[int, dict[int, Decimal]], dict[int, frozenset[int]]]:
    """series id → {year: value} and series id → provisional years, for the series in the
    ``matching`` subquery (and the years up to ``up_to``): one query of plain values (no model
    instances: overviews read tens of thousands of actuals)."""
    values: dict[int, dict[int, Decimal]] = defaultdict(dict)
    provisional: dict[int, set[int]] = defaultdict(set)
    rows = Actual.objects.counted(include_provisional=include_provisional).filter(
        series__in=matching
    )
    if up_to is not None:
        rows = rows.filter(year__lte=up_to)
    rows = rows.order_by()  # Actual.Meta.ordering would join series and indicator to sort
    for series_id, year, value, status in rows.values_list("series_id", "year", "value", "status"):
        values[series_id][year] = value
        if status in PROVISIONAL_STATUSES:
            provisional[series_id].add(year)
    return values, {k: frozenset(v) for k, v in provisional.items()}


def latest_progress(
    plan: ActionPlan, series_filter: Q, as_of: int, *, include_provisional: bool = False
) -> dict[int, tuple[int, Progress]]:
    """series id → (indicator id, progress as of as_of), for the series with a target in the
    plan. Two queries of plain rows (the targets' goal fields, the counted actuals up to as_of):
    what overviews of thousands of series need. Every counted actual up to as_of is read, so
    that an overview judges a series exactly as its page does: at the target year, on the
    running total, from the first value of an unmeasured baseline, with the forecast that
    tells 達成 from 達成（要注意）."""
    matching = Series.objects.filter(series_filter).values("pk")
    targets = (
        Target.objects.filter(plan=plan, series__in=matching)
        .order_by()
        .values_list("series_id", "series__indicator_id", *GOAL_FIELDS)
    )
    actuals, _ = counted_values(matching, include_provisional=include_provisional, up_to=as_of)
    result = {}
    for series_id, indicator_id, *goal_row in targets:
        progress = judge(goal_of_row(goal_row), actuals.get(series_id, {}), as_of)
        result[series_id] = (indicator_id, progress)
    return result


def judge(
    goal: Goal, actuals: dict[int, Decimal], as_of: int, *, forecast: bool = True
) -> Progress:
    """``kpi.progress.evaluate`` with the settings' tolerances, remembered by its inputs.

    Every dashboard read judges every series it counts, and after a change to one value (the
    data version moves, every cached page is gone) the next overview would judge all of them
    again: the same goal, actuals and year give the same progress, so it is looked up instead.
    The key is the inputs themselves — never a stale verdict, whatever changed; the memory is
    bounded (``_JUDGED_MAX`` entries per process, least recently used dropped first)."""
    return _judged(goal, tuple(sorted(actuals.items())), as_of, forecast, tolerances())


_JUDGED_MAX = 16_384  # ~2.4 KB each (key and progress): ~40 MB at most per process


@lru_cache(maxsize=_JUDGED_MAX)
def _judged(
    goal: Goal,
    actuals: tuple[tuple[int, Decimal], ...],
    as_of: int,
    forecast: bool,
    tolerances: Tolerances,
) -> Progress:
    return evaluate(goal, dict(actuals), as_of=as_of, tolerances=tolerances, forecast=forecast)


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def series_rank(view: SeriesView, scheme: Scheme = DEFAULT_SCHEME) -> Rank | None:
    """The series' rank in the words of the plan's rank scheme (None: no target)."""
    target, progress = view.target, view.progress
    if target is None:
        return None
    latest = progress.latest_year
    return rank(scheme, goal_of(target), progress, view.actuals.get(latest - 1) if latest else None)


def series_json(view: SeriesView, scheme: Scheme = DEFAULT_SCHEME) -> dict[str, object]:
    """A series as open data: plain numbers, Gregorian years; its rank in the words of the
    plan's rank scheme."""
    target, progress = view.target, view.progress
    ranked = series_rank(view, scheme)
    return {
        "series": view.series.label,
        "baseline": _number(target.baseline_value) if target else None,
        "baseline_year": target.baseline_year if target else None,
        "target": _number(target.target_value) if target else None,
        "target_year": target.target_year if target else None,
        "target_kind": target.target_kind if target else None,
        "targets": [_target_json(t) for t in view.targets],
        "actuals": [
            {"year": year, "value": _number(value), "provisional": year in view.provisional_years}
            for year, value in sorted(view.actuals.items())
        ],
        "as_of": view.as_of,
        "latest_year": progress.latest_year,
        "latest_value": _number(progress.latest_value),
        "progress_rate": _number(progress.rate),
        "met": progress.met,
        "expected": _number(progress.expected),
        "status": progress.status.value if target else None,
        "status_label": progress.status_label if target else None,
        "rank": ranked.label if ranked else None,
        "rank_scheme": scheme.code,
        "rank_scheme_version": scheme.version,
        "target_year_passed": progress.target_year_passed,
        "final": progress.final,
        "forecast": _number(progress.forecast),
        "forecast_meets": progress.forecast_meets,
        "forecast_note": progress.forecast_note if target else "",
    }


def _target_json(target: Target) -> dict[str, object]:
    """One plan's baseline and target (an indicator that continues has one per plan)."""
    return {
        "plan": target.plan.code,
        "plan_name": target.plan.name,
        "baseline": _number(target.baseline_value),
        "baseline_year": target.baseline_year,
        "target": _number(target.target_value),
        "target_year": target.target_year,
        "target_kind": target.target_kind,
    }


def _other_goal(target: Target) -> OtherGoal:
    start = target.baseline_value if target.baseline_value is not None else Decimal(0)
    return OtherGoal(
        label=target.plan.name,
        target=(target.target_year, target.target_value),
        start=(target.baseline_year, start),
        has_baseline=target.baseline_value is not None,
        hold=is_hold_goal(goal_of(target)),
    )


def series_chart(view: SeriesView, *, width: int = 640, height: int = 260) -> str:
    """SVG of baseline, actuals up to as_of, the straight line, the target and the forecast."""
    indicator, target, goal = view.indicator, view.target, view.goal
    shown = sorted(view.judged_values.items())
    data = ChartData(
        title=f"{indicator.name}{'（' + view.series.label + '）' if view.series.label else ''}",
        decimals=indicator.decimals,
        unit=indicator.unit,
        baseline=(goal.baseline_year, goal.baseline)
        if goal and goal.baseline is not None
        else None,
        target=(target.target_year, target.target_value) if target else None,
        actuals=[(y, v, y in view.provisional_years) for y, v in shown],
        forecast=(target.target_year, view.progress.forecast)
        if target and view.progress.forecast is not None
        else None,
        start_value=goal.start if goal else None,
        hold=view.is_hold,
        others=[_other_goal(t) for t in view.other_targets],
    )
    return line_chart(data, width=width, height=height)


@dataclass(frozen=True)
class YearRow:
    """A line of an indicator page's table of values by year."""

    year: int
    actual: Decimal | None
    provisional: bool
    expected: Decimal | None  # on the straight line to the target
    after_as_of: bool


def year_rows(view: SeriesView) -> list[YearRow]:
    """Every year from the baseline to the target, and any other year with an actual."""
    years = set(view.actuals)
    for target in view.targets:
        years |= set(range(target.baseline_year, target.target_year + 1))
    return [
        YearRow(
            year=y,
            actual=view.actuals.get(y),
            provisional=y in view.provisional_years,
            expected=view.expected_for(y),
            after_as_of=y > view.as_of,
        )
        for y in sorted(years)
    ]
