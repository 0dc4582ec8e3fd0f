"""Public mode (KPI_PUBLIC_DASHBOARDS=true): anonymous visitors see approved values only, whatever
the URL says; signed-in users (anyone with a login) may still include provisional ones."""

from decimal import Decimal

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from indicators.models import Actual, Series
from measures.models import ActionPlan

pytestmark = pytest.mark.django_db

CHECKBOX = 'name="provisional"'


@pytest.fixture
def draft(plan: ActionPlan, settings: Settings) -> str:
    """A draft typed minutes ago that would make 刑法犯認知件数 達成（暫定）; its code."""
    settings.KPI_PUBLIC_DASHBOARDS = True
    series = Series.objects.get(indicator__name="刑法犯認知件数")
    Actual.objects.create(series=series, year=2025, value=Decimal("1390"), status="draft")
    return series.indicator.code


def test_the_public_gets_approved_values_only_in_json_whatever_the_url_says(
    draft: str, client: Client
) -> None:
    data = client.get(f"/indicators/{draft}.json?year=2025&provisional=1").json()

    assert data["series"][0]["latest_value"] is None
    assert data["series"][0]["actuals"] == [] or all(
        not a["provisional"] for a in data["series"][0]["actuals"]
    )


@pytest.mark.parametrize(
    "url", ["/?year=2025&provisional=1", "/projects/1/?year=2025&provisional=1"]
)
def test_the_public_pages_show_no_provisional_status_and_no_checkbox(
    draft: str, client: Client, url: str
) -> None:
    page = client.get(url).text

    assert "達成（暫定）" not in page and "（暫定）" not in page
    assert CHECKBOX not in page


def test_the_public_indicator_page_leaves_the_draft_out(draft: str, client: Client) -> None:
    page = client.get(f"/indicators/{draft}/?year=2025&provisional=1").text

    assert "1,390件" not in page
    assert CHECKBOX not in page


def test_signed_in_users_may_still_include_provisional_values(
    draft: str, manager_client: Client
) -> None:
    data = manager_client.get(f"/indicators/{draft}.json?year=2025&provisional=1").json()
    assert data["series"][0]["latest_value"] == 1390
    page = manager_client.get("/?year=2025&provisional=1").text
    assert "達成（暫定）" in page and CHECKBOX in page
