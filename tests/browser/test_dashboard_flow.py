"""A manager's path through the dashboards in a real Chromium (Debian's, driven by Playwright):
log in, overview → project → indicator, change the as-of year, download the CSV export.
Every request must stay on 127.0.0.1; screenshots go to test-artefacts/."""

import csv
import io
import os
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import Page, Route, sync_playwright
from pytest_django.live_server_helper import LiveServer

from indicators.models import Actual, Series
from measures.models import ActionPlan

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTEFACTS = Path(settings.BASE_DIR) / "test-artefacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not shutil.which(CHROMIUM) and os.environ.get("CI") != "true",
        reason="Debian's chromium is not installed (CI installs it and never skips)",
    ),
]


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Page]:
    # Playwright's sync API runs an event loop in this thread; the ORM must still be usable.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            viewport={"width": 1366, "height": 900}, accept_downloads=True, locale="ja-JP"
        )
        page = context.new_page()
        page.outside = []  # type: ignore[attr-defined]

        def guard(route: Route) -> None:
            host = urlsplit(route.request.url).hostname
            if host not in {"127.0.0.1", "localhost"}:
                page.outside.append(route.request.url)  # type: ignore[attr-defined]
                return route.abort()
            return route.continue_()

        context.route("**/*", guard)
        yield page
        context.close()
        browser.close()


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def approved(name: str, year: int, value: str) -> None:
    series = Series.objects.get(indicator__name=name, label="")
    Actual.objects.create(series=series, year=year, value=Decimal(value), status="approved")


@pytest.mark.django_db(transaction=True)
def test_a_manager_reads_the_dashboards_and_downloads_a_project(
    plan: ActionPlan, live_server: LiveServer, browser_page: Page, django_user_model: type[User]
) -> None:
    django_user_model.objects.create_user("kacho", password="kacho-pw-2026")
    approved("刑法犯認知件数", 2024, "1800")
    approved("刑法犯認知件数", 2025, "1390")
    page = browser_page

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "kacho")
    page.fill("#id_password", "kacho-pw-2026")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".card").count() == 5
    shot(page, "01-overview")

    page.click("text=3. 暮らしの安心実現プロジェクト")
    page.wait_for_url("**/projects/3/**")
    assert page.locator("table.kpi-table").count() == 3
    crime = page.locator("table.headline tr", has_text="刑法犯認知件数")
    assert "1,390件" in crime.inner_text() and "達成" in crime.inner_text()
    shot(page, "02-project")

    page.select_option("#as-of-year", "2024")  # the select submits itself (kpi.js)
    page.wait_for_url("**year=2024**")
    crime = page.locator("table.headline tr", has_text="刑法犯認知件数")
    assert "1,800件" in crime.inner_text() and "達成" not in crime.inner_text()
    shot(page, "03-project-as-of-2024")

    with page.expect_download() as download_info:
        page.click("text=CSV出力")
    download = download_info.value
    assert download.suggested_filename == "重点プロジェクト3_暮らしの安心実現_令和6年度時点.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    themes = [r for r in rows if r["区分"] == "取組の方向性"]  # the project indicators first
    assert len(themes) == page.locator("table.kpi-table tbody tr").count()
    assert rows[0]["区分"] == "プロジェクト指標"
    assert any(r["成果指標"] == "交通事故発生件数" for r in rows)

    page.click("table.headline >> text=刑法犯認知件数")
    page.wait_for_url("**/indicators/**")
    assert page.locator("svg.chart .actual-point").count() == 1  # as of 2024
    page.select_option("#as-of-year", "2025")
    page.wait_for_url("**year=2025**")
    assert page.locator("svg.chart .actual-point").count() == 2
    shot(page, "04-indicator")

    assert page.outside == [], f"requests left 127.0.0.1: {page.outside}"  # type: ignore[attr-defined]
