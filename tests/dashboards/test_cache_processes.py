"""No worker serves a page older than a committed change (issue 16), tested with real
processes: gunicorn with two workers sharing the database cache (``KPI_CACHE=database``, as
compose runs it) serves the pages, and a third process — a ``manage.py shell`` as a
department's save would be — commits a change. The next request, whichever worker answers it,
shows the new value although the old page is still in the shared cache."""

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from plandata.sources import FIRST_PLAN_SOURCE
from tests.conftest import unused_port

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


@dataclass(frozen=True)
class Site:
    base: str  # the gunicorn server's address
    database: Path  # the SQLite file the processes share, the cache table in it
    code: str  # the indicator whose FY2025 value the test changes
    manage: Callable[..., str]  # manage.py in another process, on the same database


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
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
    port = unused_port()
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
        yield Site(base, database, code, manage)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.read().decode())


def test_a_change_committed_by_another_process_shows_in_every_worker(
    site: Site,
) -> None:
    json_url = f"{site.base}/indicators/{site.code}.json?year=2025"
    before = {json.loads(_get(json_url))["series"][0]["latest_value"] for _ in range(6)}
    assert len(before) == 1
    (old,) = before
    with sqlite3.connect(site.database) as cache:
        (entries,) = cache.execute("SELECT COUNT(*) FROM kpi_cache").fetchone()
    assert entries >= 1, "the JSON was cached in the shared table"

    site.manage("shell", "-c", CHANGE_ACTUAL)
    after = {json.loads(_get(json_url))["series"][0]["latest_value"] for _ in range(6)}
    assert after == {old + 1}
