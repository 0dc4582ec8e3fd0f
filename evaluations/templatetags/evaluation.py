"""Formatting for the evaluation pages: a figure's numbers, its status badge, a rank. (Years and
rates use the site's ``kpi`` filters.)"""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from evaluations.figures import Figure
from evaluations.models import Rank
from kpi.numbers import format_number
from kpi.progress import STATUS_LABELS, Status

register = template.Library()


@register.filter
def figure_number(value: Decimal | None, figure: Figure) -> str:
    """1869 → "1,869件" with the figure's decimals and unit; None → "－"."""
    return format_number(value, figure.decimals, figure.unit)


@register.filter
def figure_status(figure: Figure) -> SafeString:
    if not figure.status:
        return format_html('<span class="badge status-none">{}</span>', figure.rank_label)
    css = Status(figure.status).value
    return format_html('<span class="badge status-{}">{}</span>', css, figure.rank_label)


@register.filter
def status_word(status: str) -> str:
    return STATUS_LABELS[Status(status)] if status else "目標なし"


@register.filter
def rank_label(code: str | None) -> str:
    """ "B" → "B（概ね順調）"; blank → "－"."""
    return Rank(code).label if code else "－"


@register.filter
def rank_badge(code: str | None) -> SafeString:
    if not code:
        return format_html('<span class="rank rank-none">{}</span>', "－")
    return format_html('<span class="rank rank-{}">{}</span>', code.lower(), Rank(code).label)
