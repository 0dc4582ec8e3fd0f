"""The audit trail of an indicator (変更履歴): who changed which actual, baseline or target, when,
from what to what, and why — read from django-simple-history's per-model history tables.

Loading the plan with ``loaddata`` writes no history rows; ``manage.py populate_history --auto``
records the loaded state once so that the first later change shows its old value. A change
without an earlier record shows the whole new state instead.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models

from indicators.models import Actual, Indicator, Target
from kpi.numbers import format_number
from kpi.wareki import year_label_with_gregorian

ACTUAL_FIELDS = ("year", "value", "note", "status", "review_comment")
TARGET_FIELDS = (
    "baseline_value",
    "baseline_label",
    "baseline_year",
    "target_value",
    "target_label",
    "target_year",
    "target_kind",
)
INDICATOR_FIELDS = (
    "name",
    "unit",
    "decimals",
    "period_kind",
    "cumulative",
    "department",
    "allow_negative",
)
YEAR_FIELDS = frozenset({"year", "baseline_year", "target_year"})
NO_EARLIER_RECORD = "（以前の記録なし）"
DELETED = "（削除）"


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    what: str  # series and year of an actual, or the target's or indicator's field
    old: str
    new: str
    comment: str  # the history row's change reason (e.g. a return's comment)


def audit_entries(indicator: Indicator, *, limit: int | None = None) -> list[AuditEntry]:
    """Every recorded change of the indicator, its targets and its actuals, newest first, in
    three queries (one per history table) however long the history."""
    actuals = Actual.history.filter(series__indicator=indicator).select_related(
        "history_user", "series"
    )
    targets = Target.history.filter(series__indicator=indicator).select_related(
        "history_user", "series", "plan"
    )
    own = Indicator.history.filter(id=indicator.pk).select_related("history_user", "department")
    formatter = _Formatter(indicator)
    rows = [
        *_entries(actuals, ACTUAL_FIELDS, Actual, formatter, _describe_actual(indicator)),
        *_entries(targets, TARGET_FIELDS, Target, formatter, _describe_target),
        *_entries(own, INDICATOR_FIELDS, Indicator, formatter, lambda row: ""),
    ]
    rows.sort(key=lambda item: item[0], reverse=True)
    entries = [entry for _, entry in rows]
    return entries if limit is None else entries[:limit]


class _Formatter:
    def __init__(self, indicator: Indicator) -> None:
        self.indicator = indicator

    def __call__(self, model: type[models.Model], name: str, row: Any) -> str:
        field = _field(model, name)
        value = getattr(row, name)
        if value is None or value == "":
            return ""
        if name in YEAR_FIELDS:
            return year_label_with_gregorian(value, self.indicator.period_kind)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "はい" if value else "いいえ"
        if isinstance(value, Decimal):
            return format_number(value, self.indicator.decimals)
        return str(value)


def _who(row: Any) -> str:
    user = row.history_user
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _field(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # the history tables' own columns
    return field


def _label(model: type[models.Model], name: str) -> str:
    return str(_field(model, name).verbose_name)


def _describe_actual(indicator: Indicator) -> Callable[[Any], str]:
    def describe(row: Any) -> str:
        label = f"{row.series.label} " if row.series.label else ""
        return f"{label}{year_label_with_gregorian(row.year, indicator.period_kind)}"

    return describe


def _describe_target(row: Any) -> str:
    label = f"{row.series.label} " if row.series.label else ""
    return f"{label}{row.plan.code}"


def _entries(
    rows: Iterable[Any],
    fields: tuple[str, ...],
    model: type[models.Model],
    formatter: _Formatter,
    describe: Callable[[Any], str],
) -> Iterator[tuple[tuple[datetime, int, int], AuditEntry]]:
    """(sort key, entry) for every changed field of every history row, oldest row first."""
    previous: dict[int, Any] = {}
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(row.id)
        previous[row.id] = row
        for index, (what, old, new) in enumerate(
            _changes(before, row, fields, model, formatter, describe(row))
        ):
            entry = AuditEntry(
                when=row.history_date,
                who=_who(row),
                what=what,
                old=old,
                new=new,
                comment=row.history_change_reason or "",
            )
            yield (row.history_date, row.history_id, -index), entry


def _changes(
    before: Any,
    row: Any,
    fields: tuple[str, ...],
    model: type[models.Model],
    formatter: _Formatter,
    subject: str,
) -> Iterator[tuple[str, str, str]]:
    def what(name: str) -> str:
        return f"{subject} {_label(model, name)}".strip()

    def summary(record: Any) -> str:
        shown = [n for n in fields if getattr(record, n) not in (None, "", False)]
        return "、".join(f"{_label(model, n)}：{formatter(model, n, record)}" for n in shown)

    whole = subject or str(model._meta.verbose_name)
    if row.history_type == "-":
        yield whole, summary(row), DELETED
    elif row.history_type == "+" and model is Actual:
        yield what("value"), "", formatter(model, "value", row)
        if row.note:
            yield what("note"), "", row.note
    elif row.history_type == "+":
        yield whole, "", summary(row)
    elif before is None:
        yield whole, NO_EARLIER_RECORD, summary(row)
    else:
        for name in fields:
            old, new = formatter(model, name, before), formatter(model, name, row)
            if old != new:
                yield what(name), old, new
