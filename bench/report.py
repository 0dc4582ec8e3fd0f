#!/usr/bin/env python
"""Benchmark: the annual report (効果検証報告書) of the whole plan as PDF and XLSX — about 100
A4 pages — on SQLite and on PostgreSQL.

    .venv/bin/python bench/report.py [--runs 3] [--db both|sqlite|postgres]

The plan comes from its YAML (load_plan) with an approved actual for every series and year
(2020–2025); FY2025's sheets are opened and every measure's is finalised with full-length
texts (取組実績, 成果と要因分析, 課題, 今後の方向性 at their maximum lengths) and a committee
comment, as a published report holds them. Prints the pages and the build time (read + layout).
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from plandata.sources import FIRST_PLAN_SOURCE

YEARS = range(2020, 2026)


def _pages(pdf: bytes) -> int:
    """The page count, from pdfinfo (poppler-utils): the PDF's objects are compressed."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    return int(found.group(1)) if found else 0


def main() -> None:
    harness.run(__doc__, measure, name="report", options={"--runs": 3})


def measure(args: argparse.Namespace) -> None:
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from evaluations import models, services
    from evaluations.models import EvaluationSheet, ExternalComment, SheetState
    from indicators.models import Actual, ActualStatus, Series
    from measures.models import ActionPlan
    from reports.pdf import report_pdf
    from reports.reads import annual_report
    from reports.xlsx import report_xlsx

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
    services.evaluations_open(plan=plan, year=2025, user=user)
    text = "成果指標の推移を踏まえ、取組の成果と課題を整理した。" * 60
    for sheet in EvaluationSheet.objects.for_page().filter(measure__isnull=False):
        sheet.achievements = text[: models.ACHIEVEMENTS_MAX]
        sheet.analysis = text[: models.ANALYSIS_MAX]
        sheet.challenges = text[: models.CHALLENGES_MAX]
        sheet.outlook, sheet.outlook_text = "continue", text[: models.OUTLOOK_TEXT_MAX]
        services._finalise(sheet, user, *services.live_suggestion(sheet), rank="B")
        sheet.state = SheetState.FINALISED
        sheet.save()
        ExternalComment.objects.create(sheet=sheet, member=user, text=text[:400])
    for label, build in (("pdf", report_pdf), ("xlsx", report_xlsx)):
        samples, content = [], b""
        for _ in range(args.runs):
            start = time.perf_counter()
            content = build(annual_report(plan, 2025))
            samples.append(time.perf_counter() - start)
        pages = _pages(content) if label == "pdf" else 0
        size = f"{pages} pages, " if pages else ""
        median = statistics.median(samples)
        print(
            f"{label:>5}: {size}{len(content) / 1024:,.0f} KB, median {median:.1f} s"
            f" ({args.runs} runs)"
        )


if __name__ == "__main__":
    main()
