#!/usr/bin/env python
"""Benchmark: importing a file of actuals (indicators.imports), on SQLite and on PostgreSQL.

    .venv/bin/python bench/imports.py [--rows 10000] [--runs 3] [--db both|sqlite|postgres]

Seeds --rows / 2 indicators (one series each, a target from FY2023) and writes a CSV (UTF-8
with BOM) of --rows rows, two years per series, values as departments type them
("１，２３４人", "56.7％"). Then, in a fresh scratch database per engine:

* our import: the preview pass (read, normalise, check: ``preview_import``) and the confirm
  pass (the same again with rows locked, then the upsert of ``imports.write`` with
  history rows, and the ImportRecord: ``confirm_import``), for a file of new rows, of changed
  rows and of unchanged rows (the same file again);
* django-import-export with a default ``ModelResource`` (import_id_fields series and year,
  nothing else set) on the same rows already normalised: dry run (the library's preview) and
  import (its confirm);
* a plain ``bulk_create`` of the same rows (no checks, no history), and django-simple-history's
  ``bulk_create_with_history`` (the ORM's way to write them with history rows).

Prints rows/s (median of --runs; the default resource runs once, it is slow), the ratios (the
confirm of new rows against ``bulk_create`` explicitly), and
the peak memory of each pass (tracemalloc, in a separate run) against the file's size, at
1/10 and at the full size: memory that grows with the file, not faster.
"""

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

# Run as a file, a script has bench/ first on sys.path: the checkout goes before it, so that
# bench.harness imports and bench/dashboards.py never stands in for the dashboards app.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

YEARS = (2024, 2025)


def main() -> None:
    harness.run(__doc__, measure, name="imports", options={"--rows": 10_000, "--runs": 3})


# --- data -----------------------------------------------------------------------------------
def seed(indicators: int) -> list[tuple[str, str, str]]:
    """Indicators B00001… with one series and a target each; returns (code, unit, kind)."""
    from django.db import connection

    from indicators.models import Indicator, Series, Target
    from measures.models import ActionPlan

    plan = ActionPlan.objects.create(code="bench", name="計画", first_year=2025, last_year=2029)
    specs = [
        (f"B{n:05d}", "％" if n % 3 == 0 else "人", 1 if n % 3 == 0 else 0)
        for n in range(indicators)
    ]
    created = Indicator.objects.bulk_create(
        Indicator(code=code, name=f"指標{code}", unit=unit, decimals=decimals)
        for code, unit, decimals in specs
    )
    series = Series.objects.bulk_create(Series(indicator=i) for i in created)
    Target.objects.bulk_create(
        Target(
            series=s,
            plan=plan,
            baseline_value=Decimal(50),
            baseline_year=2023,
            target_value=Decimal(60),
            target_year=2029,
            target_kind="increase",
        )
        for s in series
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have (PostgreSQL; harmless on SQLite)
    return [(code, unit, "") for code, unit, _ in specs]


def typed_value(n: int, unit: str, shift: int) -> str:
    """As people type them: full-width digits and separators, units."""
    if unit == "％":
        return f"{50 + (n + shift) % 10}.{n % 10}％"
    value = f"{1000 + n % 500 + shift:,}人"
    full_width = str.maketrans("0123456789,", "０１２３４５６７８９，")
    return value.translate(full_width) if n % 2 else value


def csv_bytes(specs: list[tuple[str, str, str]], shift: int = 0) -> bytes:
    lines = ["指標コード,系列,年度,実績値,備考"]
    for n, (code, unit, _) in enumerate(specs):
        for year in YEARS:
            value = typed_value(n, unit, shift)
            lines.append(f'{code},,令和{year - 2018}年度,"{value}",取込テスト')
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def normalised_rows(data: bytes) -> list[tuple[int, int, Decimal, str, None]]:
    """The same rows, normalised (series id, year, value, note, no stored actual): what the
    library and bulk_create get."""
    from indicators.imports import RowKind, Upload, preview_import

    plan = preview_import(Upload("bench.csv", data), user=None)
    return [
        (r.series_id, r.year, r.new_value, r.new_note or "", None)  # type: ignore[misc]
        for r in plan.rows
        if r.kind in RowKind.WRITTEN
    ]


def reset() -> None:
    from indicators.models import Actual, ImportRecord

    Actual.history.all().delete()
    Actual.objects.all().delete()
    ImportRecord.objects.all().delete()


# --- timing ---------------------------------------------------------------------------------
def timed(action: Callable[[], object], *, before: Callable[[], object] = lambda: None) -> float:
    before()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_rate(
    rows: int, runs: int, action: Callable[[], object], **kw: Callable[[], object]
) -> float:
    return rows / statistics.median(timed(action, **kw) for _ in range(runs))


def peak_memory(
    action: Callable[[], object], *, before: Callable[[], object] = lambda: None
) -> int:
    before()
    gc.collect()  # garbage of earlier runs is not this run's
    tracemalloc.start()
    tracemalloc.reset_peak()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def measure(args: argparse.Namespace) -> None:
    import tablib
    from django.contrib.auth import get_user_model
    from import_export import resources
    from simple_history.utils import bulk_create_with_history

    from indicators.imports import Upload, confirm_import, preview_import
    from indicators.models import Actual

    rows, runs = args.rows, args.runs
    specs = seed(rows // len(YEARS))
    user = get_user_model().objects.create_superuser("bench", "bench@example.jp", "bench-pw-1")
    new_file, changed_file = csv_bytes(specs), csv_bytes(specs, shift=1)
    size = len(new_file)
    print(f"{rows:,} rows, file {size / 1024:,.0f} KB", flush=True)

    def preview(data: bytes) -> Callable[[], object]:
        return lambda: preview_import(Upload("bench.csv", data), user=user)

    def confirm(data: bytes) -> Callable[[], object]:
        def run() -> None:
            record, _ = confirm_import(Upload("bench.csv", data), user=user)
            assert record.applied, record.messages[:500]

        return run

    def load(data: bytes) -> Callable[[], None]:
        def run() -> None:
            reset()
            confirm(data)()

        return run

    ours = {
        "new: preview": median_rate(rows, runs, preview(new_file), before=reset),
        "new: confirm": median_rate(rows, runs, confirm(new_file), before=reset),
        "changed: preview": median_rate(rows, runs, preview(changed_file), before=load(new_file)),
        "changed: confirm": median_rate(rows, runs, confirm(changed_file), before=load(new_file)),
        "unchanged: preview": median_rate(rows, runs, preview(new_file), before=load(new_file)),
        "unchanged: confirm": median_rate(rows, runs, confirm(new_file), before=load(new_file)),
    }

    class DefaultActualResource(resources.ModelResource):
        class Meta:
            model = Actual
            fields = ("series", "year", "value", "note")
            import_id_fields = ("series", "year")

    reset()
    instances = normalised_rows(new_file)
    dataset = tablib.Dataset(*instances, headers=["series", "year", "value", "note", "actual"])
    library = {
        "preview": rows
        / timed(lambda: DefaultActualResource().import_data(dataset, dry_run=True), before=reset),
        "confirm": rows
        / timed(lambda: DefaultActualResource().import_data(dataset, dry_run=False), before=reset),
    }
    bulk = median_rate(
        rows,
        runs,
        lambda: Actual.objects.bulk_create(
            (Actual(series_id=s, year=y, value=v, note=n) for s, y, v, n, _ in instances),
            batch_size=1000,
        ),
        before=reset,
    )
    with_history = median_rate(
        rows,
        runs,
        lambda: bulk_create_with_history(
            [Actual(series_id=s, year=y, value=v, note=n) for s, y, v, n, _ in instances],
            Actual,
            batch_size=1000,
            default_user=user,
            default_change_reason="bench",
        ),
        before=reset,
    )

    print(f"{'pass':20} {'rows/s':>8} {'× default resource':>19} {'× bulk_create':>14}")
    for name, rate in ours.items():
        default = library[name.split(": ")[1]]
        print(f"{name:20} {rate:8,.0f} {rate / default:18.1f}× {rate / bulk:13.2f}×")
    for name, rate in library.items():
        print(f"{'default resource: ' + name:20} {rate:8,.0f}")
    print(f"{'bulk_create':20} {bulk:8,.0f}")
    print(f"{'  with history':20} {with_history:8,.0f} {'':19} {with_history / bulk:13.2f}×")
    print(
        f"confirm of new rows (with history rows) ÷ plain bulk_create: "
        f"{ours['new: confirm'] / bulk:.2f}×; ÷ bulk_create_with_history: "
        f"{ours['new: confirm'] / with_history:.2f}×"
    )

    print(
        f"peak memory (tracemalloc) with {len(specs):,} indicators in the database: a fixed part,"
        " measured with a file of one series; then what a row adds (the lookups of the"
        " indicators it names included):"
    )
    for label, make in (("preview", preview), ("confirm", confirm)):
        make(csv_bytes(specs[:1]))()  # warm up: first-use caches are not the file's
        fixed = peak_memory(make(csv_bytes(specs[:1])), before=reset)
        print(f"  {label}: fixed {fixed / 1024 / 1024:.1f} MB", flush=True)
        for count in (rows // 10, rows):
            data = csv_bytes(specs[: count // len(YEARS)])
            per_row = (peak_memory(make(data), before=reset) - fixed) / count
            print(
                f"    {count:>6,} rows, file {len(data) / 1024:5,.0f} KB "
                f"({len(data) / count:.0f} B a row): + {per_row / 1024:.2f} KB a row "
                f"= {per_row * count / len(data):.1f}× the file",
                flush=True,
            )


if __name__ == "__main__":
    main()
