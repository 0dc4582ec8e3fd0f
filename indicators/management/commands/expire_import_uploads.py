from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from indicators.imports.uploads import expire_uploads, max_age, upload_folder


class Command(BaseCommand):
    help = (
        "取込のプレビュー後に確定されずに残ったアップロードファイルのうち、古いもの"
        "（既定は KPI_IMPORT_UPLOAD_MAX_AGE_HOURS＝24時間より前）を削除します。"
        "新しいアップロードのたびにも自動で削除されます。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours", type=float, help="この時間より前のファイルを削除（既定：設定の値）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"]
        older_than = max_age() if hours is None else timedelta(hours=hours)
        expired = expire_uploads(older_than=older_than)
        self.stdout.write(
            f"{upload_folder()}：{older_than.total_seconds() / 3600:g}時間より前のアップロード "
            f"{expired.files}件（{expired.size / 1024 / 1024:.1f} MB）を削除しました。"
        )
