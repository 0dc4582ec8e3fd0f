"""The evaluation pages (plain pages in the site's look, outside the admin): the year's list of
sheets with its Excel export, and a sheet's page, where whoever holds the sheet acts — the
department writes and submits, each review step ranks, comments, approves or returns, the
推進会議 members write their comments, the planning division sends to the committee, closes its
step, reopens and refreshes. Each POST goes to one service; a refused one answers 403, a sheet
the user may not read 404."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from evaluations import permissions, reads, services
from evaluations.exports import list_filename, list_workbook
from evaluations.forms import ExternalCommentForm, ReasonForm, ReviewForm, SheetTextForm
from evaluations.models import EvaluationSheet, ReviewStep, SheetState
from indicators.downloads import attachment
from indicators.models import Department
from kpi.wareki import fiscal_year_of
from measures.models import ActionPlan
from measures.requests import plan_choice

View = Callable[..., HttpResponse]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def evaluation_view(view: View) -> View:
    """A login, always (public mode opens the dashboards, never these pages)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _year(request: HttpRequest, plan: ActionPlan) -> int:
    """?year=…, held within the plan; by default last fiscal year, the one evaluated now."""
    text = request.GET.get("year", "")
    year = int(text) if text.isdigit() else fiscal_year_of(timezone.localdate()) - 1
    return min(max(year, plan.first_year), plan.last_year)


# --- the list ---------------------------------------------------------------------------------
@evaluation_view
def index(request: HttpRequest) -> HttpResponse:
    chosen_plan = plan_choice(request)
    plan = chosen_plan.plan
    year = _year(request, plan)
    chosen = reads.ListFilter.from_query(request.GET)
    rows = reads.evaluation_list(request.user, plan, year, chosen)
    if request.GET.get("_export") == "xlsx":
        return attachment(
            list_workbook(rows, year), content_type=XLSX, filename=list_filename(year)
        )
    committee_only = permissions.is_committee_only(request.user)
    context = {
        "plan": plan,
        "plan_options": chosen_plan.options,
        "plan_param": chosen_plan.param or "",
        "year": year,
        "years": list(range(plan.first_year, plan.last_year + 1)),
        "rows": rows,
        "chosen": chosen,
        "states": SheetState.choices,
        "steps": _step_choices(),
        "departments": [] if committee_only else _departments(rows),
        "committee_only": committee_only,
        "can_open": permissions.can_view_evaluation_admin(request.user),
    }
    return render(request, "evaluations/index.html", context)


def _step_choices() -> list[tuple[int, str]]:
    steps = ReviewStep.objects.filter(chain__is_default=True).order_by("order")
    return list(steps.values_list("order", "name"))


def _departments(rows: list[reads.ListRow]) -> list[Department]:
    found = {r.sheet.department for r in rows if r.sheet.department}
    return sorted(found, key=lambda d: d.code)


# --- a sheet ----------------------------------------------------------------------------------
def _place(sheet: EvaluationSheet) -> permissions.Place:
    return permissions.place_of(sheet, permissions.bureau_memberships())


Found = tuple[EvaluationSheet, permissions.Place]


def _sheet(request: HttpRequest, pk: int) -> Found:
    """The sheet and its place in the organisation, if the user may read it (else 404)."""
    sheet = reads.sheet_for_page(pk)
    place = _place(sheet) if sheet else None
    if sheet is None or place is None or not permissions.can_view_sheet(request.user, sheet, place):
        raise Http404("評価調書が見つかりません（存在しないか、閲覧する権限がありません）。")
    return sheet, place


def _render(request: HttpRequest, found: Found, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    sheet, place = found
    page = reads.sheet_page(sheet, user, place)
    mine = next((c for c in page.external if c.member_id == user.pk), None)
    may = {
        "edit": permissions.can_edit_text(user, sheet, place),
        "review": permissions.can_review(user, sheet, place),
        "comment": permissions.can_comment(user, sheet, place),
        "close": permissions.can_close_committee(user, sheet),
        "send": permissions.can_send_to_committee(user, sheet, page.committee),
        "reopen": permissions.can_reopen(user, sheet),
        "refresh": permissions.can_refresh_figures(user, sheet),
    }
    context = {
        "page": page,
        "sheet": sheet,
        "plan": sheet.plan,
        "may": may,
        "committee_only": permissions.is_committee_only(user),
        "text_form": forms.get("text_form") or SheetTextForm(instance=sheet),
        "review_form": forms.get("review_form")
        or ReviewForm(gives_rank=sheet.step.gives_rank, initial={"rank": _initial_rank(page)}),
        "comment_form": forms.get("comment_form")
        or ExternalCommentForm(initial={"text": mine.text if mine else ""}),
        "reopen_form": forms.get("reopen_form") or ReasonForm(prefix="reopen"),
        "refresh_form": forms.get("refresh_form") or ReasonForm(prefix="refresh"),
    }
    return render(request, "evaluations/sheet.html", context, status=status)


def _initial_rank(page: reads.SheetPage) -> str:
    """A reviewer starts from the rank of the step before (the author's, at 1次)."""
    entries = page.rounds[0].entries if page.rounds else []
    ranked = [e.rank for e in entries if e.rank]
    return ranked[-1] if ranked else page.sheet.rank_given


def _done(request: HttpRequest, sheet: EvaluationSheet, message: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(reverse("evaluations:sheet", args=[sheet.pk]))


def _refused(request: HttpRequest, pk: int, error: ValidationError, **forms: Any) -> HttpResponse:
    """The page again (as it is now), with why and the forms as sent."""
    messages.error(request, services.refusal(error))
    return _render(request, _sheet(request, pk), status=400, **forms)


@evaluation_view
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _sheet(request, pk))


@evaluation_view
@require_POST
def save_text(request: HttpRequest, pk: int) -> HttpResponse:
    """保存, or 保存して提出 (``_submit``): what is typed is saved even when the submission is
    refused for something missing."""
    sheet, place = _sheet(request, pk)
    if not permissions.can_edit_text(request.user, sheet, place):
        raise PermissionDenied
    form = SheetTextForm(request.POST, instance=sheet)
    if not form.is_valid():
        return _refused(
            request, pk, ValidationError("入力内容を確認してください。"), text_form=form
        )
    try:
        saved = services.sheet_save(sheet=sheet, user=request.user, text=form.cleaned_data)
        if "_submit" not in request.POST:
            return _done(request, saved, "保存しました。")
        submitted = services.sheet_submit(sheet=saved, user=request.user)
    except ValidationError as error:
        return _refused(request, pk, error, text_form=form)
    return _done(request, submitted, f"提出しました（{submitted.step.name}へ）。")


@evaluation_view
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """承認 (``_approve``) or 差戻し (``_return``) with this step's rank and comment."""
    sheet, place = _sheet(request, pk)
    if not permissions.can_review(request.user, sheet, place):
        raise PermissionDenied
    form = ReviewForm(request.POST, gives_rank=sheet.step.gives_rank)
    if not form.is_valid():
        return _refused(
            request, pk, ValidationError("入力内容を確認してください。"), review_form=form
        )
    rank, comment = form.cleaned_data.get("rank", ""), form.cleaned_data["comment"]
    step = sheet.step.name
    try:
        if "_return" in request.POST:
            done = services.sheet_return(sheet=sheet, user=request.user, comment=comment)
            return _done(request, done, f"{step}で差し戻しました。")
        done = services.sheet_approve(sheet=sheet, user=request.user, rank=rank, comment=comment)
    except ValidationError as error:
        return _refused(request, pk, error, review_form=form)
    if done.is_finalised:
        return _done(request, done, f"{step}を承認し、評価調書を確定しました。")
    return _done(request, done, f"{step}を承認しました（{done.step.name}へ）。")


@evaluation_view
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """外部評価 of a 推進会議 member."""
    sheet, place = _sheet(request, pk)
    if not permissions.can_comment(request.user, sheet, place):
        raise PermissionDenied
    form = ExternalCommentForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, pk, ValidationError("入力内容を確認してください。"), comment_form=form
        )
    try:
        services.sheet_comment(sheet=sheet, user=request.user, text=form.cleaned_data["text"])
    except ValidationError as error:
        return _refused(request, pk, error, comment_form=form)
    return _done(request, sheet, "外部評価を保存しました。")


@evaluation_view
@require_POST
def close_committee(request: HttpRequest, pk: int) -> HttpResponse:
    sheet, _ = _sheet(request, pk)
    try:
        done = services.sheet_close_committee(sheet=sheet, user=request.user)
    except ValidationError as error:
        return _refused(request, pk, error)
    if done.is_finalised:
        return _done(request, done, "外部評価を締め切り、評価調書を確定しました。")
    return _done(request, done, f"外部評価を締め切りました（{done.step.name}へ）。")


@evaluation_view
@require_POST
def committee(request: HttpRequest, pk: int) -> HttpResponse:
    """付議 (send=1) or its withdrawal (send=0)."""
    sheet, _ = _sheet(request, pk)
    send = request.POST.get("send") == "1"
    try:
        done = services.sheet_send_to_committee(sheet=sheet, user=request.user, send=send)
    except ValidationError as error:
        return _refused(request, pk, error)
    return _done(request, done, "推進会議に付議しました。" if send else "付議を取り消しました。")


def _with_reason(
    request: HttpRequest, pk: int, prefix: str, service: Callable[..., EvaluationSheet], done: str
) -> HttpResponse:
    sheet, _ = _sheet(request, pk)
    form = ReasonForm(request.POST, prefix=prefix)
    forms = {f"{prefix}_form": form}
    if not form.is_valid():
        return _refused(request, pk, ValidationError("理由を入力してください。"), **forms)
    try:
        result = service(sheet=sheet, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _refused(request, pk, error, **forms)
    return _done(request, result, done)


@evaluation_view
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_reason(request, pk, "reopen", services.sheet_reopen, "再開しました（所管課へ）。")


@evaluation_view
@require_POST
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_reason(
        request, pk, "refresh", services.sheet_refresh_figures, "確定した数値を更新しました。"
    )
