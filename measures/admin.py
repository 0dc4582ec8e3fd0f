from django.contrib import admin

from measures.models import ActionPlan, Direction, Initiative, Measure, Policy, RankScheme


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ("code", "name", "order", "plan")


class DirectionInline(admin.TabularInline):
    model = Direction
    extra = 0
    fields = ("number", "name")


class InitiativeInline(admin.TabularInline):
    model = Initiative
    extra = 0
    fields = ("name", "program")


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "first_year", "last_year")
    search_fields = ("code", "name")


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "plan")
    list_display_links = ("number", "name")
    list_filter = ("plan",)
    search_fields = ("name",)
    inlines = (MeasureInline,)


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "policy", "plan")
    list_display_links = ("code", "name")
    list_filter = ("plan", "policy")
    search_fields = ("code", "name")
    list_select_related = ("policy", "plan")
    inlines = (DirectionInline,)


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "measure", "number", "name")
    list_filter = ("measure__policy",)
    search_fields = ("name", "measure__code", "measure__name")
    list_select_related = ("measure",)
    autocomplete_fields = ("measure",)
    inlines = (InitiativeInline,)


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "program")
    list_filter = ("direction__measure__policy",)
    search_fields = ("name", "program", "direction__measure__code")
    list_select_related = ("direction__measure",)
    autocomplete_fields = ("direction",)


@admin.register(RankScheme)
class RankSchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "plan", "basis", "rounding")
    list_select_related = ("plan",)
    list_filter = ("basis",)
