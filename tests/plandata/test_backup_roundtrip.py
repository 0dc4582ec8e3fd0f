"""export_all / import_all move the whole database between SQLite and PostgreSQL losslessly.

The round trip runs `manage.py` in subprocesses, each with its own DATABASE_URL, as an operator
would. PostgreSQL is reached through TEST_POSTGRES_URL (default: user postgres over TCP, trust
auth); the test makes and drops a scratch database there. Without PostgreSQL it is skipped,
except in CI (CI=true), where it fails.
"""

import difflib
import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from psycopg import sql

from measures.models import ActionPlan
from plandata.backup import NOT_EXPORTED, NOT_EXPORTED_MODELS, exported_models

BASE_DIR = Path(__file__).resolve().parents[2]
SEED_SCRIPT = Path(__file__).with_name("seed_backup_data.py")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _run(database_url: str, *command: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(BASE_DIR)}
    result = subprocess.run(
        [sys.executable, *command], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stderr[-4000:]}"


def _manage(database_url: str, *args: str) -> None:
    _run(database_url, "manage.py", *args)


def _same_text(expected: str, actual: str) -> str:
    """An assertion message with the first lines that differ, instead of two whole files."""
    diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), lineterm="")
    return "\n".join(list(diff)[:60])


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@pytest.fixture
def scratch_postgres_url() -> Iterator[str]:
    try:
        server = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"PostgreSQL is unreachable (TEST_POSTGRES_URL), and CI never skips: {error}"
            )
        pytest.skip(f"PostgreSQL is unreachable; set TEST_POSTGRES_URL to run this: {error}")
    name = f"kpi_backup_{uuid.uuid4().hex[:12]}"
    with server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield _with_database(POSTGRES_URL, name)
        finally:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_a_backup_goes_from_sqlite_to_postgresql_and_back_without_a_change(
    tmp_path: Path, scratch_postgres_url: str
) -> None:
    first = f"sqlite:///{tmp_path / 'first.sqlite3'}"
    third = f"sqlite:///{tmp_path / 'third.sqlite3'}"
    exports = [tmp_path / f"export{n}.json" for n in (1, 2, 3)]

    _manage(first, "migrate", "--verbosity=0")
    _run(first, str(SEED_SCRIPT))
    _manage(first, "export_all", str(exports[0]))
    _manage(scratch_postgres_url, "migrate", "--verbosity=0")
    _manage(scratch_postgres_url, "import_all", str(exports[0]))
    _manage(scratch_postgres_url, "export_all", str(exports[1]))
    _manage(third, "migrate", "--verbosity=0")
    _manage(third, "import_all", str(exports[1]))
    _manage(third, "export_all", str(exports[2]))

    first_text, second_text, third_text = (p.read_text(encoding="utf-8") for p in exports)
    assert second_text == first_text, _same_text(first_text, second_text)
    assert third_text == first_text, _same_text(first_text, third_text)
    entries = json.loads(first_text)
    counts = Counter(entry["model"] for entry in entries)
    groups = {e["fields"]["name"] for e in entries if e["model"] == "auth.group"}
    assert counts["indicators.actual"] == 15
    assert counts["auth.user"] == 2
    assert {"集計担当", "閲覧のみ"} <= groups  # and the role groups that migrations make
    assert counts["admin.logentry"] == 1
    assert counts["measures.actionplan"] >= 1
    # Sequences were reset on PostgreSQL: a new row does not collide with an imported key.
    new_plan = "ActionPlan.objects.create(code='x', name='x', first_year=2035, last_year=2039)"
    _manage(
        scratch_postgres_url, "shell", "-c", f"from measures.models import ActionPlan; {new_plan}"
    )


def test_an_export_keeps_microseconds_and_refers_to_permissions_by_natural_key(
    db: None, tmp_path: Path
) -> None:
    group = Group.objects.create(name="集計担当")
    group.permissions.add(*group.permissions.model.objects.filter(codename="change_actual"))
    user = User.objects.create_user("tanaka")
    export = tmp_path / "export.json"

    call_command("export_all", str(export))

    entries = {(e["model"], e["pk"]): e for e in json.loads(export.read_text(encoding="utf-8"))}
    assert entries["auth.group", group.pk]["fields"]["permissions"] == [
        ["change_actual", "indicators", "actual"]
    ]
    joined = entries["auth.user", user.pk]["fields"]["date_joined"]
    assert len(joined.split(".")[1]) == len("123456+00:00")


def test_import_all_refuses_a_database_that_already_has_content(db: None, tmp_path: Path) -> None:
    User.objects.create_user("tanaka")
    export = tmp_path / "export.json"
    call_command("export_all", str(export))

    with pytest.raises(CommandError, match="--replace"):
        call_command("import_all", str(export))


def test_import_all_with_replace_puts_back_exactly_what_was_exported(
    db: None, tmp_path: Path
) -> None:
    ActionPlan.objects.create(code="2025-2029", name="前期", first_year=2025, last_year=2029)
    User.objects.create_user("tanaka")
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    call_command("export_all", str(before))
    ActionPlan.objects.update(name="changed")
    ActionPlan.objects.create(code="2030-2034", name="後期", first_year=2030, last_year=2034)
    User.objects.create_user("suzuki")

    call_command("import_all", str(before), replace=True)
    call_command("export_all", str(after))

    assert after.read_text(encoding="utf-8") == before.read_text(encoding="utf-8")


def test_import_all_rejects_a_file_with_models_it_does_not_carry(db: None, tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text('[{"model": "sessions.session", "pk": "x", "fields": {}}]')

    with pytest.raises(CommandError, match="sessions.session"):
        call_command("import_all", str(export))


def test_every_model_is_exported_or_its_app_is_deliberately_left_out() -> None:
    exported = set(exported_models())
    forgotten = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model not in exported
        and model._meta.app_label not in NOT_EXPORTED
        and model._meta.label not in NOT_EXPORTED_MODELS
    ]

    assert forgotten == [], "add these to EXPORTED (or their app to NOT_EXPORTED)"
