"""Where an uploaded file waits between the admin's preview and its confirmation, and how long.

``UploadFolderStorage`` (the default ``IMPORT_EXPORT_TMP_STORAGE_CLASS``) keeps each file as
``<random>.upload`` in a folder of its own, ``KPI_IMPORT_UPLOAD_DIR`` (the system's temp folder
by default; a shared volume when several app containers serve the admin). A preview that is
never confirmed leaves its file behind: ``expire_uploads`` deletes those older than
``KPI_IMPORT_UPLOAD_MAX_AGE_HOURS`` (24), on every new upload and with
``manage.py expire_import_uploads``. Nothing else in the folder is touched.
"""

import os
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from import_export.tmp_storages import TempFolderStorage

SUFFIX = ".upload"


def upload_folder() -> Path:
    return Path(settings.KPI_IMPORT_UPLOAD_DIR)


def max_age() -> timedelta:
    return timedelta(hours=settings.KPI_IMPORT_UPLOAD_MAX_AGE_HOURS)


class UploadFolderStorage(TempFolderStorage):
    """django-import-export's temp-folder storage, in a folder of its own with names it can
    recognise again (its parent writes ``tmpXXXX`` files among everyone else's)."""

    name: str | None

    def save(self, data: bytes) -> None:
        folder = upload_folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.name = self.name or f"{uuid4().hex}{SUFFIX}"
        with open(self.get_full_path(), "wb") as file:
            file.write(data)

    def get_full_path(self) -> str:
        # The name comes back from a form: never a path of the user's choosing.
        return str(upload_folder() / os.path.basename(self.name or ""))


@dataclass(frozen=True)
class Expired:
    files: int
    size: int  # bytes


def expire_uploads(*, older_than: timedelta | None = None, now: float | None = None) -> Expired:
    """Delete the waiting uploads last written longer ago than ``older_than`` (default: the
    setting); returns how many, and their size."""
    limit = (now if now is not None else time.time()) - (older_than or max_age()).total_seconds()
    files = size = 0
    folder = upload_folder()
    if not folder.is_dir():
        return Expired(0, 0)
    for path in folder.glob(f"*{SUFFIX}"):
        try:
            stat = path.stat()
            if stat.st_mtime >= limit:
                continue
            path.unlink()
        except FileNotFoundError:  # confirmed (or expired by another worker) meanwhile
            continue
        files, size = files + 1, size + stat.st_size
    return Expired(files, size)
