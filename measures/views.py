from collections import defaultdict

from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from indicators.dashboard import SeriesView
from indicators.models import SdgLocalIndicator
from indicators.progress import Status, status_counts
from isesaki.access import (
    as_of_year,
    current_plan,
    dashboard_view,
    include_provisional,
    year_options,
)
from measures.models import Initiative, Measure
from projects.dashboard import series_views
from projects.models import ThemeLink


def _unique(views: list[SeriesView]) -> list[SeriesView]:
    seen: dict[int, SeriesView] = {}
    for view in views:
        seen.setdefault(view.series.pk, view)
    return list(seen.values())


@dashboard_view
def index(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    as_of = as_of_year(request, plan)
    measures = list(plan.measures.select_related("policy").order_by("order"))
    links = ThemeLink.objects.filter(direction__measure__plan=plan).values_list(
        "direction__measure_id", "indicator_id"
    )
    provisional = include_provisional(request)
    shown = Q(indicator__theme_links__direction__measure__plan=plan)
    views = series_views(shown, plan, as_of, include_provisional=provisional)
    by_measure: dict[int, list[SeriesView]] = defaultdict(list)
    for measure_id, indicator_id in links:
        by_measure[measure_id].extend(views.get(indicator_id, []))
    groups: dict[object, list[tuple[Measure, dict[Status, int], int]]] = defaultdict(list)
    for measure in measures:
        measured = [v for v in _unique(by_measure[measure.pk]) if v.has_target]
        counts = status_counts(v.progress for v in measured)
        groups[measure.policy].append((measure, counts, len(measured)))
    context = {
        "plan": plan,
        "as_of": as_of,
        "year_options": year_options(plan),
        "provisional": provisional,
        "groups": list(groups.items()),
        "statuses": list(Status),
    }
    return render(request, "measures/index.html", context)


@dashboard_view
def detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = current_plan(request)
    as_of = as_of_year(request, plan)
    measure = get_object_or_404(Measure.objects.select_related("policy"), plan=plan, code=code)
    directions = measure.directions.prefetch_related(
        Prefetch("initiatives", queryset=Initiative.objects.order_by("id"))
    ).order_by("number")
    links = list(
        ThemeLink.objects.filter(direction__measure=measure)
        .select_related("theme__project", "direction", "initiative", "indicator")
        .order_by("direction__number", "theme__project__number", "order")
    )
    sdgs = list(measure.sdg_indicators.select_related("indicator").order_by("order"))
    satisfaction = list(measure.satisfaction_indicators.all())
    shown = (
        Q(indicator__theme_links__direction__measure=measure)
        | Q(indicator__sdg_entries__measure=measure)
        | Q(indicator__survey_measure=measure)
    )
    provisional = include_provisional(request)
    views = series_views(shown, plan, as_of, include_provisional=provisional)
    context = {
        "plan": plan,
        "as_of": as_of,
        "year_options": year_options(plan),
        "provisional": provisional,
        "measure": measure,
        "directions": directions,
        "link_rows": [(link, views.get(link.indicator_id, [])) for link in links],
        "sdg_rows": [(entry, views.get(entry.indicator_id, [])) for entry in sdgs],
        "satisfaction_rows": [(i, views.get(i.pk, [])) for i in satisfaction],
    }
    return render(request, "measures/detail.html", context)


@dashboard_view
def sdgs(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    as_of = as_of_year(request, plan)
    entries = (
        SdgLocalIndicator.objects.filter(measure__plan=plan)
        .select_related("measure__policy", "indicator")
        .order_by("measure__order", "order")
    )
    provisional = include_provisional(request)
    shown = Q(indicator__sdg_entries__measure__plan=plan)
    views = series_views(shown, plan, as_of, include_provisional=provisional)
    groups: dict[object, list[tuple[SdgLocalIndicator, list[SeriesView]]]] = defaultdict(list)
    for entry in entries:
        groups[entry.measure].append((entry, views.get(entry.indicator_id, [])))
    context = {
        "plan": plan,
        "as_of": as_of,
        "year_options": year_options(plan),
        "provisional": provisional,
        "groups": list(groups.items()),
    }
    return render(request, "measures/sdgs.html", context)
