"""The actual-entry admin (実績値の入力・審査): the yearly actuals under each series of the
indicator page, and the 実績値 list with its review actions, import pages and entry status.

Declarations and hooks only: who may do what is ``indicators.permissions``, the review steps are
``indicators.services``, the pages behind the extra URLs are ``indicators.admin_views`` and
``indicators.admin_imports``."""

from collections.abc import Iterable, Sequence
from typing import Any

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.db.models import ForeignKey, Max, Min, Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from indicators import admin_views, permissions, services
from indicators.admin_base import (
    PeriodYearsInlineMixin,
    PrefetchedRowsFormSetMixin,
    RetryOnConflictMixin,
    ScopedHistoryAdmin,
    entry_year_choices,
    indicator_of,
    indicator_of_object,
    year_field,
)
from indicators.admin_history import DATETIME_FORMAT
from indicators.admin_imports import ActualImportAdminMixin
from indicators.forms import actual_form_for, indicator_rules
from indicators.models import Actual, ActualStatus, Indicator, Series, Target
from indicators.review import review_context
from kpi import entry_rules
from kpi.wareki import era_year, year_label
from measures.models import ActionPlan


def _rules_of(indicator: Indicator) -> entry_rules.EntryRules:
    """The entry rules of the indicator page's indicator, read once for all its series (the
    series share one indicator object: ``SeriesInline`` selects it once)."""
    cached: entry_rules.EntryRules | None = getattr(indicator, "_kpi_entry_rules", None)
    if cached is None:
        cached = indicator_rules(indicator, timezone.localdate())
        indicator._kpi_entry_rules = cached  # type: ignore[attr-defined]
    return cached


class PlanYearFilter(admin.SimpleListFilter):
    """年（度）: the years of the plans — the earliest baseline year to the last plan year —
    read from the plans and their targets (small tables), not by a SELECT DISTINCT over
    every actual."""

    title = "年（度）"
    parameter_name = "year__exact"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        span = ActionPlan.objects.aggregate(
            first=Min("targets__baseline_year"), start=Min("first_year"), last=Max("last_year")
        )
        if span["last"] is None:
            return []
        first = min(span["first"] or span["start"], span["start"])
        years = range(span["last"], first - 1, -1)
        return [(str(y), f"{era_year(y)}（{y}）") for y in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Actual]) -> QuerySet[Actual]:
        value = self.value()
        return queryset.filter(year=int(value)) if value and value.isdigit() else queryset


class ActualInlineFormSet(PrefetchedRowsFormSetMixin, nested_admin.NestedInlineFormSet):
    """A locked (approved, or submitted for staff) actual cannot be deleted either."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if getattr(form, "locked", False) and "DELETE" in form.fields:
            form.fields["DELETE"].disabled = True


class ActualInline(PeriodYearsInlineMixin, nested_admin.NestedTabularInline):
    """Yearly actuals under each series of the indicator page: where departments enter them."""

    model = Actual
    formset = ActualInlineFormSet
    extra = 1
    year_fields = ("year",)
    future_years = 0  # the entry rules refuse future years anyway
    fields = (
        "year",
        "value",
        "note",
        "confirm_jump",
        "status",
        "review_comment",
        "updated_by",
        "updated_at",
        "version",
    )
    readonly_fields = ("status", "review_comment", "updated_by", "updated_at")
    ordering = ("year",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Actual]:
        """Each row prints itself (``Actual.__str__``: series, indicator) and who saved it:
        selected with the rows, so the page's queries do not grow with the years. A GET reads
        the rows ``SeriesInline`` prefetched with this queryset."""
        return (
            super()
            .get_queryset(request)
            .select_related("series__indicator", "updated_by")
            .order_by(*self.ordering)
        )

    def get_formset(
        self, request: HttpRequest, obj: Model | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        kwargs["form"] = actual_form_for(request.user)
        return super().get_formset(request, obj, **kwargs)

    def year_choices_for(
        self, obj: Model | None, indicator: Indicator | None, period: str
    ) -> list[tuple[int, str]]:
        """Only the years the entry rules accept, and those of the series' stored values."""
        if indicator is None:
            return super().year_choices_for(obj, indicator, period)
        stored: Iterable[int] = []
        if isinstance(obj, Series):
            prefetched = getattr(obj, "_prefetched_objects_cache", {}).get("actuals")
            stored = (
                [a.year for a in prefetched]
                if prefetched is not None
                else Actual.objects.filter(series=obj).values_list("year", flat=True)
            )
        rules = _rules_of(indicator)
        return entry_year_choices(rules, period=period, keep=stored)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.can_enter_actuals(request.user, indicator_of(obj))

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Per actual, ActualForm locks what this user may no longer change.
        return permissions.can_change_actuals_of(request.user, indicator_of(obj))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.can_delete_actuals_of(request.user, indicator_of(obj))


class ActualAdmin(RetryOnConflictMixin, ActualImportAdminMixin, ScopedHistoryAdmin):
    # Fits 1366 px: the series once (code, name, label), then short columns that do not wrap
    # (isesaki/static/kpi/admin.css), the value as the dashboards print it.
    list_display = (
        "indicator_display",
        "department",
        "year_label",
        "value_display",
        "status",
        "updated",
    )
    list_display_links = ("indicator_display",)
    # The 提出済 list (filtered by 状態 = 提出済) is the approver's review: beside each value
    # what it is judged against (indicators.review), instead of its status and last change.
    review_list_display = (
        "indicator_display",
        "department",
        "year_label",
        "value_display",
        "previous_display",
        "change_display",
        "goal_display",
        "note_display",
    )
    list_filter = (
        "status",
        ("series__indicator__department", admin.RelatedOnlyFieldListFilter),
        PlanYearFilter,
        "series__indicator__period_kind",
    )
    search_fields = ("series__indicator__code", "series__indicator__name", "series__label")
    list_select_related = ("series__indicator__department", "updated_by")
    # One COUNT(*) per page: the unfiltered total would be a second one over every actual.
    show_full_result_count = False
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
        (None, {"fields": ("series", "year", "value", "note", "confirm_jump", "version")}),
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
    history_quiet_fields = ("updated_at", "updated_by")
    history_summary_fields = ("year", "value", "note", "status")

    @admin.display(description="指標・系列", ordering="series__indicator__code")
    def indicator_display(self, obj: Actual) -> str:
        return str(obj.series)

    @admin.display(description="所管課", ordering="series__indicator__department__code")
    def department(self, obj: Actual) -> str:
        return str(obj.series.indicator.department or "—")

    @admin.display(description="年（度）", ordering="year")
    def year_label(self, obj: Actual) -> str:
        """令和6年度（2024）, breaking before the bracket only when the column is narrow."""
        label = year_label(obj.year, obj.series.indicator.period_kind)
        return format_html("{}<wbr>（{}）", label, obj.year)

    @admin.display(description="実績値", ordering="value")
    def value_display(self, obj: Actual) -> str:
        return obj.value_display

    @admin.display(description="前年（度）")
    def previous_display(self, obj: Actual) -> str:
        value, marked, source = review_context(obj).previous.partition("（")
        return format_html("{}<wbr>（{}", value, source) if marked else value

    @admin.display(description="変化")
    def change_display(self, obj: Actual) -> str:
        review = review_context(obj)
        if review.jumped:
            return format_html('<strong class="jump">{}</strong>', review.change)
        return review.change

    @admin.display(description="現状値 → 目標値")
    def goal_display(self, obj: Actual) -> str:
        return review_context(obj).goal

    @admin.display(description="備考")
    def note_display(self, obj: Actual) -> str:
        return obj.note or "—"

    @admin.display(description="更新", ordering="updated_at")
    def updated(self, obj: Actual) -> str:
        when = timezone.localtime(obj.updated_at).strftime(DATETIME_FORMAT)
        who = obj.updated_by.get_username() if obj.updated_by else "—"
        return format_html('{}<br><span class="quiet">{}</span>', when, who)

    def _reviewing(self, request: HttpRequest) -> bool:
        """The list filtered to 提出済 values."""
        match = request.resolver_match
        on_list = match is not None and match.url_name == "indicators_actual_changelist"
        return on_list and request.GET.get("status__exact") == ActualStatus.SUBMITTED

    def get_list_display(self, request: HttpRequest) -> Sequence[str]:
        return self.review_list_display if self._reviewing(request) else self.list_display

    # --- who sees and changes what ------------------------------------------------------------
    def get_queryset(self, request: HttpRequest) -> QuerySet[Actual]:
        visible = permissions.visible_indicators(request.user)
        # Everything a row or title shows: the changelist ignores list_select_related once the
        # queryset selects anything, so the list's relations are selected here.
        actuals = (
            super()
            .get_queryset(request)
            .filter(series__indicator__in=visible.values("pk"))
            .select_related(*self.list_select_related)
        )
        return actuals.with_review_context() if self._reviewing(request) else actuals

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
        return permissions.can_submit_actuals(request.user)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return permissions.is_approver(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Actual | None = None) -> Sequence[str]:
        return (*self.readonly_fields, "series") if obj else self.readonly_fields

    def get_fieldsets(
        self, request: HttpRequest, obj: Actual | None = None
    ) -> Sequence[tuple[str | None, dict[str, Any]]]:
        if obj is None or self.has_change_permission(request, obj):
            return self.fieldsets
        # Read only: the year and value as the dashboards print them, no checkbox.
        entry = ("series", "year_label", "value_display", "note")
        return ((None, {"fields": entry}), *self.fieldsets[1:])

    def get_form(
        self, request: HttpRequest, obj: Actual | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        kwargs["form"] = actual_form_for(request.user, check_stored_jump=True)
        form = super().get_form(request, obj, change, **kwargs)
        if "year" in form.base_fields:
            year = Actual._meta.get_field("year")
            form.base_fields["year"] = year_field(year, self._year_choices(request, obj))
        return form

    def _year_choices(self, request: HttpRequest, obj: Actual | None) -> list[tuple[int, str]]:
        """The years the entry rules accept: for this actual's indicator, or (a new actual,
        whose series is still to be chosen) for any indicator the user enters."""
        today = timezone.localdate()
        indicator = indicator_of_object(obj)
        if obj is not None and indicator is not None:
            rules = indicator_rules(indicator, today)
            return entry_year_choices(rules, period=indicator.period_kind, keep=[obj.year])
        editable = permissions.editable_indicators(request.user)
        targets = Target.objects.filter(series__indicator__in=editable.values("pk"))
        first = targets.aggregate(first=Min("baseline_year"))["first"]
        rules = entry_rules.rules_for(
            unit="",
            decimals=0,
            allow_negative=False,
            period_kind="calendar",
            ranges=[(first, today.year)] if first else [],
            fallback_last=None,
            today=today,
        )
        return entry_year_choices(rules, period="fiscal")

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
        obj.updated_by = permissions.signed_in(request.user)
        super().save_model(request, obj, form, change)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Actual | None = None,
    ) -> TemplateResponse:
        """The review buttons this user may press on this actual (the services check again)."""
        if obj is not None:
            context["workflow_steps"] = services.available_actions(request.user, obj)
            if obj.status == ActualStatus.SUBMITTED and permissions.is_approver(request.user):
                annotated = Actual.objects.with_review_context().select_related("series__indicator")
                context["review"] = review_context(annotated.get(pk=obj.pk))
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {
            **(extra_context or {}),
            "can_view_entry_status": permissions.can_view_entry_status(request.user),
        }
        return super().changelist_view(request, context)

    # --- review workflow: bulk actions; the change page's buttons post to workflow/ ------------
    def _step(
        self, request: HttpRequest, queryset: QuerySet[Actual], step: str, **extra: str
    ) -> None:
        succeeded, failed = services.actuals_step(
            actuals=queryset.select_related("series__indicator"),
            step=step,
            user=request.user,
            **extra,
        )
        if succeeded:
            done = services.STEPS[step][1]
            self.message_user(request, f"{succeeded}件の実績値を{done}。", messages.SUCCESS)
        if failed:
            listed = " / ".join(failed[:10]) + (" ほか" if len(failed) > 10 else "")
            self.message_user(
                request, f"{len(failed)}件は処理できませんでした：{listed}", messages.WARNING
            )

    @admin.action(description="選択した実績値を提出", permissions=["submit"])
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Actual]) -> None:
        self._step(request, queryset, "submit")

    @admin.action(description="選択した実績値を承認", permissions=["approve"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Actual]) -> None:
        self._step(request, queryset, "approve")

    @admin.action(description="選択した実績値を差し戻す（コメント入力）", permissions=["approve"])
    def return_selected(
        self, request: HttpRequest, queryset: QuerySet[Actual]
    ) -> HttpResponse | None:
        comment = request.POST.get("comment", "").strip()
        if "apply" in request.POST and comment:
            self._step(request, queryset, "return", comment=comment)
            return None
        return admin_views.return_dialog(self, request, queryset, comment)

    @admin.action(description="選択した実績値の承認を取り消す（再開）", permissions=["approve"])
    def reopen_selected(self, request: HttpRequest, queryset: QuerySet[Actual]) -> None:
        self._step(request, queryset, "reopen")

    def get_urls(self) -> list[URLPattern]:
        wrap, name = self.admin_site.admin_view, "indicators_actual"
        return [
            path(
                "entry-status/",
                wrap(admin_views.entry_status(self)),
                name=f"{name}_entry_status",
            ),
            path(
                "<path:object_id>/workflow/<slug:step>/",
                wrap(require_POST(admin_views.workflow(self))),
                name=f"{name}_workflow",
            ),
            *super().get_urls(),
        ]
