"""The plan a request asks for: one rule for every page that has a plan selector."""

from django.http import Http404, HttpRequest

from measures.models import ActionPlan, PlanChoice


def plan_choice(request: HttpRequest) -> PlanChoice:
    """The plan named by ?plan=code, else the plan of the current fiscal year, with the plans
    the page's selector offers; read once per request (one query)."""
    choice: PlanChoice | None = getattr(request, "_kpi_plan_choice", None)
    if choice is None:
        choice = ActionPlan.objects.choice(request.GET.get("plan"))
        if choice is None:
            raise Http404("アクションプランがありません。")
        request._kpi_plan_choice = choice  # type: ignore[attr-defined]
    return choice
