"""Progress of a KPI series toward its target (成果指標の進捗評価).

The start of a series is its baseline (基準値), or 0 when the plan prints － for it.
Arithmetic is Decimal with 40 significant digits inside (exact for the plan's figures, and fast
enough for overviews of thousands of series); only the rate is rounded (0.1, 四捨五入).

Every goal is evaluated in one of two ways:

* A *distance* goal has ground to cover from the start toward the target in the goal's
  direction: INCREASE and DECREASE; AT_LEAST / AT_MOST whose baseline does not yet satisfy
  the bound (40% → 50%以上); ZERO from a non-zero baseline (待機児童 12人 → 0人).
  It has a 進捗率 ``(latest − start) / (target − start) × 100`` and a status on the straight
  line from (baseline_year, start) to (target_year, target): not met and on the wrong side
  of the start → 悪化; on or ahead of the line, allowing ``on_track_margin × |target − start|``
  of lag → 順調; otherwise 遅れ.
* A *hold* goal has nothing to cover, only a value to keep: KEEP (365日 → 365日);
  ZERO from 0 (待機児童なし); AT_LEAST / AT_MOST whose baseline already satisfies the bound
  (年少人口 26,186 → 23,914以上, 81.0% → 81.0%以上). It has no 進捗率 (None: ``met`` says it
  all). When not met it is 悪化 if its shortfall grew beyond the baseline's (or the baseline is
  unknown), else 遅れ. The shortfall is the distance from the target for KEEP and ZERO and the
  amount by which the bound is broken for the others, so a hold goal on a bound whose baseline
  satisfied it is always 悪化 when broken: a fall below the 年少人口 floor is never progress.

The direction of INCREASE / AT_LEAST is up and of DECREASE / AT_MOST down, whatever the numbers
say; a goal whose target lies behind its start (an INCREASE to below the baseline) therefore
has no distance and is held. ZERO aims at 0 whatever its ``target``.

What a planning official would otherwise strike out (issue 11), each carried by the ``Goal``:

* 累計 (``yearly_amounts``): staff enter each year's amount; the running total (start + the
  amounts of the years after the baseline year) is what is judged (``running_totals``).
* The verdict for a target is the verdict at its target year: actuals after it are shown but
  not used; ``Progress.final`` says the target year's value is in.
* A baseline printed － (``baseline is None``) means either "none yet" (``START_ZERO``: the
  start is 0) or "not measured yet" (``UNMEASURED``: the first actual is the start; until there
  is a second there is no 進捗率 and the status is 判定不能, unless the first value already meets
  the target).
* 維持 may have a direction (``keep_direction``): 365日を維持 is met by 366 days when it is a
  floor (以上).
* 達成（要注意） (AT_RISK): met today while the trend (forecast) misses the target at its year;
  before the target year only.
* A noise band (``noise_band``, e.g. ±1.0 pt for a survey share): a value not met whose change
  from the start lies within the band is 横ばい (FLAT), neither 順調 nor 悪化.
* Interim targets (``interim``, {year: value}): the expected line runs through them.
  A revised target (``revisions``) applies from its effective year; earlier years keep the old.
* The forecast is a least-squares line through the start (the baseline as a point) and the
  actuals; with fewer than ``MIN_FORECAST_POINTS`` points there is none (``forecast_points``).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from enum import StrEnum


class TargetKind(StrEnum):
    INCREASE = "increase"  # 増加
    DECREASE = "decrease"  # 減少
    AT_LEAST = "at_least"  # 以上
    AT_MOST = "at_most"  # 以下
    KEEP = "keep"  # 維持
    ZERO = "zero"  # ゼロ（なし）


class Status(StrEnum):
    ACHIEVED = "achieved"  # 達成
    ON_TRACK = "on_track"  # 順調
    BEHIND = "behind"  # 遅れ
    WORSE = "worse"  # 悪化
    NO_DATA = "no_data"  # 未入力
    AT_RISK = "at_risk"  # 達成（要注意）: met, but the trend misses the target
    FLAT = "flat"  # 横ばい: within the noise band of the start
    NOT_EVALUABLE = "no_verdict"  # 判定不能: first measurement of an unmeasured baseline


STATUS_LABELS: dict[Status, str] = {
    Status.ACHIEVED: "達成",
    Status.AT_RISK: "達成（要注意）",
    Status.ON_TRACK: "順調",
    Status.FLAT: "横ばい",
    Status.BEHIND: "遅れ",
    Status.WORSE: "悪化",
    Status.NOT_EVALUABLE: "判定不能",
    Status.NO_DATA: "未入力",
}
MET_STATUSES = frozenset({Status.ACHIEVED, Status.AT_RISK})


class BaselineMeaning(StrEnum):
    """What a baseline printed － means."""

    START_ZERO = "start_zero"  # まだない（0から）
    UNMEASURED = "unmeasured"  # 未測定（初回の実績値が起点）


class KeepDirection(StrEnum):
    """Which side of a 維持 target is also good."""

    EXACT = "exact"  # ちょうど
    AT_LEAST = "at_least"  # 以上
    AT_MOST = "at_most"  # 以下


MIN_FORECAST_POINTS = 3
_TREND_MISSES = "これまでの傾向が続くと目標年度には届かない見込みです。"


@dataclass(frozen=True)
class Revision:
    """A target revised (中間見直し) from ``effective_year`` on."""

    effective_year: int
    target: Decimal
    target_year: int


_UPWARD_KINDS = frozenset({TargetKind.INCREASE, TargetKind.AT_LEAST})
_DOWNWARD_KINDS = frozenset({TargetKind.DECREASE, TargetKind.AT_MOST})


@dataclass(frozen=True)
class Goal:
    """A series' baseline (基準値) and target (目標値)."""

    baseline: Decimal | None
    baseline_year: int
    target: Decimal
    target_year: int
    kind: TargetKind
    baseline_meaning: BaselineMeaning = BaselineMeaning.START_ZERO
    keep_direction: KeepDirection = KeepDirection.EXACT
    noise_band: Decimal | None = None
    yearly_amounts: bool = False  # 累計 entered as each year's amount
    interim: tuple[tuple[int, Decimal], ...] = ()  # 中間目標 (year, value)
    revisions: tuple[Revision, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", TargetKind(self.kind))
        object.__setattr__(self, "baseline_meaning", BaselineMeaning(self.baseline_meaning))
        object.__setattr__(self, "keep_direction", KeepDirection(self.keep_direction))
        object.__setattr__(self, "interim", tuple(sorted(self.interim)))

    @property
    def start(self) -> Decimal:
        return Decimal(0) if self.baseline is None else self.baseline

    @property
    def unmeasured(self) -> bool:
        return self.baseline is None and self.baseline_meaning is BaselineMeaning.UNMEASURED

    def in_effect(self, year: int) -> "Goal":
        """The goal as it stands in a year: the newest revision effective by then applied."""
        due = [r for r in self.revisions if r.effective_year <= year]
        if not due:
            return self
        newest = max(due, key=lambda r: r.effective_year)
        return replace(self, target=newest.target, target_year=newest.target_year)

    @property
    def aim(self) -> Decimal:
        return Decimal(0) if self.kind is TargetKind.ZERO else self.target


@dataclass(frozen=True)
class Tolerances:
    # Share of |target − start| by which an actual may lag the straight line and still be 順調
    # (0.05 = 5 points of 進捗率).
    on_track_margin: Decimal = Decimal("0")
    # Relative tolerance for KEEP goals: met when |latest − target| <= keep_tolerance × |target|.
    keep_tolerance: Decimal = Decimal("0")

    def __post_init__(self) -> None:
        if self.on_track_margin < 0 or self.keep_tolerance < 0:
            raise ValueError("tolerances cannot be negative")


DEFAULT_TOLERANCES = Tolerances()
_CTX = Context(prec=40)


@dataclass(frozen=True)
class Progress:
    latest_year: int | None
    latest_value: Decimal | None
    rate: Decimal | None  # 進捗率 in %, 1 decimal, may be < 0 or > 100; None for hold goals
    met: bool | None
    expected: Decimal | None  # straight-line value for latest_year
    status: Status
    forecast: Decimal | None  # least-squares value at target_year
    forecast_meets: bool | None
    target_year: int | None = None  # of the goal in effect
    target_year_passed: bool = False  # the reference year is after the target year
    final: bool = False  # the target year's value is in: the verdict no longer changes
    forecast_points: int = 0  # points the forecast line went through (start included)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def forecast_note(self) -> str:
        """Why there is no forecast, or how it and the status differ (empty when they agree)."""
        if self.status is Status.NO_DATA or self.final:
            return ""
        if self.forecast is None:
            return "実績値が少ないため、見込みは示せません（起点を含め3点以上が必要です）。"
        if self.status is Status.AT_RISK:
            return "現在は目標を満たしていますが、" + _TREND_MISSES
        if self.status is Status.ON_TRACK and self.forecast_meets is False:
            return "現在は目標への直線上にありますが、" + _TREND_MISSES
        if self.status in (Status.BEHIND, Status.WORSE) and self.forecast_meets:
            return (
                "現在は直線より遅れていますが、これまでの傾向が続けば目標年度に達成する見込みです。"
            )
        return ""


NO_PROGRESS = Progress(None, None, None, None, None, Status.NO_DATA, None, None)


def evaluate(
    goal: Goal,
    actuals: Mapping[int, Decimal],
    *,
    as_of: int | None = None,
    tolerances: Tolerances = DEFAULT_TOLERANCES,
    forecast: bool = True,
) -> Progress:
    """Progress up to as_of toward the goal, judged at the latest actual no later than the
    target year (see the module docstring). Without ``forecast`` only the latest actual matters
    (overviews pass just that) and no forecast is made."""
    known = _actuals_up_to(running_totals(goal, actuals), as_of)
    if not known:
        return NO_PROGRESS
    reference = as_of if as_of is not None else max(known)
    from_first = goal.unmeasured
    goal = judged_goal(goal, known, reference)
    judged = {y: v for y, v in known.items() if y <= goal.target_year} or known
    first_year = min(judged)
    latest_year = max(judged)
    latest = judged[latest_year]
    met = is_met(goal, latest, tolerances=tolerances)
    final = reference >= goal.target_year and latest_year == goal.target_year
    points = _forecast_points(goal, judged)
    predicted = (
        linear_forecast(dict(points), goal.target_year)
        if forecast and not final and len(points) >= MIN_FORECAST_POINTS
        else None
    )
    meets = None if predicted is None else is_met(goal, predicted, tolerances=tolerances)
    first_only = from_first and latest_year == first_year
    status = _status(goal, latest, latest_year, met, tolerances)
    if first_only and not met:
        status = Status.NOT_EVALUABLE
    elif met and meets is False:
        status = Status.AT_RISK
    return Progress(
        latest_year=latest_year,
        latest_value=latest,
        rate=None if first_only else progress_rate(goal, latest),
        met=met,
        expected=expected_value(goal, latest_year),
        status=status,
        forecast=predicted,
        forecast_meets=meets,
        target_year=goal.target_year,
        target_year_passed=reference > goal.target_year,
        final=final,
        forecast_points=len(points) if forecast else 0,
    )


def judged_goal(goal: Goal, values: Mapping[int, Decimal], reference: int) -> Goal:
    """The goal a series is judged by in the reference year: the revision in effect, and for a
    baseline not measured yet the first value (of ``running_totals``) as the start. The chart,
    the table's expected values and the 進捗率 all start from it."""
    goal = goal.in_effect(reference)
    known = [y for y, v in values.items() if v is not None and y <= reference]
    if goal.unmeasured and known:
        first = min(known)
        goal = replace(goal, baseline=values[first], baseline_year=first)
    return goal


def running_totals(goal: Goal, actuals: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """The values judged: the actuals, or for a 累計 entered year by year the running total,
    the start plus every amount of the years after the baseline year up to each year."""
    if not goal.yearly_amounts:
        return dict(actuals)
    total, totals = goal.start, {}
    for year in sorted(y for y, v in actuals.items() if v is not None):
        if year > goal.baseline_year:
            total += actuals[year]
            totals[year] = total
    return totals


def _forecast_points(goal: Goal, judged: Mapping[int, Decimal]) -> list[tuple[int, Decimal]]:
    points = dict(judged)
    if goal.baseline is not None or goal.baseline_meaning is BaselineMeaning.START_ZERO:
        points.setdefault(goal.baseline_year, goal.start)
    return sorted(points.items())


def expected_value(goal: Goal, year: int) -> Decimal:
    """Value on the straight line from the start to the target, clamped to the plan period."""
    return _to_decimal(_expected(goal, year))


def is_met(goal: Goal, value: Decimal, *, tolerances: Tolerances = DEFAULT_TOLERANCES) -> bool:
    """Whether the value achieves the target (目標達成)."""
    if goal.kind is TargetKind.ZERO:
        return value == 0
    if goal.kind is TargetKind.KEEP:
        allowed = tolerances.keep_tolerance * abs(goal.target)
        if goal.keep_direction is KeepDirection.AT_LEAST:
            return value >= goal.target - allowed
        if goal.keep_direction is KeepDirection.AT_MOST:
            return value <= goal.target + allowed
        return abs(value - goal.target) <= allowed
    if goal.kind in _UPWARD_KINDS:
        return value >= goal.target
    return value <= goal.target


def progress_rate(goal: Goal, value: Decimal) -> Decimal | None:
    """進捗率 in %, or None for a hold goal (see the module docstring)."""
    if not _has_distance(goal):
        return None
    share = _CTX.divide(_CTX.subtract(value, goal.start), _CTX.subtract(goal.aim, goal.start))
    return _round_half_up(_CTX.multiply(share, 100))


def linear_forecast(actuals: Mapping[int, Decimal], year: int) -> Decimal | None:
    """Least-squares line through all actuals, evaluated at year; None with fewer than 2."""
    points = [(Decimal(x), y) for x, y in actuals.items() if y is not None]
    if len(points) < 2:
        return None
    with localcontext(_CTX):
        zero = Decimal(0)
        mean_x = sum((x for x, _ in points), zero) / len(points)
        mean_y = sum((y for _, y in points), zero) / len(points)
        sxx = sum(((x - mean_x) ** 2 for x, _ in points), zero)
        sxy = sum(((x - mean_x) * (y - mean_y) for x, y in points), zero)
        forecast = mean_y + sxy / sxx * (year - mean_x)
    return _to_decimal(forecast)


def status_counts(progresses: Iterable[Progress]) -> dict[Status, int]:
    """Number of series per status, every status present."""
    counts = dict.fromkeys(Status, 0)
    for progress in progresses:
        counts[progress.status] += 1
    return counts


def mean_rate(progresses: Iterable[Progress]) -> Decimal | None:
    """Mean 進捗率 of the series that have one, each clamped to 0–100 first."""
    rates = [min(max(p.rate, Decimal(0)), Decimal(100)) for p in progresses if p.rate is not None]
    if not rates:
        return None
    return _round_half_up(_CTX.divide(sum(rates), len(rates)))


def _actuals_up_to(actuals: Mapping[int, Decimal], as_of: int | None) -> dict[int, Decimal]:
    return {
        year: value
        for year, value in actuals.items()
        if value is not None and (as_of is None or year <= as_of)
    }


def _direction(goal: Goal) -> int:
    """+1 when the goal is reached by going up, -1 by going down, 0 when it is only held."""
    if goal.kind in _UPWARD_KINDS:
        return 1
    if goal.kind in _DOWNWARD_KINDS:
        return -1
    if goal.kind is TargetKind.ZERO and goal.start > 0:
        return -1
    if goal.kind is TargetKind.ZERO and goal.start < 0:
        return 1
    return 0


def direction_of(goal: Goal) -> int:
    """+1 when the goal is better higher, -1 lower, 0 for a value to keep."""
    return _direction(goal)


def is_hold_goal(goal: Goal) -> bool:
    """True for goals with nothing to cover, only a value to keep (see the module docstring)."""
    return not _has_distance(goal)


def _has_distance(goal: Goal) -> bool:
    return _direction(goal) * (goal.aim - goal.start) > 0


def _status(
    goal: Goal, latest: Decimal, latest_year: int, met: bool, tolerances: Tolerances
) -> Status:
    if met:
        return Status.ACHIEVED
    if goal.noise_band is not None and abs(latest - goal.start) <= goal.noise_band:
        return Status.FLAT
    if _has_distance(goal):
        return _distance_status(goal, latest, latest_year, tolerances)
    return _hold_status(goal, latest)


def _distance_status(
    goal: Goal, latest: Decimal, latest_year: int, tolerances: Tolerances
) -> Status:
    direction = _direction(goal)
    if direction * (latest - goal.start) < 0:
        return Status.WORSE
    lead = direction * _CTX.subtract(latest, _expected(goal, latest_year))
    allowed_lag = _CTX.multiply(tolerances.on_track_margin, abs(goal.aim - goal.start))
    return Status.ON_TRACK if lead >= -allowed_lag else Status.BEHIND


def _hold_status(goal: Goal, latest: Decimal) -> Status:
    if goal.baseline is None or _shortfall(goal, latest) > _shortfall(goal, goal.baseline):
        return Status.WORSE
    return Status.BEHIND


def _shortfall(goal: Goal, value: Decimal) -> Decimal:
    if goal.kind in (TargetKind.KEEP, TargetKind.ZERO):
        return abs(value - goal.aim)
    direction = 1 if goal.kind in _UPWARD_KINDS else -1
    return max(Decimal(0), direction * (goal.aim - value))


def _expected(goal: Goal, year: int) -> Decimal:
    steps = [(y, v) for y, v in goal.interim if goal.baseline_year < y < goal.target_year]
    if steps:
        corners = [(goal.baseline_year, goal.start), *steps, (goal.target_year, goal.aim)]
        year = min(max(year, goal.baseline_year), goal.target_year)
        for (y0, v0), (y1, v1) in zip(corners, corners[1:], strict=False):
            if year <= y1:
                part = _CTX.divide(_CTX.multiply(v1 - v0, year - y0), y1 - y0)
                return _CTX.add(v0, part)
    span = goal.target_year - goal.baseline_year
    if span <= 0:
        return goal.aim
    elapsed = min(max(year - goal.baseline_year, 0), span)
    distance = _CTX.subtract(goal.aim, goal.start)
    return _CTX.add(goal.start, _CTX.divide(_CTX.multiply(distance, elapsed), span))


def _to_decimal(value: Decimal) -> Decimal:
    """Back to ordinary precision (28 digits), trailing zeros dropped as a Fraction would."""
    result = +value
    if result == result.to_integral_value():
        return result.quantize(Decimal(1))
    return result.normalize()


def _round_half_up(value: Decimal) -> Decimal:
    """To 0.1, halves away from zero (四捨五入); never -0.0."""
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP, context=_CTX)
    return abs(rounded) if rounded == 0 else rounded
