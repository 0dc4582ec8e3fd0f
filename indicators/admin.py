"""The admin is the data-entry UI (入力・承認). Who sees and changes what is decided by
``indicators.permissions`` through get_queryset and the has_*_permission hooks; the review
workflow runs through ``indicators.services``."""

from collections.abc import Sequence
from typing import Any

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, ForeignKey, Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from indicators import permissions, services
from indicators.admin_imports import ActualImportAdminMixin
from indicators.audit import audit_entries
from indicators.entry_status import STATE_LABELS, STATES, csv_filename, entry_status, pending_csv
from indicators.forms import actual_form_for
from indicators.models import (
    Actual,
    Department,
    ImportRecord,
    Indicator,
    SdgLocalIndicator,
    Series,
    Target,
)
from indicators.validation import current_year
from indicators.wareki import fiscal_year_of, year_label, year_label_with_gregorian

FIRST_ENTRY_YEAR = 2015
RECENT_CHANGES = 20  # entries of the short 変更履歴 list on the indicator page


def year_choices(period: str, future_years: int = 1) -> list[tuple[int, str]]:
    last = current_year(period, timezone.localdate()) + future_years
    return [(y, year_label_with_gregorian(y, period)) for y in range(FIRST_ENTRY_YEAR, last + 1)]


class PeriodAwareYearMixin:
    """Year fields as a select of 令和N年度（YYYY）, 年 or 年度 by the indicator being edited."""

    year_fields: tuple[str, ...] = ()
    future_years = 1  # years after the current one offered (targets lie years ahead)

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name in self.year_fields:
            period = getattr(request, "kpi_period_kind", "fiscal")
            return forms.TypedChoiceField(
                label=db_field.verbose_name,
                choices=[("", "---------"), *year_choices(period, self.future_years)],
                coerce=int,
                required=not db_field.null,
                empty_value=None,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


def _indicator_of(obj: Model | None) -> Indicator | None:
    """Inline hooks get the indicator (top level) or the series (nested) as ``obj``."""
    if isinstance(obj, Series):
        return obj.indicator if obj.indicator_id else None
    return obj if isinstance(obj, Indicator) else None


class PlanStructureInlineMixin:
    """Series and targets are the plan's structure: superusers change them, others only read
    them (and only on the indicators they may see)."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.can_change_plan_structure(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.can_change_plan_structure(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.can_change_plan_structure(request.user)


class TargetInline(
    PlanStructureInlineMixin, PeriodAwareYearMixin, nested_admin.NestedTabularInline
):
    model = Target
    extra = 0
    year_fields = ("baseline_year", "target_year")
    future_years = 15
    fields = (
        "plan",
        "baseline_value",
        "baseline_label",
        "baseline_year",
        "target_value",
        "target_label",
        "target_year",
        "target_kind",
    )


class ActualInlineFormSet(nested_admin.NestedInlineFormSet):
    """A locked (approved, or submitted for staff) actual cannot be deleted either."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if getattr(form, "locked", False) and "DELETE" in form.fields:
            form.fields["DELETE"].disabled = True


class ActualInline(PeriodAwareYearMixin, nested_admin.NestedTabularInline):
    """Yearly actuals under each series of the indicator page: where departments enter them."""

    model = Actual
    formset = ActualInlineFormSet
    extra = 1
    year_fields = ("year",)
    future_years = 0  # validation refuses future years anyway
    fields = (
        "year",
        "value",
        "note",
        "confirm_jump",
        "status",
        "review_comment",
        "updated_by",
        "updated_at",
    )
    readonly_fields = ("status", "review_comment", "updated_by", "updated_at")
    ordering = ("year",)

    def get_formset(
        self, request: HttpRequest, obj: Model | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        kwargs["form"] = actual_form_for(request.user)
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.can_enter_actuals(request.user, _indicator_of(obj))

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Per actual, ActualForm locks what this user may no longer change.
        return request.user.has_perm("indicators.change_actual") and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.has_perm("indicators.delete_actual") and self._in_scope(request, obj)

    def _in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        indicator = _indicator_of(obj)
        return indicator is None or permissions.in_scope(request.user, indicator.department_id)


class SeriesInline(PlanStructureInlineMixin, nested_admin.NestedStackedInline):
    model = Series
    extra = 0
    fields = (("label", "order"),)
    inlines = (TargetInline, ActualInline)


class ScopedAdminMixin:
    """An object outside the user's ``get_queryset`` answers 404 on every page (change, delete,
    history) instead of the admin's redirect to its index."""

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Model:
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404("見つかりません（存在しないか、閲覧する権限がありません）。")
        return obj


class ScopedHistoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Scoped, with django-simple-history's history pages, read-only (no revert: it would
    bypass validation and review)."""

    def response_action(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        """An action the user may not run answers 403 (the admin would just say "no action")."""
        allowed = self.get_actions(request)
        if any(name and name not in allowed for name in request.POST.getlist("action")):
            raise PermissionDenied
        return super().response_action(request, queryset)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied("履歴から元に戻すことはできません。")
        self.get_object(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)


class DepartmentActionForm(admin.helpers.ActionForm):
    department = forms.ModelChoiceField(
        Department.objects.all(), required=False, label="所管課", empty_label="（未設定にする）"
    )


# The indicator's fields an approver (planning division) may change; superusers change all.
APPROVER_INDICATOR_FIELDS = ("department", "allow_negative")


@admin.register(Indicator)
class IndicatorAdmin(ScopedHistoryAdmin, nested_admin.NestedModelAdmin):
    list_display = ("code", "name", "unit", "department", "period_kind", "cumulative", "source")
    list_display_links = ("code", "name")
    list_filter = (
        ("department", admin.RelatedOnlyFieldListFilter),
        "period_kind",
        "cumulative",
        "series__targets__target_kind",
        "projects",
    )
    list_select_related = ("department",)
    search_fields = ("code", "name", "definition")
    autocomplete_fields = ("survey_measure",)
    inlines = (SeriesInline,)
    fieldsets = (
        (None, {"fields": (("code", "name"), ("unit", "decimals"), ("period_kind", "cumulative"))}),
        ("所管・入力", {"fields": ("department", "allow_negative")}),
        ("解説・出典", {"fields": ("definition", "source", "survey_measure")}),
    )
    action_form = DepartmentActionForm
    actions = ("assign_department",)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Indicator:
        obj = super().get_object(request, object_id, from_field)
        request.kpi_period_kind = obj.period_kind  # type: ignore[attr-defined]
        return obj

    def get_queryset(self, request: HttpRequest) -> QuerySet[Indicator]:
        visible = permissions.visible_indicators(request.user)
        return super().get_queryset(request).filter(pk__in=visible.values("pk")).distinct()

    def has_view_permission(self, request: HttpRequest, obj: Indicator | None = None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view_indicator(request.user, obj))

    def has_change_permission(self, request: HttpRequest, obj: Indicator | None = None) -> bool:
        """Staff "change" their indicators' pages to enter actuals in the inline; every field of
        the indicator itself stays read-only for them (get_readonly_fields)."""
        user = request.user
        may_enter = user.has_perm("indicators.change_actual") or user.has_perm(
            "indicators.add_actual"
        )
        allowed = super().has_change_permission(request, obj) or may_enter
        return allowed and (obj is None or permissions.can_view_indicator(user, obj))

    def has_assign_department_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("indicators.change_indicator")

    def get_readonly_fields(
        self, request: HttpRequest, obj: Indicator | None = None
    ) -> Sequence[str]:
        if permissions.can_change_plan_structure(request.user):
            return ()
        fields = [f for line in self.fieldsets for f in _flatten(line[1]["fields"])]
        if request.user.has_perm("indicators.change_indicator"):
            return [f for f in fields if f not in APPROVER_INDICATOR_FIELDS]
        return fields

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        indicator = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "audit_entries": audit_entries(indicator, limit=RECENT_CHANGES),
            "audit_history_url": reverse(
                f"{self.admin_site.name}:indicators_indicator_history", args=[indicator.pk]
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(
        self, request: HttpRequest, obj: Indicator, form: forms.ModelForm, change: bool
    ) -> None:
        # Staff save the page to save actuals: no empty history row for the indicator itself.
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="選択した指標の所管課を設定", permissions=["assign_department"])
    def assign_department(self, request: HttpRequest, queryset: QuerySet[Indicator]) -> None:
        department = request.POST.get("department", "")
        chosen = Department.objects.filter(pk=department).first() if department.isdigit() else None
        if department and chosen is None:
            self.message_user(request, "所管課が見つかりません。", messages.ERROR)
            return
        for indicator in queryset:
            indicator.department = chosen
            indicator._history_user = request.user  # type: ignore[attr-defined]
            indicator.save(update_fields=["department"])
        name = chosen.name if chosen else "未設定"
        self.message_user(request, f"{len(queryset)}件の指標の所管課を「{name}」にしました。")

    def save_formset(self, request, form, formset, change):  # type: ignore[no-untyped-def]
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Actual):
                instance.updated_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


def _flatten(fields: tuple[Any, ...]) -> list[str]:
    return [f for item in fields for f in (item if isinstance(item, tuple | list) else (item,))]


WORKFLOW_STEPS = {
    "submit": (services.actual_submit, "提出しました"),
    "approve": (services.actual_approve, "承認しました"),
    "return": (services.actual_return, "差し戻しました"),
    "reopen": (services.actual_reopen, "承認を取り消し、下書きに戻しました"),
}


def _reason(error: PermissionDenied | ValidationError) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@admin.register(Actual)
class ActualAdmin(ActualImportAdminMixin, ScopedHistoryAdmin):
    list_display = (
        "indicator_code",
        "series",
        "department",
        "year_label",
        "value",
        "status",
        "updated_by",
        "updated_at",
    )
    list_filter = (
        "status",
        ("series__indicator__department", admin.RelatedOnlyFieldListFilter),
        "year",
        "series__indicator__period_kind",
    )
    search_fields = ("series__indicator__code", "series__indicator__name", "series__label")
    list_select_related = ("series__indicator__department", "updated_by")
    autocomplete_fields = ("series",)
    readonly_fields = (
        "status",
        "review_comment",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "updated_by",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("series", "year", "value", "note", "confirm_jump")}),
        (
            "審査",
            {
                "fields": (
                    "status",
                    "review_comment",
                    ("submitted_by", "submitted_at"),
                    ("approved_by", "approved_at"),
                    ("updated_by", "updated_at"),
                )
            },
        ),
    )
    actions = ("submit_selected", "approve_selected", "return_selected", "reopen_selected")

    @admin.display(description="指標コード", ordering="series__indicator__code")
    def indicator_code(self, obj: Actual) -> str:
        return obj.series.indicator.code

    @admin.display(description="所管課", ordering="series__indicator__department__code")
    def department(self, obj: Actual) -> str:
        return str(obj.series.indicator.department or "")

    @admin.display(description="年（度）", ordering="year")
    def year_label(self, obj: Actual) -> str:
        return year_label_with_gregorian(obj.year, obj.series.indicator.period_kind)

    # --- who sees and changes what ------------------------------------------------------------
    def get_queryset(self, request: HttpRequest) -> QuerySet[Actual]:
        visible = permissions.visible_indicators(request.user)
        return (
            super()
            .get_queryset(request)
            .filter(series__indicator__in=visible.values("pk"))
            .select_related("series__indicator")
        )

    def has_view_permission(self, request: HttpRequest, obj: Actual | None = None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view_actual(request.user, obj))

    def has_change_permission(self, request: HttpRequest, obj: Actual | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit_actual(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Actual | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_delete_actual(request.user, obj))

    def has_submit_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("indicators.submit_actual")

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return permissions.is_approver(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Actual | None = None) -> Sequence[str]:
        return (*self.readonly_fields, "series") if obj else self.readonly_fields

    def get_fieldsets(
        self, request: HttpRequest, obj: Actual | None = None
    ) -> Sequence[tuple[str | None, dict[str, Any]]]:
        if obj is None or self.has_change_permission(request, obj):
            return self.fieldsets
        entry = tuple(f for f in self.fieldsets[0][1]["fields"] if f != "confirm_jump")
        return ((None, {"fields": entry}), *self.fieldsets[1:])

    def get_form(
        self, request: HttpRequest, obj: Actual | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        kwargs["form"] = actual_form_for(request.user)
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "series":
            editable = permissions.editable_indicators(request.user)
            kwargs["queryset"] = Series.objects.filter(indicator__in=editable.values("pk"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: Actual, form: forms.ModelForm, change: bool
    ) -> None:
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    # --- review workflow: bulk actions, and buttons on the change page ------------------------
    def _run(
        self, request: HttpRequest, queryset: QuerySet[Actual], step: str, **extra: str
    ) -> None:
        service, done = WORKFLOW_STEPS[step]
        succeeded, failed = 0, []
        for actual in queryset.select_related("series__indicator"):
            try:
                service(actual=actual, user=request.user, **extra)
            except (PermissionDenied, ValidationError) as error:
                failed.append(f"{actual.series} {actual.year}: {_reason(error)}")
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, f"{succeeded}件の実績値を{done}。", messages.SUCCESS)
        if failed:
            listed = " / ".join(failed[:10]) + (" ほか" if len(failed) > 10 else "")
            self.message_user(
                request, f"{len(failed)}件は処理できませんでした：{listed}", messages.WARNING
            )

    @admin.action(description="選択した実績値を提出", permissions=["submit"])
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Actual]) -> None:
        self._run(request, queryset, "submit")

    @admin.action(description="選択した実績値を承認", permissions=["approve"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Actual]) -> None:
        self._run(request, queryset, "approve")

    @admin.action(description="選択した実績値を差し戻す（コメント入力）", permissions=["approve"])
    def return_selected(
        self, request: HttpRequest, queryset: QuerySet[Actual]
    ) -> HttpResponse | None:
        comment = request.POST.get("comment", "").strip()
        if "apply" in request.POST and comment:
            self._run(request, queryset, "return", comment=comment)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "実績値の差戻し",
            "opts": self.opts,
            "actuals": queryset.select_related("series__indicator"),
            "comment": comment,
            "comment_missing": "apply" in request.POST,
        }
        return render(request, "admin/indicators/actual/return_selected.html", context)

    @admin.action(description="選択した実績値の承認を取り消す（再開）", permissions=["approve"])
    def reopen_selected(self, request: HttpRequest, queryset: QuerySet[Actual]) -> None:
        self._run(request, queryset, "reopen")

    def get_urls(self) -> list[URLPattern]:
        wrap, name = self.admin_site.admin_view, "indicators_actual"
        return [
            path("entry-status/", wrap(self.entry_status_view), name=f"{name}_entry_status"),
            path(
                "<path:object_id>/workflow/<slug:step>/",
                wrap(require_POST(self.workflow_view)),
                name=f"{name}_workflow",
            ),
            *super().get_urls(),
        ]

    def workflow_view(self, request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        """POST only: one step of the workflow on one actual, then back to its page."""
        if step not in WORKFLOW_STEPS:
            raise Http404
        actual = self.get_object(request, unquote(object_id))
        service, done = WORKFLOW_STEPS[step]
        extra = {"comment": request.POST.get("comment", "")} if step == "return" else {}
        try:
            service(actual=actual, user=request.user, **extra)
        except ValidationError as error:
            self.message_user(request, _reason(error), messages.ERROR)
        else:
            self.message_user(request, f"「{actual.series} {actual.year}」を{done}。")
        url = reverse(f"{self.admin_site.name}:indicators_actual_change", args=[actual.pk])
        return HttpResponseRedirect(url)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        actual = self.get_object(request, unquote(object_id))
        steps = services.available_actions(request.user, actual)
        context = {**(extra_context or {}), "workflow_steps": steps}
        return super().change_view(request, object_id, form_url, context)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {
            **(extra_context or {}),
            "can_view_entry_status": permissions.can_view_entry_status(request.user),
        }
        return super().changelist_view(request, context)

    # --- entry status (入力状況) -----------------------------------------------------------
    def entry_status_view(self, request: HttpRequest) -> HttpResponse:
        """Approvers and superusers: for a year, what each department still owes; ?format=csv
        for the reminder mails."""
        if not permissions.can_view_entry_status(request.user):
            raise PermissionDenied
        this_year = fiscal_year_of(timezone.localdate())
        year = _year_param(request.GET.get("year"), default=this_year - 1, last=this_year)
        departments = entry_status(year)
        if request.GET.get("format") == "csv":
            response = HttpResponse(
                pending_csv(departments, year), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=True, filename=csv_filename(year)
            )
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": f"入力状況（{year_label(year)}）",
            "opts": self.opts,
            "year": year,
            "years": [(y, year_label_with_gregorian(y)) for y in range(this_year, 2014, -1)],
            "state_labels": [STATE_LABELS[s] for s in STATES],
            "departments": departments,
        }
        return render(request, "admin/indicators/actual/entry_status.html", context)


def _year_param(text: str | None, *, default: int, last: int) -> int:
    if text and text.isdigit() and FIRST_ENTRY_YEAR <= int(text) <= last:
        return int(text)
    return default


class ScopedToIndicatorsMixin(ScopedAdminMixin):
    """Lists and pages of the plan's structure show only the indicators the user may see; they
    are listed on the admin index for those who see every department (staff reach them through
    their indicators' pages and the series autocomplete)."""

    indicator_path = "indicator"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        visible = permissions.visible_indicators(request.user)
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return queryset.filter(**{f"{self.indicator_path}__in": visible.values("pk")})

    def has_module_permission(self, request: HttpRequest) -> bool:
        allowed = super().has_module_permission(request)  # type: ignore[misc]
        return allowed and permissions.sees_every_department(request.user)


@admin.register(Series)
class SeriesAdmin(ScopedToIndicatorsMixin, admin.ModelAdmin):
    list_display = ("__str__", "label", "order")
    search_fields = ("indicator__code", "indicator__name", "label")
    list_select_related = ("indicator",)


@admin.register(Target)
class TargetAdmin(ScopedToIndicatorsMixin, ScopedHistoryAdmin):
    indicator_path = "series__indicator"
    list_display = (
        "series",
        "plan",
        "baseline_value",
        "baseline_year_label",
        "target_value",
        "target_year_label",
        "target_kind",
    )
    list_filter = ("plan", "target_kind")
    search_fields = ("series__indicator__code", "series__indicator__name")
    list_select_related = ("series__indicator", "plan")
    autocomplete_fields = ("series",)

    @admin.display(description="現状値の年（度）", ordering="baseline_year")
    def baseline_year_label(self, obj: Target) -> str:
        return year_label_with_gregorian(obj.baseline_year, obj.series.indicator.period_kind)

    @admin.display(description="目標値の年（度）", ordering="target_year")
    def target_year_label(self, obj: Target) -> str:
        return year_label_with_gregorian(obj.target_year, obj.series.indicator.period_kind)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    """所管課 and their members: kept by the planning division."""

    list_display = ("code", "name", "member_count", "indicator_count")
    search_fields = ("code", "name")
    filter_horizontal = ("members",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Department]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_members=Count("members", distinct=True),
                n_indicators=Count("indicators", distinct=True),
            )
        )

    @admin.display(description="職員数", ordering="n_members")
    def member_count(self, obj: Department) -> int:
        return obj.n_members  # type: ignore[attr-defined]

    @admin.display(description="指標数", ordering="n_indicators")
    def indicator_count(self, obj: Department) -> int:
        return obj.n_indicators  # type: ignore[attr-defined]


@admin.register(SdgLocalIndicator)
class SdgLocalIndicatorAdmin(admin.ModelAdmin):
    list_display = ("measure", "indicator", "order")
    list_filter = ("measure__policy",)
    search_fields = ("indicator__name", "measure__code", "measure__name")
    list_select_related = ("measure", "indicator")
    autocomplete_fields = ("measure", "indicator")


@admin.register(ImportRecord)
class ImportRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """取込記録, read-only: approvers see every import, staff their own
    (``permissions.import_records``). Imports are made on the 実績値 list's 取込 page; like the
    plan's structure, the list is on the admin index for those who see every department, and
    staff reach theirs from the import page."""

    list_display = (
        "created_at",
        "file_name",
        "format",
        "user",
        "applied",
        "rows_new",
        "rows_changed",
        "rows_unchanged",
        "rows_errors",
        "rows_warnings",
    )
    list_filter = ("applied", "format", "file_type", "via_command")
    search_fields = ("file_name", "checksum", "user__username")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    fields = (
        ("created_at", "user", "via_command"),
        ("file_name", "file_type", "file_size"),
        ("format", "encoding"),
        "checksum",
        "applied",
        ("rows_new", "rows_changed", "rows_unchanged", "rows_blank"),
        ("rows_warnings", "rows_errors"),
        "messages",
    )  # shown read-only: nobody has the change permission

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportRecord]:
        records = permissions.import_records(request.user)
        return super().get_queryset(request).filter(pk__in=records.values("pk"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return permissions.can_view_import_record(user) and permissions.sees_every_department(user)

    def has_view_permission(self, request: HttpRequest, obj: ImportRecord | None = None) -> bool:
        return permissions.can_view_import_record(request.user, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportRecord | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImportRecord | None = None) -> bool:
        return False
