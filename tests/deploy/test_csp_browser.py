"""The strict Content-Security-Policy breaks nothing in the admin: a real Chromium opens the
admin's pages, including the indicator page with django-nested-admin's nested inlines, adds
inline rows with nested_admin's JavaScript, and the browser reports no policy violation."""

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from indicators.models import Indicator
from plandata.sources import FIRST_PLAN_SOURCE

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# Collects what the browser blocks, as the page sees it (also catches blocked inline styles).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; the ORM would refuse to run.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@dataclass
class AdminTab:
    """A logged-in browser tab and what its console said."""

    page: Page
    console: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        reported: list[str] = self.page.evaluate("window.__csp")
        return [*reported, *(m for m in self.console if "Content Security Policy" in m)]


@pytest.fixture
def tab(transactional_db: None, live_server: LiveServer, browser: Browser) -> AdminTab:
    call_command("load_plan", str(FIRST_PLAN_SOURCE), verbosity=0)
    client = Client()
    client.force_login(User.objects.create_superuser("kanri", "kanri@example.jp", "pw-kanri-1"))
    context = browser.new_context(locale="ja-JP")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    context.add_init_script(RECORD_VIOLATIONS)
    tab = AdminTab(context.new_page())
    tab.page.on("console", lambda message: tab.console.append(message.text))
    return tab


def _import_pages() -> list[str]:
    """django-import-export's import pages, for the admins that have one."""
    paths = []
    for model in admin.site._registry:
        try:
            paths.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import"))
        except NoReverseMatch:
            continue
    return paths


def test_admin_pages_render_without_a_policy_violation(
    tab: AdminTab, live_server: LiveServer
) -> None:
    paths = [
        "/",
        reverse("admin:index"),
        reverse("admin:indicators_indicator_changelist"),
        reverse("admin:indicators_indicator_add"),
        reverse("admin:indicators_actual_changelist"),
        reverse("admin:indicators_actual_add"),
        reverse("admin:measures_measure_changelist"),
        reverse("admin:projects_project_changelist"),
        *_import_pages(),
    ]
    found = {}
    for path in paths:
        response = tab.page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        tab.page.wait_for_load_state("networkidle")
        found[path] = tab.violations()

    assert {path: v for path, v in found.items() if v} == {}


def test_nested_inlines_work_under_the_policy(tab: AdminTab, live_server: LiveServer) -> None:
    indicator = Indicator.objects.order_by("code").first()
    assert indicator is not None
    url = live_server.url + reverse("admin:indicators_indicator_change", args=[indicator.pk])

    tab.page.goto(url)
    tab.page.wait_for_load_state("networkidle")
    rows_before = tab.page.locator(".djn-item").count()
    tab.page.locator(".djn-add-item a.djn-add-handler").first.click()
    tab.page.wait_for_timeout(300)

    assert tab.page.locator(".djn-item").count() > rows_before  # nested_admin's JS ran
    assert tab.violations() == []
