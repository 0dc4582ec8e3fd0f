"""Everyone's to-dos with the calendar's dates: per role, through the page every login lands on."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from evaluations import services
from evaluations.models import EvaluationSheet, ReviewStep
from indicators.models import ActualStatus, Indicator
from reports.models import CycleCalendar, StepDue
from tests.conftest import add_actual
from tests.evaluations.builders import TEXT, World

pytestmark = pytest.mark.django_db


def _page(client: Client, user: User) -> str:
    client.force_login(user)
    response = client.get("/todo/?year=2025")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def calendar(world: World) -> CycleCalendar:
    """FY2025's dates: actuals were due yesterday, sheets are due in a month, 1次 in two."""
    today = timezone.localdate()
    calendar = CycleCalendar.objects.create(
        plan=world.plan,
        year=2025,
        actuals_due=today - datetime.timedelta(days=1),
        sheets_due=today + datetime.timedelta(days=30),
        committee_due=today + datetime.timedelta(days=90),
    )
    first = ReviewStep.objects.get(chain=world.chain, order=1)
    StepDue.objects.create(calendar=calendar, step=first, due=today + datetime.timedelta(days=60))
    return calendar


def test_a_login_lands_on_the_to_dos(world: World, sato: User, client: Client) -> None:
    sato.set_password("pw-sato-1")
    sato.save()

    response = client.post("/login/", {"username": "sato", "password": "pw-sato-1"})

    assert response.status_code == 302 and response["Location"] == "/todo/"
    assert "やること" in client.get("/todo/").content.decode()


def test_staff_owe_their_departments_missing_and_returned_actuals_overdue(
    world: World,
    calendar: CycleCalendar,
    sato: User,
    childcare_indicator: Indicator,
    school_indicator: Indicator,
    client: Client,
) -> None:
    page = _page(client, sato)
    assert "T101 ３歳児健康診査受診率" in page and "子育て支援課・未入力" in page
    assert "T201" not in page  # 学校教育課's
    assert "期限切れ" in page

    add_actual(childcare_indicator, 2025, "96.0", ActualStatus.RETURNED)
    assert "子育て支援課・差戻し" in _page(client, sato)
    actual = childcare_indicator.series.get().actuals.get(year=2025)
    actual.status = ActualStatus.SUBMITTED
    actual.save()
    assert "T101" not in _page(client, sato)


def test_the_planning_division_approves_submitted_actuals_and_writes_the_projects_sheet(
    world: World,
    opened: dict[str, EvaluationSheet],
    takahashi: User,
    school_indicator: Indicator,
    client: Client,
) -> None:
    add_actual(school_indicator, 2025, "310", ActualStatus.SUBMITTED)

    page = _page(client, takahashi)

    assert "実績値の承認" in page and "学校教育課・提出済" in page
    assert "評価調書の作成" in page and "重点プロジェクト1 子育て応援プロジェクト" in page
    assert "重点施策1-1" not in page  # 子育て支援課 writes it


def test_sheets_move_from_the_author_to_the_reviewer_at_their_step_with_its_date(
    world: World,
    calendar: CycleCalendar,
    opened: dict[str, EvaluationSheet],
    actuals_2025: None,
    sato: User,
    reviewers: dict[str, User],
    client: Client,
) -> None:
    sheet = EvaluationSheet.objects.for_page().get(pk=opened["childcare"].pk)
    in_a_month = calendar.sheets_due
    assert in_a_month is not None
    page = _page(client, sato)
    assert "重点施策1-1 子どもを産み育てる環境づくりの推進" in page
    assert in_a_month.strftime("%Y年") in page
    assert "重点施策1-1" not in _page(client, reviewers["yamada"])

    sheet = services.sheet_save(sheet=sheet, user=sato, text=TEXT)
    services.sheet_submit(sheet=sheet, user=sato)

    assert "重点施策1-1" not in _page(client, sato)
    page = _page(client, reviewers["yamada"])
    assert "評価調書の評価" in page and "1次評価・評価中" in page
    assert "重点施策1-1" not in _page(client, reviewers["ito"])  # 学校教育課's 課長


def test_committee_members_owe_comments_until_they_write_them(
    world: World,
    opened: dict[str, EvaluationSheet],
    actuals_2025: None,
    people: dict[str, User],
    client: Client,
) -> None:
    takahashi, sato, matsumoto = people["takahashi"], people["sato"], people["matsumoto"]
    services.sheet_send_to_committee(sheet=opened["childcare"], user=takahashi, send=True)
    sheet = EvaluationSheet.objects.for_page().get(pk=opened["childcare"].pk)
    sheet = services.sheet_submit(
        sheet=services.sheet_save(sheet=sheet, user=sato, text=TEXT), user=sato
    )
    for name in ("yamada", "nakamura", "kato", "takahashi"):
        sheet = services.sheet_approve(sheet=sheet, user=people[name], rank="A", comment="")
    assert "いま、あなたのやることはありません。" not in _page(client, matsumoto)
    assert "推進会議の外部評価" in _page(client, matsumoto)

    services.sheet_comment(sheet=sheet, user=matsumoto, text="意見")

    assert "いま、あなたのやることはありません。" in _page(client, matsumoto)


def test_a_reader_without_duties_has_nothing_to_do_and_the_anonymous_must_log_in(
    world: World, watanabe: User, client: Client
) -> None:
    assert "いま、あなたのやることはありません。" in _page(client, watanabe)
    client.logout()
    assert client.get("/todo/")["Location"].startswith("/login/")


def test_only_the_planning_division_edits_the_calendar(
    world: World, takahashi: User, sato: User, client: Client
) -> None:
    client.force_login(takahashi)
    assert client.get("/admin/reports/cyclecalendar/add/").status_code == 200
    client.force_login(sato)
    assert client.get("/admin/reports/cyclecalendar/add/").status_code == 403


def test_the_entry_status_page_covers_the_years_sheets_with_their_step_and_date(
    world: World,
    calendar: CycleCalendar,
    opened: dict[str, EvaluationSheet],
    takahashi: User,
    sato: User,
    client: Client,
) -> None:
    client.force_login(takahashi)
    url = "/admin/indicators/actual/entry-status/?year=2025"

    page = client.get(url).content.decode()

    assert "評価調書（作成課ごと）" in page
    assert "子育て支援課：未確定の評価調書 1件" in page and "企画担当：未確定の評価調書 1件" in page
    assert "重点施策1-1 子どもを産み育てる環境づくりの推進" in page
    assert calendar.sheets_due is not None and calendar.sheets_due.strftime("%Y年") in page
    client.force_login(sato)
    assert client.get(url).status_code == 403


def test_the_to_dos_read_in_a_fixed_number_of_queries(
    world: World,
    calendar: CycleCalendar,
    opened: dict[str, EvaluationSheet],
    sato: User,
    client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client.force_login(sato)
    client.get("/todo/?year=2025")
    # session, user, plan choice, the calendar and its steps' dates (2), the pending series of
    # the entry status (1), the user's departments, permissions (2), the open sheets, bureaus,
    # comments owed, the user's positions
    with django_assert_num_queries(13):
        client.get("/todo/?year=2025")
