"""The whole database content as one JSON file, to move it to another database losslessly
(``export_all`` writes it, ``import_all`` loads it back).

The file is a Django fixture (a list of {"model", "pk", "fields"}), so `loaddata` reads it too;
`import_all` is the way back (empty-database check, one transaction, sequences reset).

- Rows keep their primary keys; foreign keys between exported rows stay primary keys.
- Rows the export does not carry but every migrated database has (content types, permissions)
  are referred to by natural key, because their primary keys differ between databases.
- Order is fixed (EXPORTED's order, then primary key; many-to-many lists sorted), so exporting
  an imported copy gives the identical file.
"""

import datetime
import json
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor

from measures.signals import data_changed


class BackupError(ValueError):
    """The file or the database is not fit for an import; the message says why."""


# What a backup holds: an app label means every model of that app, now and later; "app.Model"
# one model. Add new apps here (departments, approvals, audit trail …).
EXPORTED = [
    "auth.Group",
    "auth.User",
    "measures",
    "indicators",
    "projects",
    "evaluations",  # sheets, figures, review entries, chains, bureaus, positions, history
    "reports",  # the cycle's calendar (評価の日程) and its steps' dates
    "admin.LogEntry",  # the admin's change history (変更履歴)
]

# Models whose rows migrations make (the role groups of indicators/0006_roles and
# evaluations/0002, the default review chain of evaluations/0002): a freshly migrated database
# has them, so they are not content that import_all would have to --replace. The import still
# replaces them with the file's rows, like everything else.
MADE_BY_MIGRATIONS = [
    "auth.Group",
    "evaluations.ReviewChain",
    "evaluations.ReviewStep",
]

# Apps with tables that a backup deliberately leaves out, and why. A test fails when an
# installed app with models is in neither list, so a new app cannot be forgotten silently.
NOT_EXPORTED = {
    "contenttypes": "made by migrate; referred to by natural key",
    "auth": "permissions are made by migrate; users and groups are exported above",
    "sessions": "logins are not carried over",
    "axes": "login-failure counters are short-lived",
}


# Models of exported apps that a backup leaves out, and why.
NOT_EXPORTED_MODELS = {
    "measures.DataVersion": "the page cache's key, not data: every write replaces it",
}


def exported_models() -> list[type[models.Model]]:
    """The concrete models EXPORTED names, in its order, each once."""
    found: list[type[models.Model]] = []
    for label in EXPORTED:
        if "." in label:
            candidates = [apps.get_model(label)]
        else:
            candidates = list(apps.get_app_config(label).get_models())
        for model in candidates:
            if model._meta.label in NOT_EXPORTED_MODELS:
                continue
            if model not in found and not model._meta.proxy and model._meta.managed:
                found.append(model)
    return found


class _Serializer(PythonSerializer):
    """Natural keys only for references to rows that are not exported (see the module doc)."""

    def __init__(self, exported: list[type[models.Model]]) -> None:
        super().__init__()
        self._exported = set(exported)

    def _by_natural_key(self, field: "models.Field[Any, Any]") -> bool:
        assert field.remote_field is not None  # a relation: an FK or an M2M
        target = field.remote_field.model
        return target not in self._exported and hasattr(target, "natural_key")

    def handle_fk_field(self, obj: models.Model, field: "models.ForeignKey[Any, Any]") -> None:
        self.use_natural_foreign_keys = self._by_natural_key(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(
        self, obj: models.Model, field: "models.ManyToManyField[Any, Any]"
    ) -> None:
        self.use_natural_foreign_keys = self._by_natural_key(field)
        super().handle_m2m_field(obj, field)


class _LosslessEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds; a backup keeps the microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _auto_through(field: "models.ManyToManyField[Any, Any]") -> type[models.Model] | None:
    """The table Django made for a plain many-to-many (None for one with a ``through`` model,
    whose rows are exported as a model of their own)."""
    through = field.remote_field.through
    return through if through is not None and through._meta.auto_created else None


def export_objects(using: str = DEFAULT_DB_ALIAS) -> list[dict[str, Any]]:
    exported = exported_models()
    objects: list[dict[str, Any]] = []
    for model in exported:
        m2m_names = [f.name for f in model._meta.many_to_many if _auto_through(f) is not None]
        rows = model._base_manager.using(using).order_by("pk").prefetch_related(*m2m_names)
        serializer = _Serializer(exported)
        serializer.serialize(rows)
        entries: list[dict[str, Any]] = serializer.objects  # the Python serializer's output
        for entry in entries:
            for name in m2m_names:
                entry["fields"][name].sort()
            objects.append(entry)
    return objects


def render(objects: list[dict[str, Any]]) -> str:
    return json.dumps(objects, cls=_LosslessEncoder, ensure_ascii=False, indent=1) + "\n"


def _tables(exported: list[type[models.Model]]) -> list[str]:
    tables: list[str] = []
    for model in exported:
        tables.append(model._meta.db_table)
        for field in model._meta.many_to_many:
            through = _auto_through(field)
            if through is not None:
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
        raise BackupError(f"not an export_all file: unexpected models {', '.join(unknown)}")
    connection = connections[using]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError("the database is not fully migrated: run manage.py migrate first")
    with transaction.atomic(using=using):
        content = _content(exported, using)
        if content and not replace:
            raise BackupError(
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
        data_changed.send(sender=None)  # cached pages of the replaced data are not found again
    return len(objects)
