"""The dashboard pages (managers' read side). Each view reads its page through one function of
``dashboards.reads`` and renders it; the request parameters come from ``dashboards.params``."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django_tables2 import RequestConfig

from dashboards import exports, reads
from dashboards.cache import cached_data, lazy, page_cache
from dashboards.filters import RowFilter, departments_of
from dashboards.params import (
    as_of_year,
    current_plan,
    dashboard_view,
    include_provisional,
    plan_choice,
    year_options,
)
from dashboards.series import SeriesView, series_chart, series_json, year_rows
from dashboards.tables import ThemeTable, table_data
from dashboards.templatetags.kpi import view_query
from evaluations.models import EvaluationSheet
from indicators import spreadsheets
from indicators.audit import audit_entries
from indicators.downloads import spreadsheet_response
from indicators.models import Indicator
from indicators.permissions import can_view_audit, can_view_provisional
from kpi.progress import STATUS_LABELS, Status
from kpi.rank_scheme import Scheme
from measures.models import ActionPlan, Measure, scheme_of_plan
from projects.models import Project


def _plans(request: HttpRequest, **extra: object) -> dict[str, object]:
    """The plan selector's context (shown where more than one plan exists)."""
    choice = plan_choice(request)
    return {
        "plan": choice.plan,
        "plan_options": choice.options,
        "plan_param": choice.param,
        **extra,
    }


def _modes(request: HttpRequest) -> tuple[bool, bool]:
    """Provisional values counted; the 暫定 checkbox offered (what a page's key varies by)."""
    return include_provisional(request), can_view_provisional(request.user)


def _context(
    request: HttpRequest, plan: ActionPlan, as_of: int, **extra: object
) -> dict[str, object]:
    provisional, may_include_provisional = _modes(request)
    return {
        **_plans(request),
        "as_of": as_of,
        "year_options": year_options(plan),
        "provisional": provisional,
        "may_include_provisional": may_include_provisional,
        **extra,
    }


def _json(data: dict[str, object]) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


# --- projects ---------------------------------------------------------------------------------
@dashboard_view
def overview(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    as_of = as_of_year(request, plan)
    provisional = include_provisional(request)
    context = _context(
        request,
        plan,
        as_of,
        overview=lazy(
            lambda: reads.overview_page(
                plan, as_of, request.GET.get("page"), include_provisional=provisional
            )
        ),
        statuses=list(Status),
        **page_cache(request, "overview", plan, as_of, *_modes(request)),
    )
    return render(request, "dashboards/overview.html", context)


def _project(request: HttpRequest, number: int) -> tuple[ActionPlan, Project, int]:
    plan = current_plan(request)
    project = get_object_or_404(Project.objects.select_related("plan"), plan=plan, number=number)
    return plan, project, as_of_year(request, plan)


def _project_page(
    request: HttpRequest, plan: ActionPlan, project: Project, as_of: int
) -> reads.ProjectPage:
    """The page's data, shared by its HTML, JSON and exports (filters and sort apply after)."""
    provisional = include_provisional(request)
    return cached_data(
        request,
        f"project-{project.pk}",
        plan,
        lambda: reads.project_page(project, as_of, include_provisional=provisional),
        as_of,
        provisional,
    )


@dashboard_view
def project(request: HttpRequest, number: int) -> HttpResponse:
    plan, project, as_of = _project(request, number)
    page = lazy(lambda: _project_page(request, plan, project, as_of))  # not read on a hit
    row_filter = RowFilter.from_query(request.GET)
    fmt = request.GET.get("_export")
    if fmt is not None:
        if fmt not in spreadsheets.FILE_TYPES:
            return HttpResponseBadRequest("出力形式は csv または xlsx を指定してください。")
        sheet = exports.project_sheet(page, row_filter, as_of)
        return spreadsheet_response(sheet, fmt, exports.download_name(page, as_of))
    query = view_query(as_of, include_provisional(request), plan_choice(request).param)

    def sections() -> list[tuple[reads.ThemeSection, ThemeTable]]:
        tables = []
        for section in page.sections:
            rows = table_data(row_filter.apply(section.rows), query)
            table = ThemeTable(rows, prefix=f"t{section.theme.order}-")
            RequestConfig(request, paginate=False).configure(table)  # the sort of ?tN-sort=
            tables.append((section, table))
        return tables

    context = _context(
        request,
        plan,
        as_of,
        project=project,
        page=page,
        sections=lazy(sections),  # the tables are rendered only on a cache miss
        status=row_filter.status,
        status_choices=list(STATUS_LABELS.items()),
        departments=lazy(lambda: departments_of(page.rows)),
        department=row_filter.department,
        plan_action=reverse("projects:index"),  # another plan's project N is another project
        **page_cache(request, f"project-{project.pk}", plan, as_of, *_modes(request)),
    )
    return render(request, "dashboards/project.html", context)


def _indicator_json(view: SeriesView, scheme: Scheme) -> dict[str, object]:
    indicator = view.indicator
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        **series_json(view, scheme),
    }


def evaluation_json(sheet: EvaluationSheet | None) -> dict[str, object] | None:
    """The as-of year's finalised evaluation (確定した評価調書), or null."""
    if sheet is None:
        return None
    return {
        "year": sheet.year,
        "rank": sheet.final_rank,
        "rank_label": sheet.final_rank_label,
        "suggested_rank": sheet.suggested_rank or None,
        "rank_scheme": sheet.rank_scheme,
        "rank_scheme_version": sheet.rank_scheme_version,
        "outlook": sheet.get_outlook_display(),
        "outlook_text": sheet.outlook_text,
        "achievements": sheet.achievements,
        "analysis": sheet.analysis,
        "challenges": sheet.challenges,
        "finalised_at": sheet.finalised_at.isoformat() if sheet.finalised_at else None,
    }


@dashboard_view
def project_json(request: HttpRequest, number: int) -> JsonResponse:
    plan, project, as_of = _project(request, number)
    page = _project_page(request, plan, project, as_of)
    scheme = scheme_of_plan(plan)
    return _json(
        {
            "plan": plan.code,
            "as_of": as_of,
            "project": {"number": project.number, "name": project.name, "aim": project.aim},
            "evaluation": evaluation_json(page.evaluation),
            "project_indicators": [_indicator_json(v, scheme) for v in page.headline],
            "themes": [
                {
                    "name": section.theme.name,
                    "rows": [
                        {
                            "measure": row.measure_code,
                            "place": row.place,
                            **_indicator_json(row.view, scheme),
                        }
                        for row in section.rows
                    ],
                }
                for section in page.sections
            ],
        }
    )


@dashboard_view
def matrix(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    page = lazy(lambda: reads.matrix_page(plan))
    context = _plans(
        request,
        projects=lazy(lambda: page.projects),
        rows=lazy(lambda: page.rows),
        **page_cache(request, "matrix", plan),
    )
    return render(request, "dashboards/matrix.html", context)


# --- measures ---------------------------------------------------------------------------------
@dashboard_view
def measures(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    as_of = as_of_year(request, plan)
    provisional = include_provisional(request)
    context = _context(
        request,
        plan,
        as_of,
        groups=lazy(lambda: reads.measure_index(plan, as_of, include_provisional=provisional)),
        statuses=list(Status),
        **page_cache(request, "measures", plan, as_of, *_modes(request)),
    )
    return render(request, "dashboards/measures.html", context)


@dashboard_view
def measure(request: HttpRequest, code: str) -> HttpResponse:
    plan = current_plan(request)
    as_of = as_of_year(request, plan)
    measure = get_object_or_404(Measure.objects.select_related("policy"), plan=plan, code=code)
    provisional = include_provisional(request)
    page = lazy(lambda: reads.measure_page(measure, plan, as_of, include_provisional=provisional))
    context = _context(
        request,
        plan,
        as_of,
        measure=measure,
        directions=lazy(lambda: page.directions),
        link_rows=lazy(lambda: page.link_rows),
        sdg_rows=lazy(lambda: page.sdg_rows),
        satisfaction_rows=lazy(lambda: page.satisfaction_rows),
        evaluation=lazy(lambda: page.evaluation),
        plan_action=reverse("measures:index"),
        **page_cache(request, f"measure-{measure.pk}", plan, as_of, *_modes(request)),
    )
    return render(request, "dashboards/measure.html", context)


@dashboard_view
def sdgs(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    as_of = as_of_year(request, plan)
    provisional = include_provisional(request)
    groups = lazy(lambda: reads.sdgs_page(plan, as_of, include_provisional=provisional))
    context = _context(
        request,
        plan,
        as_of,
        groups=groups,
        **page_cache(request, "sdgs", plan, as_of, *_modes(request)),
    )
    return render(request, "dashboards/sdgs.html", context)


# --- indicators -------------------------------------------------------------------------------
def _indicator(request: HttpRequest, code: str) -> tuple[ActionPlan, Indicator, int]:
    plan = current_plan(request)
    indicator = get_object_or_404(Indicator.objects.select_related("survey_measure"), code=code)
    return plan, indicator, as_of_year(request, plan)


@dashboard_view
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    plan, indicator, as_of = _indicator(request, code)
    provisional = include_provisional(request)
    page = lazy(
        lambda: reads.indicator_page(indicator, plan, as_of, include_provisional=provisional)
    )
    audit = can_view_audit(request.user)
    context = _context(
        request,
        plan,
        as_of,
        indicator=indicator,
        series=lazy(lambda: [(v, series_chart(v), year_rows(v)) for v in page.views]),
        links=lazy(lambda: page.links),
        headline_of=lazy(lambda: page.headline_of),
        sdg_entries=lazy(lambda: page.sdg_entries),
        # 変更履歴 for approvers (承認者) and superusers; None hides the section.
        audit_entries=lazy(lambda: audit_entries(indicator)) if audit else None,
        **page_cache(request, f"indicator-{indicator.pk}", plan, as_of, *_modes(request), audit),
    )
    return render(request, "dashboards/indicator.html", context)


@dashboard_view
def indicator_json(request: HttpRequest, code: str) -> JsonResponse:
    plan, indicator, as_of = _indicator(request, code)
    provisional = include_provisional(request)
    views = cached_data(
        request,
        f"indicator-json-{indicator.pk}",
        plan,
        lambda: reads.indicator_series(indicator, plan, as_of, include_provisional=provisional),
        as_of,
        provisional,
    )
    scheme = scheme_of_plan(plan)
    return _json(
        {
            "plan": plan.code,
            "as_of": as_of,
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "period_kind": indicator.period_kind,
            "cumulative": indicator.cumulative,
            "definition": indicator.definition,
            "source": indicator.source,
            "series": [series_json(v, scheme) for v in views],
        }
    )
