"""Which plan a page shows by default: the plan of the current fiscal year (measures.models)."""

from measures.models import ActionPlan, plan_of_year

FIRST = ActionPlan(code="2025-2029", name="前期", first_year=2025, last_year=2029)
LATER = ActionPlan(code="2030-2034", name="後期", first_year=2030, last_year=2034)


def test_the_plan_of_a_year_is_the_one_whose_years_hold_it() -> None:
    assert plan_of_year([FIRST, LATER], 2026) is FIRST
    assert plan_of_year([FIRST, LATER], 2029) is FIRST
    assert plan_of_year([FIRST, LATER], 2030) is LATER


def test_before_every_plan_the_first_and_after_them_the_last_begun() -> None:
    assert plan_of_year([FIRST, LATER], 2024) is FIRST
    assert plan_of_year([FIRST, LATER], 2040) is LATER
    assert plan_of_year([FIRST], 2031) is FIRST
    assert plan_of_year([], 2026) is None
