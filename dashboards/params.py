"""The request parameters of every dashboard page — who may read it, the plan, the as-of year
and whether provisional values count — read in one place."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from evaluations.permissions import is_committee_only
from indicators.permissions import can_view_provisional
from kpi.wareki import fiscal_year_of
from measures.models import ActionPlan
from measures.requests import plan_choice

View = Callable[..., HttpResponse]


def dashboard_view(view: View) -> View:
    """Login required, unless KPI_PUBLIC_DASHBOARDS opens the (read-only) pages to everyone.
    推進会議 members see their committee's sheets and nothing else: they go to that list
    (unless the dashboards are public anyway)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not settings.KPI_PUBLIC_DASHBOARDS:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if is_committee_only(request.user):
                return redirect("evaluations:index")
        return view(request, *args, **kwargs)

    return wrapped


def current_plan(request: HttpRequest) -> ActionPlan:
    return plan_choice(request).plan


def year_options(plan: ActionPlan) -> list[int]:
    """From the year after the baseline (the year before the plan starts) to its last year."""
    return list(range(plan.first_year - 1, plan.last_year + 1))


def include_provisional(request: HttpRequest) -> bool:
    """?provisional=1 also counts values not yet approved (暫定値), marked as such, for those
    who may see them (``permissions.can_view_provisional``): an anonymous visitor of the
    public dashboards gets approved values only, whatever the URL says."""
    return request.GET.get("provisional") == "1" and can_view_provisional(request.user)


def as_of_year(request: HttpRequest, plan: ActionPlan) -> int:
    options = year_options(plan)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default_as_of(options[0], options[-1])
    return min(max(year, options[0]), options[-1])


def default_as_of(first_year: int, last_year: int, today_fiscal_year: int | None = None) -> int:
    """The current fiscal year, held within the years a dashboard offers."""
    year = today_fiscal_year or fiscal_year_of(timezone.localdate())
    return min(max(year, first_year), last_year)
