"""Every indicator series as flat rows, for CSV export and open data."""

from collections.abc import Iterator
from decimal import Decimal

from indicators.models import Indicator, Target
from kpi.csvsafe import neutralise_formula
from measures.models import ActionPlan

FIXED_COLUMNS = [
    "code",
    "name",
    "series",
    "unit",
    "baseline",
    "baseline_year",
    "target",
    "target_year",
    "target_kind",
    "cumulative",
    "measures",
    "projects",
]


def plain_number(value: Decimal | None) -> str:
    """1869.0000 → "1869", 95.2000 → "95.2", None → "" (no exponent, no separators)."""
    if value is None:
        return ""
    return f"{value.normalize():f}"


def _measure_codes(indicator: Indicator) -> str:
    measures = {link.direction.measure for link in indicator.theme_links.all()}
    measures |= {entry.measure for entry in indicator.sdg_entries.all()}
    return ";".join(m.code for m in sorted(measures, key=lambda m: m.order))


def _project_numbers(indicator: Indicator) -> str:
    numbers = {link.theme.project.number for link in indicator.theme_links.all()}
    numbers |= {entry.project.number for entry in indicator.project_entries.all()}
    return ";".join(str(n) for n in sorted(numbers))


def export_rows(
    plan: ActionPlan | None, *, include_provisional: bool = False
) -> tuple[list[str], Iterator[list[str]]]:
    """Header and rows: one row per series; one column per year that has any actual."""
    indicators = list(Indicator.objects.for_export(include_provisional=include_provisional))
    years = sorted({a.year for i in indicators for s in i.series.all() for a in s.actuals.all()})
    header = FIXED_COLUMNS + [str(y) for y in years]

    def rows() -> Iterator[list[str]]:
        for indicator in indicators:
            measures, projects = _measure_codes(indicator), _project_numbers(indicator)
            for series in indicator.series.all():
                target: Target | None = next(
                    (t for t in series.targets.all() if plan and t.plan_id == plan.pk), None
                )
                actuals = {a.year: a.value for a in series.actuals.all()}
                yield [
                    indicator.code,
                    neutralise_formula(indicator.name),
                    neutralise_formula(series.label),
                    neutralise_formula(indicator.unit),
                    plain_number(target.baseline_value) if target else "",
                    str(target.baseline_year) if target else "",
                    plain_number(target.target_value) if target else "",
                    str(target.target_year) if target else "",
                    target.target_kind if target else "",
                    "1" if indicator.cumulative else "0",
                    measures,
                    projects,
                    *(plain_number(actuals.get(y)) for y in years),
                ]

    return header, rows()
