#!/usr/bin/env python
"""Benchmark: the yearly evaluation on the whole plan — opening a year (41 sheets), the year's
list, its Excel file and a project's sheet page — on SQLite and on PostgreSQL.

    .venv/bin/python bench/evaluations.py [--runs 20] [--db both|sqlite|postgres]

The plan comes from its YAML (load_plan) with an approved actual for every series and year
(2020–2025); half of the measures' sheets are finalised (figures frozen). Pages are rendered
in-process through Django's test client as the planning division. Prints p50/p95 in ms.
"""

import argparse
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

# Run as a file, a script has bench/ first on sys.path: the checkout goes before it, so that
# bench.harness imports and bench/dashboards.py never stands in for the dashboards app.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from plandata.sources import FIRST_PLAN_SOURCE

YEARS = range(2020, 2026)


def main() -> None:
    harness.run(__doc__, measure, name="evaluations", options={"--runs": 20})


def timings(client: Any, url: str, runs: int) -> tuple[float, float]:
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
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.test import Client

    from evaluations import services
    from evaluations.models import EvaluationSheet, SheetState
    from indicators.models import Actual, ActualStatus, Series
    from measures.models import ActionPlan

    runs = args.runs
    call_command("load_plan", str(FIRST_PLAN_SOURCE), verbosity=0)
    Actual.objects.bulk_create(
        Actual(series=s, year=y, value=Decimal(y - 2000), status=ActualStatus.APPROVED)
        for s in Series.objects.all()
        for y in YEARS
    )
    plan = ActionPlan.objects.current()
    assert plan is not None
    user = User.objects.create_user("kikaku", is_staff=True)
    user.groups.add(Group.objects.get(name="承認者"))
    start = time.perf_counter()
    opened = services.evaluations_open(plan=plan, year=2025, user=user)
    print(
        f"open 2025: {len(opened.created)} sheets in {(time.perf_counter() - start) * 1000:.0f} ms"
    )
    sheets = list(EvaluationSheet.objects.for_page().filter(measure__isnull=False)[:18])
    start = time.perf_counter()
    for sheet in sheets:  # finalised as the chain would leave them: figures frozen
        services._finalise(sheet, user, *services.live_suggestion(sheet), rank="B")
        sheet.state = SheetState.FINALISED
        sheet.save()
    per_sheet = (time.perf_counter() - start) * 1000 / len(sheets)
    print(f"finalise (read and freeze the figures): {per_sheet:.1f} ms per sheet")
    client = Client()
    client.force_login(user)
    project = EvaluationSheet.objects.get(year=2025, project__number=1)
    pages = {
        "list": "/evaluations/?year=2025",
        "list xlsx": "/evaluations/?year=2025&_export=xlsx",
        "project sheet": f"/evaluations/{project.pk}/",
        "finalised measure sheet": f"/evaluations/{sheets[0].pk}/",
    }
    for label, url in pages.items():
        p50, p95 = timings(client, url, runs)
        print(f"{label:>24}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
