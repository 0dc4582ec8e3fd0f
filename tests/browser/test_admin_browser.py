"""The admin in a real Chromium at 1366×900, each role: no English phrase of the admin's own
pages, no sideways scroll on the 実績値 list, no CSP violation on the history pages, and
numeric cells in every export it downloads."""

import csv
import io
import os
import shutil
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from indicators.models import Actual, Department, Target
from plandata.sources import FIRST_PLAN_SOURCE
from tests.english import english_phrases

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
ARTEFACTS = Path(settings.BASE_DIR) / "test-artefacts" / "admin-browser"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not shutil.which(CHROMIUM) and os.environ.get("CI") != "true",
        reason="Debian's chromium is not installed (CI installs it and never skips)",
    ),
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def living_plan(transactional_db: None, settings) -> dict[str, User]:  # type: ignore[no-untyped-def]
    """The plan with demo actuals (every status), and one user per admin role."""
    call_command("load_plan", str(FIRST_PLAN_SOURCE), verbosity=0)
    settings.DEBUG = True
    call_command("create_demo_users", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("create_demo_actuals", stdout=io.StringIO())
    settings.DEBUG = False
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    department = Department.objects.get(code="DEMO-01")
    return {
        "superuser": users.create_superuser("kanri", "kanri@example.jp", "unused-pw-1"),
        "approver": users.get(username="demo-shonin"),
        "staff": users.get(username="demo-nyuryoku"),
        "_department": department,  # type: ignore[dict-item]
    }


def _tab(browser: Browser, live_server: LiveServer, user: User) -> Page:
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, accept_downloads=True, locale="ja-JP"
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    context.add_init_script(RECORD_VIOLATIONS)
    return context.new_page()


def _admin_pages(user: User, department: Department) -> list[str]:
    indicator = department.indicators.order_by("code").first()
    assert indicator is not None
    actual = Actual.objects.filter(series__indicator=indicator).order_by("-year").first()
    target = Target.objects.filter(series__indicator=indicator).first()
    assert actual is not None and target is not None
    a = "admin:indicators_"
    pages = [
        reverse("admin:index"),
        reverse(f"{a}indicator_changelist"),
        reverse(f"{a}indicator_change", args=[indicator.pk]),
        reverse(f"{a}indicator_history", args=[indicator.pk]),
        reverse(f"{a}actual_changelist"),
        reverse(f"{a}actual_changelist") + "?status__exact=submitted",
        reverse(f"{a}actual_change", args=[actual.pk]),
        reverse(f"{a}actual_history", args=[actual.pk]),
        reverse(f"{a}actual_add"),
        reverse(f"{a}actual_import"),
        reverse(f"{a}target_history", args=[target.pk]),
        reverse(f"{a}importrecord_changelist"),
    ]
    if user.has_perm("indicators.approve_actual"):
        pages += [
            reverse(f"{a}actual_entry_status"),
            reverse(f"{a}department_changelist"),
            reverse(f"{a}target_changelist"),
        ]
    if user.is_superuser:
        pages += [
            reverse("admin:auth_user_changelist"),
            reverse("admin:axes_accessattempt_changelist"),
        ]
    return pages


ROLES = ("superuser", "approver", "staff")


def test_the_admins_own_pages_have_no_english_and_no_policy_violation(
    living_plan: dict[str, User], live_server: LiveServer, browser: Browser
) -> None:
    found: dict[str, object] = {}
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for role in ROLES:
        user = living_plan[role]
        page = _tab(browser, live_server, user)
        for number, path in enumerate(_admin_pages(user, living_plan["_department"])):  # type: ignore[arg-type]
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, (role, path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(ARTEFACTS / f"{role}-{number:02}.png"))
            english = english_phrases(page.inner_text("body"))
            violations = page.evaluate("window.__csp")
            if english or violations:
                found[f"{role} {path}"] = (english, violations)
    assert found == {}


def test_the_actual_list_fits_1366_pixels_without_scrolling_sideways(
    living_plan: dict[str, User], live_server: LiveServer, browser: Browser
) -> None:
    for role in ROLES:
        page = _tab(browser, live_server, living_plan[role])
        for query in ("", "?status__exact=submitted"):
            page.goto(live_server.url + reverse("admin:indicators_actual_changelist") + query)
            page.wait_for_load_state("networkidle")
            _assert_fits(page, f"{role} {query}")


def _assert_fits(page: Page, where: str) -> None:
    assert page.locator("#result_list tbody tr").count() > 0, where
    widths = page.evaluate(
        """() => {
          const page = document.scrollingElement, results = document.querySelector('.results');
          return [page.scrollWidth, page.clientWidth, results.scrollWidth, results.clientWidth];
        }"""
    )
    assert widths[0] <= widths[1], f"{where}: the page scrolls sideways: {widths}"
    assert widths[2] <= widths[3], f"{where}: the list scrolls inside its box: {widths}"
    # 所管課 is not wrapped one character per line.
    heights = page.evaluate(
        """() => [...document.querySelectorAll('#result_list td.field-department')]
                 .map(td => td.getBoundingClientRect().height)"""
    )
    line = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('#result_list td')).lineHeight)"
    )
    cell_padding = 20
    assert max(heights) < 4 * line + cell_padding, where


def _numbers_in_csv(raw: bytes) -> int:
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    count = 0
    for row in rows[1:]:
        for cell in row:
            try:
                Decimal(cell)
            except InvalidOperation:
                continue
            count += 1
    return count


def _numbers_in_xlsx(raw: bytes) -> int:
    book = openpyxl.load_workbook(io.BytesIO(raw))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows(min_row=2) for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    return sum(1 for c in cells if c.data_type == "n" and c.value is not None)


def _download(page: Page, url: str) -> bytes:
    with page.expect_download() as info:
        page.evaluate(
            """(url) => {
              const a = document.createElement('a');
              a.href = url;
              document.body.append(a);
              a.click();
            }""",
            url,
        )
    return Path(info.value.path()).read_bytes()


def test_every_export_downloaded_in_the_browser_has_numeric_cells(
    living_plan: dict[str, User], live_server: LiveServer, browser: Browser
) -> None:
    page = _tab(browser, live_server, living_plan["superuser"])
    page.goto(live_server.url + "/projects/1/")
    entry_status = reverse("admin:indicators_actual_entry_status")
    template = reverse("admin:indicators_actual_import_template")
    exports = {
        "/projects/1/?_export=csv": "csv",
        "/projects/1/?_export=xlsx": "xlsx",
        f"{entry_status}?year=2026&format=csv": "csv",
        f"{entry_status}?year=2026&format=xlsx": "xlsx",
        f"{template}?file_type=csv": "csv",
        f"{template}?file_type=xlsx": "xlsx",
    }
    for url, file_type in exports.items():
        raw = _download(page, live_server.url + url)
        count = _numbers_in_csv(raw) if file_type == "csv" else _numbers_in_xlsx(raw)
        assert count > 0, url
