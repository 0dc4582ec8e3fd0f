"""Citizen-survey results (市民意識調査): 施策番号, 年度, 満足度 feed the satisfaction indicator
linked to each measure through Indicator.survey_measure — data, not code."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from indicators.imports import ImportFileError, RowKind, Upload, confirm_import, preview_import
from indicators.models import Actual, Indicator, Series, Target
from measures.models import ActionPlan, Measure, Policy
from tests.indicators.import_files import csv_file, xlsx_file

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 29)
HEADER = ["施策番号", "施策名", "年度", "満足度", "不満度"]


@pytest.fixture
def measures(entry_plan: ActionPlan) -> dict[str, Measure]:
    """7-1 and 7-3 of policy 7; only 7-1 has a satisfaction indicator (T701)."""
    policy = Policy.objects.create(plan=entry_plan, number=7, name="共生")
    found = {
        code: Measure.objects.create(plan=entry_plan, policy=policy, code=code, name=name, order=n)
        for n, (code, name) in enumerate([("7-1", "多文化共生"), ("7-3", "協働")], 1)
    }
    indicator = Indicator.objects.create(
        code="T701",
        name="多文化共生の推進に関する満足度",
        unit="％",
        decimals=1,
        survey_measure=found["7-1"],
    )
    series = Series.objects.create(indicator=indicator)
    Target.objects.create(
        series=series,
        plan=entry_plan,
        baseline_value=Decimal("30.2"),
        baseline_year=2023,
        target_value=Decimal("35.0"),
        target_year=2029,
        target_kind="increase",
    )
    return found


def survey(rows: Sequence[Sequence[object]], encoding: str = "cp932") -> Upload:
    return Upload("市民意識調査.csv", csv_file([HEADER, *rows], encoding))


def test_survey_results_update_the_satisfaction_indicator_linked_to_the_measure(
    takahashi: User, measures: dict[str, Measure]
) -> None:
    record, plan = confirm_import(
        survey([["７－１", "多文化共生", "令和６年度", "31.5％", "12.0"]]),
        user=takahashi,
        today=TODAY,
    )

    assert record.applied and record.format == "survey" and plan.format == "survey"
    actual = Actual.objects.select_related("series__indicator").get()
    assert (actual.series.indicator.code, actual.year, actual.value) == (
        "T701",
        2024,
        Decimal("31.5"),
    )


def test_a_measure_without_a_satisfaction_indicator_is_reported_as_a_warning_row(
    takahashi: User, measures: dict[str, Measure]
) -> None:
    rows = [["7-1", "", "R6", "31.5", ""], ["7-3", "協働", "R6", "40.0", ""]]
    record, plan = confirm_import(survey(rows), user=takahashi, today=TODAY)

    assert [r.kind for r in plan.rows] == [RowKind.NEW, RowKind.WARNING]
    assert plan.messages() == [
        "3行目：施策 7-3 には満足度の指標がないため、取り込みません"
        "（成果指標の「市民意識調査の対象施策」で設定できます）。"
    ]
    assert record.applied and record.rows_warnings == 1 and Actual.objects.count() == 1


def test_linking_another_measure_in_the_admin_data_makes_its_rows_count(
    takahashi: User, measures: dict[str, Measure]
) -> None:
    Indicator.objects.filter(code="T701").update(survey_measure=measures["7-3"])
    plan = preview_import(survey([["7-3", "", "R6", "40.0", ""]]), user=takahashi, today=TODAY)
    assert [(r.kind, r.code) for r in plan.rows] == [(RowKind.NEW, "T701")]


def test_survey_rows_are_checked_like_any_actual(
    takahashi: User, measures: dict[str, Measure]
) -> None:
    rows = [
        ["9-9", "", "R6", "31.5", ""],
        ["7-1", "", "R6", "101.0", ""],
        ["", "", "R6", "31.5", ""],
        ["7-1", "", "R5", "30.2", ""],
        ["7-1", "", "2023", "30.3", ""],
    ]
    plan = preview_import(survey(rows), user=takahashi, today=TODAY)
    assert plan.messages() == [
        "2行目「施策番号」：施策番号「9-9」の施策はありません。",
        "3行目「満足度」：割合（％）は0から100までの値を入力してください。",
        "4行目「施策番号」：施策番号を入力してください（例：7-1）。",
        "5行目「年度」：同じ指標・系列・年度の行が 6行目にもあります（1行にまとめてください）。",
        "6行目「年度」：同じ指標・系列・年度の行が 5行目にもあります（1行にまとめてください）。",
    ]


def test_staff_cannot_import_a_satisfaction_indicator_outside_their_departments(
    sato: User, measures: dict[str, Measure]
) -> None:
    plan = preview_import(survey([["7-1", "", "R6", "31.5", ""]]), user=sato, today=TODAY)
    assert plan.messages() == [
        "2行目「施策番号」：T701（所管課：未設定）の実績値を入力する権限がありません。"
    ]


def test_the_format_is_detected_from_the_header_or_named_explicitly(
    takahashi: User, measures: dict[str, Measure]
) -> None:
    data = Upload("s.xlsx", xlsx_file([["満足度", "年度", "施策番号"], [31.5, 2024, "7-1"]]))
    assert preview_import(data, user=takahashi, today=TODAY).format == "survey"

    with pytest.raises(ImportFileError, match="列がありません：施策番号（measure）"):
        preview_import(
            Upload("s.csv", csv_file([["指標コード", "年度", "実績値"], ["T701", "R6", "1"]])),
            user=takahashi,
            format="survey",
            today=TODAY,
        )


def test_the_whole_plans_measure_7_1_feeds_its_multicultural_satisfaction_indicator(
    plan: ActionPlan, takahashi: User
) -> None:
    rows = [["7-1", "互いに認め合う多文化共生の推進", "令和6年度", "33.4", ""]]
    record, result = confirm_import(survey(rows, "utf-8-sig"), user=takahashi, today=TODAY)

    assert record.applied, result.messages()
    (row,) = result.rows
    assert (row.code, row.name) == ("K007", "互いに認め合う多文化共生の推進に関する満足度")
    assert Actual.objects.get(series__indicator__code="K007", year=2024).value == Decimal("33.4")
