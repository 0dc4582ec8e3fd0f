"""評価の日程 in the admin: the planning division (企画担当) sets a year's dates, each review
step's in an inline; everyone else reads them on their to-do page."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from evaluations.models import ReviewStep
from evaluations.permissions import is_planning
from reports.models import CycleCalendar, StepDue


class PlanningOnly:
    """Only the planning division sees and changes the calendar."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_planning(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_planning(request.user)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return is_planning(request.user)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_planning(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_planning(request.user)


class StepDueInline(PlanningOnly, admin.TabularInline):
    model = StepDue
    extra = 0

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "step":
            steps: QuerySet[ReviewStep] = ReviewStep.objects.select_related("chain")
            kwargs["queryset"] = steps.order_by("chain__name", "order")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CycleCalendar)
class CycleCalendarAdmin(PlanningOnly, admin.ModelAdmin):
    list_display = ["__str__", "actuals_due", "sheets_due", "committee_due", "report_date"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    inlines = [StepDueInline]
