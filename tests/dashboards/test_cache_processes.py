"""No worker serves a page older than a committed change (issue 16), tested with real
processes: gunicorn with two workers sharing the database cache (``KPI_CACHE=database``, as
compose runs it) serves the pages, and a third process — a ``manage.py shell`` as a
department's save would be — commits a change. The next request, whichever worker answers it,
shows the new value although the old page is still in the shared cache."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from plandata.sources import FIRST_PLAN_SOURCE

BASE_DIR = Path(__file__).resolve().parents[2]

ADD_ACTUAL = """
from indicators.models import Actual, Target
measured = Target.objects.filter(plan__first_year=2025, baseline_value__isnull=False)
target = measured.order_by("pk").first()
Actual.objects.create(
    series=target.series, year=2025, value=target.baseline_value, status="approved"
)
print(target.series.indicator.code)
"""
CHANGE_ACTUAL = """
from decimal import Decimal
from indicators.models import Actual
actual = Actual.objects.get(year=2025)
actual.value += Decimal(1)
actual.save()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[dict[str, str], str]]:
    database = tmp_path / "kpi.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "KPI_CACHE": "database",
        "KPI_PUBLIC_DASHBOARDS": "true",  # approved data, no login to script
        "DEBUG": "true",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py and the wsgi module set their own

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        return done.stdout

    manage("migrate", "--no-input", "-v", "0")
    manage("createcachetable")
    manage("load_plan", str(FIRST_PLAN_SOURCE), "-v", "0")
    code = manage("shell", "-c", ADD_ACTUAL).strip().splitlines()[-1]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "isesaki.wsgi", "--workers", "2"]
        + ["--bind", f"127.0.0.1:{port}", "--config", "docker/gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer /healthz")
        env["BASE"], env["CACHE_DB"] = base, str(database)
        yield env, code
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.read().decode())


def test_a_change_committed_by_another_process_shows_in_every_worker(
    site: tuple[dict[str, str], str],
) -> None:
    env, code = site
    base = env["BASE"]
    json_url = f"{base}/indicators/{code}.json?year=2025"
    before = {json.loads(_get(json_url))["series"][0]["latest_value"] for _ in range(6)}
    assert len(before) == 1
    (old,) = before
    with sqlite3.connect(env["CACHE_DB"]) as cache:
        (entries,) = cache.execute("SELECT COUNT(*) FROM kpi_cache").fetchone()
    assert entries >= 1, "the JSON was cached in the shared table"

    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CHANGE_ACTUAL],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        timeout=300,
        check=True,
    )
    after = {json.loads(_get(json_url))["series"][0]["latest_value"] for _ in range(6)}
    assert after == {old + 1}
