#!/usr/bin/env python
"""Benchmark: every hostile file (tests/indicators/hostile_files.py, at the issue's sizes) and
the largest valid files, through the import's read path — time and peak memory per file, and
the worst case.

    .venv/bin/python bench/hostile_files.py [--command] [--only SUBSTRING]

The read path is ``read_table`` and every row read (what the preview and the confirmation
consume): its time (untraced), and the peak of memory allocated meanwhile (tracemalloc, in a
second pass; the file's bytes, made before, not counted). ``--command`` also runs
``manage.py import_actuals FILE --dry-run`` per file in a child process, against a scratch
SQLite database with the plan loaded, and reports its wall time, exit status and peak resident
memory (VmHWM, which includes Python, Django and the libraries: ~70 MB before any file).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", action="store_true", help="also time the command")
    parser.add_argument("--only", default="", help="only the files whose name contains this")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isesaki.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    from indicators.imports import limits
    from tests.indicators.hostile_files import hostile_files

    limit = settings.KPI_IMPORT_MAX_BYTES
    files = {
        name: (h.name, h.data, h.bounds, h.max_bytes or limit)
        for name, h in hostile_files(full=True).items()
    }
    files.update(valid_files(limit))
    files = {k: v for k, v in files.items() if args.only in k}
    database = _scratch_database() if args.command else None
    print(f"KPI_IMPORT_MAX_BYTES {settings.KPI_IMPORT_MAX_BYTES / MB:.1f} MB")
    header = f"{'file':58} {'size':>9} {'read':>8} {'peak':>9}  result"
    if database:
        header += f"   {'command':>8} {'maxrss':>8} exit"
    print(header)
    worst_time = worst_memory = (0.0, "")
    for name, (file_name, build, bounds, max_bytes) in files.items():
        data = build()
        saved = {k: getattr(limits, k) for k in bounds}
        for key, value in bounds.items():
            setattr(limits, key, value)
        try:
            seconds, _, result = read(data, file_name, max_bytes, traced=False)
            _, peak, _ = read(data, file_name, max_bytes, traced=True)
        finally:
            for key, value in saved.items():
                setattr(limits, key, value)
        line = f"{name[:58]:58} {_size(len(data)):>9} {seconds * 1000:>6.0f}ms {peak / MB:>7.1f}MB"
        line += f"  {result[:60]}"
        if database and not bounds and max_bytes == limit:
            wall, rss, status = command(data, file_name, database)
            line += f"   {wall * 1000:>6.0f}ms {rss / 1024:>6.0f}MB {status}"
        print(line, flush=True)
        worst_time = max(worst_time, (seconds, name))
        worst_memory = max(worst_memory, (peak, name))
    print(f"worst time:   {worst_time[0] * 1000:,.0f} ms — {worst_time[1]}")
    print(f"worst memory: {worst_memory[0] / MB:,.1f} MB — {worst_memory[1]}")


def read(data: bytes, file_name: str, max_bytes: int, *, traced: bool) -> tuple[float, int, str]:
    """Read the file as an import does; (seconds, peak bytes if traced, what happened)."""
    from indicators.imports.files import ImportFileError, read_table

    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        table = read_table(data, file_name, max_bytes=max_bytes)
        rows = sum(1 for _ in table.rows)
        result = f"read: {rows:,} rows"
    except ImportFileError as error:
        result = f"refused: {error}"
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    tracemalloc.stop()
    return seconds, peak, result


def valid_files(max_bytes: int) -> dict[str, tuple[str, Any, dict[str, int], int]]:
    """The largest files the bounds let through: what memory is proportional to."""
    from tests.indicators.import_files import csv_file, xlsx_file

    header = ["指標コード", "指標名", "系列", "単位", "年度", "実績値", "備考"]

    def csv_at_the_limit() -> bytes:
        row = ["K0001", "年少人口", "", "人", "令和6年度（2024）", "26,186", "速報値"]
        size = len(csv_file([row]))
        return csv_file([header, *[row] * (max_bytes // size - 1)], "utf-8-sig")

    def xlsx_at_the_row_limit() -> bytes:
        row = ["K0001", "年少人口", None, "人", 2024, 26186, "速報値"]
        return xlsx_file([header, *[row] * 199_999])  # the header is a row too

    def blank_lines() -> bytes:
        rows = csv_file([header[:6], ["K0001", "", "", "", "R6", "1"]])
        return rows + b"\r\n" * (max_bytes // 2 - 100)

    return {
        "valid: CSV at the size limit (UTF-8 Japanese)": ("a.csv", csv_at_the_limit, {}, max_bytes),
        "valid: XLSX of 200,000 rows (openpyxl)": ("a.xlsx", xlsx_at_the_row_limit, {}, max_bytes),
        "valid: CSV of one row and 5,000,000 blank lines": ("a.csv", blank_lines, {}, max_bytes),
    }


def _scratch_database() -> dict[str, str]:
    path = Path(tempfile.mkdtemp()) / "kpi_bench_hostile.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "DEBUG": "true"}
    for step in (
        ["migrate", "--verbosity", "0"],
        ["load_plan", "fixtures/source/plan_2025_2029.yaml", "--verbosity", "0"],
    ):
        subprocess.run([sys.executable, "manage.py", *step], cwd=ROOT, env=env, check=True)
    return env


# The child reports its own peak resident memory (VmHWM: the high-water mark of the memory
# of the program it runs; ru_maxrss would count the pages of this big parent it was forked from).
_WRAPPER = """
import atexit, runpy, sys
def report():
    peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
    print(peak.split()[1], file=sys.__stderr__)
atexit.register(report)
sys.argv = ["manage.py", *sys.argv[1:]]
runpy.run_path("manage.py", run_name="__main__")
"""


def command(data: bytes, file_name: str, env: dict[str, str]) -> tuple[float, int, int]:
    """(wall seconds, peak resident KB, exit status) of import_actuals --dry-run on the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / file_name
        path.write_bytes(data)
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", _WRAPPER, "import_actuals", str(path), "--dry-run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        peak = int(child.stderr.strip().splitlines()[-1])
        return time.perf_counter() - started, peak, child.returncode


def _size(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size < MB else f"{size / MB:,.1f} MB"


if __name__ == "__main__":
    main()
