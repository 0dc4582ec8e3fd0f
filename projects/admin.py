from django.contrib import admin

from projects.models import (
    GlossaryTerm,
    Project,
    ProjectIndicator,
    ProjectRelatedPlan,
    RelatedPlan,
    Theme,
    ThemeLink,
)


class ProjectIndicatorInline(admin.TabularInline):
    model = ProjectIndicator
    extra = 0
    autocomplete_fields = ("indicator",)


class ThemeInline(admin.StackedInline):
    model = Theme
    extra = 0
    show_change_link = True


class ProjectRelatedPlanInline(admin.TabularInline):
    model = ProjectRelatedPlan
    extra = 0
    autocomplete_fields = ("related_plan",)


class ThemeLinkInline(admin.TabularInline):
    model = ThemeLink
    extra = 0
    fields = ("order", "direction", "initiative", "indicator")
    autocomplete_fields = ("direction", "initiative", "indicator")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "plan")
    list_display_links = ("number", "name")
    list_filter = ("plan",)
    search_fields = ("name", "aim")
    inlines = (ProjectIndicatorInline, ThemeInline, ProjectRelatedPlanInline)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "project", "order")
    list_filter = ("project",)
    search_fields = ("name", "description", "main_initiatives")
    list_select_related = ("project",)
    inlines = (ThemeLinkInline,)


@admin.register(ThemeLink)
class ThemeLinkAdmin(admin.ModelAdmin):
    list_display = ("theme", "order", "direction", "initiative", "indicator")
    list_filter = ("theme__project",)
    search_fields = ("indicator__name", "indicator__code", "direction__measure__code")
    list_select_related = (
        "theme__project",
        "direction__measure",
        "initiative__direction__measure",
        "indicator",
    )
    autocomplete_fields = ("direction", "initiative", "indicator")


@admin.register(RelatedPlan)
class RelatedPlanAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ("term", "description")
    search_fields = ("term", "description")
    list_filter = ("projects",)
