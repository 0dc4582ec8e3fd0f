#!/usr/bin/env python
"""Benchmark: the admin's import preview of a large file, against the import itself.

    .venv/bin/python bench/import_preview.py [--rows 190000] [--db sqlite|postgres|both]

In a scratch database with the whole plan loaded, for each file — every row in error (an
unknown indicator code), every row blank (no value), every row new — measures the peak memory
(tracemalloc) and time of:

* the admin preview: the upload POSTed through Django's test client as a superuser, the whole
  response rendered (its size is printed too);
* the import itself, without the admin: ``confirm_import`` of the same file (planned with the
  rows locked, written when nothing is in error, recorded).

The preview must stay within the import's memory: it plans the file the same way and renders a
bounded page whatever the number of rows.
"""

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

# Run as a file, a script has bench/ first on sys.path: the checkout goes before it, so that
# bench.harness imports and bench/dashboards.py never stands in for the dashboards app.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from plandata.sources import FIRST_PLAN_SOURCE


def main() -> None:
    harness.run(__doc__, measure, name="preview", options={"--rows": 190_000}, db="sqlite")


def files(rows: int) -> dict[str, bytes]:
    """Files of ``rows`` data rows: all in error, all blank, all new (the plan's indicators of
    one series, years 2024 and 2025, repeated codes refused as duplicates are avoided by
    using as many rows as there are series × years, at most)."""
    from indicators.models import Series

    header = "指標コード,系列,年度,実績値,備考\r\n"
    error = "".join(f"X{n % 1000:03d},,2024,1,\r\n" for n in range(rows))
    blank = "".join(f"K{n % 100 + 1:03d},,2024,,\r\n" for n in range(rows))
    single = [
        s.indicator.code
        for s in Series.objects.select_related("indicator").order_by("indicator__code")
        if s.indicator.series.count() == 1 and s.indicator.unit != "％"
    ]
    new = "".join(f"{code},,{year},1,\r\n" for code in single for year in (2024, 2025))
    return {
        "error": (header + error).encode(),
        "blank": (header + blank).encode(),
        f"new ({len(single) * 2} rows)": (header + new).encode(),
    }


def peak(action: Callable[[], object]) -> tuple[int, float, object]:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    top = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return top, elapsed, result


def measure(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from indicators.imports import Upload, confirm_import

    rows = args.rows
    call_command("load_plan", str(FIRST_PLAN_SOURCE), verbosity=0)
    user = get_user_model().objects.create_superuser("bench", "bench@example.jp", "bench-pw-1")
    client = Client()
    client.force_login(user)
    url = reverse("admin:indicators_actual_import")

    def preview(data: bytes) -> Callable[[], object]:
        def run() -> object:
            upload = SimpleUploadedFile("bench.csv", data)
            response = client.post(
                url, {"import_file": upload, "encoding": "auto", "format": "auto"}
            )
            assert response.status_code == 200, response.status_code
            return response

        return run

    def confirm(data: bytes) -> Callable[[], object]:
        def run() -> object:
            with transaction.atomic():  # rolled back: every file starts from the same data
                record, _ = confirm_import(Upload("bench.csv", data), user=user)
                transaction.set_rollback(True)
            return record

        return run

    preview(b"\xef\xbb\xbf" + files(10)["error"])()  # warm up: first-use caches
    print(f"{'file':22} {'size':>8} {'pass':8} {'peak memory':>12} {'time':>7}  page")
    for label, data in files(rows).items():
        size = f"{len(data) / 1024 / 1024:.1f} MB"
        memory, elapsed, response = peak(preview(data))
        page = len(response.content)  # type: ignore[attr-defined]
        confirm_offered = b'value="\xe5\x8f\x96\xe3\x82\x8a\xe8\xbe\xbc\xe3\x82\x80"' in (
            response.content  # type: ignore[attr-defined]
        )
        print(
            f"{label:22} {size:>8} {'preview':8} {memory / 1024 / 1024:9.1f} MB {elapsed:6.1f}s"
            f"  {page / 1024 / 1024:.2f} MB of HTML,"
            f" 取り込む {'offered' if confirm_offered else 'not offered'}",
            flush=True,
        )
        del response
        memory, elapsed, _ = peak(confirm(data))
        print(
            f"{'':22} {'':>8} {'import':8} {memory / 1024 / 1024:9.1f} MB {elapsed:6.1f}s",
            flush=True,
        )


if __name__ == "__main__":
    main()
