"""Two plans side by side: the whole 前期 plan, then the small made-up 後期 plan of tests/data
(one indicator continuing by its code, one new) loaded beside it with load_plan."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from indicators.imports import Upload, confirm_import
from indicators.imports.templates import template_rows
from indicators.models import Actual, ActualStatus, Indicator, Series
from measures.models import ActionPlan
from plandata.backup import export_objects, render
from plandata.plan_loader import load_plan, read_source
from tests.dashboards.test_pages import QUERIES
from tests.indicators.import_files import csv_file
from tests.plandata.test_plan_loader import SMALL

pytestmark = pytest.mark.django_db
LATER = "2030-2034"


def approve(code: str, year: int, value: str) -> None:
    series = Series.objects.get(indicator__code=code)
    Actual.objects.create(
        series=series, year=year, value=Decimal(value), status=ActualStatus.APPROVED
    )


def exported() -> dict[tuple[str, Any], str]:
    """export_all's file, one text per row (model and primary key)."""
    objects: list[dict[str, Any]] = json.loads(render(export_objects()))
    return {
        (o["model"], o["pk"]): json.dumps(o, ensure_ascii=False, sort_keys=True) for o in objects
    }


@pytest.fixture
def both(plan: ActionPlan) -> ActionPlan:
    """The 後期 plan loaded beside the whole 前期 plan, which has actuals of K001 and K007."""
    approve("K001", 2024, "25702")
    approve("K007", 2024, "31.5")
    return load_plan(read_source(SMALL)).plan


def test_the_first_plan_is_unchanged_in_export_all_apart_from_the_new_rows(
    plan: ActionPlan,
) -> None:
    approve("K001", 2024, "25702")
    before = exported()
    result = load_plan(read_source(SMALL))
    after = exported()
    assert {k: after.get(k) for k in before} == before  # every row as it was, byte for byte
    new = [json.loads(after[k]) for k in after.keys() - before.keys()]
    k001 = Series.objects.get(indicator__code="K001")
    targets = [o for o in new if o["model"] == "indicators.target"]
    assert {o["fields"]["series"] for o in targets} == {
        k001.pk,
        Series.objects.get(indicator__code=result.assigned_codes["NEW-1"]).pk,
    }
    assert {o["fields"]["plan"] for o in targets} == {result.plan.pk}
    assert [o["fields"]["code"] for o in new if o["model"] == "measures.actionplan"] == [LATER]
    assert result.assigned_codes == {"NEW-1": "K116"}  # after the 前期 plan's K001–K115
    assert k001.actuals.count() == 1 and k001.targets.count() == 2


def test_both_plans_dashboards_answer_each_with_its_own_plan(
    both: ActionPlan, watanabe: User
) -> None:
    client = Client()
    client.force_login(watanabe)
    first = client.get("/").content.decode()
    assert "前期アクションプラン（2025〜2029年度）" in first and 'name="plan"' in first
    later = client.get(f"/?plan={LATER}").content.decode()
    assert "少子化対策プロジェクト（試験用）" in later and "少子高齢化対策プロジェクト" not in later
    assert "少子化対策プロジェクト（試験用）" not in first
    for path in ["/projects/1/", "/measures/", "/measures/7-1/", "/matrix/", "/sdgs/"]:
        assert client.get(f"{path}?plan={LATER}").status_code == 200, path
    assert client.get(f"/measures/3-1/?plan={LATER}").status_code == 404  # not in the 後期 plan
    assert client.get("/?plan=1999-2003").status_code == 404
    years = client.get(f"/?plan={LATER}").context["year_options"]
    assert (years[0], years[-1]) == (2029, 2034)

    page = client.get(f"/indicators/K001/?plan={LATER}").content.decode()
    assert "第３次伊勢崎市総合計画 前期アクションプラン：現状値" in page  # the other plan's goal
    assert page.count('class="target-point') == 2
    data = client.get("/indicators/K001.json").json()
    assert (data["plan"], data["series"][0]["target"]) == ("2025-2029", 23914)
    assert [(t["plan"], t["target"]) for t in data["series"][0]["targets"]] == [
        ("2025-2029", 23914),
        (LATER, 22000),
    ]
    later_data = client.get(f"/indicators/K001.json?plan={LATER}").json()
    assert later_data["series"][0]["target"] == 22000
    assert later_data["series"][0]["actuals"] == data["series"][0]["actuals"]
    project = client.get(f"/projects/1.json?plan={LATER}").json()
    assert [r["code"] for r in project["themes"][0]["rows"]] == ["K001", "K116", "K116"]
    assert client.get(f"/evaluations/?plan={LATER}").context["years"] == list(range(2030, 2035))


def test_imports_and_exports_answer_for_both_plans(both: ActionPlan, takahashi: User) -> None:
    header = ["施策番号", "年度", "満足度"]
    rows = [header, ["7-1", "2025", "31.9"], ["7-1", "2031", "33.0"]]
    upload = Upload("市民意識調査.csv", csv_file(rows))
    record, _ = confirm_import(upload, user=takahashi, today=date(2032, 6, 1))
    assert record.applied, record.messages
    fed = Actual.objects.filter(status=ActualStatus.DRAFT)  # what the import wrote
    assert sorted(fed.values_list("series__indicator__code", "year", "value")) == [
        ("K007", 2025, Decimal("31.9")),  # 7-1 of the 前期 plan
        ("K116", 2031, Decimal("33.0")),  # 7-1 of the 後期 plan
    ]
    later = template_rows(takahashi, department=None, today=date(2031, 6, 1), plan=both)
    assert {(r.code, r.year) for r in later} == {
        (code, year) for code in ("K001", "K116") for year in (2029, 2030, 2031)
    }
    out = StringIO()
    call_command("export_indicators", "--plan", LATER, stdout=out)
    k001 = next(line for line in out.getvalue().splitlines() if line.startswith("K001"))
    assert ",24500,2028,22000,2034,at_least,0,'1-1,1," in k001  # the 後期 measures only
    out = StringIO()
    call_command("export_indicators", stdout=out)
    k001 = next(line for line in out.getvalue().splitlines() if line.startswith("K001"))
    assert ",26186,2023,23914,2029,at_least," in k001 and ",'1-1," not in k001
    assert Indicator.objects.count() == 116


def test_every_page_of_either_plan_runs_the_queries_it_runs_with_one_plan(
    both: ActionPlan,
    watanabe: User,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = Client()
    client.force_login(watanabe)
    for url, queries in QUERIES.items():
        later = f"{url}{'&' if '?' in url else '?'}plan={LATER}"
        for chosen in (url, later):
            with django_assert_num_queries(queries):
                assert client.get(chosen).status_code == 200, chosen
