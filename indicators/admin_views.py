"""The pages behind the 実績値 admin's extra URLs: the entry status (入力状況) and its CSV, one
review step on one actual (the change page's buttons), and the return dialog of the bulk action.
Each is built for a ModelAdmin (for its site's context and object lookup) and checks its
permission through ``indicators.permissions`` / ``indicators.services``."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

from indicators import permissions, services, spreadsheets
from indicators.admin_base import FIRST_ENTRY_YEAR
from indicators.downloads import attachment
from indicators.entry_status import (
    STATE_LABELS,
    STATES,
    DepartmentStatus,
    EntryRow,
    download_name,
    extra_sections,
    pending_sheet,
    pending_status,
)
from indicators.entry_status import entry_status as read_status
from indicators.models import Actual
from indicators.review import review_context
from kpi.wareki import fiscal_year_of, year_label, year_label_with_gregorian
from measures import versioning

View = Callable[..., HttpResponse]


def _year_param(text: str | None, *, default: int, last: int) -> int:
    if text and text.isdigit() and FIRST_ENTRY_YEAR <= int(text) <= last:
        return int(text)
    return default


def entry_status(model_admin: "admin.ModelAdmin[Actual]") -> View:
    def view(request: HttpRequest) -> HttpResponse:
        """Approvers and superusers: for a year, what each department still owes;
        ?format=csv (or xlsx) for the reminder mails."""
        if not permissions.can_view_entry_status(request.user):
            raise PermissionDenied
        this_year = fiscal_year_of(timezone.localdate())
        year = _year_param(request.GET.get("year"), default=this_year - 1, last=this_year)
        # Cached by the data version, read before the data (measures.versioning).
        version = versioning.current()
        file_type = request.GET.get("format")
        if file_type in spreadsheets.FILE_TYPES:
            content = versioning.cached(
                f"entry-status:{year}:{file_type}",
                lambda: spreadsheets.write(
                    pending_sheet(pending_status(year, emails=True), year), file_type
                ),
                version=version,
            )
            return attachment(
                content,
                content_type=spreadsheets.CONTENT_TYPES[file_type],
                filename=f"{download_name(year)}.{file_type}",
            )
        # Not read on a cache hit.
        departments = SimpleLazyObject(lambda: _with_rows_html(read_status(year)))
        years = range(this_year, FIRST_ENTRY_YEAR - 1, -1)
        context = {
            **model_admin.admin_site.each_context(request),
            "title": f"入力状況（{year_label(year)}）",
            "opts": model_admin.opts,
            "year": year,
            "years": [(y, year_label_with_gregorian(y)) for y in years],
            "state_labels": [STATE_LABELS[s] for s in STATES],
            "departments": departments,
            "sections": extra_sections(year),
            "cache_key": f"{version}:entry-status:{year}",
            "cache_timeout": settings.KPI_CACHE_TIMEOUT,
        }
        return render(request, "admin/indicators/actual/entry_status.html", context)

    return view


def _with_rows_html(
    departments: list[DepartmentStatus],
) -> list[tuple[DepartmentStatus, SafeString]]:
    """Each department with its pending rows as table rows, formatted here rather than by a
    template loop: a template costs ~1 ms a row (two URL reversals, a date filter, a dozen
    variable lookups) and a year that has just begun has every series pending."""
    indicator_url = _change_url("indicator")
    actual_url = _change_url("actual")

    def state(row: EntryRow) -> SafeString:
        if row.actual_id is None:
            return conditional_escape(row.state_label)
        return format_html('<a href="{}">{}</a>', actual_url(row.actual_id), row.state_label)

    def rows(department: DepartmentStatus) -> SafeString:
        return format_html_join(
            "\n",
            '<tr><td><a href="{}">{} {}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    indicator_url(row.indicator_id),
                    row.indicator_code,
                    row.indicator_name,
                    row.label or "—",
                    state(row),
                    row.review_comment,
                    f"{row.updated_at_text} {row.updated_by}" if row.actual_id else "",
                )
                for row in department.pending_rows
            ),
        )

    return [(department, rows(department)) for department in departments]


def _change_url(model: str) -> Callable[[int], str]:
    """An admin change page's URL by id, reversed once rather than once a row."""
    prefix, _, suffix = reverse(f"admin:indicators_{model}_change", args=[0]).rpartition("/0/")
    return lambda pk: f"{prefix}/{pk}/{suffix}"


def workflow(model_admin: "admin.ModelAdmin[Actual]") -> View:
    def view(request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        """POST only: one step of the workflow on one actual, then back to its page."""
        if step not in services.STEPS:
            raise Http404
        actual = model_admin.get_object(request, unquote(object_id))
        if actual is None:
            raise Http404
        service, done = services.STEPS[step]
        extra = {"comment": request.POST.get("comment", "")} if step == "return" else {}
        try:
            service(actual=actual, user=request.user, **extra)
        except ValidationError as error:
            model_admin.message_user(request, services.refusal(error), messages.ERROR)
        else:
            model_admin.message_user(request, f"「{actual.title}」を{done}。")
        site = model_admin.admin_site.name
        return HttpResponseRedirect(reverse(f"{site}:indicators_actual_change", args=[actual.pk]))

    return view


def return_dialog(
    model_admin: "admin.ModelAdmin[Actual]",
    request: HttpRequest,
    queryset: QuerySet[Actual],
    comment: str,
) -> HttpResponse:
    """The bulk return's page: the chosen actuals, each beside what it is judged against
    (``indicators.review``: one query for all), and the comment they go back with."""
    chosen = (
        Actual.objects.filter(pk__in=queryset.values("pk"))
        .select_related("series__indicator__department")
        .with_review_context()
        .order_by("series__indicator__code", "series__order", "year")
    )
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "title": "実績値の差戻し",
        "opts": model_admin.opts,
        "actuals": [(actual, review_context(actual)) for actual in chosen],
        "comment": comment,
        "comment_missing": "apply" in request.POST,
    }
    return render(request, "admin/indicators/actual/return_selected.html", context)
