"""The admin's import preview stays a page, whatever the file: the first rows of each kind with
counts of the rest, and 「取り込む」 only when something would be written without error.
(Memory and time of large previews: bench/import_preview.py.)"""

from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from indicators.imports.plan import PREVIEW_ERRORS, PREVIEW_ROWS_PER_KIND
from indicators.models import Actual, Indicator
from tests.conftest import add_actual
from tests.indicators.import_files import csv_file

if TYPE_CHECKING:  # what the test client returns (django-stubs names it privately)
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:indicators_actual_import")
HEADER = ["指標コード", "系列", "年度", "実績値", "備考"]
CONFIRM_BUTTON = 'value="取り込む"'


def preview(user: User, rows: list[list[str]]) -> "Response":
    client = Client()
    client.force_login(user)
    upload = SimpleUploadedFile("実績.csv", csv_file([HEADER, *rows]))
    return client.post(IMPORT, {"import_file": upload, "encoding": "auto", "format": "auto"})


def test_a_file_of_thousands_of_error_rows_previews_the_first_rows_and_counts_the_rest(
    sato: User, childcare_indicator: Indicator
) -> None:
    rows = [[f"X{n:04d}", "", "R6", "1", ""] for n in range(3000)]

    page = preview(sato, rows)

    assert page.status_code == 200
    html = page.text
    assert html.count('<tr class="error">') == PREVIEW_ROWS_PER_KIND
    assert "エラー <strong>3000</strong>" in html
    assert f"全 3,000 行のうち {PREVIEW_ROWS_PER_KIND} 行を表示" in html
    assert f"エラー {3000 - PREVIEW_ROWS_PER_KIND:,}行" in html  # the rows not shown, counted
    assert html.count("の指標はありません。</li>") == PREVIEW_ERRORS + PREVIEW_ROWS_PER_KIND
    assert f"ほか {3000 - PREVIEW_ERRORS:,}件のエラー" in html
    assert "2行目「指標コード」：指標コード「X0000」の指標はありません。" in html
    assert "X2999" not in html
    assert CONFIRM_BUTTON not in html
    assert len(page.content) < 200_000  # the whole file would be ~1 MB of HTML


def test_each_kind_of_row_keeps_its_first_rows_in_the_preview(
    sato: User, childcare_indicator: Indicator
) -> None:
    blanks = [["T101", "", "R5", "", ""] for _ in range(PREVIEW_ROWS_PER_KIND + 20)]
    new = ["T101", "", "R6", "95.5", ""]

    page = preview(sato, [*blanks, new])

    assert page.text.count('<tr class="blank">') == PREVIEW_ROWS_PER_KIND
    assert page.text.count('<tr class="new">') == 1  # after all the blanks, still shown
    assert "空欄（取り込まない） 20行" in page.text
    assert CONFIRM_BUTTON in page.text


def test_a_file_of_blank_rows_offers_no_confirmation(
    sato: User, childcare_indicator: Indicator
) -> None:
    page = preview(sato, [["T101", "", "R6", "", ""], ["T101", "", "R5", "－", ""]])

    assert page.status_code == 200
    assert "空欄 <strong>2</strong>" in page.text
    assert CONFIRM_BUTTON not in page.text
    assert "取り込む行がありません" in page.text


def test_a_file_that_changes_nothing_offers_no_confirmation(
    sato: User, childcare_indicator: Indicator
) -> None:
    add_actual(childcare_indicator, 2024, "95.5")

    page = preview(sato, [["T101", "", "R6", "95.5", ""]])

    assert "変更なし <strong>1</strong>" in page.text
    assert CONFIRM_BUTTON not in page.text
    assert "取り込む行がありません" in page.text
    assert Actual.objects.count() == 1
