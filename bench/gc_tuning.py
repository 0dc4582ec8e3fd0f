#!/usr/bin/env python
"""Benchmark: what Python's cyclic garbage collector costs a dashboard miss at 100× the plan,
with the interpreter's defaults, after ``gc.freeze()``, and with gunicorn's thresholds
(``docker/gunicorn.conf.py``: freeze, then ``GC_THRESHOLDS``).

    .venv/bin/python bench/gc_tuning.py [--scale 100] [--runs 7] [--db postgres|sqlite|both]

Each request is a cold miss (page cache and verdict memo emptied). Prints per page the median
request time and the median time spent in collections (measured by ``gc.callbacks``, so it
reads the collector's own cost, not the machine's load) and the full collections counted.
"""

import argparse
import gc
import runpy
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

URLS = ("/?year=2026", "/measures/?year=2026", "/measures/7-1/?year=2026")
ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    harness.run(__doc__, measure, name="gc", options={"--scale": 100, "--runs": 7}, db="postgres")


def measure(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from bench.dashboards import add_actuals, analyze, grow
    from dashboards.series import _judged
    from plandata.sources import FIRST_PLAN_SOURCE

    call_command("load_plan", str(FIRST_PLAN_SOURCE), verbosity=0)
    add_actuals()
    grow(args.scale)
    analyze()
    client = Client()
    client.force_login(get_user_model().objects.create_user("bench", password="bench-pw-1"))
    for url in URLS:
        client.get(url)  # templates and imports loaded, as in a worker that has served pages

    in_gc, full, started = [0.0], [0], [0.0]

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            in_gc[0] += time.perf_counter() - started[0]
            full[0] += info["generation"] == 2

    gc.callbacks.append(watch)
    defaults = gc.get_threshold()
    config = runpy.run_path(str(ROOT / "docker/gunicorn.conf.py"))
    for label, setup in (
        ("defaults", lambda: gc.set_threshold(*defaults)),
        ("frozen", gc.freeze),
        ("gunicorn", lambda: gc.set_threshold(*config["GC_THRESHOLDS"])),
    ):
        gc.collect()
        setup()
        for url in URLS:
            totals, collecting, fulls = [], [], 0
            for _ in range(args.runs):
                cache.clear()
                _judged.cache_clear()
                in_gc[0], full[0] = 0.0, 0
                start = time.perf_counter()
                assert client.get(url).status_code == 200
                totals.append((time.perf_counter() - start) * 1000)
                collecting.append(in_gc[0] * 1000)
                fulls += full[0]
            print(
                f"{label:9} {url:26} median {statistics.median(totals):6.0f} ms,"
                f" in collections {statistics.median(collecting):5.0f} ms,"
                f" full collections {fulls} in {args.runs} requests",
                flush=True,
            )
    gc.unfreeze()
    gc.set_threshold(*defaults)


if __name__ == "__main__":
    main()
