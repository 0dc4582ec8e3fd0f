#!/usr/bin/env python
"""Benchmark: every dashboard page and the entry status at 1×, 10× and 100× the seed plan, on
SQLite and on PostgreSQL, each beside a floor view measured in the same run.

    .venv/bin/python bench/dashboards.py [--scale 100] [--runs 30] [--db both|sqlite|postgres]

N× means one action plan N times the seed: N×5 projects, N×15 themes, N×94 links and N×115
indicators (11,700 series at 100×), each series with 7 years of actuals (2020–2026; 82,000 at
100×). The plan grows in steps (1×, 10×, then ``--scale``) in one scratch database, dropped
afterwards. Pages are rendered in-process through Django's test client (no network), DEBUG
off, logged in as a manager (the entry status: as a superuser). Each page is measured three
ways: "cold" (page cache and verdict memo emptied: a freshly started worker), "miss" (one
actual saved before each request: the first reader after a change) and "hit" (the readers
after that). ``BENCH_PAGES=overview,matrix`` measures only the pages named (by their names
below). The floor is ``/healthz`` (a ``SELECT 1`` through the same
middleware). Prints p50/p95 in milliseconds and p95 as a multiple of the floor's p95.
"""

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Run as a file, a script has bench/ first on sys.path: the checkout goes before it, so that
# bench.harness imports and bench/dashboards.py never stands in for the dashboards app.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from plandata.sources import FIRST_PLAN_SOURCE

if TYPE_CHECKING:  # Django is set up in the child process only
    from django.db.models import Model
    from django.test import Client

YEARS = range(2020, 2027)
FLOOR = "/healthz"
PAGES = {
    "overview": "/?year=2026",
    "measures": "/measures/?year=2026",
    "measure 7-1": "/measures/7-1/?year=2026",
    "project 1": "/projects/1/?year=2026",
    "project 1 csv": "/projects/1/?year=2026&_export=csv",
    "project 1 json": "/projects/1.json?year=2026",
    "indicator K001": "/indicators/K001/?year=2026",
    "indicator json": "/indicators/K001.json?year=2026",
    "matrix": "/matrix/",
    "sdgs": "/sdgs/?year=2026",
}
ADMIN_PAGES = {
    "entry status": "/admin/indicators/actual/entry-status/?year=2025",
    "entry status csv": "/admin/indicators/actual/entry-status/?year=2025&format=csv",
}


def main() -> None:
    harness.run(__doc__, measure, name="dashboards", options={"--scale": 100, "--runs": 30})


def timings(client: "Client", url: str, runs: int, *, mode: str) -> tuple[float, float]:
    """p50/p95 of ``runs`` requests. ``hit``: as they come. ``miss``: one actual changed
    (saved through the ORM, which moves the data version) before each request — what the first
    reader after a department's save waits. ``cold``: the page cache and the verdict memo
    emptied as well — the first request of a freshly started worker."""
    from django.core.cache import cache

    from dashboards.series import _judged
    from indicators.models import Actual

    changed = Actual.objects.order_by("pk").first()
    assert changed is not None
    client.get(url)  # warm up templates
    samples = []
    for _ in range(runs):
        if mode == "miss":
            changed.value += 1
            changed.save()
        elif mode == "cold":
            cache.clear()
            _judged.cache_clear()
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def measure(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from indicators.models import Actual, Series

    scale, runs = args.scale, args.runs
    call_command("load_plan", str(FIRST_PLAN_SOURCE), verbosity=0)
    add_actuals()
    users = get_user_model().objects
    manager, admin = Client(), Client()
    manager.force_login(users.create_user("bench", password="bench-pw-1"))
    admin.force_login(users.create_superuser("bench-admin", "a@example.jp", "bench-pw-2"))
    done = 1
    for step in sorted({1, min(10, scale), scale}):
        started = time.perf_counter()
        grow(step, done)
        done = step
        analyze()
        print(
            f"-- {step}x: {Series.objects.count():,} series, {Actual.objects.count():,} actuals "
            f"(built in {time.perf_counter() - started:.1f} s)",
            flush=True,
        )
        gc.collect()
        f50, f95 = timings(manager, FLOOR, runs, mode="hit")
        print(f"{'floor /healthz':17} p50 {f50:6.1f} p95 {f95:6.1f} ms", flush=True)
        chosen = set(filter(None, os.environ.get("BENCH_PAGES", "").split(",")))
        for pages, client in ((PAGES, manager), (ADMIN_PAGES, admin)):
            for page, url in pages.items():
                if chosen and page not in chosen:
                    continue
                c50, c95 = timings(client, url, max(3, runs // 10), mode="cold")
                m50, m95 = timings(client, url, max(5, runs // 3), mode="miss")
                h50, h95 = timings(client, url, runs, mode="hit")
                print(
                    f"{page:17} cold p50 {c50:7.1f} p95 {c95:7.1f}"
                    f" | miss p50 {m50:7.1f} p95 {m95:7.1f} ms ({m95 / f95:5.0f}x floor)"
                    f" | hit p50 {h50:6.1f} p95 {h95:6.1f} ms ({h95 / f95:4.1f}x floor)",
                    flush=True,
                )


def analyze() -> None:
    """Planner statistics, as autovacuum (PostgreSQL) would have gathered them in production;
    without them PostgreSQL picks nested loops for tables it believes empty."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def add_actuals() -> None:
    from indicators.models import Actual, ActualStatus, Series

    Actual.objects.bulk_create(
        Actual(
            series=s,
            year=y,
            value=Decimal(100 + (s.pk * 7 + y) % 50),
            status=ActualStatus.APPROVED,
        )
        for s in Series.objects.exclude(actuals__isnull=False)
        for y in YEARS
    )


def grow(scale: int, done: int = 1) -> None:
    """Copies of the seed's projects, themes, links and indicators, up to scale − 1 copies
    (``done`` − 1 are there already)."""
    from django.db import transaction

    from indicators.models import Indicator, Series, Target
    from measures.models import ActionPlan
    from measures.signals import data_changed
    from projects.models import Project, ProjectIndicator, Theme, ThemeLink

    plan = ActionPlan.objects.current()
    projects = Project.objects.filter(plan=plan, number__lt=10)  # the seed's, not copies
    indicators = Indicator.objects.exclude(code__contains="-")
    seed: dict[str, list[Any]] = {
        "projects": list(projects),
        "themes": list(Theme.objects.filter(project__in=projects)),
        "links": list(ThemeLink.objects.filter(theme__project__in=projects)),
        "entries": list(ProjectIndicator.objects.filter(project__in=projects)),
        "indicators": list(indicators),
        "series": list(Series.objects.filter(indicator__in=indicators)),
        "targets": list(Target.objects.filter(plan=plan, series__indicator__in=indicators)),
    }
    with transaction.atomic():
        for copy in range(done, scale):
            _copy_seed(copy, seed)
        data_changed.send(sender=None)  # bulk_create sends no model signal


def _copy_seed(copy: int, seed: dict[str, list[Any]]) -> None:
    from indicators.models import Actual, ActualStatus, Indicator, Series, Target
    from projects.models import Project, ProjectIndicator, Theme, ThemeLink

    ind_map = _clone(Indicator, seed["indicators"], code=lambda o: f"{o.code}-{copy}")
    ser_map = _clone(Series, seed["series"], indicator_id=lambda o: ind_map[o.indicator_id])
    _clone(Target, seed["targets"], series_id=lambda o: ser_map[o.series_id])
    Actual.objects.bulk_create(
        Actual(
            series_id=s,
            year=y,
            value=Decimal(100 + (s * 7 + y) % 50),
            status=ActualStatus.APPROVED,
        )
        for s in ser_map.values()
        for y in YEARS
    )
    proj_map = _clone(Project, seed["projects"], number=lambda o: copy * 10 + o.number)
    theme_map = _clone(Theme, seed["themes"], project_id=lambda o: proj_map[o.project_id])
    _clone(
        ThemeLink,
        seed["links"],
        theme_id=lambda o: theme_map[o.theme_id],
        indicator_id=lambda o: ind_map[o.indicator_id],
    )
    _clone(
        ProjectIndicator,
        seed["entries"],
        project_id=lambda o: proj_map[o.project_id],
        indicator_id=lambda o: ind_map[o.indicator_id],
    )


def _clone(
    model: "type[Model]", objects: list[Any], **changes: Callable[[Any], object]
) -> dict[int, int]:
    """bulk_create copies with some fields changed; returns old pk → new pk."""
    copies = []
    for obj in objects:
        fields = {
            f.attname: getattr(obj, f.attname)
            for f in model._meta.concrete_fields
            if not f.primary_key
        }
        fields.update({key: change(obj) for key, change in changes.items()})
        copies.append(model(**fields))
    created = model._default_manager.bulk_create(copies, batch_size=2000)
    return {old.pk: new.pk for old, new in zip(objects, created, strict=True)}


if __name__ == "__main__":
    main()
