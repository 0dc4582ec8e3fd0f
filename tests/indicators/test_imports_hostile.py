"""Every hostile file (tests/indicators/hostile_files.py) through ``manage.py import_actuals`` and
through the admin upload: refused with one Japanese message, exit status 1 or the message on the
page (HTTP 200), never a traceback or a 500, and nothing changed — the stored value stays."""

import html
import os
import re
import subprocess
import sys
from decimal import Decimal
from functools import cache
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from indicators.models import Actual, ImportRecord, Indicator
from tests.conftest import add_actual
from tests.indicators.hostile_files import Hostile, hostile_files

if TYPE_CHECKING:  # what the test client returns (django-stubs names it privately)
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = hostile_files()
IMPORT = reverse("admin:indicators_actual_import")
FIELD_ERRORS = re.compile(
    r'<ul class="errorlist"[^>]*id="id_import_file_error"[^>]*>(.*?)</ul>', re.S
)


@cache
def content(kind: str) -> bytes:
    return HOSTILE[kind].data()


@pytest.fixture
def stored(childcare_indicator: Indicator, school_indicator: Indicator) -> list[tuple]:
    """T101 2024 = 95.0: every hostile file would change it to 95.5 if it were accepted."""
    add_actual(childcare_indicator, 2024, "95.0")
    return _actuals()


def _actuals() -> list[tuple]:
    return list(Actual.objects.values_list("series_id", "year", "value", "note", "status"))


def _apply_bounds(hostile: Hostile, monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    for name, value in hostile.bounds.items():
        monkeypatch.setattr(f"indicators.imports.limits.{name}", value)
    if hostile.max_bytes:
        settings.KPI_IMPORT_MAX_BYTES = hostile.max_bytes


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_every_hostile_file_fails_the_command_with_one_line_and_changes_nothing(
    kind: str,
    tmp_path: Path,
    takahashi: User,
    stored: list[tuple],
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
) -> None:
    hostile = HOSTILE[kind]
    _apply_bounds(hostile, monkeypatch, settings)
    path = tmp_path / hostile.name
    path.write_bytes(content(kind))
    out = StringIO()

    with pytest.raises(CommandError) as refused:  # any other exception would be a traceback
        call_command("import_actuals", str(path), "--user", "takahashi", stdout=out)

    message = str(refused.value)
    assert "\n" not in message
    if hostile.row_error:
        assert message.startswith("エラー ") and hostile.message in out.getvalue()
    else:
        assert hostile.message in message, message
        assert not ImportRecord.objects.exists()  # unreadable files are not recorded
    assert _actuals() == stored
    assert Actual.objects.get().value == Decimal("95.0")


def _post(client: Client, name: str, data: bytes) -> "Response":
    upload = SimpleUploadedFile(name, data)
    return client.post(IMPORT, {"import_file": upload, "encoding": "auto", "format": "auto"})


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_every_hostile_file_is_refused_by_the_admin_upload_next_to_the_field(
    kind: str,
    sato: User,
    stored: list[tuple],
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
) -> None:
    hostile = HOSTILE[kind]
    _apply_bounds(hostile, monkeypatch, settings)
    client = Client()
    client.force_login(sato)

    page = _post(client, hostile.name, content(kind))

    assert page.status_code == 200
    assert 'id="import-confirm"' not in page.text
    if hostile.row_error:
        assert hostile.message in html.unescape(page.text)
    else:
        errors = FIELD_ERRORS.search(page.text)
        assert errors is not None and hostile.message in html.unescape(errors.group(1))
    assert _actuals() == stored


# --- the real command line: exit status 1, one line on stderr, no traceback ---------------------
@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    database = tmp_path_factory.mktemp("cli") / "kpi.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true"}
    env["LOG_LEVEL"] = "WARNING"  # axes logs its start at INFO
    command = [sys.executable, "manage.py", "migrate", "--verbosity", "0"]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return env


@pytest.mark.parametrize(
    "kind",
    [
        "xlsx: declared dimension A1:XFD1048576, row 1,048,576",
        "xlsx: malformed sheet XML",
        "xlsx: a formula without its saved result",
        "xlsx: entity expansion (billion laughs)",
        "csv: a quote that swallows the next row",
        "csv: 100,000 unknown columns",
    ],
)
def test_the_command_line_prints_one_line_and_exits_with_status_1(
    kind: str, tmp_path: Path, migrated_database: dict[str, str]
) -> None:
    hostile = HOSTILE[kind]
    path = tmp_path / hostile.name
    path.write_bytes(content(kind))
    result = subprocess.run(
        [sys.executable, "manage.py", "import_actuals", str(path), "--dry-run"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=migrated_database,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    if not hostile.row_error:
        assert hostile.message in result.stderr
