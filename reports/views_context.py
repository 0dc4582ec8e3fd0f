"""What the report's template gets: the report, its charts as SVG and its labels."""

from functools import cache

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from dashboards.series import SeriesView, series_chart
from kpi import wareki
from reports.reads import Report

CHART_WIDTH, CHART_HEIGHT = 520, 220


@cache
def _chart_style() -> str:
    """The charts' look in print: WeasyPrint styles an SVG from a style sheet inside it only."""
    return "<style>" + get_template("reports/chart.css").render({}) + "</style>"


def chart(view: SeriesView) -> SafeString:
    """The SVG is built from escaped text only (kpi.charts)."""
    svg = series_chart(view, width=CHART_WIDTH, height=CHART_HEIGHT)
    head, _, rest = svg.partition(">")
    return mark_safe(f"{head}>{_chart_style()}{rest}" if rest else svg)  # noqa: S308


def report_title(report: Report) -> str:
    return f"{wareki.year_label(report.year)} 効果検証報告書"


def report_context(report: Report) -> dict[str, object]:
    return {
        "report": report,
        "title": report_title(report),
        "issued": f"{report.issued.year}年{report.issued.month}月{report.issued.day}日",
        "year_label": wareki.year_label_with_gregorian(report.year, "fiscal"),
    }
