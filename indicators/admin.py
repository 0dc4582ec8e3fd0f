"""The admin is the data-entry UI (入力・承認), declared here: the indicator page with its
series, targets and yearly actuals, the plan's structure, departments and import records. The
actual-entry admin (the 実績値 list, its review actions and pages) is ``indicators.admin_actuals``.
Who sees and changes what is decided by ``indicators.permissions`` through get_queryset and the
has_*_permission hooks; the review workflow runs through ``indicators.services``."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import Count, ForeignKey, Model, Prefetch, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from indicators import permissions
from indicators.admin_actuals import ActualAdmin, ActualInline
from indicators.admin_base import (
    PeriodYearsInlineMixin,
    PrefetchedRowsFormSetMixin,
    RetryOnConflictMixin,
    ScopedAdminMixin,
    ScopedHistoryAdmin,
)
from indicators.audit import audit_entries
from indicators.forms import TargetForm
from indicators.models import (
    Actual,
    Department,
    ImportRecord,
    Indicator,
    SdgLocalIndicator,
    Series,
    Target,
)
from kpi.numbers import format_value
from kpi.wareki import year_label_with_gregorian

RECENT_CHANGES = 20  # entries of the short 変更履歴 list on the indicator page


def target_value_display(target: Target, value: Decimal | None, label: str) -> str:
    """A baseline or target as the plan prints it: its label (待機児童なし) or 「25,702人」."""
    indicator = target.series.indicator
    return label or format_value(value, indicator.decimals, indicator.unit)


admin.site.register(Actual, ActualAdmin)


class PlanStructureInlineMixin:
    """Series and targets are the plan's structure: superusers change them, others only read
    them (and only on the indicators they may see)."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.can_change_plan_structure(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.can_change_plan_structure(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.can_change_plan_structure(request.user)


class TargetInlineFormSet(PrefetchedRowsFormSetMixin, nested_admin.NestedInlineFormSet):
    pass


class TargetInline(
    PlanStructureInlineMixin, PeriodYearsInlineMixin, nested_admin.NestedTabularInline
):
    """The target line of each series: editable by superusers, read as the dashboards print
    it by everyone else (「25,702人」, 令和5年度（2023）)."""

    model = Target
    form = TargetForm
    formset = TargetInlineFormSet
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
    read_only_fields = (
        "plan",
        "baseline_display",
        "baseline_year_display",
        "target_display",
        "target_year_display",
        "target_kind",
    )
    readonly_fields = read_only_fields[1:-1]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Target]:
        # The read-only line prints units and years from the series' indicator.
        return (
            super()
            .get_queryset(request)
            .select_related("series__indicator", "plan")
            .order_by("plan__first_year")
        )

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        """The plans offered, read once per page (not once per series and target row)."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "plan" and field is not None:
            choices = getattr(request, "_kpi_plan_choices", None)
            if choices is None:
                choices = list(field.choices)
                request._kpi_plan_choices = choices  # type: ignore[attr-defined]
            field.choices = choices
        return field

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Sequence[str]:
        if permissions.can_change_plan_structure(request.user):
            return self.fields
        return self.read_only_fields

    @admin.display(description="現状値")
    def baseline_display(self, obj: Target) -> str:
        return target_value_display(obj, obj.baseline_value, obj.baseline_label)

    @admin.display(description="目標値")
    def target_display(self, obj: Target) -> str:
        return target_value_display(obj, obj.target_value, obj.target_label)

    @admin.display(description="現状値の年（度）")
    def baseline_year_display(self, obj: Target) -> str:
        return year_label_with_gregorian(obj.baseline_year, obj.series.indicator.period_kind)

    @admin.display(description="目標値の年（度）")
    def target_year_display(self, obj: Target) -> str:
        return year_label_with_gregorian(obj.target_year, obj.series.indicator.period_kind)


class SeriesInlineFormSet(nested_admin.NestedInlineFormSet):
    def get_queryset(self) -> QuerySet[Series]:
        """Every series holds the page's own indicator object, so that what is read once for
        the indicator (its entry rules) serves all its series."""
        rows = super().get_queryset()
        for series in rows:
            series.indicator = self.instance
        return rows


class SeriesInline(PlanStructureInlineMixin, nested_admin.NestedStackedInline):
    model = Series
    formset = SeriesInlineFormSet
    extra = 0
    fields = (("label", "order"),)
    inlines = (TargetInline, ActualInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Series]:
        """Each series with its targets and actuals, read once for all series; their inlines'
        formsets take them from here (``PrefetchedRowsFormSetMixin``)."""
        targets = TargetInline(Target, self.admin_site).get_queryset(request)
        actuals = ActualInline(Actual, self.admin_site).get_queryset(request)
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("targets", targets), Prefetch("actuals", actuals))
        )


class DepartmentActionForm(ActionForm):
    department = forms.ModelChoiceField(
        Department.objects.all(), required=False, label="所管課", empty_label="（未設定にする）"
    )


@admin.register(Indicator)
class IndicatorAdmin(RetryOnConflictMixin, ScopedHistoryAdmin, nested_admin.NestedModelAdmin):
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
    history_summary_fields = ("code", "name", "unit", "decimals", "department")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Indicator]:
        visible = permissions.visible_indicators(request.user)
        return super().get_queryset(request).filter(pk__in=visible.values("pk")).distinct()

    def has_view_permission(self, request: HttpRequest, obj: Indicator | None = None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view_indicator(request.user, obj))

    def has_change_permission(self, request: HttpRequest, obj: Indicator | None = None) -> bool:
        """Staff "change" their indicators' pages to enter actuals in the inline; every field of
        the indicator itself stays read-only for them (get_readonly_fields)."""
        return permissions.can_open_indicator(request.user, obj)

    def has_assign_department_permission(self, request: HttpRequest) -> bool:
        return permissions.can_assign_department(request.user)

    def get_readonly_fields(
        self, request: HttpRequest, obj: Indicator | None = None
    ) -> Sequence[str]:
        fields = [f for line in self.fieldsets for f in _flatten(line[1]["fields"])]
        editable = permissions.indicator_fields_editable(request.user, fields)
        return [f for f in fields if f not in editable]

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Indicator | None = None,
    ) -> TemplateResponse:
        """The short 変更履歴 of the indicator under its form."""
        if obj is not None:
            context["audit_entries"] = audit_entries(obj, limit=RECENT_CHANGES)
            context["audit_history_url"] = reverse(
                f"{self.admin_site.name}:indicators_indicator_history", args=[obj.pk]
            )
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

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
        chosen_id = chosen.pk if chosen else None
        # An indicator already there is left alone: saving it would write an empty history row.
        moved = [i for i in queryset if i.department_id != chosen_id]
        for indicator in moved:
            indicator.department = chosen
            indicator._history_user = request.user  # type: ignore[attr-defined]
            indicator.save(update_fields=["department"])
        name = chosen.name if chosen else "未設定"
        stayed = len(queryset) - len(moved)
        already = f"（{stayed}件はすでに「{name}」でした）" if stayed else ""
        self.message_user(request, f"{len(moved)}件の指標の所管課を「{name}」にしました{already}。")

    def save_formset(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        formset: BaseInlineFormSet,
        change: bool,
    ) -> None:
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Actual):
                instance.updated_by = permissions.signed_in(request.user)
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


def _flatten(fields: tuple[Any, ...]) -> list[str]:
    return [f for item in fields for f in (item if isinstance(item, tuple | list) else (item,))]


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
        "baseline_display",
        "baseline_year_label",
        "target_display",
        "target_year_label",
        "target_kind",
    )
    list_filter = ("plan", "target_kind")
    history_summary_fields = (
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_year",
        "target_kind",
    )
    search_fields = ("series__indicator__code", "series__indicator__name")
    list_select_related = ("series__indicator", "plan")
    autocomplete_fields = ("series",)

    @admin.display(description="現状値", ordering="baseline_value")
    def baseline_display(self, obj: Target) -> str:
        return target_value_display(obj, obj.baseline_value, obj.baseline_label)

    @admin.display(description="目標値", ordering="target_value")
    def target_display(self, obj: Target) -> str:
        return target_value_display(obj, obj.target_value, obj.target_label)

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
