"""Error pages in Japanese and in the site's look: 400, 403 (and a refused CSRF check), 404,
500 and 503 when the database does not answer — with DEBUG on as well as off.

Django serves its own English pages with DEBUG on (the technical 404 and 500) and the
handlers below with DEBUG off; ``ErrorPageMiddleware`` makes both the same Japanese page, and
turns a database outage (``OperationalError``/``InterfaceError``) into a 503 instead of a 500.
With DEBUG on, the 404 and 500 pages add the technical detail below the message, as text (the
strict CSP blocks the inline styles of Django's debug pages).

The pages never touch the database — no user, no session, no messages — so that they render
while it is down. ``/healthz`` keeps its own JSON 503 (``isesaki.health``).
"""

import logging
import re
import sys
from dataclasses import dataclass

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.utils.log import log_response
from django.views.debug import ExceptionReporter

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]")


@dataclass(frozen=True)
class ErrorText:
    title: str
    message: str


PAGES = {
    400: ErrorText(
        "リクエストを処理できません",
        "送られた内容を読み取れませんでした。ページを読み込み直してから、もう一度お試しください。",
    ),
    403: ErrorText(
        "この操作の権限がありません",
        "このページを見る権限、またはこの操作をする権限がありません。"
        "必要な場合は、企画担当（承認者）にお問い合わせください。",
    ),
    404: ErrorText(
        "ページが見つかりません",
        "URL が正しいか確かめてください。指標や実績値のページは、存在しないか、"
        "閲覧する権限がない場合にもこの表示になります。",
    ),
    500: ErrorText(
        "システムエラーが発生しました",
        "申し訳ありません。処理の途中で予期しないエラーが起きました。時間をおいてもう一度お試し"
        "ください。繰り返し起きる場合は、日時と操作をシステム管理者にお知らせください。",
    ),
    503: ErrorText(
        "ただいまご利用いただけません",
        "データベースに接続できないため、ページを表示できません。しばらくたってから、もう一度"
        "お試しください。送信した内容は保存されていない可能性があります。復旧後に確かめてください。",
    ),
}
CSRF_FAILURE = ErrorText(
    "フォームの有効期限が切れました",
    "ページを開いてから時間がたったか、ブラウザーの Cookie が無効になっています。"
    "ページを読み込み直して、もう一度送信してください。",
)


def error_response(
    status: int,
    *,
    text: ErrorText | None = None,
    reason: str = "",
    debug_detail: str = "",
) -> HttpResponse:
    """The page for ``status``; ``reason`` is shown when it is a Japanese message of ours (a
    library's English exception text is not), ``debug_detail`` only with DEBUG on."""
    shown = text or PAGES[status]
    context = {
        "status": status,
        "title": shown.title,
        "message": shown.message,
        "reason": reason if _JAPANESE.search(reason) else "",
        "debug_detail": debug_detail if settings.DEBUG else "",
    }
    response = HttpResponse(loader.render_to_string("errors/page.html", context), status=status)
    response.kpi_error_page = True  # type: ignore[attr-defined]
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _reason(exception: Exception | None) -> str:
    return str(exception.args[0]) if exception is not None and exception.args else ""


# --- handler400/403/404/500 (isesaki/urls.py): the pages with DEBUG off ---------------------
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(403, reason=_reason(exception))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(404, reason=_reason(exception))


def server_error(request: HttpRequest) -> HttpResponse:
    """Also reached when the database fails in a middleware: that is a 503, not a bug."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return error_response(503)
    return error_response(500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's own page is English and styled inline."""
    return error_response(403, text=CSRF_FAILURE, debug_detail=reason)


class ErrorPageMiddleware:
    """The same Japanese pages with DEBUG on, and a 503 for a database outage in a view."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, "kpi_error_page", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            # Django's technical 404 (no URL matched, or a static file is missing).
            return error_response(404, debug_detail=f"{request.method} {request.path}")
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_DOWN):
            logger.error(
                "database unavailable: %s %s", request.method, request.path, exc_info=exception
            )
            return error_response(503)
        if not settings.DEBUG:
            return None  # Django calls the handlers above
        if isinstance(exception, Http404):
            return error_response(
                404, reason=_reason(exception), debug_detail=f"{request.method} {request.path}"
            )
        if _has_own_handler(exception):
            return None
        signals.got_request_exception.send(sender=None, request=request)
        reporter = ExceptionReporter(request, type(exception), exception, exception.__traceback__)
        response = error_response(500, debug_detail=reporter.get_traceback_text())
        log_response(
            "Internal Server Error: %s",
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


def _has_own_handler(exception: Exception) -> bool:
    """Django answers these with handler403/handler400 in DEBUG too."""
    return isinstance(
        exception, (PermissionDenied, BadRequest, SuspiciousOperation, MultiPartParserError)
    )
