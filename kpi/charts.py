"""Server-rendered SVG line charts (no JavaScript, no CDN): baseline, actuals, the straight line
to the target, the target and the forecast."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from kpi.entry_rules import shown_decimals
from kpi.numbers import format_number
from kpi.wareki import era_year


@dataclass(frozen=True)
class OtherGoal:
    """Another plan's baseline and target of the same series, drawn beside this plan's
    (an indicator that continues from the 前期 plan into the 後期 one has both)."""

    label: str  # the plan's name
    target: tuple[int, Decimal]
    start: tuple[int, Decimal]  # where its line starts: its baseline (or 0) at its baseline year
    has_baseline: bool = True
    hold: bool = False


@dataclass(frozen=True)
class ChartData:
    title: str
    decimals: int
    unit: str
    baseline: tuple[int, Decimal] | None = None
    target: tuple[int, Decimal] | None = None
    actuals: list[tuple[int, Decimal, bool]] = field(
        default_factory=list
    )  # year, value, provisional
    forecast: tuple[int, Decimal] | None = None
    start_value: Decimal | None = None  # where the straight line starts (0 when no baseline)
    hold: bool = False  # a floor/ceiling/keep target: a level line, not a line toward it
    others: list[OtherGoal] = field(default_factory=list)  # other plans' goals


@dataclass(frozen=True)
class _Frame:
    width: int
    height: int
    left: int = 64
    right: int = 16
    top: int = 16
    bottom: int = 28


def _points(data: ChartData) -> list[tuple[int, Decimal]]:
    points = [(y, v) for y, v, _ in data.actuals]
    for extra in (data.baseline, data.target, data.forecast):
        if extra:
            points.append(extra)
    if data.target and data.start_value is not None:
        points.append((data.baseline[0] if data.baseline else data.target[0], data.start_value))
    for other in data.others:
        points += [other.target, other.start]
    return points


NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
MIN_SPAN_SHARE = Decimal("0.1")  # the axis spans at least a tenth of the largest value
ZERO_BASED_SHARE = Decimal("0.5")  # start at 0 when the smallest value is at most half the largest


@dataclass(frozen=True)
class Axis:
    """The y axis: from ``low`` to ``high`` in round ``step``s; ``broken`` when it does not start
    at zero although every value is positive (the break is drawn)."""

    low: Decimal
    high: Decimal
    step: Decimal
    broken: bool

    @property
    def ticks(self) -> list[Decimal]:
        count = int((self.high - self.low) / self.step)
        return [self.low + self.step * i for i in range(count + 1)]


def _nice_step(span: Decimal, ticks: int = 4) -> Decimal:
    raw = span / ticks
    magnitude = Decimal(10) ** raw.adjusted()
    return next(n * magnitude for n in NICE_STEPS if n * magnitude >= raw)


def y_axis(low: Decimal, high: Decimal) -> Axis:
    """Round steps; zero-based where the values allow it, else the axis is shown broken and
    spans at least a tenth of the largest value, so that a one-point dip stays a dip."""
    largest = max(abs(low), abs(high))
    zero_based = low >= 0 and low <= high * ZERO_BASED_SHARE
    if zero_based:
        low = Decimal(0)
    span = max(high - low, largest * MIN_SPAN_SHARE, Decimal(1) if largest == 0 else Decimal(0))
    if not zero_based and high - low < span:
        middle = (high + low) / 2
        low, high = middle - span / 2, middle + span / 2
        if low < 0 <= min(low + span, high) and high > 0 and largest > 0:
            low, high = Decimal(0), span
    step = _nice_step(span)
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    last = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    if last == first:
        last = first + step
    return Axis(first, last, step, broken=first > 0)


def _tick_label_width(labels: list[str]) -> int:
    """Pixels for the longest label at 11 px (a full-width character about twice a digit)."""
    widest = max((sum(2 if ord(c) > 0x2E7F else 1 for c in t) for t in labels), default=0)
    return widest * 7 + 12


def _legend(data: ChartData, left: int, top: int) -> list[str]:
    items = [("actual", "実績値")] if data.actuals else []
    if data.target:
        items.append(("target", "目標値"))
        items.append(("plan", "目標の水準" if data.hold else "目標への直線"))
    if data.forecast and data.actuals:
        items.append(("forecast", "予測"))
    parts, x = ['<g class="legend">'], left
    for kind, label in items:
        if kind == "actual":
            parts.append(f'<circle cx="{x + 5}" cy="{top}" r="4" class="legend-actual"/>')
        elif kind == "target":
            parts.append(
                f'<polygon class="legend-target" points="{x + 5},{top - 5} {x + 10},{top} '
                f'{x + 5},{top + 5} {x},{top}"/>'
            )
        else:
            css = "plan-line" if kind == "plan" else "forecast-line"
            parts.append(f'<line class="{css}" x1="{x}" y1="{top}" x2="{x + 14}" y2="{top}"/>')
        parts.append(f'<text x="{x + 18}" y="{top + 4}">{label}</text>')
        x += 26 + len(label) * 12
    parts.append("</g>")
    return parts if items else []


def line_chart(data: ChartData, *, width: int = 640, height: int = 260) -> str:
    points = _points(data)
    if not points:
        return ""
    years = [y for y, _ in points]
    first, last = min(years), max(years)
    axis = y_axis(min(v for _, v in points), max(v for _, v in points))
    low, high = float(axis.low), float(axis.high)

    def fmt(value: Decimal | float) -> str:
        number = Decimal(str(value))
        return format_number(number, shown_decimals(number, data.unit, data.decimals), data.unit)

    def tick_text(value: Decimal) -> str:
        number = value.normalize()
        places = max(0, -number.as_tuple().exponent)  # type: ignore[operator]
        return format_number(number, places)

    axes = height > 120
    tick_labels = [tick_text(t) for t in axis.ticks]
    frame = _Frame(
        width,
        height,
        left=max(40, _tick_label_width(tick_labels)) if axes else 8,
        right=16,
        top=34 if axes else 8,
        bottom=28 if axes else 8,
    )
    plot_w = frame.width - frame.left - frame.right
    plot_h = frame.height - frame.top - frame.bottom

    def x(year: int) -> float:
        return frame.left + (
            plot_w * (year - first) / (last - first) if last > first else plot_w / 2
        )

    def y(value: Decimal | float) -> float:
        return frame.top + plot_h * (1 - (float(value) - low) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(data.title)}">',
        f"<title>{escape(data.title)}</title>",
    ]
    if axes:
        parts += _axes(data, axis, tick_labels, frame, x, y, first, last)
        parts += _legend(data, frame.left + 40, 12)
    if data.target and data.hold:
        parts.append(
            f'<line class="plan-line" x1="{x(first):.1f}" y1="{y(data.target[1]):.1f}" '
            f'x2="{x(last):.1f}" y2="{y(data.target[1]):.1f}"><title>目標の水準</title></line>'
        )
    elif data.target and data.start_value is not None:
        start_year = data.baseline[0] if data.baseline else first
        parts.append(
            f'<line class="plan-line" x1="{x(start_year):.1f}" y1="{y(data.start_value):.1f}" '
            f'x2="{x(data.target[0]):.1f}" y2="{y(data.target[1]):.1f}">'
            "<title>目標への直線</title></line>"
        )
    parts += _other_goals(data, x, y, fmt)
    if data.actuals:
        series = [(data.baseline[0], data.baseline[1])] if data.baseline else []
        series += [(yr, v) for yr, v, _ in data.actuals]
        path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in series)
        parts.append(f'<polyline class="actual-line" points="{path}"/>')
    if data.forecast and data.actuals:
        last_year, last_value, _ = data.actuals[-1]
        parts.append(
            f'<line class="forecast-line" x1="{x(last_year):.1f}" y1="{y(last_value):.1f}" '
            f'x2="{x(data.forecast[0]):.1f}" y2="{y(data.forecast[1]):.1f}">'
            f"<title>予測 {escape(fmt(data.forecast[1]))}</title></line>"
        )
    if data.baseline:
        yr, v = data.baseline
        parts.append(
            f'<circle class="baseline-point" cx="{x(yr):.1f}" cy="{y(v):.1f}" r="4">'
            f"<title>現状値 {escape(fmt(v))}</title></circle>"
        )
    for yr, v, provisional in data.actuals:
        css = "actual-point provisional" if provisional else "actual-point"
        label = "実績値（暫定）" if provisional else "実績値"
        parts.append(
            f'<circle class="{css}" cx="{x(yr):.1f}" cy="{y(v):.1f}" r="4">'
            f"<title>{label} {escape(fmt(v))}</title></circle>"
        )
    if data.target:
        yr, v = data.target
        cx, cy = x(yr), y(v)
        parts.append(
            f'<polygon class="target-point" points="{cx:.1f},{cy - 7:.1f} {cx + 7:.1f},{cy:.1f} '
            f'{cx:.1f},{cy + 7:.1f} {cx - 7:.1f},{cy:.1f}"><title>目標値 {escape(fmt(v))}</title>'
            "</polygon>"
        )
        if height > 120:
            below = cy + 20 if cy < frame.top + 20 else cy - 10
            parts.append(
                f'<text class="target-label" x="{cx - 10:.1f}" y="{below:.1f}" '
                f'text-anchor="end">目標 {escape(fmt(v))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _axes(
    data: ChartData,
    axis: Axis,
    labels: list[str],
    frame: _Frame,
    x: Callable[[int], float],
    y: Callable[[Decimal], float],
    first: int,
    last: int,
) -> list[str]:
    """Year ticks, the y axis's round steps with the unit above them, and the break."""
    height, width = frame.height, frame.width
    parts = []
    for year in range(first, last + 1):
        parts.append(
            f'<text class="tick" x="{x(year):.1f}" y="{height - 8}" text-anchor="middle">'
            f"{escape(era_year(year).replace('令和', 'R').replace('平成', 'H'))}</text>"
        )
    for value, label in zip(axis.ticks, labels, strict=True):
        parts.append(
            f'<line class="grid" x1="{frame.left}" x2="{width - frame.right}" '
            f'y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
            f'<text class="tick" x="{frame.left - 6}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
    bottom = height - frame.bottom
    parts.append(
        f'<line class="axis" x1="{frame.left}" y1="{frame.top}" x2="{frame.left}" y2="{bottom}"/>'
    )
    if data.unit:
        parts.append(
            f'<text class="axis-unit" x="{frame.left - 6}" y="{frame.top - 10}" '
            f'text-anchor="end">（{escape(data.unit)}）</text>'
        )
    if axis.broken:
        zig = f"{frame.left - 5},{bottom - 4} {frame.left + 5},{bottom - 8} "
        zig += f"{frame.left - 5},{bottom - 12} {frame.left + 5},{bottom - 16}"
        parts.append(
            f'<polyline class="axis-break" points="{zig}"><title>軸の一部を省略</title></polyline>'
        )
    return parts


def _other_goals(
    data: ChartData,
    x: Callable[[int], float],
    y: Callable[[Decimal], float],
    fmt: Callable[[Decimal], str],
) -> list[str]:
    """Other plans' lines (dashed), baselines and targets (hollow), each titled with its plan."""
    parts = []
    for other in data.others:
        (start_year, start), (target_year, target) = other.start, other.target
        label = escape(other.label)
        y1 = y(target) if other.hold else y(start)
        parts.append(
            f'<line class="plan-line other-plan" x1="{x(start_year):.1f}" y1="{y1:.1f}" '
            f'x2="{x(target_year):.1f}" y2="{y(target):.1f}"><title>{label}</title></line>'
        )
        if other.has_baseline:
            parts.append(
                f'<circle class="baseline-point other-plan" cx="{x(start_year):.1f}" '
                f'cy="{y(start):.1f}" r="4"><title>{label} 現状値 {escape(fmt(start))}</title>'
                "</circle>"
            )
        cx, cy = x(target_year), y(target)
        parts.append(
            f'<polygon class="target-point other-plan" points="{cx:.1f},{cy - 7:.1f} '
            f'{cx + 7:.1f},{cy:.1f} {cx:.1f},{cy + 7:.1f} {cx - 7:.1f},{cy:.1f}">'
            f"<title>{label} 目標値 {escape(fmt(target))}</title></polygon>"
        )
    return parts
