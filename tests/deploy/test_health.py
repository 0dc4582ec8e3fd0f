"""/healthz: 200 while the database answers, 503 when it does not; no login, no HTTPS redirect."""

import pytest
from django.db import OperationalError
from django.test import Client
from pytest_django.fixtures import Settings

from isesaki import health


def test_healthz_answers_ok_without_a_login(db: None, client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_fails(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Unreachable:
        def cursor(self) -> None:
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert "connection refused" not in response.content.decode()  # details go to the log only


def test_healthz_is_not_redirected_to_https_unlike_other_pages(
    db: None, client: Client, settings: Settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/admin/login/").status_code == 301
