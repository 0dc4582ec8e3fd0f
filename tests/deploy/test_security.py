"""Production settings, Content-Security-Policy, login throttling and the configurable admin path.

django-axes is on in tests too: log users in with client.force_login(); client.login() raises
(axes needs the request, which client.login() does not pass to authenticate()).
"""

import importlib
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import clear_url_caches, reverse
from pytest_django.fixtures import Settings

import isesaki.urls

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "kpi.example.jp",
    "CSRF_TRUSTED_ORIGINS": "https://kpi.example.jp",
    "ADMIN_PATH": "/kanri",
}


def _production(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **PRODUCTION_ENV, **env}
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True
    )


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.fixture
def tanaka(db: None) -> User:
    return User.objects.create_user("tanaka", password="pw-tanaka-1", is_staff=True)


@pytest.fixture
def admin_at_kanri(settings: Settings) -> Iterator[None]:
    settings.ADMIN_PATH = "kanri/"
    importlib.reload(isesaki.urls)
    clear_url_caches()
    yield
    settings.ADMIN_PATH = "admin/"
    importlib.reload(isesaki.urls)
    clear_url_caches()


def test_check_deploy_passes_with_production_settings() -> None:
    result = _production("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_come_from_the_environment_with_safe_defaults() -> None:
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_AGE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "X_FRAME_OPTIONS",
        "CSRF_TRUSTED_ORIGINS",
        "ADMIN_PATH",
        "STORAGES",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )

    result = _production("-c", code, DJANGO_SETTINGS_MODULE="isesaki.settings")

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://kpi.example.jp"]
    assert values["ADMIN_PATH"] == "kanri/"
    assert values["STORAGES"]["staticfiles"]["BACKEND"].endswith(
        "CompressedManifestStaticFilesStorage"
    )


def test_pages_carry_a_strict_self_only_content_security_policy(db: None, client: Client) -> None:
    response = client.get(reverse("admin:login"))

    policy = _policy(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_logins_are_refused_after_too_many_failures_even_with_the_right_password(
    tanaka: User, client: Client
) -> None:
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "tanaka", "password": "wrong"})

    response = client.post(login, {"username": "tanaka", "password": "pw-tanaka-1"})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_right_password_before_the_limit_logs_in(tanaka: User, client: Client) -> None:
    login = reverse("admin:login")
    client.post(login, {"username": "tanaka", "password": "wrong"})

    response = client.post(login, {"username": "tanaka", "password": "pw-tanaka-1"})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(tanaka.pk)


def test_tests_log_in_with_force_login(tanaka: User, client: Client) -> None:
    client.force_login(tanaka)

    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_answers_at_admin_path_and_keeps_its_url_names(
    db: None, client: Client, admin_at_kanri: None
) -> None:
    assert reverse("admin:index") == "/kanri/"
    assert client.get("/kanri/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404
