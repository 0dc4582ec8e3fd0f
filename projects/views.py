from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from indicators.dashboard import series_json
from indicators.progress import STATUS_LABELS, Status
from indicators.templatetags.kpi import view_query
from indicators.wareki import year_label
from isesaki.access import (
    as_of_year,
    current_plan,
    dashboard_view,
    include_provisional,
    year_options,
)
from projects.dashboard import LinkRow, overview, project_page
from projects.matrix import derive_matrix
from projects.models import Project, matrix_links
from projects.tables import EXPORT_FORMATS, ThemeTable, table_data

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _context(request: HttpRequest, plan, as_of: int, **extra: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "plan": plan,
        "as_of": as_of,
        "year_options": year_options(plan),
        "provisional": include_provisional(request),
        **extra,
    }


@dashboard_view
def index(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    as_of = as_of_year(request, plan)
    summaries = overview(plan, as_of, include_provisional=include_provisional(request))
    return render(
        request,
        "projects/index.html",
        _context(request, plan, as_of, summaries=summaries, statuses=list(Status)),
    )


def _project(request: HttpRequest, number: int):  # type: ignore[no-untyped-def]
    plan = current_plan(request)
    project = get_object_or_404(Project.objects.select_related("plan"), plan=plan, number=number)
    return plan, project, as_of_year(request, plan)


def _export(table: ThemeTable, fmt: str, project: Project, as_of: int) -> HttpResponse:
    exporter = TableExport(fmt, table)
    content = exporter.export()
    if fmt == "csv":
        content = "\ufeff" + content  # a BOM, so that Japanese Excel reads UTF-8
    name = f"重点プロジェクト{project.number}_{project.short_name}_{year_label(as_of)}時点.{fmt}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@dashboard_view
def detail(request: HttpRequest, number: int) -> HttpResponse:
    plan, project, as_of = _project(request, number)
    page = project_page(project, as_of, include_provisional=include_provisional(request))
    status = request.GET.get("status", "")
    if status and status not in Status.__members__.values():
        status = ""
    departments = sorted(
        {r.view.indicator.department for r in page.rows if r.view.indicator.department},
        key=lambda d: d.code,
    )
    department = request.GET.get("department", "")

    def shown(row: LinkRow) -> bool:
        if status and row.view.progress.status != status:
            return False
        return not department or str(row.view.indicator.department_id) == department

    fmt = request.GET.get("_export")
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            return HttpResponseBadRequest("出力形式は csv または xlsx を指定してください。")
        rows = [r for r in page.rows if shown(r)]
        return _export(ThemeTable(table_data(rows)), fmt, project, as_of)
    query = view_query(as_of, include_provisional(request))
    sections = []
    for section in page.sections:
        rows = [r for r in section.rows if shown(r)]
        table = ThemeTable(table_data(rows, query), prefix=f"t{section.theme.order}-")
        RequestConfig(request, paginate=False).configure(table)
        sections.append((section, table))
    return render(
        request,
        "projects/detail.html",
        _context(
            request,
            plan,
            as_of,
            project=project,
            page=page,
            sections=sections,
            status=status,
            status_choices=list(STATUS_LABELS.items()),
            departments=departments,
            department=department,
        ),
    )


@dashboard_view
def detail_json(request: HttpRequest, number: int) -> JsonResponse:
    plan, project, as_of = _project(request, number)
    page = project_page(project, as_of, include_provisional=include_provisional(request))

    def indicator_json(view):  # type: ignore[no-untyped-def]
        indicator = view.indicator
        return {
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            **series_json(view),
        }

    data = {
        "plan": plan.code,
        "as_of": as_of,
        "project": {"number": project.number, "name": project.name, "aim": project.aim},
        "project_indicators": [indicator_json(v) for v in page.headline],
        "themes": [
            {
                "name": section.theme.name,
                "rows": [
                    {"measure": row.measure_code, "place": row.place, **indicator_json(row.view)}
                    for row in section.rows
                ],
            }
            for section in page.sections
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@dashboard_view
def matrix(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    cells = derive_matrix(matrix_links(plan))
    projects = list(Project.objects.filter(plan=plan).order_by("number"))
    measures = plan.measures.select_related("policy").order_by("order")
    rows = [(m, [cells.get((m.code, p.number), "") for p in projects]) for m in measures]
    return render(
        request,
        "projects/matrix.html",
        {"plan": plan, "projects": projects, "rows": rows},
    )
