"""The admin's 履歴 pages (django-simple-history's history view) in the words of the
dashboards: each change as 「項目：前 → 後」 with numbers, units, 和暦 years and labels as the
rest of the app prints them, a department that was not set as 「（未設定）」 instead of the
library's 「Deleted 所管課 (pk=None)」, and a new record with what it held.

``ScopedHistoryAdmin`` (``indicators.admin_base``) plugs ``HistoryFormat`` in through the
library's hooks (``get_historical_record_context_helper``, ``set_history_delta_changes``)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.text import capfirst
from simple_history.models import DeletedObject, HistoricalChanges, ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from kpi.numbers import format_number
from kpi.wareki import year_label_with_gregorian

NOT_SET = "（未設定）"
BLANK = "（空欄）"
YEAR_FIELDS = frozenset({"year", "baseline_year", "target_year"})
DATETIME_FORMAT = "%Y-%m-%d %H:%M"  # the app's one date format (README: Data entry)


@dataclass(frozen=True)
class HistoryFormat:
    """How the object's numbers read: its indicator's decimals, unit and period."""

    decimals: int | None = None
    unit: str = ""
    period_kind: str = "fiscal"


def display_value(field: "models.Field[Any, Any]", value: Any, fmt: HistoryFormat) -> Any:
    """A field's value as the dashboards print it."""
    if value is None or (isinstance(value, DeletedObject) and value.pk is None):
        return NOT_SET
    if isinstance(value, DeletedObject):
        return f"（削除された{value.model._meta.verbose_name}）"
    if isinstance(value, list):  # many-to-many: the related objects
        return "、".join(str(v) for v in value) or NOT_SET
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, Decimal):
        if fmt.decimals is None:
            return f"{value.normalize():f}"
        return format_number(value, max(fmt.decimals, _places(value)), fmt.unit)
    if field.name in YEAR_FIELDS and isinstance(value, int):
        return year_label_with_gregorian(value, fmt.period_kind)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime(DATETIME_FORMAT)
    if value == "":
        return BLANK
    return value


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


class JapaneseHistoryHelper(HistoricalRecordContextHelper):
    """The library's helper, with our value formatting."""

    def __init__(
        self, model: type[models.Model], record: HistoricalChanges, fmt: HistoryFormat
    ) -> None:
        super().__init__(model, record)
        self.fmt = fmt

    def prepare_delta_change_value(self, change: ModelChange, value: Any) -> Any:
        prepared = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        return display_value(field, prepared, self.fmt)

    def created_values(self, fields: tuple[str, ...]) -> list[dict[str, Any]]:
        """What a new record held: 「項目：値」 for each field that has a value."""
        shown = []
        for name in fields:
            value = getattr(self.record, name)
            if value in (None, ""):
                continue
            field = self.model._meta.get_field(name)
            shown.append(
                {
                    "field": capfirst(field.verbose_name),
                    "new": conditional_escape(str(display_value(field, value, self.fmt))),
                }
            )
        return shown
