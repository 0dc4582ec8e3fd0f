from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.imports import (
    ImportFileError,
    ImportPlan,
    PlannedRow,
    RowKind,
    Upload,
    confirm_import,
    preview_import,
)
from indicators.imports.files import check_size
from indicators.models import ImportFormat

ALWAYS_SHOWN = frozenset({RowKind.NEW, RowKind.CHANGED, RowKind.WARNING, RowKind.ERROR})


class Command(BaseCommand):
    help = (
        "実績値・市民意識調査の結果を CSV（UTF-8／Shift_JIS）か Excel（.xlsx）から取り込みます。"
        "管理画面の取込と同じ確認をし、1行でもエラーがあれば何も保存せず終了コード 1 で終わります。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="取り込むファイル（.csv / .xlsx）")
        parser.add_argument(
            "--dry-run", action="store_true", help="プレビューだけを表示し、何も保存しない"
        )
        parser.add_argument(
            "--user",
            help="取り込む人のユーザー名：その人の権限で確認し、更新者として記録する"
            "（保存するときは必須。--dry-run で省略すると、すべての指標を確認する）",
        )
        parser.add_argument(
            "--encoding", help="CSV の文字コード（utf-8 / cp932）。省略時は自動判定"
        )
        parser.add_argument(
            "--format",
            choices=ImportFormat.values,
            help="actuals（実績値）か survey（市民意識調査）。省略時は列の見出しから判定",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user = self._user(options["user"])
        if user is None and not options["dry_run"]:
            raise CommandError("保存するには --user で取り込む人を指定してください。")
        upload = Upload(path.name, self._read(path))
        common = {"user": user, "encoding": options["encoding"], "format": options["format"]}
        try:
            if options["dry_run"]:
                plan = preview_import(upload, **common)
            else:
                record, plan = confirm_import(upload, via_command=True, **common)
        except ImportFileError as error:
            raise CommandError(f"{path.name}：{error}") from None
        self._summary(plan, options["verbosity"])
        if plan.has_errors:
            raise CommandError(f"エラー {plan.counts[RowKind.ERROR]}件：何も保存していません。")
        if options["dry_run"]:
            self.stdout.write("ドライラン：何も保存していません。")
        else:
            self.stdout.write(self.style.SUCCESS(f"取り込みました（取込記録 #{record.pk}）。"))

    def _user(self, username: str | None) -> AbstractUser | None:
        if username is None:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"ユーザー「{username}」はいません（または無効です）。")
        return user

    def _read(self, path: Path) -> bytes:
        try:
            check_size(path.stat().st_size, settings.KPI_IMPORT_MAX_BYTES)
            return path.read_bytes()
        except ImportFileError as error:
            raise CommandError(f"{path.name}：{error}") from None
        except OSError as error:
            raise CommandError(f"{path}：読めません（{error.strerror}）。") from None

    def _summary(self, plan: ImportPlan, verbosity: int) -> None:
        encoding = f"、{plan.encoding_label}" if plan.encoding else ""
        self.stdout.write(
            f"{plan.file_name}（{plan.file_type.upper()}{encoding}、{plan.format_label}）"
        )
        self.stdout.write(f"SHA-256 {plan.checksum}")
        counts = "、".join(f"{RowKind.LABELS[k]} {n}" for k, n in plan.counts.items())
        self.stdout.write(counts)
        if plan.previous_import:
            self.stdout.write(
                f"このファイルは取込記録 #{plan.previous_import.pk} で取り込み済みです。"
            )
        for problem in plan.problems:
            self.stderr.write(problem)
        for row in plan.rows:
            if row.kind in ALWAYS_SHOWN or verbosity >= 2:
                self.stdout.write(_row_line(row))


def _row_line(row: PlannedRow) -> str:
    series = f"（{row.series_label}）" if row.series_label else ""
    change = f"{row.old_display or '－'} → {row.new_display}"
    what = f"{row.code} {row.name}{series} {row.year_display}"
    line = f"{row.line:>6}行目 {row.kind_label}  {what} {change}"
    messages = "".join(f"\n         {m}" for m in row.located_messages)
    return line + messages
