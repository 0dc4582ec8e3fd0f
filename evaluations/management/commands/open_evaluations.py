"""manage.py open_evaluations --year 2025: the year's evaluation sheets, as the admin's 作成 page
makes them (a second run changes nothing)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from evaluations import services
from measures.models import ActionPlan


class Command(BaseCommand):
    help = (
        "指定した年度の評価調書（重点プロジェクトと重点施策ごと）を作成します。"
        "作成済みの調書は変更しません。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="評価年度（西暦、例：2025）")
        parser.add_argument("--plan", help="計画のコード（省略時は最新の計画）")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["plan"]
        plan = ActionPlan.objects.chosen(code)
        if plan is None:
            raise CommandError(f"計画が見つかりません：{code or '（計画が未登録）'}")
        try:
            opened = services.evaluations_open(plan=plan, year=options["year"], user=None)
        except ValidationError as error:
            raise CommandError(services.refusal(error)) from error
        self.stdout.write(
            f"{plan.name} {options['year']}年度：評価調書を{len(opened.created)}件作成、"
            f"既存 {opened.existing}件は変更なし。"
        )
        for name in opened.written_by_planning:
            self.stdout.write(f"  主管課が未設定のため企画担当が作成：{name}")
