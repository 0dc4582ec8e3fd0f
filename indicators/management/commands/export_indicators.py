import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from indicators.exports import export_rows
from measures.models import ActionPlan


class Command(BaseCommand):
    help = "全指標の系列をCSV（UTF-8、見出し行つき）で書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", type=Path, help="出力先（省略時は標準出力）")
        parser.add_argument("--plan", help="アクションプランのコード（省略時は最新の計画）")
        parser.add_argument(
            "--bom", action="store_true", help="Excel 用に BOM を付ける（UTF-8 with BOM）"
        )
        parser.add_argument(
            "--include-provisional",
            action="store_true",
            help="未承認の実績値（下書き・提出済）も出力する（既定は承認済のみ）",
        )

    def handle(self, *args: object, **options: object) -> None:
        code = options["plan"]
        plan = (
            ActionPlan.objects.filter(code=code).first() if code else ActionPlan.objects.current()
        )
        if code and plan is None:
            raise CommandError(f"アクションプランが見つかりません: {code}")
        header, rows = export_rows(plan, include_provisional=bool(options["include_provisional"]))
        encoding = "utf-8-sig" if options["bom"] else "utf-8"
        output = options["output"]
        if output:
            with Path(str(output)).open("w", encoding=encoding, newline="") as handle:
                self._write(handle, header, rows)
        else:
            self._write(self.stdout, header, rows)

    @staticmethod
    def _write(
        handle: TextIO | OutputWrapper, header: list[str], rows: Iterable[list[str]]
    ) -> None:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
