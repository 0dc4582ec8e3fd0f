"""The evaluation's admin, for the planning division: the year's sheets (read-only, with their
history, the 作成 page that opens a year in one go, and 付議 as bulk actions), the measures' lead
departments, bureaus and positions, and the review chain. Writing and reviewing sheets happens
on the evaluation pages (``evaluations.views``), where every role — 課長, 部局長, 推進会議 members
without admin access — works in one place. Who may do what is ``evaluations.permissions``."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from evaluations import permissions, services
from evaluations.models import (
    Bureau,
    BureauDepartment,
    EvaluationSheet,
    EvaluationSheetQuerySet,
    MeasureLead,
    Position,
    ReviewChain,
    ReviewStep,
)
from indicators.admin_base import ScopedHistoryAdmin
from indicators.models import Department
from kpi.wareki import fiscal_year_of, year_label_with_gregorian
from measures.models import ActionPlan


class BureauDepartmentInline(admin.TabularInline):
    model = BureauDepartment
    extra = 1
    autocomplete_fields = ("department",)


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    """部局 and their departments (課)."""

    list_display = ("code", "name")
    search_fields = ("code", "name")
    inlines = (BureauDepartmentInline,)


@admin.register(Position)
class PositionAdmin(ScopedHistoryAdmin):
    """Who is 課長 of which department, 副部局長 or 部局長 of which bureau."""

    list_display = ("user", "kind", "department", "bureau")
    list_filter = ("kind", "bureau")
    search_fields = ("user__username", "user__last_name", "department__name", "bureau__name")
    list_select_related = ("user", "department", "bureau")
    # No autocomplete for users: it would need the right to view every user account.
    autocomplete_fields = ("department", "bureau")


class ReviewStepInline(admin.TabularInline):
    model = ReviewStep
    extra = 0
    fields = ("order", "name", "actor_label", "kind", "position", "group", "optional", "gives_rank")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(ReviewChain)
class ReviewChainAdmin(ScopedHistoryAdmin):
    """The chain's steps are kept by superusers; the planning division sets its 企画担当課."""

    list_display = ("name", "is_default", "planning_department")
    autocomplete_fields = ("planning_department",)
    inlines = (ReviewStepInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Sequence[str]:
        return () if request.user.is_superuser else ("name", "is_default")


class OpenForm(forms.Form):
    plan = forms.ModelChoiceField(ActionPlan.objects.all(), label="計画", empty_label=None)
    year = forms.TypedChoiceField(label="評価年度", coerce=int)

    def __init__(self, *args: Any, plan_code: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].initial = ActionPlan.objects.chosen(plan_code)
        years = sorted(
            {y for p in ActionPlan.objects.all() for y in range(p.first_year, p.last_year + 1)}
        )
        self.fields["year"].choices = [(y, year_label_with_gregorian(y)) for y in years]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plan, year = data.get("plan"), data.get("year")
        if plan is not None and year is not None and not plan.first_year <= year <= plan.last_year:
            self.add_error(
                "year",
                f"{plan.name}の年度（{plan.first_year}〜{plan.last_year}）を選んでください。",
            )
        return data


@admin.register(EvaluationSheet)
class EvaluationSheetAdmin(ScopedHistoryAdmin):
    """The sheets, read-only here (they are written on their own pages), with their history."""

    list_display = (
        "year",
        "subject",
        "department",
        "state",
        "step",
        "to_committee",
        "rank_given",
        "final_rank",
        "page_link",
    )
    list_filter = (
        "year",
        "state",
        "to_committee",
        "step",
        ("department", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("project__name", "measure__code", "measure__name", "department__name")
    list_select_related = ("project", "measure", "department", "step")
    actions = ("send_to_committee", "withdraw_from_committee")
    exclude = ()

    @admin.display(description="評価調書")
    def subject(self, obj: EvaluationSheet) -> str:
        return obj.subject_label

    @admin.display(description="ページ")
    def page_link(self, obj: EvaluationSheet) -> str:
        return format_html('<a href="{}">開く</a>', reverse("evaluations:sheet", args=[obj.pk]))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_view_evaluation_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_view_evaluation_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_manage_permission(self, request: HttpRequest) -> bool:
        return permissions.is_planning(request.user)

    def _committee(
        self, request: HttpRequest, queryset: EvaluationSheetQuerySet, send: bool
    ) -> None:
        done, refused = 0, []
        for sheet in queryset.for_page():
            try:
                services.sheet_send_to_committee(sheet=sheet, user=request.user, send=send)
            except (PermissionDenied, ValidationError) as error:
                refused.append(f"{sheet}：{services.refusal(error)}")
            else:
                done += 1
        if done:
            verb = "付議しました" if send else "付議を取り消しました"
            self.message_user(request, f"{done}件の評価調書を{verb}。", messages.SUCCESS)
        if refused:
            self.message_user(request, " / ".join(refused[:10]), messages.WARNING)

    @admin.action(description="選択した評価調書を推進会議に付議", permissions=["manage"])
    def send_to_committee(self, request: HttpRequest, queryset: EvaluationSheetQuerySet) -> None:
        self._committee(request, queryset, True)

    @admin.action(description="選択した評価調書の付議を取り消す", permissions=["manage"])
    def withdraw_from_committee(
        self, request: HttpRequest, queryset: EvaluationSheetQuerySet
    ) -> None:
        self._committee(request, queryset, False)

    def get_urls(self) -> list[URLPattern]:
        open_view = self.admin_site.admin_view(self.open_view)
        return [
            path("open/", open_view, name="evaluations_evaluationsheet_open"),
            *super().get_urls(),
        ]

    def open_view(self, request: HttpRequest) -> HttpResponse:
        """年度の評価調書を作成: every project's and measure's sheet of a year, in one action."""
        if not permissions.can_open_evaluations(request.user):
            raise PermissionDenied
        form = OpenForm(
            request.POST or None,
            initial={"year": _default_year(request)},
            plan_code=request.GET.get("plan"),
        )
        if request.method == "POST" and form.is_valid():
            plan, year = form.cleaned_data["plan"], form.cleaned_data["year"]
            try:
                opened = services.evaluations_open(plan=plan, year=year, user=request.user)
            except ValidationError as error:
                self.message_user(request, services.refusal(error), messages.ERROR)
            else:
                self._opened_messages(request, opened, year)
                url = reverse("admin:evaluations_evaluationsheet_changelist")
                return HttpResponseRedirect(f"{url}?year={year}")
        context = {
            **self.admin_site.each_context(request),
            "title": "年度の評価調書を作成",
            "opts": self.opts,
            "form": form,
        }
        return render(request, "admin/evaluations/evaluationsheet/open.html", context)

    def _opened_messages(self, request: HttpRequest, opened: services.Opened, year: int) -> None:
        label, created = year_label_with_gregorian(year), len(opened.created)
        done = f"{label}の評価調書を{created}件作成しました（既存 {opened.existing}件は変更なし）。"
        self.message_user(request, done, messages.SUCCESS)
        if opened.written_by_planning:
            listed = "、".join(opened.written_by_planning[:10])
            more = " ほか" if len(opened.written_by_planning) > 10 else ""
            self.message_user(
                request,
                f"主管課が未設定のため企画担当が作成する施策：{listed}{more}"
                "（「施策の主管課」で設定できます。作成済みの調書の作成課は変わりません）",
                messages.WARNING,
            )


def _default_year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() else fiscal_year_of(timezone.localdate()) - 1


class LeadDepartmentActionForm(ActionForm):
    department = forms.ModelChoiceField(
        Department.objects.all(), required=False, label="主管課", empty_label="（未設定にする）"
    )


@admin.register(MeasureLead)
class MeasureLeadAdmin(admin.ModelAdmin):
    """施策の主管課: the planning division assigns each measure's lead department (the plan names
    none), one by one in the list or for several at once."""

    list_display = ("code", "name", "policy", "lead_department")
    list_display_links = ("code", "name")
    list_editable = ("lead_department",)
    list_filter = ("plan", "policy", ("lead_department", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("policy", "lead_department")
    search_fields = ("code", "name")
    ordering = ("plan__first_year", "order")
    fields = ("plan", "policy", "code", "name", "lead_department")
    readonly_fields = ("plan", "policy", "code", "name")
    autocomplete_fields = ("lead_department",)
    action_form = LeadDepartmentActionForm
    actions = ("assign_lead_department",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="選択した施策の主管課を設定", permissions=["change"])
    def assign_lead_department(self, request: HttpRequest, queryset: QuerySet[MeasureLead]) -> None:
        chosen_id = request.POST.get("department", "")
        chosen = Department.objects.filter(pk=chosen_id).first() if chosen_id.isdigit() else None
        if chosen_id and chosen is None:
            self.message_user(request, "所管課が見つかりません。", messages.ERROR)
            return
        name = chosen.name if chosen else "未設定"
        for measure in queryset:
            measure.lead_department = chosen
            measure.save(update_fields=["lead_department"])
            self.log_change(request, measure, f"主管課を「{name}」に設定")
        self.message_user(request, f"{len(queryset)}件の施策の主管課を「{name}」にしました。")
