"""Load a file written by `export_all` into a migrated database, in one transaction."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor

from measures.management.commands.export_all import MADE_BY_MIGRATIONS, exported_models


def _tables(exported: list[type[models.Model]]) -> list[str]:
    tables: list[str] = []
    for model in exported:
        tables.append(model._meta.db_table)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                tables.append(through._meta.db_table)
    return tables


def _content(exported: list[type[models.Model]], using: str) -> list[str]:
    """The models that hold rows a fresh `migrate` would not have made."""
    return [
        m._meta.label
        for m in exported
        if m._meta.label not in MADE_BY_MIGRATIONS and m._base_manager.using(using).exists()
    ]


def import_objects(objects: list[dict[str, Any]], *, using: str, replace: bool) -> int:
    exported = exported_models()
    labels = {m._meta.label_lower for m in exported}
    unknown = sorted({str(o.get("model")) for o in objects} - labels)
    if unknown:
        raise CommandError(f"not an export_all file: unexpected models {', '.join(unknown)}")
    connection = connections[using]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError("the database is not fully migrated: run manage.py migrate first")
    with transaction.atomic(using=using):
        content = _content(exported, using)
        if content and not replace:
            raise CommandError(
                f"the database is not empty ({', '.join(content)}); "
                "pass --replace to delete that content first"
            )
        sql = connection.ops.sql_flush(no_style(), _tables(exported))
        connection.ops.execute_sql_flush(sql)
        # Foreign keys are checked at the end (deferred on PostgreSQL and SQLite), so the
        # order of the objects does not matter.
        for deserialized in serializers.deserialize("python", objects, using=using):
            deserialized.save(using=using)
        connection.check_constraints(table_names=_tables(exported))
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), exported):
                cursor.execute(statement)
    return len(objects)


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
        count = import_objects(objects, using=database, replace=replace)
        self.stderr.write(f"imported {count} objects from {file}")
