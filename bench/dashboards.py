#!/usr/bin/env python
"""Benchmark: render time of the overview and of a project page at 1× and N× the seed plan,
on SQLite and on PostgreSQL.

    .venv/bin/python bench/dashboards.py [--scale 100] [--runs 30] [--db both|sqlite|postgres]

N× means one action plan N times the seed: N×5 projects, N×15 themes, N×94 links and N×115
indicators (≥ 10,000 series at 100×), each series with 7 years of actuals (2020–2026). Each
database run happens in a fresh scratch database that is dropped afterwards. Pages are
rendered in-process through Django's test client (no network), logged in as a manager.
Prints p50/p95 in milliseconds and the N×/1× ratio of each.
"""

import argparse
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
PAGES = {"overview": "/?year=2026", "project": "/projects/1/?year=2026"}


def main() -> None:
    harness.run(__doc__, measure, name="dashboards", options={"--scale": 100, "--runs": 30})


def timings(client: "Client", url: str, runs: int) -> tuple[float, float]:
    client.get(url)  # warm up caches and templates
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def measure(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from indicators.models import Series

    scale, runs = args.scale, args.runs

    call_command("load_plan", str(FIRST_PLAN_SOURCE), verbosity=0)
    add_actuals()
    client = Client()
    client.force_login(get_user_model().objects.create_user("bench", password="bench-pw-1"))
    base = {page: timings(client, url, runs) for page, url in PAGES.items()}
    started = time.perf_counter()
    grow(scale)
    analyze()
    print(
        f"grew to {scale}x: {Series.objects.count():,} series in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    for page, url in PAGES.items():
        p50, p95 = timings(client, url, runs)
        b50, b95 = base[page]
        print(
            f"{page:9} 1x p50 {b50:7.1f} ms p95 {b95:7.1f} ms | {scale}x p50 {p50:7.1f} ms "
            f"p95 {p95:7.1f} ms | ratio p50 {p50 / b50:5.1f} p95 {p95 / b95:5.1f}",
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


def grow(scale: int) -> None:
    """Copies of the seed's projects, themes, links and indicators, scale − 1 times."""
    from django.db import transaction

    from indicators.models import Indicator, Series, Target
    from measures.models import ActionPlan
    from projects.models import Project, ProjectIndicator, Theme, ThemeLink

    plan = ActionPlan.objects.current()
    seed: dict[str, list[Any]] = {
        "projects": list(Project.objects.filter(plan=plan)),
        "themes": list(Theme.objects.filter(project__plan=plan)),
        "links": list(ThemeLink.objects.filter(theme__project__plan=plan)),
        "entries": list(ProjectIndicator.objects.filter(project__plan=plan)),
        "indicators": list(Indicator.objects.all()),
        "series": list(Series.objects.all()),
        "targets": list(Target.objects.filter(plan=plan)),
    }
    with transaction.atomic():
        for copy in range(1, scale):
            _copy_seed(copy, seed)


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
