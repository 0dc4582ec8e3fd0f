"""Formatting for the dashboards: numbers as the plan prints them, 和暦, statuses."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from dashboards.series import SeriesView, series_chart
from indicators.models import Indicator
from kpi.entry_rules import shown_decimals
from kpi.numbers import format_number
from kpi.progress import STATUS_LABELS, Status
from kpi.wareki import year_label, year_label_with_gregorian

register = template.Library()


@register.filter
def kpi_number(value: Decimal | None, indicator: Indicator) -> str:
    """1869 → "1,869件" with the indicator's decimals and unit; None → "－"."""
    if value is None:
        return format_number(value, indicator.decimals)
    decimals = shown_decimals(value, indicator.unit, indicator.decimals)
    return format_number(value, decimals, indicator.unit)


@register.filter
def wareki(year: int | None, period: str = "fiscal") -> str:
    """2024 → "令和6年度（2024）"."""
    return "" if year is None else year_label_with_gregorian(year, period or "fiscal")


@register.filter
def wareki_short(year: int | None, period: str = "fiscal") -> str:
    return "" if year is None else year_label(year, period or "fiscal")


@register.filter
def rate(value: Decimal | None) -> str:
    return "－" if value is None else f"{value:.1f}%"


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS[Status(status)]


# Statuses a card always counts, 0 included; the rarer ones (達成（要注意）, 横ばい, 判定不能)
# only where a series has them, so that a card is not a row of zeros.
ALWAYS_COUNTED = frozenset(
    {Status.ACHIEVED, Status.ON_TRACK, Status.BEHIND, Status.WORSE, Status.NO_DATA}
)


@register.filter
def card_counts(counts: dict[Status, int]) -> list[tuple[Status, int]]:
    return [(s, n) for s, n in counts.items() if n or s in ALWAYS_COUNTED]


@register.simple_tag
def status_badge(view: SeriesView) -> str:
    if not view.has_target:
        return mark_safe('<span class="badge status-none">目標なし</span>')
    status = view.progress.status
    mark = "（暫定）" if view.latest_is_provisional else ""
    return format_html(
        '<span class="badge status-{}">{}{}</span>', status.value, STATUS_LABELS[status], mark
    )


@register.simple_tag
def progress_bar(value: Decimal | None) -> str:
    """A native <progress> bar: no inline style, so it holds under a strict CSP."""
    if value is None:
        return mark_safe('<span class="muted">－</span>')
    shown = min(max(value, Decimal(0)), Decimal(100))
    return format_html(
        '<progress max="100" value="{}" aria-label="進捗率">{}</progress> '
        '<span class="rate">{}</span>',
        f"{shown:.1f}",
        f"{value:.1f}%",
        f"{value:.1f}%",
    )


@register.filter
def headline_chart(view: SeriesView) -> SafeString:
    """A compact chart; the SVG is built from escaped text only (kpi.charts)."""
    return mark_safe(series_chart(view, width=380, height=170))  # noqa: S308


@register.simple_tag(takes_context=True)
def keep_view(context: template.Context) -> str:
    """ "?year=2025[&provisional=1][&plan=2030-2034]": links keep the as-of year, the
    provisional choice and a plan other than the current one."""
    plan = context.get("plan_param")
    return view_query(context.get("as_of"), bool(context.get("provisional")), plan or None)


def view_query(as_of: int | None, provisional: bool, plan: str | None = None) -> str:
    parts = ([f"year={as_of}"] if as_of else []) + (["provisional=1"] if provisional else [])
    parts += [f"plan={plan}"] if plan else []
    return "?" + "&".join(parts) if parts else ""


@register.filter
def matrix_cells(marks: list[str]) -> SafeString:
    """A matrix row's ◎/○ cells as one string: at 500 projects the table has 18,000 cells, too
    many to render one template node each."""
    cell = {mark: format_html("<td>{}</td>", mark) for mark in set(marks)}  # ◎, ○ or ""
    return mark_safe("".join(cell[mark] for mark in marks))  # each cell escaped above
