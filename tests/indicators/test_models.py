"""The models' choices are the core's enums, labelled: one rule, two representations that
must agree."""

from indicators.models import YEAR_MAX, YEAR_MIN, PeriodKind, TargetKind
from kpi import progress, wareki


def test_target_kinds_are_the_cores() -> None:
    assert TargetKind.values == [kind.value for kind in progress.TargetKind]


def test_period_kinds_are_the_cores() -> None:
    assert PeriodKind.values == [kind.value for kind in wareki.PeriodKind]


def test_the_stored_years_are_the_ones_wareki_prints() -> None:
    assert (YEAR_MIN, YEAR_MAX) == (wareki.MIN_YEAR, wareki.MAX_YEAR)
