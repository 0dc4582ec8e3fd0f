"""The worry list: the series behind or worse as of the year, for every signed-in reader, with
filters, sorts and its export, in a fixed number of queries."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from indicators.models import Actual, ActualStatus, Department, Indicator, Series, Target
from projects.models import ThemeLink
from tests.evaluations.builders import World

pytestmark = pytest.mark.django_db


def _codes(page: str) -> list[str]:
    return [code for code in ("T101", "T201") if f">{code} " in page]


@pytest.mark.parametrize("name", ["watanabe", "sato", "takahashi", "kanri"])
def test_every_reader_sees_the_series_that_went_worse(
    world_2025: World, name: str, request: pytest.FixtureRequest, client: Client
) -> None:
    user = request.getfixturevalue({"kanri": "admin_user"}.get(name, name))
    client.force_login(user)

    page = client.get("/worries/?year=2025").content.decode()

    assert _codes(page) == ["T201"]  # 310人, up from 300 toward 250; T101 is 達成
    assert "学校教育課" in page and "悪化" in page and "PJ1" in page and "↑ +10人" in page


def test_the_list_filters_by_department_and_project_and_sorts(
    world_2025: World, watanabe: User, childcare: Department, school: Department, client: Client
) -> None:
    client.force_login(watanabe)

    assert (
        _codes(client.get(f"/worries/?year=2025&department={childcare.pk}").content.decode()) == []
    )
    assert _codes(client.get(f"/worries/?year=2025&department={school.pk}").content.decode()) == [
        "T201"
    ]
    assert _codes(client.get("/worries/?year=2025&project=1&sort=rate").content.decode()) == [
        "T201"
    ]
    assert _codes(client.get("/worries/?year=2025&project=9").content.decode()) == []
    assert client.get("/worries/?year=2025&sort=nonsense&department=x").status_code == 200


def test_the_list_exports_numbers_with_the_unit_apart(
    world_2025: World, watanabe: User, client: Client
) -> None:
    client.force_login(watanabe)

    response = client.get("/worries/?year=2025&format=csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["指標コード"], r["所管課"], r["単位"]) for r in rows] == [
        ("T201", "学校教育課", "人")
    ]
    assert (rows[0]["最新実績値"], rows[0]["目標値"], rows[0]["状況"]) == ("310", "250", "悪化")
    assert client.get("/worries/?year=2025&format=xlsx").status_code == 200


def test_the_list_is_for_signed_in_staff_even_when_the_dashboards_are_public(
    world_2025: World, people: dict[str, User], client: Client, settings: object
) -> None:
    settings.KPI_PUBLIC_DASHBOARDS = True  # type: ignore[attr-defined]
    response = client.get("/worries/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.force_login(people["matsumoto"])  # a committee member only
    assert client.get("/worries/")["Location"] == "/evaluations/"


def _grow(world: World, school: Department, extra: int) -> None:
    """``extra`` more indicators behind their targets, linked to the project's theme."""
    theme = world.project.themes.get()
    direction = world.school_measure.directions.get()
    for n in range(extra):
        indicator = Indicator.objects.create(
            code=f"X{n:03}", name=f"指標{n}", unit="件", department=school
        )
        series = Series.objects.create(indicator=indicator)
        Target.objects.create(
            series=series,
            plan=world.plan,
            baseline_value=Decimal(100),
            baseline_year=2023,
            target_value=Decimal(200),
            target_year=2029,
            target_kind="increase",
        )
        Actual.objects.create(
            series=series, year=2025, value=Decimal(90), status=ActualStatus.APPROVED
        )
        ThemeLink.objects.create(
            theme=theme, order=10 + n, direction=direction, indicator=indicator
        )


@pytest.mark.parametrize("extra", [0, 12])
def test_the_list_reads_in_a_fixed_number_of_queries(
    world_2025: World,
    school: Department,
    extra: int,
    watanabe: User,
    client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _grow(world_2025, school, extra)
    client.force_login(watanabe)
    client.get("/worries/")  # the session and the user's groups, once
    # session, user, groups (committee check), plan choice, the series' views (3), their
    # places (2), the departments and projects to filter by (2)
    with django_assert_num_queries(11):
        page = client.get("/worries/?year=2025").content.decode()
    assert page.count('<span class="badge status-') == 1 + extra


def test_a_floor_met_today_that_the_trend_will_break_is_a_worry(
    plan: object, admin_user: User, client: Client
) -> None:
    """年少人口 26,186 → 23,914人以上: met in 令和7年 but falling faster than the line —
    達成（要注意）, on the managers' list with its status."""
    series = Series.objects.get(indicator__name="年少人口")
    for year, value in ((2024, "25200"), (2025, "24300")):
        Actual.objects.create(
            series=series, year=year, value=Decimal(value), status=ActualStatus.APPROVED
        )
    client.force_login(admin_user)
    page = client.get("/worries/?year=2025").content.decode()
    assert "年少人口" in page and "達成（要注意）" in page
