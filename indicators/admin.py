import nested_admin
from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from indicators.models import Actual, Indicator, SdgLocalIndicator, Series, Target
from indicators.wareki import fiscal_year_of, year_label_with_gregorian

FIRST_ENTRY_YEAR = 2015


def year_choices(period: str) -> list[tuple[int, str]]:
    last = fiscal_year_of(timezone.localdate()) + 1
    return [(y, year_label_with_gregorian(y, period)) for y in range(FIRST_ENTRY_YEAR, last + 1)]


class PeriodAwareYearMixin:
    """Year fields as a select of 令和N年度（YYYY）, 年 or 年度 by the indicator being edited."""

    year_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name in self.year_fields:
            period = getattr(request, "kpi_period_kind", "fiscal")
            return forms.TypedChoiceField(
                label=db_field.verbose_name,
                choices=[("", "---------"), *year_choices(period)],
                coerce=int,
                required=not db_field.null,
                empty_value=None,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


class TargetInline(PeriodAwareYearMixin, nested_admin.NestedTabularInline):
    model = Target
    extra = 0
    year_fields = ("baseline_year", "target_year")
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


class ActualInline(PeriodAwareYearMixin, nested_admin.NestedTabularInline):
    model = Actual
    extra = 1
    year_fields = ("year",)
    fields = ("year", "value", "note", "updated_by", "updated_at")
    readonly_fields = ("updated_by", "updated_at")
    ordering = ("year",)


class SeriesInline(nested_admin.NestedStackedInline):
    model = Series
    extra = 0
    fields = (("label", "order"),)
    inlines = (TargetInline, ActualInline)


@admin.register(Indicator)
class IndicatorAdmin(nested_admin.NestedModelAdmin):
    list_display = ("code", "name", "unit", "period_kind", "cumulative", "source")
    list_display_links = ("code", "name")
    list_filter = ("period_kind", "cumulative", "series__targets__target_kind", "projects")
    search_fields = ("code", "name", "definition")
    autocomplete_fields = ("survey_measure",)
    inlines = (SeriesInline,)
    fieldsets = (
        (None, {"fields": (("code", "name"), ("unit", "decimals"), ("period_kind", "cumulative"))}),
        ("解説・出典", {"fields": ("definition", "source", "survey_measure")}),
    )

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):  # type: ignore[no-untyped-def]
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            request.kpi_period_kind = obj.period_kind  # type: ignore[attr-defined]
        return obj

    def get_queryset(self, request: HttpRequest) -> QuerySet[Indicator]:
        return super().get_queryset(request).distinct()

    def save_formset(self, request, form, formset, change):  # type: ignore[no-untyped-def]
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Actual):
                instance.updated_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Actual)
class ActualAdmin(admin.ModelAdmin):
    list_display = ("indicator_code", "series", "year_label", "value", "updated_by", "updated_at")
    list_filter = ("year", "series__indicator__period_kind")
    search_fields = ("series__indicator__code", "series__indicator__name", "series__label")
    list_select_related = ("series__indicator", "updated_by")
    autocomplete_fields = ("series",)
    readonly_fields = ("updated_by", "updated_at")

    @admin.display(description="指標コード", ordering="series__indicator__code")
    def indicator_code(self, obj: Actual) -> str:
        return obj.series.indicator.code

    @admin.display(description="年（度）", ordering="year")
    def year_label(self, obj: Actual) -> str:
        return year_label_with_gregorian(obj.year, obj.series.indicator.period_kind)

    def save_model(self, request: HttpRequest, obj: Actual, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("__str__", "label", "order")
    search_fields = ("indicator__code", "indicator__name", "label")
    list_select_related = ("indicator",)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
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


@admin.register(SdgLocalIndicator)
class SdgLocalIndicatorAdmin(admin.ModelAdmin):
    list_display = ("measure", "indicator", "order")
    list_filter = ("measure__policy",)
    search_fields = ("indicator__name", "measure__code", "measure__name")
    list_select_related = ("measure", "indicator")
    autocomplete_fields = ("measure", "indicator")
