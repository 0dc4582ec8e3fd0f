"""The theme tables of a project page (django-tables2): sortable and filterable. Their
CSV/XLSX export is ``dashboards.exports`` (the one spreadsheet writer), not the table's."""

from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from dashboards.reads import LinkRow
from dashboards.templatetags.kpi import kpi_number, progress_bar, status_badge
from kpi.progress import Status
from kpi.wareki import year_label

STATUS_ORDER = [
    Status.ACHIEVED,
    Status.AT_RISK,
    Status.ON_TRACK,
    Status.FLAT,
    Status.BEHIND,
    Status.WORSE,
    Status.NOT_EVALUABLE,
    Status.NO_DATA,
]
# A row of ThemeTable as table_data builds it: the LinkRow under "row", plain values beside it.
Record = dict[str, Any]


def _sortable(value: Decimal | None) -> Decimal:
    return Decimal("-Infinity") if value is None else value


def table_data(rows: list[LinkRow], query: str = "") -> list[Record]:
    """Rows for ThemeTable; ``query`` (?year=…) is kept in the links to indicator pages."""
    data = []
    for row in rows:
        view, indicator = row.view, row.view.indicator
        target, progress = view.target, view.progress
        data.append(
            {
                "row": row,
                "measure": row.measure_code,
                "place": row.place,
                "indicator": indicator.name
                + (f"（{view.series.label}）" if view.series.label else ""),
                "code": indicator.code,
                "query": query,
                "baseline": target.baseline_value if target else None,
                "latest": progress.latest_value,
                "target": target.target_value if target else None,
                "rate": progress.rate,
                "status": progress.status if target else None,
                "measure_sort": (row.link.direction.measure.order, row.link.direction.number),
                "rate_sort": _sortable(progress.rate),
                "status_sort": STATUS_ORDER.index(progress.status) if target else len(STATUS_ORDER),
            }
        )
    return data


def _fmt(record: Record, value: Decimal | None) -> str:
    return kpi_number(value, record["row"].view.indicator)


class ThemeTable(tables.Table):
    measure = tables.Column("重点施策", order_by=("measure_sort",))
    place = tables.Column("施策の展開方針・取組", orderable=False)
    indicator = tables.Column("成果指標")
    baseline = tables.Column("現状値", order_by=("baseline",), attrs={"td": {"class": "num"}})
    latest = tables.Column("最新実績値", attrs={"td": {"class": "num"}})
    target = tables.Column("目標値", attrs={"td": {"class": "num"}})
    rate = tables.Column("進捗率", order_by=("rate_sort",))
    status = tables.Column("状況", order_by=("status_sort",))

    class Meta:
        attrs = {"class": "kpi-table"}
        orderable = True
        empty_text = "該当する指標はありません。"
        default = "－"  # an empty cell, as the plan prints it (django-tables2's own is "—")

    def render_indicator(self, value: str, record: Record) -> str:
        url = reverse("indicators:detail", args=[record["code"]]) + str(record["query"])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_baseline(self, record: Record) -> str:
        target = record["row"].view.target
        return target.baseline_label or _fmt(record, record["baseline"])

    def render_target(self, record: Record) -> str:
        target = record["row"].view.target
        return target.target_label or _fmt(record, record["target"])

    def render_latest(self, record: Record) -> str:
        view = record["row"].view
        year = view.progress.latest_year
        if year is None:
            return "－"
        period = view.indicator.period_kind
        return format_html(
            '{}<br><span class="muted">{}</span>',
            _fmt(record, record["latest"]),
            year_label(year, period),
        )

    def render_rate(self, value: Decimal | None) -> str:
        return progress_bar(value)

    def render_status(self, record: Record) -> str:
        return status_badge(record["row"].view)
