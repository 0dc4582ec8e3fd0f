"""Writing an import (取込の書き込み): the new and changed actuals of a file that
``indicators.imports`` has read, checked and found free of errors, with a history row each.

An upsert keyed on the model's natural key (series, year), written plainly here rather than
through django-import-export's ``Resource``: the import's own preview already shows old → new
per row with warnings and per-column messages (which the library's row pipeline cannot), and
the library's write path adds a per-row instance lookup and diff that cost 3–5× the time of
these bulk statements (bench/imports.py prints both). django-import-export still keeps the
upload between preview and confirmation (its temporary storages, ``admin_imports``).

* New rows: ``bulk_create`` in batches (the database returns their primary keys).
* Changed rows: one ``UPDATE … FROM`` per batch, joined on the primary key to the new value,
  note, updater and time (Django's ``bulk_update`` builds a CASE per row and field in Python,
  ~650 µs a row), without reading the rows first.
* Their history rows: one ``INSERT … SELECT`` per batch copies each just-written actual into
  its history table with the importer, time, type and change reason — the rows
  django-simple-history's ``bulk_history_create`` would build in Python from the same actuals
  (tests compare them field for field), at a fraction of the time: building and inserting
  the historical instances was about half of the confirm.

A row without a stored actual is inserted even if one of its series and year appeared since
the import checked the file: the unique constraint then refuses it (the caller rolls back and
says so), rather than the import overwriting a value it never checked.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from indicators.models import Actual
from indicators.permissions import AnyUser
from measures.signals import data_changed

BATCH_SIZE = 1000
UPDATED_FIELDS = ("value", "note", "updated_by", "updated_at")
CREATED, CHANGED = "+", "~"  # django-simple-history's history_type


@dataclass(frozen=True)
class Write:
    """One actual to write: new when ``actual_id`` is None, else that stored actual changed."""

    series_id: int
    year: int
    value: Decimal
    note: str
    actual_id: int | None


@dataclass(frozen=True)
class History:
    """What every history row of one import says besides the actual's fields."""

    user: User | None
    reason: str
    date: datetime


def write_actuals(writes: Iterable[Write], *, user: AnyUser | None, reason: str) -> None:
    """Save the writes, each with a history row naming ``user`` and ``reason``, in batches (the
    memory held is one batch, whatever the file); raises the database's error as it is (an
    IntegrityError, say), and the caller's transaction then rolls everything back."""
    author = user if isinstance(user, User) else None  # the command's dry run has none
    history = History(author, reason, timezone.now())
    new: list[Write] = []
    changed: list[Write] = []
    for write in writes:
        (new if write.actual_id is None else changed).append(write)
        if len(new) == BATCH_SIZE:
            _create(new, history)
            new = []
        if len(changed) == BATCH_SIZE:
            _update(changed, history)
            changed = []
    if new:
        _create(new, history)
    if changed:
        _update(changed, history)
    data_changed.send(sender=Actual)  # bulk writes send no model signal (cached pages)


def _create(writes: list[Write], history: History) -> None:
    connection = connections[router.db_for_write(Actual)]
    if connection.vendor == "postgresql":
        ids = insert_in_place(writes, history, connection)
    else:
        actuals = Actual.objects.bulk_create(
            [
                Actual(
                    series_id=write.series_id,
                    year=write.year,
                    value=write.value,
                    note=write.note,
                    updated_by=history.user,
                    updated_at=history.date,
                )
                for write in writes
            ],
            batch_size=BATCH_SIZE,
        )
        ids = [actual.pk for actual in actuals]
    write_history(ids, CREATED, history)


NEW_ROW_FIELDS = ("series", "year", "value", "note")  # what each new row brings from the file


def insert_in_place(
    writes: Sequence[Write], history: History, connection: BaseDatabaseWrapper
) -> list[int]:
    """PostgreSQL: insert new actuals with one ``INSERT … SELECT FROM unnest(<one typed array
    per column>) RETURNING id`` — the row ``bulk_create`` would insert (every other column as
    a new ``Actual()`` holds it, the importer and the import's time as updater), without
    building a model instance and its SQL per row (which cost as much as the rest of the
    confirm). Returns the new primary keys."""
    quote = connection.ops.quote_name
    template = Actual()  # the model's defaults for what the file does not give
    given = [_field(name) for name in NEW_ROW_FIELDS]
    stamped = {"updated_by": history.user.pk if history.user else None, "updated_at": history.date}
    others = [
        field
        for field in Actual._meta.concrete_fields
        if not field.primary_key and field.name not in NEW_ROW_FIELDS
    ]
    constants = [stamped.get(f.name, getattr(template, f.attname)) for f in others]
    # The file's values are already what the columns take (ints, Decimals, text): psycopg
    # adapts them as they are, and each array is cast to its column's type (numeric(16, 4)
    # rounds as the column would); a per-value get_db_prep_save cost a third of the insert.
    arrays = [[getattr(w, field.attname) for w in writes] for field in given]
    columns = ", ".join(quote(field.column) for field in [*given, *others])
    selected = [f"v.column{position}" for position in range(1, len(given) + 1)]
    selected += [_placeholder(field, connection) for field in others]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Actual._meta.db_table)} ({columns}) "
            f"SELECT {', '.join(selected)} FROM {_unnest(given, connection)} "
            f"RETURNING {quote(_field('id').column)}",
            [
                *(
                    f.get_db_prep_save(c, connection)
                    for f, c in zip(others, constants, strict=True)
                ),
                *arrays,
            ],
        )
        return [row[0] for row in cursor.fetchall()]


def _update(writes: list[Write], history: History) -> None:
    """One batch of changed actuals: one UPDATE, their history rows in one INSERT."""
    user_id = history.user.pk if history.user else None
    rows = [(w.actual_id, w.value, w.note, user_id, history.date) for w in writes]
    update_in_place(rows, UPDATED_FIELDS)
    write_history([w.actual_id for w in writes if w.actual_id is not None], CHANGED, history)


def write_history(ids: Sequence[int], history_type: str, history: History) -> None:
    """The history rows of these stored actuals, in the order of their primary keys: every
    tracked field as the actual now holds it, with the user, date, type and change reason —
    what ``Actual.history.bulk_history_create(actuals, default_user=…, default_date=…,
    default_change_reason=…)`` writes, copied by the database with one INSERT … SELECT per
    batch instead of built in Python. On PostgreSQL the constants are cast to their columns'
    types (an untyped NULL is text there); SQLite needs no cast, and a CAST AS datetime would
    keep only the text's leading year."""
    if not ids or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historical = Actual.history.model
    connection = connections[router.db_for_write(historical)]
    quote = connection.ops.quote_name
    tracked = [_field(field.name) for field in historical.tracked_fields]
    copied = [historical._meta.get_field(field.name) for field in tracked]
    user = history.user or historical.get_default_history_user(Actual())
    constants: list[tuple[str, object]] = [
        ("history_date", history.date),
        ("history_change_reason", history.reason),
        ("history_type", history_type),
        ("history_user", user.pk if user else None),
    ]
    fields = [*copied, *(historical._meta.get_field(name) for name, _ in constants)]
    columns = ", ".join(quote(field.column) for field in fields)
    values = [
        *(f"a.{quote(field.column)}" for field in tracked),
        *(_placeholder(historical._meta.get_field(name), connection) for name, _ in constants),
    ]
    params = [
        historical._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in constants
    ]
    pk = quote(_field("id").column)
    limit = connection.features.max_query_params  # SQLite: 999; PostgreSQL: none
    size = BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - len(params))
    insert = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({columns}) "
        f"SELECT {', '.join(values)} FROM {quote(Actual._meta.db_table)} a "
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter: a thousand placeholders cost psycopg more to parse than
            # the statement costs to run.
            cursor.execute(insert + f"WHERE a.{pk} = ANY(%s) ORDER BY a.{pk}", [*params, list(ids)])
            return
        for start in range(0, len(ids), size):
            batch = ids[start : start + size]
            cursor.execute(
                insert + f"WHERE a.{pk} IN ({', '.join(['%s'] * len(batch))}) ORDER BY a.{pk}",
                [*params, *batch],
            )


def _placeholder(field: Any, connection: BaseDatabaseWrapper) -> str:
    if connection.vendor == "postgresql":
        # Field.cast_db_type is public Django API that django-stubs does not declare.
        return f"CAST(%s AS {field.cast_db_type(connection)})"
    return "%s"


def update_in_place(rows: Sequence[Sequence[Any]], field_names: Sequence[str]) -> None:
    """Save these fields of stored actuals with one UPDATE: ``rows`` are (primary key, value
    of each field) as the model holds them, joined on the primary key to the table: on
    PostgreSQL ``FROM unnest(<one typed array per column>)``, elsewhere ``FROM (VALUES …)``
    (SQLite from 3.33; no casts there: CAST AS datetime would keep only the text's leading
    year). Values are adapted by each field, as the ORM would."""
    if not rows:
        return
    connection = connections[router.db_for_write(Actual)]
    quote = connection.ops.quote_name
    columns = [_field(name) for name in ("id", *field_names)]
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
        [field.get_db_prep_save(row[position], connection) for row in rows]
        for position, field in enumerate(columns)
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(update.format(source=_unnest(columns, connection)), values)
        else:
            placeholders = ", ".join([f"({', '.join(['%s'] * len(columns))})"] * len(rows))
            params = [value for row in zip(*values, strict=True) for value in row]
            # SQLite names the columns of VALUES column1, column2, … itself.
            cursor.execute(update.format(source=f"(VALUES {placeholders}) AS v"), params)


def _unnest(fields: Sequence[Any], connection: BaseDatabaseWrapper) -> str:
    """PostgreSQL: ``unnest(%s::<type>[], …) AS v(column1, …)``, one array parameter per
    field, each cast to the field's column type (the names SQLite gives VALUES columns)."""
    # Field.cast_db_type is public Django API that django-stubs does not declare.
    arrays = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in fields)
    names = ", ".join(f"column{position}" for position in range(1, len(fields) + 1))
    return f"unnest({arrays}) AS v({names})"


def _field(name: str) -> "models.Field[Any, Any]":
    field = Actual._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field
