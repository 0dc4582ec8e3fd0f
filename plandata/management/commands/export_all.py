"""Write the whole database content to one JSON file (see ``plandata.backup``)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS

from plandata.backup import export_objects, render


class Command(BaseCommand):
    help = "データベースの全内容（指標・実績値・ユーザー等）を JSON ファイルに書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="書き出し先（- で標準出力）")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: object, file: str, database: str, **options: object) -> None:
        objects = export_objects(database)
        text = render(objects)
        if file == "-":
            sys.stdout.write(text)
            return
        Path(file).write_text(text, encoding="utf-8")
        self.stderr.write(f"exported {len(objects)} objects to {file}")
