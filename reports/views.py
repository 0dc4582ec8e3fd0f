"""The report's downloads, the managers' worry list and everyone's to-dos. Each view reads its
page through one function (``reports.reads``, ``reports.worries``, ``reports.todos``)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dashboards.params import as_of_year, current_plan, dashboard_view, plan_choice, year_options
from evaluations.permissions import is_committee_only
from indicators import spreadsheets
from indicators.downloads import attachment, spreadsheet_response
from kpi.wareki import year_label
from reports import reads, todos, worries
from reports.exports import worry_sheet
from reports.pdf import report_pdf
from reports.xlsx import report_xlsx

View = Callable[..., HttpResponse]
PDF = "application/pdf"


def internal_view(view: View) -> View:
    """Signed-in users only, whatever KPI_PUBLIC_DASHBOARDS says; 推進会議 members go to
    their committee's list, as on the dashboards."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if is_committee_only(request.user):
            return redirect("evaluations:index")
        return view(request, *args, **kwargs)

    return wrapped


def _report(request: HttpRequest, year: int) -> reads.Report:
    """The public (KPI_PUBLIC_DASHBOARDS, not signed in) gets the finalised report only."""
    plan = current_plan(request)
    if year not in year_options(plan):
        raise Http404("その年度の報告書はありません。")
    report = reads.annual_report(plan, year)
    if not request.user.is_authenticated and not report.finalised:
        raise Http404("報告書はまだ確定していません。")
    return report


def _name(report: reads.Report) -> str:
    return f"効果検証報告書_{year_label(report.year)}"


@dashboard_view
def report_pdf_view(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(request, year)
    return attachment(report_pdf(report), content_type=PDF, filename=f"{_name(report)}.pdf")


@dashboard_view
def report_xlsx_view(request: HttpRequest, year: int) -> HttpResponse:
    report = _report(request, year)
    content_type = spreadsheets.CONTENT_TYPES[spreadsheets.XLSX]
    return attachment(
        report_xlsx(report), content_type=content_type, filename=f"{_name(report)}.xlsx"
    )


@internal_view
def worry_list(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    as_of = as_of_year(request, plan)
    chosen = worries.WorryFilter.from_query(request.GET)
    rows = worries.worry_list(plan, as_of, chosen)
    fmt = request.GET.get("format")
    if fmt in spreadsheets.FILE_TYPES:
        name = f"要注意の指標_{year_label(as_of)}時点"
        return spreadsheet_response(worry_sheet(rows, as_of), fmt, name)
    departments, projects = worries.filter_options(plan)
    choice = plan_choice(request)
    context = {
        "plan": plan,
        "plan_options": choice.options,
        "plan_param": choice.param,
        "as_of": as_of,
        "year_options": year_options(plan),
        "rows": rows,
        "chosen": chosen,
        "departments": departments,
        "projects": projects,
        "sorts": worries.SORTS,
    }
    return render(request, "reports/worries.html", context)


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else todos.todo_year(plan)
    if year not in year_options(plan):
        year = todos.todo_year(plan)
    page = todos.todo_page(request.user, plan, year)
    context = {"plan": plan, "page": page, "title": todos.page_title(year)}
    return render(request, "reports/todo.html", context)
