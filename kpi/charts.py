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


def _nice_range(low: Decimal, high: Decimal) -> tuple[float, float]:
    lo, hi = float(low), float(high)
    if lo == hi:
        pad = abs(lo) * 0.1 or 1.0
        return lo - pad, hi + pad
    pad = (hi - lo) * 0.12
    return lo - pad, hi + pad


def line_chart(data: ChartData, *, width: int = 640, height: int = 260) -> str:
    points = _points(data)
    if not points:
        return ""
    frame = _Frame(width, height, left=64 if width > 400 else 8, bottom=28 if height > 120 else 8)
    years = [y for y, _ in points]
    first, last = min(years), max(years)
    low, high = _nice_range(min(v for _, v in points), max(v for _, v in points))
    plot_w = frame.width - frame.left - frame.right
    plot_h = frame.height - frame.top - frame.bottom

    def x(year: int) -> float:
        return frame.left + (
            plot_w * (year - first) / (last - first) if last > first else plot_w / 2
        )

    def y(value: Decimal | float) -> float:
        return frame.top + plot_h * (1 - (float(value) - low) / (high - low))

    def fmt(value: Decimal | float) -> str:
        number = Decimal(str(value))
        return format_number(number, shown_decimals(number, data.unit, data.decimals), data.unit)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(data.title)}">',
        f"<title>{escape(data.title)}</title>",
    ]
    if frame.bottom > 8:
        for year in range(first, last + 1):
            parts.append(
                f'<text class="tick" x="{x(year):.1f}" y="{height - 8}" text-anchor="middle">'
                f"{escape(era_year(year).replace('令和', 'R').replace('平成', 'H'))}</text>"
            )
        for i in range(5):
            value = low + (high - low) * i / 4
            parts.append(
                f'<line class="grid" x1="{frame.left}" x2="{width - frame.right}" '
                f'y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
                f'<text class="tick" x="{frame.left - 6}" y="{y(value) + 4:.1f}" '
                f'text-anchor="end">{escape(fmt(value))}</text>'
            )
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
    parts.append("</svg>")
    return "".join(parts)


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
