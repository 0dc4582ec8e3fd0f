"""What every admin of this app shares: objects outside a user's scope answer 404, history
pages are read-only, and year fields are a select of 令和N年度（YYYY） by the indicator's period."""

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Field, Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges
from simple_history.template_utils import HistoricalRecordContextHelper

from indicators.admin_history import HistoryFormat, JapaneseHistoryHelper
from indicators.models import Indicator, PeriodKind, Series
from kpi.entry_rules import EntryRules, current_year
from kpi.wareki import year_label_with_gregorian

FIRST_ENTRY_YEAR = 2015


def year_choices(period: str, future_years: int = 1) -> list[tuple[int, str]]:
    last = current_year(period, timezone.localdate()) + future_years
    return [(y, year_label_with_gregorian(y, period)) for y in range(FIRST_ENTRY_YEAR, last + 1)]


def year_field(db_field: "Field[Any, Any]", choices: list[tuple[int, str]]) -> forms.Field:
    return forms.TypedChoiceField(
        label=db_field.verbose_name,
        choices=[("", "---------"), *choices],
        coerce=int,
        required=not db_field.null,
        empty_value=None,
    )


def entry_year_choices(
    rules: EntryRules, *, period: str, keep: Iterable[int] = ()
) -> list[tuple[int, str]]:
    """The years an actual may be entered for, newest first — from the indicator's earliest
    baseline year to its plan's last, not beyond the current one (``kpi.entry_rules``) — and
    the years of values already stored (``keep``), so that an existing row still shows."""
    first = rules.first_year if rules.first_year is not None else FIRST_ENTRY_YEAR
    last = min(rules.current_year, rules.last_year or rules.current_year)
    years = set(range(first, last + 1)) | set(keep)
    return [(y, year_label_with_gregorian(y, period)) for y in sorted(years, reverse=True)]


def indicator_of(obj: Model | None) -> Indicator | None:
    """Inline hooks get the indicator (top level) or the series (nested) as ``obj``."""
    if isinstance(obj, Series):
        return obj.indicator if obj.indicator_id else None
    return obj if isinstance(obj, Indicator) else None


class PrefetchedRowsFormSetMixin:
    """The rows of an inline under a series, as its parent prefetched them (``SeriesInline``):
    the indicator page then reads each kind of row once for all series, not once per series.
    A POST reads them as nested_admin does (by the posted primary keys)."""

    instance: Model
    data: Any
    fk: Any

    def get_queryset(self) -> Any:
        name = self.fk.remote_field.get_accessor_name()  # "actuals", "targets"
        cached = getattr(self.instance, "_prefetched_objects_cache", {}).get(name)
        if self.data or cached is None:
            return super().get_queryset()  # type: ignore[misc]
        return list(cached)


class PeriodYearsInlineMixin:
    """Year fields of an inline on the indicator page as a select of 令和N年度（YYYY）, 年 or 年度
    by that indicator's period. The period comes from the inline's parent object, passed to the
    form factory as its ``formfield_callback``."""

    year_fields: tuple[str, ...] = ()
    future_years = 1  # years after the current one offered (targets lie years ahead)
    formfield_for_dbfield: Callable[..., forms.Field | None]

    def get_formset(
        self, request: HttpRequest, obj: Model | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        indicator = indicator_of(obj)
        period = indicator.period_kind if indicator else PeriodKind.FISCAL
        choices = self.year_choices_for(obj, indicator, period)
        kwargs["formfield_callback"] = partial(self._formfield, request=request, choices=choices)
        return super().get_formset(request, obj, **kwargs)  # type: ignore[misc]

    def year_choices_for(
        self, obj: Model | None, indicator: Indicator | None, period: str
    ) -> list[tuple[int, str]]:
        return year_choices(period, self.future_years)

    def _formfield(
        self,
        db_field: "Field[Any, Any]",
        *,
        request: HttpRequest,
        choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> forms.Field | None:
        if db_field.name not in self.year_fields:
            return self.formfield_for_dbfield(db_field, request, **kwargs)
        return year_field(db_field, choices)


class RetryOnConflictMixin:
    """Two people (or a person and an import) saving an actual of the same series and year at
    once both pass the form's checks; the second write then breaks the unique constraint. The
    admin saves in one transaction, so that save is rolled back whole; the form runs once more
    and now finds the other's value and says so next to the year (``ActualForm``), instead of
    an error page."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        view = super().changeform_view  # type: ignore[misc]
        try:
            return view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
            return view(request, object_id, form_url, extra_context)


class ScopedAdminMixin:
    """An object outside the user's ``get_queryset`` answers 404 on every page (change, delete,
    history) instead of the admin's redirect to its index."""

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Model:
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404("見つかりません（存在しないか、閲覧する権限がありません）。")
        return obj


def indicator_of_object(obj: Model | None) -> Indicator | None:
    """The indicator an actual, target, series or indicator belongs to."""
    if isinstance(obj, Indicator):
        return obj
    series = getattr(obj, "series", None)
    return indicator_of(series if isinstance(series, Series) else obj)


class ScopedHistoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Scoped, with django-simple-history's history pages, read-only (no revert: it would
    bypass validation and review), in Japanese and with values as the dashboards print them
    (``indicators.admin_history``)."""

    # Fields whose change says nothing the row does not already say (who and when).
    history_quiet_fields: tuple[str, ...] = ()
    # What a new record held, shown on its 追加 row.
    history_summary_fields: tuple[str, ...] = ()

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: HistoricalChanges
    ) -> HistoricalRecordContextHelper:
        fmt = getattr(request, "kpi_history_format", HistoryFormat())
        return JapaneseHistoryHelper(self.model, historical_record, fmt)

    def set_history_delta_changes(
        self,
        request: HttpRequest,
        historical_records: Any,
        foreign_keys_are_objs: bool = True,
    ) -> None:
        """The library's deltas, without the quiet fields; a 追加 row lists what it held."""
        records = list(historical_records)
        for newer, older in zip(records, records[1:], strict=False):
            delta = newer.diff_against(
                older,
                excluded_fields=self.history_quiet_fields,
                foreign_keys_are_objs=foreign_keys_are_objs,
            )
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)
        for record in records:
            if record.history_type == "+":
                helper = self.get_historical_record_context_helper(request, record)
                assert isinstance(helper, JapaneseHistoryHelper)
                record.history_created_values = helper.created_values(self.history_summary_fields)

    def response_action(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        """An action the user may not run answers 403 (the admin would just say "no action")."""
        allowed = self.get_actions(request)
        if any(name and name not in allowed for name in request.POST.getlist("action")):
            raise PermissionDenied
        return super().response_action(request, queryset)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        indicator = indicator_of_object(obj)
        if indicator is not None:  # the page's numbers read like the indicator's
            request.kpi_history_format = HistoryFormat(  # type: ignore[attr-defined]
                indicator.decimals, indicator.unit, indicator.period_kind
            )
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied("履歴から元に戻すことはできません。")
        self.get_object(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)
