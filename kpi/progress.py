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
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


STATUS_LABELS: dict[Status, str] = {
    Status.ACHIEVED: "達成",
    Status.ON_TRACK: "順調",
    Status.BEHIND: "遅れ",
    Status.WORSE: "悪化",
    Status.NO_DATA: "未入力",
}

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

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", TargetKind(self.kind))

    @property
    def start(self) -> Decimal:
        return Decimal(0) if self.baseline is None else self.baseline

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

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


NO_PROGRESS = Progress(None, None, None, None, None, Status.NO_DATA, None, None)


def evaluate(
    goal: Goal,
    actuals: Mapping[int, Decimal],
    *,
    as_of: int | None = None,
    tolerances: Tolerances = DEFAULT_TOLERANCES,
    forecast: bool = True,
) -> Progress:
    """Progress of the latest actual (実績値) up to as_of toward the goal. Without ``forecast``
    only the latest actual matters (overviews pass just that) and no forecast is made."""
    known = _actuals_up_to(actuals, as_of)
    if not known:
        return NO_PROGRESS
    latest_year = max(known)
    latest = known[latest_year]
    met = is_met(goal, latest, tolerances=tolerances)
    predicted = linear_forecast(known, goal.target_year) if forecast else None
    return Progress(
        latest_year=latest_year,
        latest_value=latest,
        rate=progress_rate(goal, latest),
        met=met,
        expected=expected_value(goal, latest_year),
        status=_status(goal, latest, latest_year, met, tolerances),
        forecast=predicted,
        forecast_meets=None
        if predicted is None
        else is_met(goal, predicted, tolerances=tolerances),
    )


def expected_value(goal: Goal, year: int) -> Decimal:
    """Value on the straight line from the start to the target, clamped to the plan period."""
    return _to_decimal(_expected(goal, year))


def is_met(goal: Goal, value: Decimal, *, tolerances: Tolerances = DEFAULT_TOLERANCES) -> bool:
    """Whether the value achieves the target (目標達成)."""
    if goal.kind is TargetKind.ZERO:
        return value == 0
    if goal.kind is TargetKind.KEEP:
        return abs(value - goal.target) <= tolerances.keep_tolerance * abs(goal.target)
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
    """To 0.1, halves away from zero (四捨五入)."""
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP, context=_CTX)
