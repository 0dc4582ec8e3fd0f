"""Load a file written by `export_all` into a migrated database, in one transaction."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from plandata.backup import BackupError, import_objects


class Command(BaseCommand):
    help = (
        "export_all の JSON ファイルを読み込みます（1トランザクション）。"
        "データのあるデータベースには --replace が必要です。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="export_all の出力（- で標準入力）")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="既存の内容（指標・実績値・ユーザー等）を削除してから読み込む",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(
        self, *args: object, file: str, replace: bool, database: str, **options: object
    ) -> None:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        objects = json.loads(text)
        if not isinstance(objects, list):
            raise CommandError("not an export_all file: expected a JSON list")
        try:
            count = import_objects(objects, using=database, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"imported {count} objects from {file}")
