"""Writing an import (indicators.imports.write): the actuals and history rows it leaves are
those django-simple-history's helpers left before the history was copied with INSERT … SELECT,
field for field (run on SQLite and on PostgreSQL: the SQL differs per engine)."""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import Settings
from simple_history.utils import bulk_create_with_history

from indicators.imports import write as writer
from indicators.imports.write import UPDATED_FIELDS, Write, write_actuals
from indicators.models import Actual, ActualStatus, Indicator
from tests.conftest import add_actual

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 29, 1, 30, 15, 123456, tzinfo=UTC)
REASON = "取込 #7（実績.csv）"


def previous_write_actuals(writes: list[Write], *, user: User | None, reason: str) -> None:
    """The write path before: django-simple-history's bulk_create_with_history for the new
    rows, and for the changed ones the stored actuals fetched, changed and saved, then
    bulk_history_create builds each history row in Python."""
    now = timezone.now()
    history: dict[str, Any] = {
        "default_user": user,
        "default_change_reason": reason,
        "default_date": now,
    }
    size = writer.BATCH_SIZE
    new = [
        Actual(
            series_id=w.series_id,
            year=w.year,
            value=w.value,
            note=w.note,
            updated_by=user,
            updated_at=now,
        )
        for w in writes
        if w.actual_id is None
    ]
    bulk_create_with_history(new, Actual, batch_size=size, **history)
    changed = {w.actual_id: w for w in writes if w.actual_id is not None}
    actuals = list(Actual.objects.in_bulk(list(changed)).values())
    for actual in actuals:
        w = changed[actual.pk]
        actual.value, actual.note, actual.updated_by, actual.updated_at = w.value, w.note, user, now
    Actual.objects.bulk_update(actuals, UPDATED_FIELDS)
    Actual.history.bulk_history_create(actuals, batch_size=size, update=True, **history)


Rows = list[dict[str, Any]]


def written(write: Callable[[], None]) -> tuple[Rows, Rows]:
    """The actuals and every history row ``write`` leaves, then rolled back. Primary keys of
    new rows differ from run to run (a sequence does not roll back): each row says instead
    whether its actual's id is the one stored for its series and year."""
    with transaction.atomic():
        write()
        ids = {(a.series_id, a.year): a.pk for a in Actual.objects.all()}
        actuals = [
            {**row, "id": ids[(row["series_id"], row["year"])] == row["id"]}
            for row in Actual.objects.order_by("series_id", "year").values()
        ]
        history = [
            {**row, "id": ids.get((row["series_id"], row["year"])) == row["id"]}
            for row in Actual.history.order_by("history_id").values()
        ]
        for row in history:
            del row["history_id"]
        transaction.set_rollback(True)
    return actuals, sorted(history, key=lambda h: (h["history_type"], h["series_id"], h["year"]))


@pytest.fixture
def writes(childcare_indicator: Indicator, school_indicator: Indicator, sato: User) -> list[Write]:
    """Three new actuals and three changed ones: a draft, a submitted one (with who and when)
    and a returned one (with the reviewer's comment), whose other fields must be copied too."""
    draft = add_actual(childcare_indicator, 2023, "95.0")
    submitted = add_actual(school_indicator, 2023, "301", ActualStatus.SUBMITTED)
    Actual.objects.filter(pk=submitted.pk).update(submitted_by=sato, submitted_at=NOW)
    returned = add_actual(school_indicator, 2022, "310", ActualStatus.RETURNED)
    child, school = childcare_indicator.series.get().pk, school_indicator.series.get().pk
    return [
        Write(child, 2024, Decimal("95.5"), "速報値", None),
        Write(child, 2023, Decimal("95.1"), "", draft.pk),
        Write(school, 2024, Decimal("1234567890.1234"), "", None),
        Write(school, 2023, Decimal("299"), "訂正", submitted.pk),
        Write(child, 2025, Decimal("96"), "", None),
        Write(school, 2022, Decimal("305.50"), "再提出", returned.pk),
    ]


@pytest.mark.parametrize("importer", ["takahashi", None])
def test_the_actuals_and_history_rows_are_those_the_previous_path_wrote_field_for_field(
    writes: list[Write],
    takahashi: User,
    importer: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = takahashi if importer else None
    monkeypatch.setattr(writer, "BATCH_SIZE", 2)  # several batches of each kind
    monkeypatch.setattr(timezone, "now", lambda: NOW)

    before = written(lambda: previous_write_actuals(writes, user=user, reason=REASON))
    now = written(lambda: write_actuals(writes, user=user, reason=REASON))

    assert now == before
    actuals, history = now
    assert len(actuals) == 6 and len(history) == 3 + 6  # the stored ones' first rows, then ours
    ours = [h for h in history if h["history_change_reason"] == REASON]
    assert [h["history_type"] for h in ours] == ["+"] * 3 + ["~"] * 3
    assert {(h["history_user_id"], h["history_date"]) for h in ours} == {
        (user.pk if user else None, NOW)
    }


def test_the_history_rows_follow_the_order_of_the_file(
    writes: list[Write], takahashi: User
) -> None:
    write_actuals(writes, user=takahashi, reason=REASON)

    rows = Actual.history.filter(history_change_reason=REASON).order_by("history_id")
    assert [(h.series_id, h.year, h.history_type) for h in rows] == [
        (w.series_id, w.year, "+" if w.actual_id is None else "~")
        for w in sorted(writes, key=lambda w: (w.actual_id is not None, w.actual_id or 0))
    ]


def test_a_batch_takes_the_same_statements_for_one_row_or_several(
    writes: list[Write], takahashi: User
) -> None:
    """New rows: the INSERT and the history's INSERT … SELECT; changed rows: the UPDATE and
    the history's; the signal that bumps the dashboards' data version adds its own."""
    with CaptureQueriesContext(connection) as one:
        write_actuals(writes[:2], user=takahashi, reason=REASON)
    with CaptureQueriesContext(connection) as six:
        write_actuals(writes[2:], user=takahashi, reason=REASON)
    assert len(one) == len(six)


def test_no_history_rows_when_django_simple_history_is_turned_off(
    writes: list[Write], takahashi: User, settings: Settings
) -> None:
    settings.SIMPLE_HISTORY_ENABLED = False
    history = Actual.history.count()

    write_actuals(writes, user=takahashi, reason=REASON)

    assert Actual.history.count() == history
    assert Actual.objects.filter(note="訂正", value=Decimal(299)).exists()
