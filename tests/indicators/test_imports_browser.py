"""A real Chromium uploads a CP932 CSV on the admin's import page, previews it and confirms it,
under the strict Content-Security-Policy, without a policy violation."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from indicators.models import Actual, ImportRecord
from tests.deploy.test_csp_browser import AdminTab, browser, tab  # noqa: F401 (fixtures)
from tests.indicators.import_files import csv_file

pytestmark = pytest.mark.browser


def test_a_file_is_uploaded_previewed_and_confirmed_in_a_browser(
    tab: AdminTab,  # noqa: F811
    live_server: LiveServer,
) -> None:
    rows = [["指標コード", "年度", "実績値", "備考"], ["K007", "令和６年度", "33.4％", "速報①"]]
    page = tab.page
    page.goto(live_server.url + reverse("admin:indicators_actual_import"))
    page.set_input_files(
        "input[name=import_file]",
        {"name": "満足度.csv", "mimeType": "text/csv", "buffer": csv_file(rows, "cp932")},
    )
    page.click("#import-upload input[type=submit]")
    page.wait_for_load_state("networkidle")

    assert "Shift_JIS（CP932）" in page.content()
    assert page.locator("table.import-preview tr.new").count() == 1

    page.click("#import-confirm input[type=submit]")
    page.wait_for_load_state("networkidle")

    assert "を取り込みました" in page.content()
    assert Actual.objects.get(series__indicator__code="K007", year=2024).value == Decimal("33.4")
    assert ImportRecord.objects.get().applied
    assert tab.violations() == []
