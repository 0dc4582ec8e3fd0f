"""Invariants the database itself refuses to break, whatever the code path."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from indicators.models import Actual, Indicator, Series, Target
from measures.models import ActionPlan


@pytest.fixture
def series(db: None) -> Series:
    indicator = Indicator.objects.create(code="T001", name="テスト指標", unit="件")
    return Series.objects.create(indicator=indicator)


@pytest.fixture
def action_plan(db: None) -> ActionPlan:
    return ActionPlan.objects.create(code="p", name="計画", first_year=2025, last_year=2029)


def refused(**kwargs: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(**kwargs)


def test_one_actual_per_series_and_year(series: Series) -> None:
    Actual.objects.create(series=series, year=2024, value=Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Actual.objects.create(series=series, year=2024, value=Decimal("2"))
    Actual.objects.create(series=series, year=2025, value=Decimal("2"))


def test_indicator_codes_are_unique(series: Series) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(code="T001", name="別の指標")


def test_actual_years_must_be_plausible(series: Series) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Actual.objects.create(series=series, year=24, value=Decimal("1"))


def test_targets_must_agree_with_their_kind(series: Series, action_plan: ActionPlan) -> None:
    common = {"series": series, "plan": action_plan, "baseline_year": 2023, "target_year": 2029}
    refused(**common, baseline_value=10, target_value=5, target_kind="increase")
    refused(**common, baseline_value=5, target_value=10, target_kind="decrease")
    refused(**common, baseline_value=0, target_value=1, target_kind="zero")
    refused(**common, baseline_value=0, target_value=1, target_kind="sideways")
    refused(
        **{**common, "target_year": 2020}, baseline_value=1, target_value=2, target_kind="increase"
    )
    Target.objects.create(**common, baseline_value=None, target_value=100, target_kind="increase")


def test_one_target_per_series_and_plan(series: Series, action_plan: ActionPlan) -> None:
    common = {"series": series, "plan": action_plan, "baseline_year": 2023, "target_year": 2029}
    Target.objects.create(**common, baseline_value=1, target_value=2, target_kind="increase")
    refused(**common, baseline_value=1, target_value=3, target_kind="increase")
