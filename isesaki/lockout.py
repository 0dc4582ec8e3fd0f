"""The page django-axes shows when a login is locked (AXES_LOCKOUT_CALLABLE): Japanese, in the
site's look, with the time the lock ends, status 429."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    # The lock ends the cool-off after the latest failure; this request is that failure (axes
    # restarts the cool-off on each attempt while locked).
    attempted = getattr(request, "axes_attempt_time", None) or timezone.now()
    ends = timezone.localtime(attempted + settings.AXES_COOLOFF_TIME)
    context = {
        "username": (credentials or {}).get("username") or request.POST.get("username", ""),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "ends": ends,
        "ends_label": date_format(ends, "Y年n月j日 G:i"),
    }
    return render(request, "registration/locked_out.html", context, status=429)
