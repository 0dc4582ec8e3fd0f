"""Entry templates (入力用テンプレート): the series and years whose actuals a user may enter,
as a CSV (UTF-8 with BOM, which Japanese Excel opens correctly) or an XLSX, in the columns
the import reads — a filled-in template imports back as it is.

Rows: every series of the user's editable indicators (one department's, if asked), for each
year from the one after its earliest baseline to its plan's last year, but not beyond the
current one (an indicator without a target: the current plan's years). Stored values and notes
are filled in, so that the file shows what is already there; a row left blank is not
imported. The file is written by ``indicators.spreadsheets`` like every export: text neutralised,
years and values as numbers (the import reads them back), the unit in its own column.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from indicators import spreadsheets
from indicators.imports.columns import CODE, NAME, NOTE, SERIES, UNIT, VALUE, YEAR
from indicators.models import Actual, Department, Series, Target
from indicators.permissions import AnyUser, editable_indicators
from indicators.spreadsheets import Column, Kind, Number
from kpi import entry_rules
from measures.models import ActionPlan

COLUMNS = [
    Column(CODE.label, Kind.CODE),
    Column(NAME.label),
    Column(SERIES.label),
    Column(UNIT.label),
    Column(YEAR.label, Kind.YEAR),
    Column(VALUE.label, Kind.NUMBER),
    Column(NOTE.label),
]
HEADER = [c.header for c in COLUMNS]


@dataclass(frozen=True)
class TemplateRow:
    code: str
    name: str
    series: str
    unit: str
    year: int
    value: Decimal | None
    note: str
    decimals: int = 0

    def cells(self) -> list[spreadsheets.Cell]:
        value = Number(self.value, self.decimals)
        return [self.code, self.name, self.series, self.unit, self.year, value, self.note]


def template_rows(
    user: AnyUser, *, department: Department | None, today: date, plan: ActionPlan | None = None
) -> list[TemplateRow]:
    """Four queries: series with indicators, targets, the current plan, stored actuals. With
    ``plan``, only the series with a target in it, for its years (not another plan's)."""
    indicators = editable_indicators(user)
    if department is not None:
        indicators = indicators.filter(department=department)
    scope = {"series__indicator__in": indicators.values("pk")}
    chosen = Series.objects.filter(indicator__in=indicators.values("pk"))
    if plan is not None:  # one plan's series, for its years only
        chosen = chosen.filter(targets__plan=plan)
    series_list = list(chosen.select_related("indicator").order_by("indicator__code", "order"))
    ranges: dict[int, list[tuple[int, int]]] = defaultdict(list)
    targets = Target.objects.filter(**scope, **({"plan": plan} if plan else {})).values_list(
        "series_id", "baseline_year", "plan__last_year"
    )
    for series_id, baseline_year, last_year in targets:
        ranges[series_id].append((baseline_year + 1, last_year))
    plan = plan or ActionPlan.objects.current()
    actuals = Actual.objects.filter(**scope).values_list("series_id", "year", "value", "note")
    stored = {(s, y): (value, note) for s, y, value, note in actuals}
    rows = []
    for series in series_list:
        indicator = series.indicator
        newest = entry_rules.current_year(indicator.period_kind, today)
        span = ranges[series.pk] or ([(plan.first_year, plan.last_year)] if plan else [])
        for y in _years(span, newest):
            value, note = stored.get((series.pk, y), (None, ""))
            rows.append(
                TemplateRow(
                    code=indicator.code,
                    name=indicator.name,
                    series=series.label,
                    unit=indicator.unit,
                    year=y,
                    value=value,
                    note=note,
                    decimals=indicator.decimals,
                )
            )
    return rows


def _years(span: list[tuple[int, int]], newest: int) -> range:
    if not span:
        return range(0)
    return range(min(s[0] for s in span), min(max(s[1] for s in span), newest) + 1)


def template_sheet(rows: list[TemplateRow]) -> spreadsheets.Sheet:
    return spreadsheets.Sheet("実績値", COLUMNS, [row.cells() for row in rows])


def template_filename(
    department: Department | None, today: date, plan: ActionPlan | None = None
) -> str:
    """Without the extension."""
    scope = department.name if department else "全指標"
    return f"実績値入力_{scope}_{f'{plan.code}_' if plan else ''}{today.isoformat()}"
