"""The public login page (/login/), for managers too: in the site's look, and it never names
the admin's hidden path (ADMIN_PATH) to anonymous visitors."""

import importlib
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import clear_url_caches
from pytest_django.fixtures import Settings

import isesaki.urls


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


def test_the_public_login_page_does_not_name_the_admin_path(
    db: None, client: Client, admin_at_kanri: None
) -> None:
    page = client.get("/login/")

    assert page.status_code == 200
    assert "kanri" not in page.content.decode()
    assert 'name="password"' in page.content.decode()


def test_signed_in_staff_find_the_admin_link(
    tanaka: User, client: Client, admin_at_kanri: None
) -> None:
    client.force_login(tanaka)

    assert 'href="/kanri/"' in client.get("/login/").content.decode()


def test_the_public_login_page_logs_in_and_goes_on(tanaka: User, client: Client) -> None:
    page = client.get("/login/?next=/measures/")
    assert 'name="next" value="/measures/"' in page.content.decode()
    credentials = {"username": "tanaka", "password": "pw-tanaka-1", "next": "/measures/"}

    response = Client(REMOTE_ADDR="127.0.0.1").post("/login/", credentials)

    assert response.status_code == 302 and response["Location"] == "/measures/"
