"""Every indicator series as flat rows, for ``manage.py export_indicators`` (other systems,
open data, Excel). Written by the one spreadsheet writer, ``indicators.spreadsheets``."""

from collections.abc import Iterator

from indicators.models import Indicator, Target
from indicators.spreadsheets import Cell, Column, Kind, Number, Sheet
from measures.models import ActionPlan

# Machine-readable headers (other systems read them); the years follow, one column each.
FIXED_COLUMNS = [
    Column("code", Kind.CODE),
    Column("name"),
    Column("series"),
    Column("unit"),
    Column("baseline", Kind.NUMBER),
    Column("baseline_year", Kind.YEAR),
    Column("target", Kind.NUMBER),
    Column("target_year", Kind.YEAR),
    Column("target_kind"),
    Column("cumulative", Kind.NUMBER),
    Column("measures", Kind.CODE),
    Column("projects", Kind.CODE),
]


def _measure_codes(indicator: Indicator, plan: ActionPlan | None) -> str:
    """The plan's measures that show the indicator (another plan's 1-1 is another measure)."""
    measures = {link.direction.measure for link in indicator.theme_links.all()}
    measures |= {entry.measure for entry in indicator.sdg_entries.all()}
    mine = [m for m in measures if plan is None or m.plan_id == plan.pk]
    return ";".join(m.code for m in sorted(mine, key=lambda m: m.order))


def _project_numbers(indicator: Indicator, plan: ActionPlan | None) -> str:
    projects = {link.theme.project for link in indicator.theme_links.all()}
    projects |= {entry.project for entry in indicator.project_entries.all()}
    mine = [p for p in projects if plan is None or p.plan_id == plan.pk]
    return ";".join(str(n) for n in sorted(p.number for p in mine))


def export_sheet(plan: ActionPlan | None, *, include_provisional: bool = False) -> Sheet:
    """One row per series; one column per year that has any actual."""
    indicators = list(Indicator.objects.for_export(include_provisional=include_provisional))
    years = sorted({a.year for i in indicators for s in i.series.all() for a in s.actuals.all()})

    def rows() -> Iterator[list[Cell]]:
        for indicator in indicators:
            measures = _measure_codes(indicator, plan)
            projects = _project_numbers(indicator, plan)
            decimals = indicator.decimals
            for series in indicator.series.all():
                target: Target | None = next(
                    (t for t in series.targets.all() if plan and t.plan_id == plan.pk), None
                )
                actuals = {a.year: a.value for a in series.actuals.all()}
                yield [
                    indicator.code,
                    indicator.name,
                    series.label,
                    indicator.unit,
                    Number(target.baseline_value, decimals) if target else None,
                    target.baseline_year if target else None,
                    Number(target.target_value, decimals) if target else None,
                    target.target_year if target else None,
                    target.target_kind if target else "",
                    1 if indicator.cumulative else 0,
                    measures,
                    projects,
                    *(Number(actuals.get(y), decimals) for y in years),
                ]

    columns = FIXED_COLUMNS + [Column(str(y), Kind.NUMBER) for y in years]
    return Sheet("成果指標", columns, rows())
