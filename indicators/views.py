from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from indicators.audit import audit_entries
from indicators.dashboard import SeriesView, series_chart, series_json
from indicators.models import Indicator
from indicators.permissions import can_view_audit
from isesaki.access import (
    as_of_year,
    current_plan,
    dashboard_view,
    include_provisional,
    year_options,
)
from projects.dashboard import series_views


@dataclass(frozen=True)
class YearRow:
    year: int
    actual: Decimal | None
    provisional: bool
    expected: Decimal | None
    after_as_of: bool


def _year_rows(view: SeriesView) -> list[YearRow]:
    years = set(view.actuals)
    if view.target:
        years |= set(range(view.target.baseline_year, view.target.target_year + 1))
    return [
        YearRow(
            year=y,
            actual=view.actuals.get(y),
            provisional=y in view.provisional_years,
            expected=view.expected_for(y),
            after_as_of=y > view.as_of,
        )
        for y in sorted(years)
    ]


def _indicator(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    plan = current_plan(request)
    indicator = get_object_or_404(Indicator.objects.select_related("survey_measure"), code=code)
    as_of = as_of_year(request, plan)
    provisional = include_provisional(request)
    views = series_views(Q(indicator=indicator), plan, as_of, include_provisional=provisional).get(
        indicator.pk, []
    )
    return plan, indicator, as_of, views


@dashboard_view
def detail(request: HttpRequest, code: str) -> HttpResponse:
    plan, indicator, as_of, views = _indicator(request, code)
    links = indicator.theme_links.filter(theme__project__plan=plan).select_related(
        "theme__project", "direction__measure", "initiative"
    )
    context = {
        "plan": plan,
        "as_of": as_of,
        "year_options": year_options(plan),
        "provisional": include_provisional(request),
        "indicator": indicator,
        "series": [(v, series_chart(v), _year_rows(v)) for v in views],
        "links": links.order_by("theme__project__number", "theme__order", "order"),
        "headline_of": indicator.project_entries.filter(project__plan=plan).select_related(
            "project"
        ),
        "sdg_entries": indicator.sdg_entries.select_related("measure"),
        # 変更履歴 for approvers (承認者) and superusers; None hides the section.
        "audit_entries": audit_entries(indicator) if can_view_audit(request.user) else None,
    }
    return render(request, "indicators/detail.html", context)


@dashboard_view
def detail_json(request: HttpRequest, code: str) -> JsonResponse:
    plan, indicator, as_of, views = _indicator(request, code)
    data = {
        "plan": plan.code,
        "as_of": as_of,
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "period_kind": indicator.period_kind,
        "cumulative": indicator.cumulative,
        "definition": indicator.definition,
        "source": indicator.source,
        "series": [series_json(v) for v in views],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
