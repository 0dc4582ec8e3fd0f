"""Writing an import (取込の書き込み): the new and changed actuals of a file that
``indicators.imports`` has read, checked and found free of errors, with a history row each.

An upsert keyed on the model's natural key (series, year), written plainly here rather than
through django-import-export's ``Resource``: the import's own preview already shows old → new
per row with warnings and per-column messages (which the library's row pipeline cannot), and
the library's write path adds a per-row instance lookup and diff that cost 3–5× the time of
these bulk statements (bench/imports.py prints both). django-import-export still keeps the
upload between preview and confirmation (its temporary storages, ``admin_imports``).

* New rows: ``bulk_create_with_history`` (django-simple-history's public helper), in batches.
* Changed rows: the stored actuals named by the plan are fetched in one query per batch, their
  value, note, updater and time set, then written with one ``UPDATE … FROM`` per batch
  (Django's ``bulk_update`` builds a CASE per row and field in Python, ~650 µs a row) and their
  history rows with ``bulk_history_create``.

A row without a stored actual is inserted even if one of its series and year appeared since
the import checked the file: the unique constraint then refuses it (the caller rolls back and
says so), rather than the import overwriting a value it never checked.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connections, models, router
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from indicators.models import Actual
from indicators.permissions import AnyUser
from measures.signals import data_changed

BATCH_SIZE = 1000
UPDATED_FIELDS = ("value", "note", "updated_by", "updated_at")


@dataclass(frozen=True)
class Write:
    """One actual to write: new when ``actual_id`` is None, else that stored actual changed."""

    series_id: int
    year: int
    value: Decimal
    note: str
    actual_id: int | None


def write_actuals(writes: Iterable[Write], *, user: AnyUser | None, reason: str) -> None:
    """Save the writes, each with a history row naming ``user`` and ``reason``, in batches (the
    memory held is one batch of instances, whatever the file); raises the database's error as
    it is (an IntegrityError, say), and the caller's transaction then rolls everything back."""
    author = user if isinstance(user, User) else None  # the command's dry run has none
    now = timezone.now()
    history = {"default_user": author, "default_change_reason": reason, "default_date": now}
    new: list[Actual] = []
    changed: dict[int, Write] = {}  # stored actual's id → its write
    for write in writes:
        if write.actual_id is None:
            new.append(_new(write, author, now))
        else:
            changed[write.actual_id] = write
        if len(new) == BATCH_SIZE:
            bulk_create_with_history(new, Actual, batch_size=BATCH_SIZE, **history)
            new = []
        if len(changed) == BATCH_SIZE:
            _update(changed, author, now, history)
            changed = {}
    if new:
        bulk_create_with_history(new, Actual, batch_size=BATCH_SIZE, **history)
    if changed:
        _update(changed, author, now, history)
    data_changed.send(sender=Actual)  # bulk writes send no model signal (cached pages)


def _new(write: Write, author: User | None, now: datetime) -> Actual:
    return Actual(
        series_id=write.series_id,
        year=write.year,
        value=write.value,
        note=write.note,
        updated_by=author,
        updated_at=now,
    )


def _update(
    changed: dict[int, Write], author: User | None, now: datetime, history: dict[str, Any]
) -> None:
    """One batch of changed actuals: fetched in one query, written with one UPDATE, their
    history rows in one INSERT."""
    actuals = list(Actual.objects.in_bulk(list(changed)).values())
    for actual in actuals:
        write = changed[actual.pk]
        actual.value, actual.note = write.value, write.note
        actual.updated_by, actual.updated_at = author, now
    update_in_place(actuals, UPDATED_FIELDS)
    Actual.history.bulk_history_create(actuals, update=True, **history)


def update_in_place(actuals: Sequence[Actual], field_names: Sequence[str]) -> None:
    """Save these fields of stored actuals with one UPDATE, joined on the primary key to the
    new values: on PostgreSQL ``FROM unnest(<one typed array per column>)``, elsewhere
    ``FROM (VALUES …)`` (SQLite from 3.33; no casts there: CAST AS datetime would keep only
    the text's leading year). Values are adapted by each field, as the ORM would."""
    if not actuals:
        return
    connection = connections[router.db_for_write(Actual)]
    quote = connection.ops.quote_name
    columns = [_field(name) for name in ("id", *field_names)]
    names = ", ".join(f"column{position}" for position in range(1, len(columns) + 1))
    assignments = ", ".join(
        f"{quote(field.column)} = v.column{position}"
        for position, field in enumerate(columns[1:], 2)
    )
    table = quote(Actual._meta.db_table)
    pk_column = quote(columns[0].column)
    update = (
        f"UPDATE {table} SET {assignments} FROM {{source}} WHERE {table}.{pk_column} = v.column1"
    )
    values = [
        [field.get_db_prep_save(getattr(a, field.attname), connection) for a in actuals]
        for field in columns
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Field.cast_db_type is public Django API that django-stubs does not declare.
            types = [field.cast_db_type(connection) for field in columns]  # type: ignore[attr-defined]
            arrays = ", ".join(f"%s::{db_type}[]" for db_type in types)
            cursor.execute(update.format(source=f"unnest({arrays}) AS v({names})"), values)
        else:
            rows = ", ".join([f"({', '.join(['%s'] * len(columns))})"] * len(actuals))
            params = [value for row in zip(*values, strict=True) for value in row]
            # SQLite names the columns of VALUES column1, column2, … itself.
            cursor.execute(update.format(source=f"(VALUES {rows}) AS v"), params)


def _field(name: str) -> "models.Field[Any, Any]":
    field = Actual._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field
