"""The evaluation pages through real requests: the list, its filters and Excel file, a sheet's
page, the dashboards showing the finalised sheet, the admin's 作成 page and the command."""

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from evaluations import services
from evaluations.models import (
    ACHIEVEMENTS_MAX,
    EvaluationSheet,
    MeasureLead,
    SheetState,
)
from indicators.models import Department, Indicator, Series, Target
from measures.models import Direction, Measure
from projects.models import ThemeLink
from tests.evaluations.builders import TEXT, World, approve_actual

pytestmark = pytest.mark.django_db


def finalise(sheet: EvaluationSheet, people: dict[str, User], takahashi: User) -> EvaluationSheet:
    """The whole chain, not sent to the committee, every step agreeing with A."""
    sheet = EvaluationSheet.objects.for_page().get(pk=sheet.pk)
    author = takahashi if sheet.department is None else people["sato"]
    text = {**TEXT, "rank_reason": "記述による"}  # in case the figures suggest another rank
    sheet = services.sheet_save(sheet=sheet, user=author, text=text)
    sheet = services.sheet_submit(sheet=sheet, user=author)
    holders = (
        ["mori", "shimizu", "hayashi"]
        if sheet.department is None
        else ["yamada", "nakamura", "kato"]
    )
    for holder in holders:
        sheet = services.sheet_approve(sheet=sheet, user=people[holder], rank="A", comment="")
    while not sheet.is_finalised:
        sheet = services.sheet_approve(sheet=sheet, user=takahashi, rank="A", comment="")
    return sheet


@pytest.fixture
def people(sato: User, reviewers: dict[str, User]) -> dict[str, User]:
    return {"sato": sato, **reviewers}


@pytest.fixture
def met(childcare_indicator: Indicator) -> None:
    approve_actual(childcare_indicator, 2025, "96.5")


# --- the sheet's page -------------------------------------------------------------------------
def test_the_department_writes_its_sheet_on_its_page(
    client: Client, sato: User, opened: dict[str, EvaluationSheet], met: None
) -> None:
    sheet = opened["childcare"]
    client.force_login(sato)
    page = client.get(reverse("evaluations:sheet", args=[sheet.pk])).content.decode()
    assert "３歳児健康診査受診率" in page and "96.5％" in page and "達成" in page
    assert "推奨評価" in page and "A（順調）" in page
    assert 'name="achievements"' in page and f'maxlength="{ACHIEVEMENTS_MAX}"' in page

    response = client.post(
        reverse("evaluations:save_text", args=[sheet.pk]), {**TEXT, "_submit": ""}
    )

    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == SheetState.REVIEWING and sheet.achievements == TEXT["achievements"]
    page = client.get(reverse("evaluations:sheet", args=[sheet.pk])).content.decode()
    assert 'name="achievements"' not in page and "提出しました（1次評価へ）" in page


def test_a_text_too_long_is_refused_next_to_its_field_and_nothing_is_saved(
    client: Client, sato: User, opened: dict[str, EvaluationSheet]
) -> None:
    sheet = opened["childcare"]
    client.force_login(sato)
    response = client.post(
        reverse("evaluations:save_text", args=[sheet.pk]),
        {**TEXT, "achievements": "あ" * (ACHIEVEMENTS_MAX + 1), "_save": ""},
    )
    assert response.status_code == 400
    assert "1500 文字以下" in response.content.decode() or "1500" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.achievements == ""


def test_a_line_end_counts_as_one_character_as_in_the_browser(
    client: Client, sato: User, opened: dict[str, EvaluationSheet]
) -> None:
    sheet = opened["childcare"]
    client.force_login(sato)
    text = "\r\n".join(["あ" * 99] * 15) + "あ"  # 1,500 with LF, 1,514 with CRLF
    response = client.post(
        reverse("evaluations:save_text", args=[sheet.pk]),
        {**TEXT, "achievements": text, "_save": ""},
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert len(sheet.achievements) == ACHIEVEMENTS_MAX and "\r" not in sheet.achievements


def test_a_refused_submission_keeps_the_text_and_says_what_is_missing(
    client: Client, sato: User, opened: dict[str, EvaluationSheet]
) -> None:
    sheet = opened["childcare"]
    client.force_login(sato)
    response = client.post(
        reverse("evaluations:save_text", args=[sheet.pk]),
        {**TEXT, "challenges": "", "_submit": ""},
    )
    assert response.status_code == 400
    assert "「課題」を入力してください。" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.state == SheetState.WRITING and sheet.achievements == TEXT["achievements"]


def test_a_reviewer_sees_earlier_steps_read_only_and_gives_its_own_rank(
    client: Client,
    people: dict[str, User],
    opened: dict[str, EvaluationSheet],
    met: None,
) -> None:
    sheet = services.sheet_save(sheet=opened["childcare"], user=people["sato"], text=TEXT)
    services.sheet_submit(sheet=sheet, user=people["sato"])
    client.force_login(people["yamada"])
    page = client.get(reverse("evaluations:sheet", args=[sheet.pk])).content.decode()
    assert "1次評価（子育て支援課 課長（yamada））" in page
    assert TEXT["achievements"] in page and 'name="achievements"' not in page
    assert 'name="rank"' in page and "所管課に差し戻す" in page

    client.post(
        reverse("evaluations:review", args=[sheet.pk]),
        {"rank": "B", "comment": "", "_approve": ""},
    )
    sheet.refresh_from_db()
    assert sheet.step.name == "1次評価"  # a changed rank needs its reason
    client.post(
        reverse("evaluations:review", args=[sheet.pk]),
        {"rank": "B", "comment": "周知に課題", "_approve": ""},
    )
    client.force_login(people["nakamura"])
    page = client.get(reverse("evaluations:sheet", args=[sheet.pk])).content.decode()
    assert "周知に課題" in page and "2次評価（健康福祉部 副部局長（nakamura））" in page


def test_the_project_sheet_shows_its_measures_sheets_beside_it(
    client: Client,
    takahashi: User,
    people: dict[str, User],
    opened: dict[str, EvaluationSheet],
    met: None,
) -> None:
    finalise(opened["childcare"], people, takahashi)
    client.force_login(takahashi)
    page = client.get(reverse("evaluations:sheet", args=[opened["project"].pk])).context["page"]
    assert [s.measure.code for s in page.related] == ["1-1", "1-2"]
    assert [s.state for s in page.related] == [SheetState.FINALISED, SheetState.WRITING]
    assert [f.indicator_code for f in (r.figure for r in page.figures)] == ["T101", "T201"]


def test_the_sheet_page_runs_a_constant_number_of_queries(
    client: Client,
    takahashi: User,
    people: dict[str, User],
    opened: dict[str, EvaluationSheet],
    world: World,
    django_assert_num_queries: Any,
) -> None:
    """session, user, the sheet, the bureaus, the user's permissions (2) — may they read it —
    then the page: steps, the project's headline and linked indicators (2), their series,
    targets and actuals (3), the plan's rank scheme, the frozen figures, entries, position
    holders, the committee's comments, the related measures' sheets."""
    finalise(opened["project"], people, takahashi)
    url = reverse("evaluations:sheet", args=[opened["project"].pk])
    client.force_login(takahashi)
    with django_assert_num_queries(18):
        assert client.get(url).status_code == 200
    grow(world)
    with django_assert_num_queries(18):
        assert client.get(url).status_code == 200


def grow(world: World) -> None:
    """Ten more indicators linked to the project's theme, three years of actuals each."""
    theme = world.project.themes.get()
    direction = Direction.objects.filter(measure=world.childcare_measure).first()
    assert direction is not None
    for n in range(10):
        indicator = Indicator.objects.create(code=f"X{n:02d}", name=f"追加指標{n}", unit="件")
        series = Series.objects.create(indicator=indicator)
        Target.objects.create(
            series=series,
            plan=world.plan,
            baseline_value=10,
            baseline_year=2023,
            target_value=20,
            target_year=2029,
            target_kind="increase",
        )
        ThemeLink.objects.create(
            theme=theme, order=10 + n, direction=direction, indicator=indicator
        )
        for year in (2023, 2024, 2025):
            approve_actual(indicator, year, str(10 + year - 2022))


# --- the list ---------------------------------------------------------------------------------
def test_the_list_says_where_each_sheet_is_and_who_holds_it(
    client: Client,
    takahashi: User,
    people: dict[str, User],
    opened: dict[str, EvaluationSheet],
    met: None,
) -> None:
    finalise(opened["childcare"], people, takahashi)
    client.force_login(takahashi)
    rows = {r.sheet.pk: r for r in client.get("/evaluations/?year=2025").context["rows"]}
    childcare, school, project = (rows[opened[k].pk] for k in ("childcare", "school", "project"))
    assert (childcare.holder, childcare.suggested.rank, childcare.sheet.final_rank) == (
        "確定",
        "A",
        "A",
    )
    assert school.holder == "学校教育課" and school.suggested.rank is None  # no actual yet
    assert project.holder == "企画担当" and project.suggested.label.startswith("A")


def test_the_list_filters_by_kind_state_step_and_department(
    client: Client,
    takahashi: User,
    people: dict[str, User],
    opened: dict[str, EvaluationSheet],
    school: Department,
) -> None:
    text = {**TEXT, "rank_reason": "実績値の確定前のため記述による"}
    sheet = services.sheet_save(sheet=opened["childcare"], user=people["sato"], text=text)
    services.sheet_submit(sheet=sheet, user=people["sato"])
    client.force_login(takahashi)

    def shown(query: str) -> list[int]:
        return sorted(
            r.sheet.pk for r in client.get(f"/evaluations/?year=2025&{query}").context["rows"]
        )

    assert shown("kind=project") == [opened["project"].pk]
    assert shown("kind=measure") == sorted([opened["childcare"].pk, opened["school"].pk])
    assert shown("state=reviewing") == [opened["childcare"].pk]
    assert shown("step=1") == [opened["childcare"].pk]
    assert shown(f"department={school.pk}") == [opened["school"].pk]
    assert shown("department=planning") == [opened["project"].pk]
    assert len(shown("kind=nonsense&state=x&step=y")) == 3


def test_the_list_exports_an_excel_file_with_real_numbers(
    client: Client,
    takahashi: User,
    people: dict[str, User],
    opened: dict[str, EvaluationSheet],
    school: Department,
    met: None,
) -> None:
    school.name = '=HYPERLINK("http://example.com")'
    school.save()
    finalise(opened["childcare"], people, takahashi)
    client.force_login(takahashi)

    response = client.get("/evaluations/?year=2025&_export=xlsx")

    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet is not None
    assert sheet.title == "評価調書一覧（令和7年度）" and sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    by_name = {row[header.index("名称")]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    childcare = by_name["子どもを産み育てる環境づくりの推進"]
    assert childcare["評価年度"] == 2025 and childcare["指標（系列）数"] == 1
    assert childcare["達成・順調の割合（%）"] == 100.0
    assert (childcare["推奨評価"], childcare["確定評価"]) == ("A（順調）", "A（順調）")
    school_row = by_name["幼児教育・学校教育の充実"]
    assert school_row["作成課"] == '\'=HYPERLINK("http://example.com")'
    assert school_row["達成・順調の割合（%）"] is None
    assert by_name["子育て応援プロジェクト"]["番号"] == "1"  # a number or a code: text


@pytest.mark.parametrize("size", ["small", "grown"])
def test_the_list_runs_a_constant_number_of_queries(
    client: Client,
    takahashi: User,
    people: dict[str, User],
    opened: dict[str, EvaluationSheet],
    world: World,
    django_assert_num_queries: Any,
    size: str,
) -> None:
    """session, user, plan, the user's permissions (2), the sheets, bureaus, position holders,
    the open sheets' figures (indicators of projects 2, of measures 2; series, targets,
    actuals 3), the plan's rank scheme, the finalised sheets' frozen statuses, the chain's steps
    (for the filter)."""
    finalise(opened["childcare"], people, takahashi)
    if size == "grown":
        grow(world)
        for n in range(3, 12):
            Measure.objects.create(
                plan=world.plan,
                policy=world.childcare_measure.policy,
                code=f"1-{n}",
                name=f"施策{n}",
                order=n,
            )
        services.evaluations_open(plan=world.plan, year=2025, user=takahashi)
    client.force_login(takahashi)
    with django_assert_num_queries(18):
        assert client.get("/evaluations/?year=2025").status_code == 200


# --- the dashboards ---------------------------------------------------------------------------
def test_the_dashboards_show_the_finalised_sheet_of_the_as_of_year_only(
    client: Client,
    watanabe: User,
    takahashi: User,
    people: dict[str, User],
    opened: dict[str, EvaluationSheet],
    settings: Any,
    met: None,
) -> None:
    project = opened["project"]
    services.sheet_save(
        sheet=project, user=takahashi, text={**TEXT, "achievements": "下書きの実績"}
    )
    client.force_login(watanabe)
    url = "/projects/1/?year=2025&plan=test-2025-2029"
    assert "下書きの実績" not in client.get(url).content.decode()
    assert client.get("/projects/1.json?year=2025&plan=test-2025-2029").json()["evaluation"] is None

    finalise(project, people, takahashi)
    finalise(opened["childcare"], people, takahashi)

    page = client.get(url).content.decode()
    assert "効果検証（令和7年度（2025）の評価・確定）" in page and "継続" in page
    assert TEXT["achievements"] in page and "評価調書を開く" in page
    data = client.get("/projects/1.json?year=2025&plan=test-2025-2029").json()["evaluation"]
    assert (data["rank"], data["outlook"], data["rank_scheme_version"]) == ("A", "継続", "1")
    measure_page = client.get("/measures/1-1/?year=2025&plan=test-2025-2029").content.decode()
    assert TEXT["outlook_text"] in measure_page
    assert (
        "効果検証" not in client.get("/projects/1/?year=2026&plan=test-2025-2029").content.decode()
    )

    services.sheet_reopen(
        sheet=EvaluationSheet.objects.for_page().get(pk=project.pk), user=takahashi, reason="誤り"
    )
    client.logout()
    settings.KPI_PUBLIC_DASHBOARDS = True
    public = client.get(url).content.decode()
    assert TEXT["achievements"] not in public  # reopened: not finalised any more
    public_measure = client.get("/measures/1-1/?year=2025&plan=test-2025-2029").content.decode()
    assert TEXT["outlook_text"] in public_measure and "評価調書を開く" not in public_measure
    assert client.get(reverse("evaluations:sheet", args=[project.pk])).status_code == 302


# --- opening a year ---------------------------------------------------------------------------
def test_the_planning_division_opens_a_year_in_the_admin(
    client: Client, takahashi: User, world: World
) -> None:
    client.force_login(takahashi)
    url = reverse("admin:evaluations_evaluationsheet_open")
    data = {"plan": world.plan.pk, "year": "2026"}
    response = client.post(url, data, follow=True)
    assert (
        "令和8年度（2026）の評価調書を3件作成しました（既存 0件は変更なし）。"
        in response.content.decode()
    )
    response = client.post(url, data, follow=True)
    assert "0件作成しました（既存 3件は変更なし）" in response.content.decode()
    assert EvaluationSheet.objects.filter(year=2026).count() == 3


def test_the_command_opens_a_year_and_a_second_run_changes_nothing(world: World) -> None:
    out = io.StringIO()
    call_command("open_evaluations", "--year", "2025", "--plan", world.plan.code, stdout=out)
    assert "評価調書を3件作成" in out.getvalue()
    history = EvaluationSheet.history.count()
    out = io.StringIO()
    call_command("open_evaluations", "--year", "2025", "--plan", world.plan.code, stdout=out)
    assert "0件作成、既存 3件は変更なし" in out.getvalue()
    assert EvaluationSheet.history.count() == history


def test_the_planning_division_assigns_lead_departments_in_the_admin(
    client: Client, takahashi: User, sato: User, world: World, school: Department
) -> None:
    url = reverse("admin:evaluations_measurelead_changelist")
    data = {
        "action": "assign_lead_department",
        "department": str(school.pk),
        "_selected_action": [world.childcare_measure.pk],
    }
    client.force_login(sato)
    assert client.post(url, data).status_code == 403
    client.force_login(takahashi)
    client.post(url, data)
    assert MeasureLead.objects.get(pk=world.childcare_measure.pk).lead_department == school
    change = reverse("admin:evaluations_measurelead_change", args=[world.childcare_measure.pk])
    response = client.post(change, {"lead_department": "", "name": "書き換え"})
    assert response.status_code == 302
    measure = Measure.objects.get(pk=world.childcare_measure.pk)
    assert (measure.lead_department, measure.name) == (None, "子どもを産み育てる環境づくりの推進")


def test_an_indicator_value_is_only_what_is_approved(
    client: Client,
    takahashi: User,
    opened: dict[str, EvaluationSheet],
    childcare_indicator: Indicator,
) -> None:
    from indicators.models import Actual

    Actual.objects.create(
        series=childcare_indicator.series.get(),
        year=2025,
        value=Decimal("96.5"),
        status="submitted",
    )
    client.force_login(takahashi)
    page = client.get(reverse("evaluations:sheet", args=[opened["childcare"].pk])).context["page"]
    (row,) = page.figures
    assert row.figure.latest_value is None and row.figure.status == "no_data"
