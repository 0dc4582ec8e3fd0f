"""Uploads waiting between preview and confirmation: a folder of their own, and the files of
previews nobody confirmed are deleted once older than KPI_IMPORT_UPLOAD_MAX_AGE_HOURS — on
every new upload and by ``manage.py expire_import_uploads``."""

import io
import os
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from indicators.imports.uploads import upload_folder
from indicators.models import Actual, Indicator
from tests.indicators.admin_forms import form_data
from tests.indicators.import_files import csv_file

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:indicators_actual_import")
CONFIRM = reverse("admin:indicators_actual_import_confirm")
ROWS = [["指標コード", "系列", "年度", "実績値", "備考"], ["T101", "", "R6", "95.5", ""]]
DAY = 24 * 60 * 60


@pytest.fixture(autouse=True)
def folder(settings: Settings, tmp_path: Path) -> Path:
    settings.KPI_IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def preview(user: User) -> dict[str, str]:
    """An upload previewed by ``user`` in a browser of their own; the confirm form's fields."""
    client = Client()
    client.force_login(user)
    upload = SimpleUploadedFile("実績.csv", csv_file(ROWS))
    page = client.post(IMPORT, {"import_file": upload, "encoding": "auto", "format": "auto"})
    return form_data(page.text, "import-confirm")


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_preview_waits_in_a_folder_of_its_own(
    sato: User, childcare_indicator: Indicator, folder: Path
) -> None:
    token = preview(sato)["token"]

    assert upload_folder() == folder
    assert [p.name for p in folder.iterdir()] == [token] and token.endswith(".upload")


def test_a_new_upload_deletes_abandoned_previews_older_than_a_day(
    sato: User, takahashi: User, childcare_indicator: Indicator, folder: Path
) -> None:
    abandoned = folder / preview(takahashi)["token"]
    recent = folder / preview(takahashi)["token"]  # another browser's, an hour old
    age(abandoned, DAY + 60)
    age(recent, 60 * 60)
    unrelated = folder / "notes.txt"
    unrelated.write_text("not an upload")
    age(unrelated, 10 * DAY)

    current = folder / preview(sato)["token"]

    assert not abandoned.exists()
    assert recent.exists() and current.exists() and unrelated.exists()


def test_the_command_deletes_old_uploads_and_says_how_many(
    sato: User, childcare_indicator: Indicator, folder: Path
) -> None:
    old = folder / preview(sato)["token"]
    age(old, 2 * DAY)
    fresh = folder / preview(sato)["token"]  # this upload expired `old` already
    assert not old.exists()
    age(fresh, 3 * 60 * 60)
    out = io.StringIO()

    call_command("expire_import_uploads", stdout=out)
    assert fresh.exists() and "アップロード 0件" in out.getvalue()

    call_command("expire_import_uploads", "--hours", "2", stdout=out)
    assert not fresh.exists() and "2時間より前のアップロード 1件" in out.getvalue()


def test_an_expired_preview_asks_to_upload_again(
    sato: User, childcare_indicator: Indicator, folder: Path
) -> None:
    client = Client()
    client.force_login(sato)
    upload = SimpleUploadedFile("実績.csv", csv_file(ROWS))
    page = client.post(IMPORT, {"import_file": upload, "encoding": "auto", "format": "auto"})
    fields = form_data(page.text, "import-confirm")
    age(folder / fields["token"], 2 * DAY)
    call_command("expire_import_uploads", stdout=io.StringIO())

    done = client.post(CONFIRM, fields, follow=True)

    assert "アップロードしたファイルが見つかりません" in done.text
    assert not Actual.objects.exists()


def test_a_token_cannot_name_a_file_outside_the_folder(
    sato: User, childcare_indicator: Indicator, folder: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.upload"
    outside.write_bytes(csv_file(ROWS))
    client = Client()
    client.force_login(sato)
    upload = SimpleUploadedFile("実績.csv", csv_file(ROWS))
    page = client.post(IMPORT, {"import_file": upload, "encoding": "auto", "format": "auto"})
    fields = {**form_data(page.text, "import-confirm"), "token": "../secret.upload"}

    client.post(CONFIRM, fields)

    assert outside.exists()
