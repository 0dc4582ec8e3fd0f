"""The entry form of an actual, shared by the Actual admin and the indicator page's inline.

The rules themselves live in ``kpi.entry_rules``; this module adapts an indicator to them
and puts their messages next to the fields. On top of them the form refuses a year the series
already has (also on the change page, where the series is shown read-only and so is not a form
field that Django's uniqueness check would include), and a change to an actual that was
changed by someone else (an import, another user) after the page was loaded: the page carries
the ``updated_at`` it showed, compared on save with the stored one, locked.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from indicators.models import Actual, EntryMode, Indicator, Series, Target
from indicators.permissions import AnyUser, editable_statuses
from kpi import entry_rules
from kpi.numbers import is_blank_value
from kpi.wareki import year_label_with_gregorian
from measures.models import ActionPlan

NOT_A_NUMBER = "数値を入力してください（例：1,800、95.2）。"
TRACKED_FIELDS = frozenset({"year", "value", "note"})


def indicator_rules(indicator: Indicator, today: date) -> entry_rules.EntryRules:
    """The indicator's entry rules, its plan range read from its targets: two queries at most."""
    targets = Target.objects.filter(series__indicator=indicator).select_related("plan")
    ranges = [(t.baseline_year, t.plan.last_year) for t in targets]
    plan = None if ranges else ActionPlan.objects.current()
    return entry_rules.rules_for(
        unit=indicator.unit,
        decimals=indicator.decimals,
        allow_negative=indicator.allow_negative,
        period_kind=indicator.period_kind,
        ranges=ranges,
        fallback_last=plan.last_year if plan else None,
        today=today,
        running_total=indicator.cumulative and indicator.entry_mode == EntryMode.TOTAL,
    )


def previous_value(series: Series, year: int, *, exclude_pk: int | None) -> Decimal | None:
    """The series' value of the year before: its actual, else a baseline of that year."""
    if series.pk is None:
        return None
    before = year - 1
    actuals = Actual.objects.filter(series=series, year=before)
    if exclude_pk is not None:
        actuals = actuals.exclude(pk=exclude_pk)
    actual = actuals.values_list("value", flat=True).first()
    if actual is not None:
        return actual
    return (
        Target.objects.filter(series=series, baseline_year=before, baseline_value__isnull=False)
        .values_list("baseline_value", flat=True)
        .first()
    )


def stored_jump(actual: Actual) -> entry_rules.Jump | None:
    """The large change a stored actual makes from the year before, if it makes one."""
    indicator = actual.series.indicator
    return entry_rules.jump(
        actual.value,
        previous_value(actual.series, actual.year, exclude_pk=actual.pk),
        previous_year=actual.year - 1,
        share=Decimal(str(settings.KPI_JUMP_WARNING_SHARE)),
        rules=indicator_rules(indicator, timezone.localdate()),
    )


class JapaneseNumberField(forms.DecimalField):
    """A number as people type it in Japan: "1,800", "１，８００", "95.2％", "▲5". A text box,
    not <input type=number>, which refuses separators and full-width digits. Whether a written
    unit is the indicator's is the form's check (``ActualForm.clean_value``): the field alone
    does not know the indicator."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 12, "autocomplete": "off"})

    # django-stubs gives DecimalField IntegerField's to_python (-> int | None).
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values or (isinstance(value, str) and is_blank_value(value)):
            return None
        try:
            return super().to_python(entry_rules.read_value(value, unit=""))
        except ValueError:
            raise forms.ValidationError(NOT_A_NUMBER, code="invalid") from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}  # no min/max/step: those belong to <input type=number>

    def prepare_value(self, value: Any) -> Any:
        """1750.0000 → "1750" (the database keeps four decimals; people type as printed)."""
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        return value


class VersionField(forms.CharField):
    """The ``updated_at`` of the actual as the page showed it (hidden). Never a change of the
    user's: a row that someone else changed is not thereby a row this user changed."""

    widget = forms.HiddenInput

    def has_changed(self, initial: Any, data: Any) -> bool:
        return False


def _version(actual: Actual) -> str:
    return actual.updated_at.isoformat() if actual.updated_at else ""


class ConfirmJumpWidget(forms.CheckboxInput):
    """A checkbox that appears only with the warning about a large change (and stays once
    ticked): an empty cell otherwise."""

    shown = False

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return super().render(name, value, attrs, renderer) if self.shown else SafeString()


class ActualForm(forms.ModelForm):
    """One actual. Fields are locked (disabled, so posted values are ignored) when the user may
    no longer change the value: once approved, or for staff once submitted."""

    confirm_jump = forms.BooleanField(
        label="大きな変化を確認",
        required=False,
        widget=ConfirmJumpWidget,
        help_text="前年度から大きく変化した値を、そのまま保存する場合にチェック",
    )
    value = JapaneseNumberField(label="実績値", max_digits=16, decimal_places=4)
    version = VersionField(required=False)
    user: AnyUser | None = None  # set by actual_form_for()
    # The actual's own page: offer the checkbox when the stored value is already a large change
    # (two queries; the indicator page's rows do not, so that it stays at a fixed count).
    check_stored_jump = False

    class Meta:
        model = Actual
        fields = ["series", "year", "value", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locked = bool(
            self.instance.pk
            and self.user is not None
            and self.instance.status not in editable_statuses(self.user)
        )
        for field in self.fields.values():
            field.disabled = field.disabled or self.locked
        if self.instance.pk:
            self.fields["version"].initial = _version(self.instance)
            # What the page showed travels with it, so that a row left untouched is not taken
            # for a change when someone else changed the stored value since.
            for name in TRACKED_FIELDS & self.fields.keys():
                self.fields[name].show_hidden_initial = True
        ticked = self.is_bound and bool(self.data.get(self.add_prefix("confirm_jump")))
        if ticked or (self._offers_stored_jump() and stored_jump(self.instance) is not None):
            self._show_confirmation()

    def _offers_stored_jump(self) -> bool:
        return (
            not self.is_bound
            and self.check_stored_jump
            and bool(self.instance.pk)
            and not self.locked
        )

    def _indicator(self) -> Indicator | None:
        series = self.cleaned_data.get("series") or getattr(self.instance, "series", None)
        return getattr(series, "indicator", None) if series is not None else None

    def clean_value(self) -> Decimal | None:
        """The unit rule, once the indicator is known: from the series chosen on the add page
        (cleaned before the value), else from the actual (change page, the inline's rows)."""
        value = self.cleaned_data.get("value")
        indicator = self._indicator()
        if value is None or indicator is None or self.locked:
            return value
        try:
            entry_rules.read_value(self["value"].data, indicator.unit)
        except entry_rules.WrongUnit as wrong:
            raise forms.ValidationError(str(wrong), code="unit") from None
        return value

    def _show_confirmation(self) -> None:
        widget = self.fields["confirm_jump"].widget
        assert isinstance(widget, ConfirmJumpWidget)
        widget.shown = True

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        series = cleaned.get("series") or getattr(self.instance, "series", None)
        indicator = getattr(series, "indicator", None) if series is not None else None
        if series is None or indicator is None or self.locked or not self.has_changed():
            return cleaned
        adding = self.instance.pk is None
        if not adding and self._changed_since_loaded(cleaned.get("version", ""), indicator):
            return cleaned
        rules = indicator_rules(indicator, timezone.localdate())
        year, value = cleaned.get("year"), cleaned.get("value")
        if year is not None and (adding or "year" in self.changed_data):
            for message in entry_rules.year_errors(year, rules):
                self.add_error("year", message)
            self._refuse_taken_year(series, year, indicator.period_kind)
        if value is not None and (adding or "value" in self.changed_data):
            for message in entry_rules.value_errors(value, rules):
                self.add_error("value", message)
        moved = adding or {"year", "value"} & set(self.changed_data)
        complete = moved and "year" in cleaned and "value" in cleaned
        if complete and not self._refuse_falling_total(series, cleaned, rules):
            self._check_jump(series, cleaned, rules)
        return cleaned

    def _refuse_taken_year(self, series: Series, year: int, period_kind: str) -> None:
        """One actual per series and year, with the form's message, also where the series is
        not a form field (the change page) and so Django's own uniqueness check leaves it out.
        Two adds at once both pass this; the admin then retries the loser, which lands here
        (``admin_base.RetryOnConflictMixin``)."""
        if series.pk is None:
            return
        taken = Actual.objects.filter(series=series, year=year).exclude(pk=self.instance.pk)
        if taken.exists():
            label = year_label_with_gregorian(year, period_kind)
            self.add_error(
                "year",
                f"{label}の実績値はすでに入力されています。その値を変更してください。",
            )

    def _changed_since_loaded(self, loaded: str, indicator: Indicator) -> bool:
        """True, with a message above the form, when the stored actual is no longer the one
        the page showed (an import or another user saved it since): nothing is overwritten
        silently. The row stays locked until the save (the admin saves in a transaction)."""
        actuals = Actual.objects.select_related("updated_by")
        if transaction.get_connection().in_atomic_block:
            actuals = actuals.select_for_update(of=("self",))
        stored = actuals.filter(pk=self.instance.pk).first()
        if stored is None or _version(stored) == loaded:
            return False
        who = f"{stored.updated_by}が" if stored.updated_by else ""
        when = date_format(timezone.localtime(stored.updated_at), "Y年n月j日 G:i")
        value = f"{stored.value.normalize():f}"
        self.add_error(
            None,
            f"このページを開いた後に、この実績値は変更されています（{when}に{who}"
            f"{year_label_with_gregorian(stored.year, indicator.period_kind)}"
            f"の値を {value} に）。保存していません。ページを開き直して、"
            "今の値を確かめてから入力してください。",
        )
        return True

    def _refuse_falling_total(
        self, series: Series, cleaned: dict[str, Any], rules: entry_rules.EntryRules
    ) -> bool:
        if not rules.running_total:
            return False
        year = cleaned["year"]
        previous = previous_value(series, year, exclude_pk=self.instance.pk)
        error = entry_rules.falling_total_error(
            cleaned["value"], previous, previous_year=year - 1, rules=rules
        )
        if error:
            self.add_error("value", error)
        return error is not None

    def _check_jump(
        self, series: Series, cleaned: dict[str, Any], rules: entry_rules.EntryRules
    ) -> None:
        year = cleaned["year"]
        jump = entry_rules.jump(
            cleaned["value"],
            previous_value(series, year, exclude_pk=self.instance.pk),
            previous_year=year - 1,
            share=Decimal(str(settings.KPI_JUMP_WARNING_SHARE)),
            rules=rules,
        )
        if jump is None:
            return
        self._show_confirmation()
        if not cleaned.get("confirm_jump"):
            self.add_error("value", jump.message())
        if not cleaned.get("note", "").strip():
            self.add_error("note", entry_rules.note_required_message(rules.period_kind))


def actual_form_for(user: AnyUser, *, check_stored_jump: bool = False) -> type[ActualForm]:
    """The form class for this user (the admin builds forms without a request)."""
    attrs = {"user": user, "check_stored_jump": check_stored_jump}
    return type("ActualForm", (ActualForm,), attrs)


class TargetForm(forms.ModelForm):
    """現状値・目標値 on the indicator page (superusers): numbers as typed and shown in Japan
    (25,702, not 25702.0000)."""

    baseline_value = JapaneseNumberField(
        label="現状値", required=False, max_digits=16, decimal_places=4
    )
    target_value = JapaneseNumberField(label="目標値", max_digits=16, decimal_places=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One line of the indicator page at 1366 px: short boxes for short values.
        sizes = {"baseline_value": 8, "target_value": 8, "baseline_label": 10, "target_label": 10}
        for name, size in sizes.items():
            if name in self.fields:  # read-only for everyone but superusers
                self.fields[name].widget.attrs["size"] = size

    class Meta:
        model = Target
        fields = [
            "plan",
            "baseline_value",
            "baseline_label",
            "baseline_year",
            "target_value",
            "target_label",
            "target_year",
            "target_kind",
        ]
