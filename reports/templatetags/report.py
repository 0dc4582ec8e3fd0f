"""Formatting of the report: charts and frozen figures as the dashboards print them."""

from decimal import Decimal

from django import template
from django.utils.safestring import SafeString

from dashboards.series import SeriesView
from evaluations.figures import Figure
from kpi.entry_rules import shown_decimals
from kpi.numbers import format_number
from reports.views_context import chart

register = template.Library()


@register.filter
def report_chart(view: SeriesView) -> SafeString:
    return chart(view)


@register.filter
def figure_number(value: Decimal | None, figure: Figure) -> str:
    """A frozen figure's value as the plan prints it: "1,869件"; None → "－"."""
    if value is None:
        return format_number(value, figure.decimals)
    return format_number(value, shown_decimals(value, figure.unit, figure.decimals), figure.unit)
