"""The managers' dashboards, through real requests."""

import csv
import io
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from openpyxl.worksheet.worksheet import Worksheet
from pytest_django import DjangoAssertNumQueries, Settings

from dashboards.reads import overview, project_page
from indicators.models import Actual, ActualStatus, Series
from kpi.progress import Status
from measures.models import ActionPlan
from tests.dashboards.conftest import grow_plan

PRINTED_MATRIX = Path(__file__).parent.parent / "data" / "printed_matrix.tsv"

PAGES = [
    "/",
    "/projects/1/",
    "/projects/1.json",
    "/indicators/K001/",
    "/indicators/K001.json",
    "/measures/",
    "/measures/7-1/",
    "/matrix/",
    "/sdgs/",
]


def add_actual(name: str, year: int, value: str, label: str = "") -> Actual:
    series = Series.objects.get(indicator__name=name, label=label)
    return Actual.objects.create(
        series=series, year=year, value=Decimal(value), status=ActualStatus.APPROVED
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_dashboards_need_a_login_by_default(plan: ActionPlan, client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_a_setting_opens_the_dashboards_to_the_public(
    plan: ActionPlan, client: Client, settings: Settings, url: str
) -> None:
    settings.KPI_PUBLIC_DASHBOARDS = True
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_overview_recomputes_everything_as_of_the_chosen_year(
    plan: ActionPlan, manager_client: Client
) -> None:
    add_actual("刑法犯認知件数", 2025, "1750")
    add_actual("刑法犯認知件数", 2026, "1390")
    as_of_2025 = {s.project.number: s for s in overview(plan, 2025)}[3]
    as_of_2026 = {s.project.number: s for s in overview(plan, 2026)}[3]
    crime_2025 = next(v for v in as_of_2025.headline if v.indicator.name == "刑法犯認知件数")
    crime_2026 = next(v for v in as_of_2026.headline if v.indicator.name == "刑法犯認知件数")
    assert crime_2025.progress.latest_value == Decimal("1750")
    assert crime_2025.status == "behind"
    assert crime_2026.status == "achieved"
    page = manager_client.get("/?year=2025").content.decode()
    assert "令和7年度（2025）時点" in page and "1,750件" in page
    page = manager_client.get("/?year=2026").content.decode()
    assert "1,390件" in page


@pytest.mark.django_db
def test_overview_counts_indicators_per_status_for_each_project(
    plan: ActionPlan, manager_client: Client
) -> None:
    add_actual("３歳児健康診査受診率", 2025, "96.5")  # met
    add_actual("児童センター・児童館の利用者数", 2025, "150000")  # below the baseline
    summary = {s.project.number: s for s in overview(plan, 2025)}[1]
    assert summary.counts[Status.ACHIEVED] == 1 and summary.counts[Status.WORSE] == 1
    assert summary.total == sum(summary.counts.values())
    page = manager_client.get("/?year=2025").content.decode()
    for project in ("少子高齢化対策プロジェクト", "ＤＸ推進プロジェクト"):
        assert project in page


@pytest.mark.django_db
def test_a_fall_below_the_child_population_floor_is_never_an_achievement(plan: ActionPlan) -> None:
    add_actual("年少人口", 2025, "23500")
    headline = {s.project.number: s for s in overview(plan, 2025)}[1].headline
    children = next(v for v in headline if v.indicator.name == "年少人口")
    assert children.status == "worse" and children.progress.met is False


@pytest.mark.django_db
def test_project_page_has_a_table_per_theme_filterable_by_status(
    plan: ActionPlan, manager_client: Client
) -> None:
    add_actual("３歳児健康診査受診率", 2025, "96.5")
    page = manager_client.get("/projects/1/?year=2025").content.decode()
    assert page.count('class="kpi-table"') == 3
    assert "結婚・出産・子育てに希望が持てる社会の実現" in page
    filtered = manager_client.get("/projects/1/?year=2025&status=achieved").content.decode()
    assert "３歳児健康診査受診率" in filtered
    assert "児童センター・児童館の利用者数" not in filtered
    sorted_page = manager_client.get("/projects/1/?t1-sort=-rate&t2-sort=status")
    assert sorted_page.status_code == 200


@pytest.mark.django_db
def test_project_csv_export_opens_in_japanese_excel(
    plan: ActionPlan, manager_client: Client
) -> None:
    add_actual("健康寿命（平均自立期間）", 2024, "79.45", "男性")
    response = manager_client.get("/projects/1/?year=2025&_export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition
    assert "重点プロジェクト1_少子高齢化対策_令和7年度時点.csv" in unquote(disposition)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    page = project_page(plan.projects.get(number=1), 2025)
    assert len(rows) == len(page.headline) + len(page.rows)
    assert [r["区分"] for r in rows[: len(page.headline)]] == ["プロジェクト指標"] * len(
        page.headline
    )
    men = next(
        r for r in rows if r["成果指標"] == "健康寿命（平均自立期間）" and r["系列"] == "男性"
    )
    # Plain numbers, the unit in its own column, years as years.
    assert (men["現状値"], men["最新実績値"], men["実績年度"], men["目標値"], men["単位"]) == (
        "79.4",
        "79.45",
        "2024",
        "79.5",
        "歳",
    )
    assert men["取組の方向性"] == "全ての市民が元気に活躍できる環境づくり"
    # A measure code Excel would read as a date carries the text mark.
    assert men["重点施策"] == "'2-1"


@pytest.mark.django_db
def test_project_xlsx_export_is_a_workbook_of_numbers(
    plan: ActionPlan, manager_client: Client
) -> None:
    add_actual("健康寿命（平均自立期間）", 2024, "79.5", "男性")
    response = manager_client.get("/projects/1/?year=2025&_export=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    assert sheet.title == "重点プロジェクト1（令和7年度時点）"
    header = [c.value for c in sheet[1]]
    assert "成果指標" in header and "状況" in header and "単位" in header
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    men = next(
        r
        for r in rows
        if r["成果指標"].value == "健康寿命（平均自立期間）" and r["系列"].value == "男性"
    )
    assert (men["最新実績値"].value, men["最新実績値"].number_format) == (79.5, "#,##0.0")
    assert (men["実績年度"].value, men["実績年度"].data_type) == (2024, "n")
    assert men["進捗率（％）"].data_type == "n" and men["単位"].value == "歳"
    assert (men["重点施策"].value, men["重点施策"].number_format) == ("2-1", "@")
    assert sheet.freeze_panes == "A2"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["ods", "json", "xls", ""])
def test_unknown_export_formats_answer_400(
    plan: ActionPlan, manager_client: Client, fmt: str
) -> None:
    assert manager_client.get(f"/projects/1/?_export={fmt}").status_code == 400


@pytest.mark.django_db
def test_indicator_page_shows_chart_history_and_where_it_is_used(
    plan: ActionPlan, manager_client: Client
) -> None:
    add_actual("学校体育館の空調機設置率", 2024, "20")
    add_actual("学校体育館の空調機設置率", 2025, "45")
    code = Series.objects.get(indicator__name="学校体育館の空調機設置率").indicator.code
    page = manager_client.get(f"/indicators/{code}/?year=2025").content.decode()
    assert "<svg" in page and "actual-point" in page and "forecast-line" in page
    assert "令和7年度（2025）" in page and "45.0%" in page
    assert "少子高齢化対策プロジェクト" in page and "暮らしの安心実現プロジェクト" in page
    assert "1-3" in page


@pytest.mark.django_db
def test_indicator_json_gives_the_same_figures_as_the_page(
    plan: ActionPlan, manager_client: Client
) -> None:
    add_actual("刑法犯認知件数", 2024, "1800")
    add_actual("刑法犯認知件数", 2025, "1700")
    code = Series.objects.get(indicator__name="刑法犯認知件数").indicator.code
    data = manager_client.get(f"/indicators/{code}.json?year=2025").json()
    (series,) = data["series"]
    assert (series["baseline"], series["target"], series["target_kind"]) == (1869, 1400, "decrease")
    assert series["latest_year"] == 2025 and series["latest_value"] == 1700
    assert series["progress_rate"] == 36.0 and series["status"] == "on_track"
    assert series["forecast"] is not None
    assert [a["year"] for a in series["actuals"]] == [2024, 2025]


@pytest.mark.django_db
def test_as_of_a_year_nothing_measured_later_is_shown(
    plan: ActionPlan, manager_client: Client
) -> None:
    """As of 令和6年度 the JSON and the page know nothing of 令和7年度's 1,700 件."""
    add_actual("刑法犯認知件数", 2024, "1752")
    add_actual("刑法犯認知件数", 2025, "1700")
    code = Series.objects.get(indicator__name="刑法犯認知件数").indicator.code
    (series,) = manager_client.get(f"/indicators/{code}.json?year=2024").json()["series"]
    assert [a["year"] for a in series["actuals"]] == [2024]
    assert series["latest_value"] == 1752
    page = manager_client.get(f"/indicators/{code}/?year=2024").content.decode()
    assert "1,752件" in page and "1,700" not in page
    later = manager_client.get(f"/indicators/{code}/?year=2025").content.decode()
    assert "1,700件" in later


@pytest.mark.django_db
def test_an_indicator_without_any_data_says_so(plan: ActionPlan, manager_client: Client) -> None:
    from indicators.models import Indicator

    bare = Indicator.objects.create(code="Z999", name="測定前の指標", unit="件")
    Series.objects.create(indicator=bare)
    page = manager_client.get("/indicators/Z999/").content.decode()
    assert "データがありません" in page
    assert "<svg" not in page and "実績値（白抜きは暫定値）" not in page
    with_data = manager_client.get(
        "/indicators/" + Series.objects.get(indicator__name="刑法犯認知件数").indicator.code + "/"
    ).content.decode()
    assert "データがありません" not in with_data


@pytest.mark.django_db
def test_project_json_lists_project_indicators_and_theme_rows(
    plan: ActionPlan, manager_client: Client
) -> None:
    data = manager_client.get("/projects/5.json").json()
    assert data["project"]["name"] == "ＤＸ推進プロジェクト"
    assert len(data["project_indicators"]) == 2 and len(data["themes"]) == 3
    assert data["project_indicators"][0]["baseline"] is None  # printed －


@pytest.mark.django_db
def test_unknown_pages_answer_404(plan: ActionPlan, manager_client: Client) -> None:
    for url in ["/projects/99/", "/indicators/NOPE/", "/indicators/NOPE.json", "/measures/9-9/"]:
        assert manager_client.get(url).status_code == 404


@pytest.mark.django_db
def test_matrix_page_is_derived_from_the_links(plan: ActionPlan, manager_client: Client) -> None:
    page = manager_client.get("/matrix/").content.decode()
    printed = [
        ln for ln in PRINTED_MATRIX.read_text(encoding="utf-8").splitlines() if ln[:1] != "#"
    ]
    cells = "\t".join(printed[1:]).split("\t")
    assert page.count("<td>◎</td>") == cells.count("◎") == 28
    assert page.count("<td>○</td>") == cells.count("○") == 18


@pytest.mark.django_db
def test_sdgs_page_lists_local_indicators_with_and_without_targets(
    plan: ActionPlan, manager_client: Client
) -> None:
    page = manager_client.get("/sdgs/").content.decode()
    assert "日本語教室の受講者数" in page and "温室効果ガス排出量" in page
    assert "３歳児健康診査受診率" in page


# Queries per page, whatever the data size. Every page: the session, the user, the user's groups
# (a 推進会議 member sees the committee's sheets only, not the dashboards), the plan, the data
# version that keys the page cache (5); the counts below are a miss and are each one more.
# Then, by page (series_views = the counted actuals, the series with their indicator and
# department, this plan's targets: 3):
#   /              projects, headline entries, series_views of the project indicators (3),
#                  every linked series' latest actual, their targets, the theme links      → 12
#   /projects/1/   project, themes, headline ids, series_views (3), theme links, the as-of
#                  year's finalised evaluation sheet, related plans                        → 13
#   exports        the same without the related plans                                      → 12
#   JSON           the same, and the plan's rank scheme                                    → 13
#   /indicators/…  indicator, series_views (3), where it is used (links, project entries, SDGs),
#                  the user's own and group permissions (may they see the audit trail?)   → 13
#   …json          indicator, series_views (3), the plan's rank scheme                      →  9
#   /measures/     measures with policies, the counted actuals and the target of each linked
#                  series (no series views), the links' measure→indicator                  →  8
#   /measures/7-1/ measure, links, SDGs entries, satisfaction indicators, series_views (3),
#                  directions, initiatives, the finalised evaluation sheet                 → 14
#   /matrix/       the links' (measure, project, direction, initiative), projects, measures  →  7
#   /sdgs/         series_views (3), SDGs entries with measures and policies               →  8
QUERIES = {
    "/": 13,
    "/?year=2025": 13,
    "/projects/1/": 14,
    "/projects/1/?status=behind&t1-sort=rate": 14,
    "/projects/1/?_export=csv": 13,
    "/projects/1/?_export=xlsx": 13,
    "/projects/1.json": 14,
    "/indicators/K001/": 14,
    "/indicators/K059/": 14,
    "/indicators/K001.json": 10,
    "/measures/": 9,
    "/measures/7-1/": 15,
    "/matrix/": 8,
    "/sdgs/": 9,
}


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["plan", "plan with 6x links and 6 years of actuals"])
@pytest.mark.parametrize("url", list(QUERIES))
def test_every_page_runs_a_constant_number_of_queries(
    plan: ActionPlan,
    manager_client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    url: str,
    size: str,
) -> None:
    if size != "plan":
        grow_plan(plan, indicators=25, years=range(2024, 2030))
    with django_assert_num_queries(QUERIES[url]):
        assert manager_client.get(url).status_code == 200


@pytest.mark.django_db
def test_provisional_values_count_only_when_asked_and_are_marked(
    plan: ActionPlan, manager_client: Client
) -> None:
    series = Series.objects.get(indicator__name="刑法犯認知件数")
    Actual.objects.create(series=series, year=2025, value=Decimal("1390"), status="submitted")
    code = series.indicator.code
    approved_only = manager_client.get(f"/indicators/{code}.json?year=2025").json()
    assert approved_only["series"][0]["latest_value"] is None
    with_provisional = manager_client.get(f"/indicators/{code}.json?year=2025&provisional=1")
    latest = with_provisional.json()["series"][0]
    assert latest["latest_value"] == 1390 and latest["actuals"][0]["provisional"] is True
    page = manager_client.get("/?year=2025&provisional=1").content.decode()
    assert "達成（暫定）" in page
    assert "達成（暫定）" not in manager_client.get("/?year=2025").content.decode()


@pytest.mark.django_db
def test_only_approvers_see_the_audit_trail_on_the_indicator_page(
    plan: ActionPlan, client: Client, manager: User, django_user_model: type[User]
) -> None:
    from indicators.permissions import ROLE_APPROVER, sync_roles

    sync_roles()
    approver = django_user_model.objects.create_user("kikaku", password="unused-pw-2")
    approver.groups.add(Group.objects.get(name=ROLE_APPROVER))
    client.force_login(manager)
    assert "変更履歴" not in client.get("/indicators/K001/").content.decode()
    client.force_login(approver)
    assert "変更履歴" in client.get("/indicators/K001/").content.decode()


@pytest.mark.django_db
def test_project_page_filters_by_department_once_indicators_have_one(
    plan: ActionPlan, manager_client: Client
) -> None:
    from indicators.models import Department, Indicator

    police = Department.objects.create(name="くらし安全課", code="K01")
    Indicator.objects.filter(name__in=["刑法犯認知件数", "交通事故発生件数"]).update(
        department=police
    )
    page = manager_client.get(f"/projects/3/?department={police.pk}").content.decode()
    assert "くらし安全課" in page
    assert "交通事故発生件数" in page and "消防団員充足率" not in page
    response = manager_client.get(f"/projects/3/?department={police.pk}&_export=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["所管課"] for r in rows} == {"くらし安全課"}


@pytest.mark.django_db
def test_an_unmeasured_baseline_starts_chart_table_and_rate_at_the_first_survey(
    plan: ActionPlan, manager_client: Client
) -> None:
    name = (
        "「伊勢崎市はデジタル化が進んでいる」と感じる市民の割合"  # － (not measured yet) → 50.0％
    )
    add_actual(name, 2025, "20.0")
    code = Series.objects.get(indicator__name=name).indicator.code
    first = manager_client.get(f"/indicators/{code}.json?year=2025").json()["series"][0]
    assert (first["progress_rate"], first["status"]) == (None, "no_verdict")
    add_actual(name, 2026, "26.0")
    second = manager_client.get(f"/indicators/{code}.json?year=2026").json()["series"][0]
    # 26.0 lags the line (27.5) by 1.5 pt, within KPI_ON_TRACK_MARGIN (5 % of the 30 pt)
    assert (second["progress_rate"], second["status_label"]) == (20.0, "順調")
    assert second["rank"] == "順調" and second["rank_scheme"] == "status"
    page = manager_client.get(f"/indicators/{code}/?year=2026")
    ((view, chart, table),) = page.context["series"]
    rows = {row.year: row for row in table}
    assert rows[2025].expected == Decimal("20")  # the table's line starts at the first survey
    assert rows[2026].expected == Decimal("27.5")
    assert view.goal.start == Decimal("20.0") and "<svg" in chart  # so does the chart's


@pytest.mark.django_db
def test_a_target_met_in_its_year_stays_met_and_final_in_the_json(
    plan: ActionPlan, manager_client: Client
) -> None:
    name = "従業者数（公務を除く）"  # 98,564人 (令和3年) → 98,600人 (令和8年)
    add_actual(name, 2026, "98700")
    add_actual(name, 2028, "98400")
    code = Series.objects.get(indicator__name=name).indicator.code
    series = manager_client.get(f"/indicators/{code}.json?year=2029").json()["series"][0]
    assert (series["status"], series["latest_year"]) == ("achieved", 2026)
    assert series["final"] is True and series["target_year_passed"] is True
    assert [a["year"] for a in series["actuals"]] == [2026, 2028]  # later values still shown
