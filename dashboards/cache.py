"""The page cache of the dashboards: a page's rendered content (or its data, for JSON and
exports) kept per page, query, plan, as-of year, mode (provisional/public), what the user's
role shows, and the data version (``measures.versioning``), which every committed change
replaces — so a page is never served older than the data, in any worker or container that
shares the cache (``KPI_CACHE``).

HTML pages cache the content block (``{% cache cache_timeout "dashboards" cache_key %}`` in
their templates): the head and the header (the user's name, the logout form's CSRF token) are
rendered for each request. Their data is read lazily (``lazy``), so a hit reads nothing."""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from measures import versioning
from measures.models import ActionPlan

T = TypeVar("T")


def data_version(request: HttpRequest) -> int:
    """The data version, read once per request (one query), before any data is read: what a
    page reads after it is at least as new as the version it is cached under."""
    token: int | None = getattr(request, "_kpi_data_version", None)
    if token is None:
        token = versioning.current()
        request._kpi_data_version = token  # type: ignore[attr-defined]
    return token


def page_key(request: HttpRequest, name: str, plan: ActionPlan, *parts: object) -> str:
    """Everything a page's content depends on besides the data: the page and its query (years,
    filters, sort), the plan and as-of year the query resolved to (defaults follow the date),
    whether the visitor is signed in (public mode), the parts the view adds (provisional
    counted, the 暫定 checkbox offered, the 変更履歴 shown), and the data version."""
    query = sorted(request.GET.lists())
    visitor = (
        "public" if settings.KPI_PUBLIC_DASHBOARDS else "login",
        request.user.is_authenticated,
    )
    raw = repr((name, request.path, query, plan.pk, visitor, parts))
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"{data_version(request)}:{name}:{digest}"


def page_cache(
    request: HttpRequest, name: str, plan: ActionPlan, *parts: object
) -> dict[str, object]:
    """The template's ``cache_key`` and ``cache_timeout``."""
    return {
        "cache_key": page_key(request, name, plan, *parts),
        "cache_timeout": settings.KPI_CACHE_TIMEOUT,
    }


def cached_data(
    request: HttpRequest, name: str, plan: ActionPlan, compute: Callable[[], T], *parts: object
) -> T:
    """A page's data (JSON, exports, tables), computed once per key."""
    key = page_key(request, name, plan, *parts)
    return versioning.cached(key, compute, version=data_version(request))


def lazy(compute: Callable[[], T]) -> T:
    """A value computed when a template first uses it: not at all on a cache hit."""
    return SimpleLazyObject(compute)  # type: ignore[return-value]
