from collections import Counter, defaultdict
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from plandata.plan_loader import Change, PlanLoadError, load_plan, read_source
from plandata.plan_source import PlanSourceError

LISTED = 50  # changes listed one by one at the default verbosity


def _by_kind(changes: list[Change]) -> dict[str, Counter[str]]:
    """新規 → {重点施策: 36, …}: the first word of what changed is its kind."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for change in changes:
        kinds[change.action][change.what.split(" ")[0]] += 1
    return kinds


class Command(BaseCommand):
    help = (
        "計画のYAMLを読み込み、その計画の構成（政策・施策・プロジェクト・指標・目標値）を"
        "自然キーで作成・更新します。他の計画には触れません。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="fixtures/source/plan_2025_2029.yaml など")
        parser.add_argument(
            "--dry-run", action="store_true", help="変更内容を表示するだけで保存しません"
        )
        parser.add_argument(
            "--confirm-removals",
            action="store_true",
            help="実績値や評価調書のある指標・施策などの削除を、そのデータごと行います",
        )

    def handle(
        self, *args: object, path: Path, dry_run: bool, confirm_removals: bool, **options: object
    ) -> None:
        try:
            source = read_source(path)
        except (OSError, yaml.YAMLError) as exc:
            raise CommandError(f"{path} を読めません：{exc}") from exc
        except PlanLoadError as exc:
            raise CommandError(f"{path.name}：{exc}") from exc
        try:
            result = load_plan(
                source,
                dry_run=dry_run,
                confirm_removals=confirm_removals,
                reason=f"計画データの読込（{path.name}）",
            )
        except (PlanSourceError, PlanLoadError) as exc:
            raise CommandError(f"{path.name}：{exc}") from exc
        for note in result.notes:
            self.stdout.write(note)
        verbose = int(str(options.get("verbosity", 1)))
        if dry_run or verbose > 1 or len(result.changes) <= LISTED:
            for change in result.changes:
                self.stdout.write(str(change))
        else:  # a first load: what of each kind, not 700 lines
            for action, kinds in _by_kind(result.changes).items():
                listed = "、".join(f"{kind} {n}件" for kind, n in kinds.items())
                self.stdout.write(f"{action}：{listed}（-v 2 ですべて表示）")
        counts = result.counts()
        summary = "、".join(f"{k} {counts[k]}件" for k in ("新規", "変更", "削除") if k in counts)
        head = f"{result.plan.code} {result.plan.name}："
        unsaved = "（--dry-run：保存していません）" if dry_run else ""
        self.stdout.write(head + (summary or "変更なし") + unsaved)
