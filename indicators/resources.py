"""django-import-export resources.

``ActualResource`` writes the rows of an import that ``indicators.imports`` has read, checked
and found new or changed: an upsert keyed on the model's natural key (series, year), so that a
re-import updates instead of duplicating. It is tuned for files of thousands of rows — with
the library's defaults every row looks up its series and its actual with queries of its own,
is saved on its own and gets an HTML diff (about 230 rows/s on PostgreSQL; bench/imports.py):

* ``use_bulk``: rows are saved in batches, with django-simple-history's history rows, so the
  audit trail records who imported what from which file, as it does for typed values;
* ``ExistingActualsLoader`` fetches the stored actuals to update in one query;
* the series column holds the series' primary key, resolved once by the import, and values
  arrive checked and typed: ``import_instance`` sets them without a widget or a lookup;
* ``skip_diff``: only new and changed rows are sent, and the import's preview shows old → new
  itself, so the library's per-row copy and comparison of each instance (which
  ``skip_unchanged`` needs, and which would find nothing to skip) is not made;
* updates are one ``UPDATE … FROM (VALUES …)`` per batch (``update_in_place``): Django's
  ``bulk_update`` builds a CASE per row and field in Python (~650 µs a row here).

Checks do not live here: the import has refused the whole file before anything reaches this
resource if any row was in error.
"""

from collections.abc import Iterable, Sequence
from typing import Any

import tablib
from django.db import connections, router
from django.utils import timezone
from import_export import exceptions, fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Result, RowResult
from simple_history.utils import bulk_create_with_history

from indicators.models import Actual
from indicators.permissions import AnyUser

BATCH_SIZE = 1000
UPDATE_BATCH_SIZE = 1000
HEADERS = ["series", "year", "value", "note", "actual"]
UPDATED_FIELDS = ["value", "note", "updated_by", "updated_at"]


class ExistingActualsLoader(BaseInstanceLoader):
    """The stored actuals the rows update, named in their ``actual`` column, fetched in one
    query. A row without one is inserted, even if an actual of its series and year appeared
    since the import checked the file: the unique constraint then refuses it, rather than the
    import overwriting a value it never checked."""

    def __init__(self, resource: resources.Resource, dataset: tablib.Dataset | None = None) -> None:
        super().__init__(resource, dataset)
        ids = [pk for pk in dataset["actual"] if pk is not None] if dataset else []
        self.actuals = {(a.series_id, a.year): a for a in Actual.objects.filter(pk__in=ids)}

    def get_instance(self, row: dict[str, Any]) -> Actual | None:
        return self.actuals.get((row["series"], row["year"]))


class ActualRowResult(RowResult):
    def add_instance_info(self, instance: Actual | None) -> None:
        # The library also keeps str(instance) for the admin's log: for an actual that is two
        # queries (its series, then its indicator) per row. We keep no LogEntry per row.
        if instance is not None:
            self.object_id = instance.pk


class ActualResult(Result):
    """Totals, and the rows that failed; not a result object per written row, which nobody
    reads (the import's own plan is the preview) and which would hold memory per row."""

    def append_row_result(self, row_result: RowResult) -> None:
        if row_result.errors or row_result.validation_error:
            super().append_row_result(row_result)


class ActualResource(resources.ModelResource):
    series = fields.Field(
        attribute="series_id", column_name="series", widget=widgets.IntegerWidget()
    )
    actual = fields.Field(attribute="pk", column_name="actual", readonly=True)
    year = fields.Field(attribute="year", column_name="year", widget=widgets.IntegerWidget())
    value = fields.Field(attribute="value", column_name="value", widget=widgets.DecimalWidget())
    note = fields.Field(attribute="note", column_name="note", widget=widgets.CharWidget())

    class Meta:
        model = Actual
        fields = HEADERS
        import_id_fields = ("series", "year")
        instance_loader_class = ExistingActualsLoader
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_diff = True
        report_skipped = False

    def __init__(self, *, user: AnyUser | None = None, reason: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.reason = reason
        self.now = timezone.now()

    @classmethod
    def write(cls, rows: Iterable[tuple[Any, ...]], *, user: AnyUser, reason: str) -> None:
        """Save (series id, year, value, note) rows; raises the first error as it is (an
        IntegrityError, say, not the library's wrapper), and the caller's transaction then
        rolls everything back."""
        dataset = dataset_of(rows)
        if not dataset.height:
            return
        resource = cls(user=user, reason=reason)
        try:
            resource.import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
        except exceptions.ImportError as wrapped:
            raise wrapped.error from wrapped

    @classmethod
    def get_result_class(cls) -> type[Result]:
        return ActualResult

    @classmethod
    def get_row_result_class(cls) -> type[RowResult]:
        return ActualRowResult

    def import_instance(self, instance: Actual, row: dict[str, Any], **kwargs: Any) -> None:
        """The import has read, checked and typed every value: set them as they are."""
        instance.series_id, instance.year = row["series"], row["year"]
        instance.value, instance.note = row["value"], row["note"]

    def before_save_instance(self, instance: Actual, row: dict[str, Any], **kwargs: Any) -> None:
        instance.updated_by_id = self.user.pk if self.user else None  # type: ignore[attr-defined]
        instance.updated_at = self.now  # auto_now: bulk updates would not set it

    def bulk_create(
        self,
        using_transactions: bool,
        dry_run: bool,
        raise_errors: bool,
        batch_size: int | None = None,
        result: Any = None,
    ) -> None:
        if self.create_instances and (using_transactions or not dry_run):
            try:
                bulk_create_with_history(
                    self.create_instances, Actual, batch_size=batch_size, **self._history()
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(
        self,
        using_transactions: bool,
        dry_run: bool,
        raise_errors: bool,
        batch_size: int | None = None,
        result: Any = None,
    ) -> None:
        if self.update_instances and (using_transactions or not dry_run):
            try:
                update_in_place(self.update_instances, UPDATED_FIELDS)
                Actual.history.bulk_history_create(  # type: ignore[attr-defined]
                    self.update_instances, batch_size=batch_size, update=True, **self._history()
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    def _history(self) -> dict[str, Any]:
        return {
            "default_user": self.user,
            "default_change_reason": self.reason,
            "default_date": self.now,
        }


def dataset_of(rows: Iterable[tuple[Any, ...]]) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=HEADERS)


def update_in_place(actuals: Sequence[Actual], field_names: Sequence[str]) -> None:
    """Save these fields of stored actuals with one UPDATE per batch, joined on the primary key
    to the new values: on PostgreSQL ``FROM unnest(<one typed array per column>)``, elsewhere
    ``FROM (VALUES …)`` (SQLite from 3.33; no casts there: CAST AS datetime would keep only
    the text's leading year). Values are adapted by each field, as the ORM would."""
    connection = connections[router.db_for_write(Actual)]
    quote = connection.ops.quote_name
    columns = [Actual._meta.pk, *(Actual._meta.get_field(name) for name in field_names)]
    names = ", ".join(f"column{position}" for position in range(1, len(columns) + 1))
    assignments = ", ".join(
        f"{quote(field.column)} = v.column{position}"
        for position, field in enumerate(columns[1:], 2)
    )
    table = quote(Actual._meta.db_table)
    update = f"UPDATE {table} SET {assignments} FROM {{source}} " + (
        f"WHERE {table}.{quote(Actual._meta.pk.column)} = v.column1"
    )
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for start in range(0, len(actuals), UPDATE_BATCH_SIZE):
            batch = actuals[start : start + UPDATE_BATCH_SIZE]
            values = [
                [
                    field.get_db_prep_save(getattr(actual, field.attname), connection)
                    for actual in batch
                ]
                for field in columns
            ]
            if postgres:
                arrays = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in columns)
                cursor.execute(update.format(source=f"unnest({arrays}) AS v({names})"), values)
            else:
                rows = ", ".join([f"({', '.join(['%s'] * len(columns))})"] * len(batch))
                params = [value for row in zip(*values, strict=True) for value in row]
                # SQLite names the columns of VALUES column1, column2, … itself.
                cursor.execute(update.format(source=f"(VALUES {rows}) AS v"), params)
