"""manage.py build_report --year 2025 --format pdf|xlsx --output FILE: the annual report
(効果検証報告書) as the overview's download links give it, written on the server."""

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from measures.models import ActionPlan
from reports.pdf import report_pdf
from reports.reads import annual_report
from reports.xlsx import report_xlsx


class Command(BaseCommand):
    help = "効果検証報告書（PDF）または進捗管理シート（XLSX）を作成します。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="評価年度（西暦）")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--output", required=True, help="書き出すファイル")
        parser.add_argument("--plan", help="計画コード（省略時は現在の計画）")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = ActionPlan.objects.choice(options["plan"])
        if plan is None:
            raise CommandError("アクションプランがありません。")
        year = options["year"]
        if not plan.plan.first_year - 1 <= year <= plan.plan.last_year:
            raise CommandError(f"{year}年度は計画（{plan.plan.name}）の期間外です。")
        started = time.perf_counter()
        report = annual_report(plan.plan, year)
        content = report_pdf(report) if options["format"] == "pdf" else report_xlsx(report)
        Path(options["output"]).write_bytes(content)
        seconds = time.perf_counter() - started
        state = "確定" if report.finalised else "未確定を含む"
        self.stdout.write(
            f"{options['output']}（{len(content):,}バイト、{state}、{seconds:.1f}秒）"
        )
