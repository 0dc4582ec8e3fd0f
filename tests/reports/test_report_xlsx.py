"""The 進捗管理シート (XLSX): one row per series, numbers as numbers, through the download and
the command alike; and who may download the report when the dashboards are public."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl.worksheet.worksheet import Worksheet
from pytest_django import Settings

from evaluations.models import EvaluationSheet, SheetState
from indicators.models import ActualStatus, Indicator
from tests.conftest import add_actual
from tests.evaluations.builders import World

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> tuple[Worksheet, list[dict[str, object]]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in values[0]]
    return sheet, [dict(zip(header, row, strict=True)) for row in values[1:]]


def test_the_progress_sheet_has_a_row_per_series_with_numeric_cells(
    world_2025: World, watanabe: User, client: Client
) -> None:
    client.force_login(watanabe)

    response = client.get("/report/2025.xlsx")

    assert response.status_code == 200
    sheet, rows = _rows(response.content)
    assert sheet.title == "進捗管理シート（令和7年度）" and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width > 10
    headline = rows[0]
    assert headline["区分"] == "プロジェクト指標" and headline["指標コード"] == "T101"
    assert (headline["単位"], headline["現状値"], headline["令和7年度実績"]) == ("％", 95.2, 96.5)
    assert (headline["目標値"], headline["進捗率（％）"], headline["状況"]) == (96.5, 100, "達成")
    assert headline["確定"] == "未確定"
    school = next(r for r in rows if r["指標コード"] == "T201" and r["区分"] == "取組の方向性")
    assert (school["現状値"], school["令和7年度実績"], school["目標値"]) == (300, 310, 250)
    assert school["進捗率（％）"] == -20 and school["状況"] == "悪化"
    measures = [r for r in rows if r["区分"] == "重点施策"]
    assert {r["重点プロジェクト・重点施策"] for r in measures} == {
        "重点施策1-1 子どもを産み育てる環境づくりの推進",
        "重点施策1-2 幼児教育・学校教育の充実",
    }


def test_build_report_writes_the_same_file(world_2025: World, tmp_path: Path) -> None:
    output = tmp_path / "report.xlsx"

    call_command("build_report", "--year", "2025", "--format", "xlsx", "--output", str(output))

    _, rows = _rows(output.read_bytes())
    assert [r["指標コード"] for r in rows if r["区分"] != "重点施策"] == ["T101", "T101", "T201"]


def _finalise_every_sheet() -> None:
    now = timezone.now()
    EvaluationSheet.objects.update(state=SheetState.FINALISED, finalised_at=now, final_rank="B")


def test_the_public_gets_the_finalised_report_with_approved_actuals_only(
    world_2025: World, school_indicator: Indicator, client: Client, settings: Settings
) -> None:
    settings.KPI_PUBLIC_DASHBOARDS = True
    add_actual(school_indicator, 2026, "999", ActualStatus.SUBMITTED)

    assert client.get("/report/2025.xlsx").status_code == 404  # sheets still open
    assert client.get("/report/2025.pdf").status_code == 404

    _finalise_every_sheet()
    response = client.get("/report/2026.xlsx")
    assert response.status_code == 404  # FY2026's sheets do not exist: never final
    response = client.get("/report/2025.xlsx")
    assert response.status_code == 200
    _, rows = _rows(response.content)
    assert all(r["確定"] == "確定" for r in rows)
    assert 999 not in {v for r in rows for v in r.values()}


def test_the_report_needs_a_login_unless_public_and_committee_members_are_sent_away(
    world_2025: World, people: dict[str, User], client: Client
) -> None:
    response = client.get("/report/2025.xlsx")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.force_login(people["matsumoto"])
    assert client.get("/report/2025.xlsx")["Location"] == "/evaluations/"
    assert client.get("/report/2040.xlsx").status_code in (302, 404)


def test_the_overview_links_the_report_of_the_as_of_year(
    world_2025: World, watanabe: User, client: Client
) -> None:
    client.force_login(watanabe)
    page = client.get("/?year=2025").content.decode()
    assert 'href="/report/2025.pdf"' in page and 'href="/report/2025.xlsx"' in page
    assert 'href="/worries/?year=2025"' in page


def test_the_progress_sheet_ranks_series_in_the_plans_own_scheme(
    world_2025: World, watanabe: User, client: Client
) -> None:
    """With 多摩市's ①②③ (pace against the expected value) set for the plan, as the README
    configures it, the sheet's 評価 column speaks that scheme; the 状況 column stays."""
    from measures.models import RankScheme
    from tests.kpi.test_rank_scheme import readme_scheme

    tama = readme_scheme("多摩市")
    RankScheme.objects.create(
        plan=world_2025.plan,
        code=tama.code,
        name=tama.name,
        version=tama.version,
        basis=tama.basis.value,
        bands=[
            {"lowest": None if b.lowest is None else str(b.lowest), "label": b.label}
            for b in tama.bands
        ],
        not_evaluable_label=tama.not_evaluable_label,
        no_data_label=tama.no_data_label,
        rounding=tama.rounding.value,
    )
    client.force_login(watanabe)

    _, rows = _rows(client.get("/report/2025.xlsx").content)

    school = next(r for r in rows if r["指標コード"] == "T201" and r["区分"] == "取組の方向性")
    assert school["状況"] == "悪化" and school["評価"] == "③"  # 310人: away from 250人
