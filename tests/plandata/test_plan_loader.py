"""load_plan: one plan's YAML into the database by natural keys, beside the plans already there
(the small made-up 後期 plan of tests/data/plan_2030_2034_small.yaml)."""

import copy
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from evaluations.chains import ensure_default_chain
from evaluations.models import EvaluationSheet
from evaluations.services import evaluations_open
from indicators.models import Actual, ActualStatus, Indicator, Series, Target
from measures.models import ActionPlan, Measure
from plandata.plan_loader import PlanLoadError, load_plan, read_source
from projects.models import GlossaryTerm, Project, ThemeLink

SMALL = Path(__file__).parent.parent / "data" / "plan_2030_2034_small.yaml"


def small() -> dict[str, Any]:
    return copy.deepcopy(read_source(SMALL))


def history_rows() -> tuple[int, int, int]:
    return Indicator.history.count(), Target.history.count(), Actual.history.count()


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_plan", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_loading_a_plan_twice_changes_nothing_the_second_time() -> None:
    first = run(str(SMALL))
    assert "新規" in first and "2030-2034" in first
    before = history_rows()
    pks = sorted(Measure.objects.values_list("pk", flat=True))
    assert run(str(SMALL)).strip().endswith("変更なし")
    assert history_rows() == before
    assert sorted(Measure.objects.values_list("pk", flat=True)) == pks


@pytest.mark.django_db
def test_loading_writes_history_rows_for_historical_models() -> None:
    load_plan(small(), reason="計画データの読込（試験）")
    assert Indicator.history.count() == 2
    assert set(Target.history.values_list("history_change_reason", flat=True)) == {
        "計画データの読込（試験）"
    }


@pytest.mark.django_db
def test_a_new_indicator_takes_the_next_free_code_and_keeps_it_on_reload() -> None:
    Indicator.objects.create(code="K115", name="既存の指標")
    result = load_plan(small())
    assert result.assigned_codes == {"NEW-1": "K116"}
    new = Indicator.objects.get(code="K116")
    assert new.name == "多文化共生の推進に関する満足度（後期・試験用）"
    assert load_plan(small()).changes == []
    assert Indicator.objects.filter(name=new.name).count() == 1


@pytest.mark.django_db
def test_a_corrected_yaml_updates_in_place_and_keeps_actuals_and_history() -> None:
    load_plan(small())
    target = Target.objects.get(series__indicator__code="K001")
    Actual.objects.create(series=target.series, year=2030, value=24000, status=ActualStatus.DRAFT)
    corrected = small()
    corrected["policies"][0]["measures"][0]["name"] = "子どもを産み育てる環境づくり"
    corrected["indicators"][0]["target"]["value"] = "22500"
    changes = [str(c) for c in load_plan(corrected).changes]
    assert any(c.startswith("変更 重点施策 1-1") for c in changes), changes
    assert any("目標値" in c or "target_value" in c for c in changes), changes
    updated = Target.objects.get(pk=target.pk)
    assert updated.target_value == Decimal("22500")
    assert updated.history.count() == 2
    assert Actual.objects.filter(series=target.series).count() == 1
    assert Measure.objects.get(code="1-1").name == "子どもを産み育てる環境づくり"


@pytest.mark.django_db
def test_dry_run_prints_the_changes_and_writes_nothing() -> None:
    printed = run(str(SMALL), "--dry-run")
    assert "新規 重点施策 1-1" in printed and "保存していません" in printed
    assert not ActionPlan.objects.exists() and not Indicator.objects.exists()


@pytest.mark.django_db
def test_removing_an_indicator_with_actuals_is_refused_unless_confirmed() -> None:
    load_plan(small())
    new = Indicator.objects.get(name__startswith="多文化共生")
    Actual.objects.create(series=new.series.get(), year=2030, value=41, status=ActualStatus.DRAFT)
    dropped = small()
    dropped["indicators"].pop()
    dropped["policies"][0]["measures"][1]["sdgs"] = []
    del dropped["policies"][2]["measures"][0]["satisfaction"]
    links = dropped["projects"][0]["themes"][0]["links"]
    dropped["projects"][0]["themes"][0]["links"] = links[:1]
    with pytest.raises(PlanLoadError, match=rf"{new.code} .*実績値 1件"):
        load_plan(dropped)
    assert Indicator.objects.filter(pk=new.pk).exists()
    assert ThemeLink.objects.count() == 3  # nothing of the refused run stayed
    result = load_plan(dropped, confirm_removals=True)
    assert any(str(c).startswith(f"削除 成果指標 {new.code}") for c in result.changes)
    assert not Indicator.objects.filter(pk=new.pk).exists()
    assert Actual.history.filter(history_type="-").count() == 1
    assert Indicator.history.filter(code=new.code, history_type="-").count() == 1


@pytest.mark.django_db
def test_removing_a_measure_with_evaluation_sheets_is_refused_with_its_name(
    tmp_path: Path,
) -> None:
    load_plan(small())
    ensure_default_chain()
    evaluations_open(plan=ActionPlan.objects.get(), year=2030, user=None)
    dropped = small()
    del dropped["policies"][1]
    dropped["projects"][0]["themes"][0]["links"].pop()
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(dropped, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match=r"重点施策 2-1 .*評価調書 1件"):
        run(str(path))
    assert EvaluationSheet.objects.filter(measure__code="2-1").exists()


@pytest.mark.django_db
def test_a_second_plan_never_touches_the_rows_of_the_first() -> None:
    load_plan(small())
    first = ActionPlan.objects.get()
    other = small()
    other["plan"].update(code="2035-2039", name="次の計画", first_year=2035, last_year=2039)
    other["plan"].update(baseline_year=2033, target_year=2039)
    other["indicators"][0]["baseline"]["year"] = 2033
    other["policies"][0]["measures"][0]["name"] = "別の名称"
    other["glossary"][0]["projects"] = []
    load_plan(other)
    assert Measure.objects.get(plan=first, code="1-1").name == "子どもを産み育てる環境づくりの推進"
    assert Project.objects.count() == 2 and Measure.objects.count() == 8
    k001 = Series.objects.get(indicator__code="K001")
    assert sorted(k001.targets.values_list("plan__code", flat=True)) == ["2030-2034", "2035-2039"]
    assert list(GlossaryTerm.objects.get().projects.all()) == [Project.objects.get(plan=first)]
    # Removing the continuing indicator from the second plan leaves it to the first.
    other["indicators"].pop(0)
    other["projects"][0]["indicators"] = []
    other["projects"][0]["themes"][0]["links"].pop(0)
    load_plan(other)
    assert k001.targets.get().plan == first
    assert Indicator.objects.filter(code="K001").exists()


@pytest.mark.django_db
def test_a_new_series_of_a_continuing_indicator_goes_after_its_series() -> None:
    load_plan(small())
    other = small()
    other["plan"].update(code="2035-2039", name="次の計画", first_year=2035, last_year=2039)
    other["plan"].update(baseline_year=2033, target_year=2039)
    k001 = other["indicators"][0]
    del k001["baseline"], k001["target"]
    k001["series"] = [{"label": "市内", "target": {"value": "21000", "kind": "at_least"}}]
    result = load_plan(other)
    assert list(Series.objects.filter(indicator__code="K001").values_list("label", "order")) == [
        ("", 1),
        ("市内", 2),
    ]
    assert not any("K001" in note for note in result.notes)  # its own fields are unchanged
    k001["definition"] = "15歳未満の人口（各年10月1日）"
    notes = load_plan(other).notes
    assert "指標 K001 は他の計画でも使われています：変更はその計画にも表れます" in notes
