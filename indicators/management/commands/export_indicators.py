from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators import spreadsheets
from indicators.exports import export_sheet
from measures.models import ActionPlan


class Command(BaseCommand):
    help = (
        "全指標の系列を書き出します（見出し行つき。CSV は UTF-8 BOM 付き、"
        "--output が .xlsx なら Excel 形式）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", type=Path, help="出力先 .csv または .xlsx（省略時は標準出力に CSV）"
        )
        parser.add_argument("--plan", help="アクションプランのコード（省略時は今年度の計画）")
        parser.add_argument(
            "--bom",
            action="store_true",
            help="（互換のため残しています。CSV には常に BOM を付けます）",
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
        output = options["output"]
        file_type = (
            spreadsheets.XLSX
            if output and Path(str(output)).suffix.lower() == ".xlsx"
            else spreadsheets.CSV
        )
        sheet = export_sheet(plan, include_provisional=bool(options["include_provisional"]))
        content = spreadsheets.write(sheet, file_type)
        if output:
            Path(str(output)).write_bytes(content)
        else:
            # The command's stdout is text: the BOM and CRLF line ends go as they are.
            self.stdout.write(content.decode("utf-8"), ending="")
