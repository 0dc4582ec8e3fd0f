"""Error pages: Japanese, in the site's look, with DEBUG on and off, and a 503 (not a 500)
when the database does not answer."""

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django import Settings

from isesaki.errors import server_error
from tests.english import english_phrases

pytestmark = pytest.mark.django_db


def _japanese_page(response, status: int, title: str) -> str:  # type: ignore[no-untyped-def]
    text = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in text
    assert "kpi/kpi.css" in text and 'class="site-header"' in text  # the site's look
    assert "style=" not in text and "<style" not in text  # holds the strict CSP
    visible = text.split("<pre>")[0]  # the DEBUG detail is for developers
    assert english_phrases(visible) == []
    return text


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_url_answers_the_japanese_404(settings: Settings, debug: bool) -> None:
    settings.DEBUG = debug
    text = _japanese_page(Client().get("/no-such-page/"), 404, "ページが見つかりません")
    assert ("GET /no-such-page/" in text) is debug


@pytest.mark.parametrize("debug", [False, True])
def test_a_missing_object_answers_the_japanese_404_with_its_reason(
    settings: Settings, debug: bool, admin_user: User
) -> None:
    settings.DEBUG = debug
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:indicators_actual_change", args=[999999])
    text = _japanese_page(client.get(url), 404, "ページが見つかりません")
    assert "見つかりません（存在しないか、閲覧する権限がありません）。" in text


@pytest.mark.parametrize("debug", [False, True])
def test_a_forbidden_page_answers_the_japanese_403(
    settings: Settings, debug: bool, sato: User
) -> None:
    settings.DEBUG = debug
    client = Client()
    client.force_login(sato)
    response = client.get(reverse("admin:indicators_actual_entry_status"))
    _japanese_page(response, 403, "この操作の権限がありません")


@pytest.mark.urls("tests.site.error_urls")
@pytest.mark.parametrize("debug", [False, True])
def test_a_bug_answers_the_japanese_500_and_shows_the_traceback_only_with_debug(
    settings: Settings, debug: bool
) -> None:
    settings.DEBUG = debug
    response = Client(raise_request_exception=False).get("/test-broken/")
    text = _japanese_page(response, 500, "システムエラーが発生しました")
    assert ("Exception Value: a bug" in text) is debug
    assert ("Traceback" in text) is debug


@pytest.mark.urls("tests.site.error_urls")
@pytest.mark.parametrize("debug", [False, True])
def test_a_database_outage_answers_the_japanese_503(settings: Settings, debug: bool) -> None:
    settings.DEBUG = debug
    response = Client(raise_request_exception=False).get("/test-database-down/")
    text = _japanese_page(response, 503, "ただいまご利用いただけません")
    assert response["Retry-After"] == "60"
    assert "Connection refused" not in text  # details go to the log only


def test_a_database_outage_outside_a_view_is_a_503_too() -> None:
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)  # as Django calls it, inside the except block
    assert response.status_code == 503


@pytest.mark.parametrize("debug", [False, True])
def test_the_dashboards_answer_503_while_the_database_is_down_and_healthz_keeps_its_json(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, debug: bool
) -> None:
    settings.DEBUG, settings.KPI_PUBLIC_DASHBOARDS = debug, True

    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError('connection to server at "db" failed')

    monkeypatch.setattr(connection, "cursor", refuse)
    client = Client(raise_request_exception=False)
    _japanese_page(client.get("/"), 503, "ただいまご利用いただけません")
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "error", "database": "unavailable"}


def test_a_refused_csrf_check_answers_a_japanese_403(settings: Settings) -> None:
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "x"})
    _japanese_page(response, 403, "フォームの有効期限が切れました")
