"""Importing yearly actuals and citizen-survey results (実績値・市民意識調査の取込).

A file goes through the same steps in the admin and in ``manage.py import_actuals``:

1. ``files``: bytes → header and rows (encoding detected, bad files refused, plain Python);
2. ``columns``: the header names the columns (Japanese or English) and, unless the user did,
   says which kind of file it is (actuals, or survey results by measure);
3. ``rows``: each row is normalised — NFKC for codes, years and numbers only; names, series
   labels and notes keep their characters — and resolved to an indicator, series and year;
4. ``checks``: against the database — the user's scope (``indicators.permissions``), the entry
   rules (``kpi.entry_rules``), the stored value and its status, duplicates — each row
   becomes new, changed, unchanged, blank (no value: not imported), warning or error, with a
   message per column: the ``ImportPlan`` (``plan``), which the preview shows;
5. ``confirm_import`` plans again inside one transaction, with the stored actuals locked, and
   writes only if no row is in error (``write.write_actuals`` does the upsert, with
   history rows); either way it records an ``ImportRecord``.

``templates`` writes the entry templates that come back as such files.

Statuses: a new value is a draft (下書き) whoever imports it, exactly like a typed one; a
changed value keeps its status, and only values the user may still edit can change (staff:
drafts and returned ones; approvers: also submitted ones). An approved value is never
overwritten: an approver reopens it first. Unchanged rows are fine whatever the status, so
importing the same file twice changes nothing the second time.

Every step runs a fixed number of queries per 1,000 rows of the file (``rows.CHUNK``) and reads
only the indicators, series, targets and actuals the file names, whatever the size of the
database.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from indicators.imports.checks import check
from indicators.imports.columns import detect_format, map_columns
from indicators.imports.files import ImportFileError, canonical_encoding, read_table
from indicators.imports.plan import ImportPlan, PlannedRow, RowKind, Upload
from indicators.imports.rows import Lookups, actual_rows, survey_rows
from indicators.imports.write import Write, write_actuals
from indicators.models import ImportFormat, ImportRecord
from indicators.permissions import AnyUser

__all__ = [
    "ImportFileError",
    "ImportPlan",
    "PlannedRow",
    "RowKind",
    "Upload",
    "confirm_import",
    "preview_import",
]

MESSAGES_KEPT = 50  # error and warning lines an ImportRecord keeps


# --- the two entry points -------------------------------------------------------------------
def preview_import(
    upload: Upload,
    *,
    user: AnyUser | None,
    encoding: str | None = None,
    format: str | None = None,
    today: date | None = None,
) -> ImportPlan:
    """What importing the file would do, row by row; writes nothing. ``user`` None (the
    command's dry run without --user) checks every indicator, as an approver could.
    Raises ImportFileError for a file that cannot be read at all."""
    return _plan(upload, user, encoding, format, today or timezone.localdate(), lock=False)


def confirm_import(
    upload: Upload,
    *,
    user: AnyUser,
    encoding: str | None = None,
    format: str | None = None,
    via_command: bool = False,
    today: date | None = None,
) -> tuple[ImportRecord, ImportPlan]:
    """Import the file all or nothing: plans again with the affected actuals locked (the data
    may have changed since the preview), writes when no row is in error, and records the
    attempt. Raises ImportFileError for a file that cannot be read at all."""
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            plan = _plan(upload, user, encoding, format, today, lock=True)
            if plan.has_errors:
                raise _Refused(plan)
            record = _record(plan, user, via_command=via_command, applied=True)
            reason = f"取込 #{record.pk}（{plan.file_name}）"
            write_actuals(_writes(plan), user=user, reason=reason)
    except _Refused as refused:
        plan = refused.plan
        record = _record(plan, user, via_command=via_command, applied=False)
    except IntegrityError:
        # Someone saved one of these actuals between our check and our write.
        plan = _plan(upload, user, encoding, format, today, lock=False)
        _mark_conflict(plan)
        record = _record(plan, user, via_command=via_command, applied=False)
    return record, plan


def _writes(plan: ImportPlan) -> Iterable[Write]:
    """The new and changed rows; where the file has no 備考 column, the stored note stays."""
    for row in plan.rows:
        if row.kind in RowKind.WRITTEN:
            # A new or changed row has its series, year and value: checks made it so.
            assert row.series_id is not None and row.year is not None
            assert row.new_value is not None
            note = row.new_note if row.new_note is not None else row.old_note
            yield Write(row.series_id, row.year, row.new_value, note or "", row.actual_id)


class _Refused(Exception):
    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan


def _mark_conflict(plan: ImportPlan) -> None:
    plan.problems.append(
        "取り込む間に、同じ実績値が別の画面から入力されました。何も保存していません。"
        "もう一度プレビューしてから取り込んでください。"
    )


def _record(plan: ImportPlan, user: AnyUser, *, via_command: bool, applied: bool) -> ImportRecord:
    counts = plan.counts
    return ImportRecord.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        file_name=plan.file_name[:255],
        checksum=plan.checksum,
        file_size=plan.file_size,
        file_type=plan.file_type,
        format=plan.format,
        encoding=plan.encoding or "",
        via_command=via_command,
        applied=applied,
        rows_new=counts[RowKind.NEW],
        rows_changed=counts[RowKind.CHANGED],
        rows_unchanged=counts[RowKind.UNCHANGED],
        rows_errors=counts[RowKind.ERROR],
        rows_warnings=plan.warning_rows,
        rows_blank=counts[RowKind.BLANK],
        messages="\n".join(plan.messages()[:MESSAGES_KEPT]),
    )


# --- planning -------------------------------------------------------------------------------
def _plan(
    upload: Upload,
    user: AnyUser | None,
    encoding: str | None,
    format: str | None,
    today: date,
    *,
    lock: bool,
) -> ImportPlan:
    table = read_table(
        upload.data,
        upload.name,
        encoding=canonical_encoding(encoding),
        max_bytes=settings.KPI_IMPORT_MAX_BYTES,
    )
    format = format or detect_format(table.headers)
    if format not in ImportFormat.values:
        raise ImportFileError(f"内容の種類「{format}」はありません（actuals か survey）。")
    columns = map_columns(table.headers, format)
    lookups = Lookups.load(user, today)
    if format == ImportFormat.SURVEY:
        rows = survey_rows(table, columns, lookups)
    else:
        rows = actual_rows(table, columns, lookups)
    check(rows, columns, lookups, lock=lock)
    return ImportPlan(
        file_name=upload.name,
        checksum=upload.checksum,
        file_size=len(upload.data),
        file_type=table.file_type,
        encoding=table.encoding,
        encoding_label=table.encoding_label,
        format=format,
        rows=rows,
        previous_import=ImportRecord.objects.filter(checksum=upload.checksum, applied=True)
        .select_related("user")
        .first(),
    )
