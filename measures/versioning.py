"""The data version (``DataVersion``) and a cache keyed by it.

Any save or delete of a model of the plan's apps (and any ``data_changed`` signal, which bulk
writers send) writes a new random token into the one ``DataVersion`` row — in the writer's
own transaction, so a reader sees the new token exactly when it sees the new data. Readers
read the token first and key what they cache by it: a page computed from older data is never
found again once a change is committed, in any process or container sharing the cache.
"""

import random
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from measures.models import DataVersion
from measures.signals import data_changed

T = TypeVar("T")
# The apps whose rows the dashboards, exports and the entry status show.
VERSIONED_APPS = frozenset({"measures", "indicators", "projects", "evaluations"})
# Rows that change nothing shown: the version row itself, history (written with its row),
# import records (the file, not the values).
UNVERSIONED_MODELS = frozenset({"dataversion", "importrecord"})
PK = 1


def current() -> int:
    """The token now (one query); 0 where the row is missing (a flushed test database)."""
    token = DataVersion.objects.filter(pk=PK).values_list("token", flat=True).first()
    return token if token is not None else 0


def bump() -> None:
    token = random.randint(1, 2**62)
    if not DataVersion.objects.filter(pk=PK).update(token=token):
        DataVersion.objects.update_or_create(pk=PK, defaults={"token": token})


def cached(key: str, compute: Callable[[], T], *, version: int | None = None) -> T:
    """``compute()``'s value under ``key`` for the current data version."""
    token = current() if version is None else version
    full_key = f"kpi:{token}:{key}"
    value: Any = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, settings.KPI_CACHE_TIMEOUT)
    return value


def _versioned(sender: type) -> bool:
    meta = getattr(sender, "_meta", None)
    # Migrations' historical models (another registry) run before the version table exists.
    if meta is None or meta.apps is not global_apps or meta.app_label not in VERSIONED_APPS:
        return False
    name = meta.model_name
    return name not in UNVERSIONED_MODELS and not name.startswith("historical")


def _on_change(sender: type, **kwargs: Any) -> None:
    if _versioned(sender):
        bump()


def _on_m2m(sender: type, action: str, instance: Any, **kwargs: Any) -> None:
    if action.startswith("post_") and _versioned(type(instance)):
        bump()


def _on_data_changed(sender: object, **kwargs: Any) -> None:
    bump()


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="kpi-version-save")
    post_delete.connect(_on_change, dispatch_uid="kpi-version-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="kpi-version-m2m")
    data_changed.connect(_on_data_changed, dispatch_uid="kpi-version-data")
