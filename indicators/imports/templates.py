"""Entry templates (入力用テンプレート): the series and years whose actuals a user may enter,
as a CSV (UTF-8 with BOM, which Japanese Excel opens correctly) or an XLSX, in the columns
the import reads — a filled-in template imports back as it is.

Rows: every series of the user's editable indicators (one department's, if asked), for each
year from the one after its earliest baseline to its plan's last year, but not beyond the
current one (an indicator without a target: the current plan's years). Stored values and notes
are filled in, so that the file shows what is already there; a row left blank is not
imported. Text cells are neutralised against formula injection (``csvsafe``).
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from indicators.exports import plain_number
from indicators.imports.columns import CODE, NAME, NOTE, SERIES, UNIT, VALUE, YEAR
from indicators.models import Actual, Department, Series, Target
from indicators.permissions import AnyUser, editable_indicators
from kpi import entry_rules
from kpi.csvsafe import neutralise_formula
from kpi.wareki import year_label_with_gregorian
from measures.models import ActionPlan

HEADER = [c.label for c in (CODE, NAME, SERIES, UNIT, YEAR, VALUE, NOTE)]
XLSX_WIDTHS = [10, 48, 10, 8, 18, 12, 40]


@dataclass(frozen=True)
class TemplateRow:
    code: str
    name: str
    series: str
    unit: str
    year: str  # 令和7年度（2025）: readable, and parse_year reads it back
    value: Decimal | None
    note: str

    def texts(self) -> list[str]:
        cells = [self.code, self.name, self.series, self.unit, self.year]
        return [neutralise_formula(c) for c in cells]


def template_rows(
    user: AnyUser, *, department: Department | None, today: date
) -> list[TemplateRow]:
    """Four queries: series with indicators, targets, the current plan, stored actuals."""
    indicators = editable_indicators(user)
    if department is not None:
        indicators = indicators.filter(department=department)
    scope = {"series__indicator__in": indicators.values("pk")}
    series_list = list(
        Series.objects.filter(indicator__in=indicators.values("pk"))
        .select_related("indicator")
        .order_by("indicator__code", "order")
    )
    ranges: dict[int, list[tuple[int, int]]] = defaultdict(list)
    targets = Target.objects.filter(**scope).values_list(
        "series_id", "baseline_year", "plan__last_year"
    )
    for series_id, baseline_year, last_year in targets:
        ranges[series_id].append((baseline_year + 1, last_year))
    plan = ActionPlan.objects.current()
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
                    year=year_label_with_gregorian(y, indicator.period_kind),
                    value=value,
                    note=note,
                )
            )
    return rows


def _years(span: list[tuple[int, int]], newest: int) -> range:
    if not span:
        return range(0)
    return range(min(s[0] for s in span), min(max(s[1] for s in span), newest) + 1)


def template_csv(rows: list[TemplateRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([*row.texts(), plain_number(row.value), neutralise_formula(row.note)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(rows: list[TemplateRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "実績値"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([*row.texts(), _xlsx_number(row.value), neutralise_formula(row.note)])
    for position, width in enumerate(XLSX_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_number(value: Decimal | None) -> int | float | None:
    """Excel keeps doubles; 95.5000 is written 95.5, 1869.0000 as 1869."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def template_filename(department: Department | None, today: date, file_type: str) -> str:
    scope = department.name if department else "全指標"
    return f"実績値入力_{scope}_{today.isoformat()}.{file_type}"
