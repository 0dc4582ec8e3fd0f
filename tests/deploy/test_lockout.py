"""Login throttling behind the reverse proxy: the client's address comes from X-Forwarded-For
as the trusted proxies wrote it, a lock holds one user name from one address, and the lock is
shown in Japanese with the time it ends."""

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from isesaki.client_ip import client_address

if TYPE_CHECKING:  # what the test client returns (django-stubs names it privately)
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

PROXY = "172.18.0.1"  # the reverse proxy, as the app sees it
REAL_USER = "203.0.113.5"
ATTACKER = "198.51.100.7"


@pytest.fixture
def tanaka(db: None) -> User:
    return User.objects.create_user("tanaka", password="pw-tanaka-1", is_staff=True)


@pytest.fixture
def behind_one_proxy(settings: Settings) -> None:
    settings.KPI_TRUSTED_PROXIES = 1


def login(forwarded_for: str, password: str, url: str = "") -> "Response":
    """A login through the proxy, which appended the client to X-Forwarded-For."""
    client = Client(REMOTE_ADDR=PROXY, headers={"x-forwarded-for": forwarded_for})
    credentials = {"username": "tanaka", "password": password}
    return client.post(url or reverse("admin:login"), credentials)


def fail_until_locked(forwarded_for: str) -> "Response":
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(forwarded_for, "wrong").status_code == 200
    return login(forwarded_for, "wrong")


# --- the client's address -------------------------------------------------------------------
def _address(proxies: int, forwarded_for: str | None, settings: Settings) -> str | None:
    settings.KPI_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY)
    if forwarded_for is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(request)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, None, PROXY),
        (0, REAL_USER, PROXY),  # no proxy is trusted: the header is the client's own words
        (1, REAL_USER, REAL_USER),
        (1, f"{REAL_USER}, {ATTACKER}", ATTACKER),  # a forged entry left of the proxy's
        (1, "10.1.2.3", "10.1.2.3"),  # an intranet client keeps its private address
        (2, f"1.2.3.4, {REAL_USER}, 10.0.0.9", REAL_USER),  # two proxies: the outer one saw it
        (2, REAL_USER, PROXY),  # fewer entries than proxies: not through them
        (1, None, PROXY),
        (1, "garbage", PROXY),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_the_client_is_the_address_the_outermost_trusted_proxy_saw(
    proxies: int, forwarded_for: str | None, expected: str, settings: Settings
) -> None:
    assert _address(proxies, forwarded_for, settings) == expected


# --- the lock -------------------------------------------------------------------------------
def test_a_stranger_behind_the_proxy_cannot_lock_the_real_user_out(
    tanaka: User, behind_one_proxy: None
) -> None:
    assert fail_until_locked(ATTACKER).status_code == 429

    response = login(REAL_USER, "pw-tanaka-1")

    assert response.status_code == 302
    assert login(ATTACKER, "pw-tanaka-1").status_code == 429  # the stranger stays locked


def test_a_forged_forwarded_for_header_neither_frees_nor_frames_anyone(
    tanaka: User, behind_one_proxy: None
) -> None:
    for n in range(settings.AXES_FAILURE_LIMIT):  # a new forged address on every try
        login(f"192.0.2.{n}, {REAL_USER}, {ATTACKER}", "wrong")

    assert login(f"192.0.2.99, {ATTACKER}", "pw-tanaka-1").status_code == 429
    assert login(REAL_USER, "pw-tanaka-1").status_code == 302


def test_without_a_trusted_proxy_the_header_is_ignored(tanaka: User, settings: Settings) -> None:
    settings.KPI_TRUSTED_PROXIES = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(f"192.0.2.{n}", "wrong")  # every try "from" elsewhere: still the same peer

    assert login("192.0.2.200", "pw-tanaka-1").status_code == 429


@pytest.mark.parametrize("page", ["admin:login", "login"])
def test_the_lock_is_shown_in_japanese_in_the_sites_look_with_when_it_ends(
    tanaka: User, behind_one_proxy: None, page: str
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(ATTACKER, "wrong", reverse(page))
    before = timezone.localtime()

    response = login(ATTACKER, "wrong", reverse(page))

    assert response.status_code == 429
    html = response.content.decode()
    assert "ログインを一時停止しています" in html and 'class="site-header"' in html
    assert "パスワードを5回続けて間違えた" in html and "30分間" in html
    shown = re.search(r'<time datetime="([^"]+)">(\d{4})年(\d+)月(\d+)日 (\d+):(\d\d)</time>', html)
    assert shown is not None
    ends = datetime.fromisoformat(shown[1])
    assert timedelta(minutes=29) < ends - before < timedelta(minutes=31)
    assert "Account locked" not in html
