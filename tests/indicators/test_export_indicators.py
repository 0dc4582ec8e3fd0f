"""`manage.py export_indicators` writes every series as CSV for other systems and Excel."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django import DjangoAssertNumQueries

from indicators.models import Actual, Series
from measures.models import ActionPlan


def export(*args: str) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("export_indicators", *args, stdout=out)
    text = out.getvalue()
    assert text.startswith("\ufeffcode,name,series,unit,baseline,")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.django_db
def test_export_has_one_row_per_series_with_plain_numbers_and_years(plan: ActionPlan) -> None:
    rows = export()
    assert len(rows) == Series.objects.count()
    crime = next(r for r in rows if r["name"] == "刑法犯認知件数")
    assert crime["baseline"] == "1869" and crime["target"] == "1400"
    assert (crime["baseline_year"], crime["target_year"], crime["target_kind"]) == (
        "2023",
        "2029",
        "decrease",
    )
    assert crime["projects"] == "3" and crime["cumulative"] == "0"
    health = [r for r in rows if r["name"] == "健康寿命（平均自立期間）"]
    assert [(r["series"], r["baseline"], r["target"]) for r in health] == [
        ("男性", "79.4", "79.5"),
        ("女性", "83.7", "84.1"),
    ]
    aircon = next(r for r in rows if r["name"] == "学校体育館の空調機設置率")
    assert aircon["baseline"] == "" and aircon["projects"] == "1;3"
    assert aircon["measures"] == "'1-3"  # Excel would make 1-3 a date


@pytest.mark.django_db
def test_export_adds_a_column_per_year_with_actuals(plan: ActionPlan, tmp_path: Path) -> None:
    series = Series.objects.get(indicator__name="刑法犯認知件数")
    Actual.objects.create(series=series, year=2024, value=Decimal("1750"), status="approved")
    Actual.objects.create(series=series, year=2025, value=Decimal("1702.5"), status="approved")
    target = tmp_path / "kpi.csv"
    call_command("export_indicators", "--output", str(target), "--bom")
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0])[-2:] == ["2024", "2025"]
    crime = next(r for r in rows if r["name"] == "刑法犯認知件数")
    assert (crime["2024"], crime["2025"]) == ("1750", "1702.5")
    other = next(r for r in rows if r["name"] == "年少人口")
    assert other["2024"] == ""


@pytest.mark.django_db
def test_export_runs_in_a_constant_number_of_queries(
    plan: ActionPlan, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # plan lookup, indicators, series, targets, actuals, theme links (+directions, measures,
    # themes, projects), sdg entries (+measures), project entries (+projects)
    with django_assert_num_queries(14):
        export()


@pytest.mark.django_db
def test_export_has_approved_values_unless_provisional_ones_are_asked_for(plan: ActionPlan) -> None:
    series = Series.objects.get(indicator__name="刑法犯認知件数")
    Actual.objects.create(series=series, year=2024, value=Decimal("1750"), status="approved")
    Actual.objects.create(series=series, year=2025, value=Decimal("1700"), status="submitted")
    crime = next(r for r in export() if r["name"] == "刑法犯認知件数")
    assert crime["2024"] == "1750" and "2025" not in crime
    crime = next(r for r in export("--include-provisional") if r["name"] == "刑法犯認知件数")
    assert crime["2025"] == "1700"


@pytest.mark.django_db
def test_export_neutralises_text_that_excel_would_run_as_a_formula(plan: ActionPlan) -> None:
    from indicators.models import Indicator

    Indicator.objects.filter(name="刑法犯認知件数").update(name='=HYPERLINK("x")')
    row = next(r for r in export() if r["code"] == "K006")
    assert row["name"] == '\'=HYPERLINK("x")'
