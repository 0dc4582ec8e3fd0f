"""What the report's template gets: the report, its charts as SVG and its labels."""

from django.utils.safestring import SafeString, mark_safe

from dashboards.series import SeriesView, series_chart
from kpi import wareki
from reports.reads import Report

CHART_WIDTH, CHART_HEIGHT = 520, 220


def chart(view: SeriesView) -> SafeString:
    """The SVG is built from escaped text only (kpi.charts)."""
    return mark_safe(series_chart(view, width=CHART_WIDTH, height=CHART_HEIGHT))  # noqa: S308


def report_title(report: Report) -> str:
    return f"{wareki.year_label(report.year)} 効果検証報告書"


def report_context(report: Report) -> dict[str, object]:
    return {
        "report": report,
        "title": report_title(report),
        "issued": f"{report.issued.year}年{report.issued.month}月{report.issued.day}日",
        "year_label": wareki.year_label_with_gregorian(report.year, "fiscal"),
    }
