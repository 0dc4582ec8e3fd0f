from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from indicators.models import Actual, ActualStatus, Indicator, Series, Target
from measures.models import ActionPlan
from projects.models import Project, ThemeLink


@pytest.fixture
def manager(django_user_model: type[User]) -> User:
    """A manager who reads dashboards (no admin access)."""
    return django_user_model.objects.create_user("kacho", password="unused-pw-1")


@pytest.fixture
def manager_client(client: Client, manager: User) -> Client:
    client.force_login(manager)
    return client


def grow_plan(plan: ActionPlan, *, indicators: int, years: range) -> None:
    """More indicators linked to every theme and an actual for every series and year: the data a
    page must render in the same number of queries."""
    for project in Project.objects.filter(plan=plan):
        for theme in project.themes.all():
            template = theme.links.order_by("order").first()
            last = theme.links.order_by("-order").first()
            assert template is not None and last is not None
            for n in range(indicators):
                code = f"X{project.number}{theme.order}{n:03d}"
                indicator = Indicator.objects.create(code=code, name=f"追加指標{code}", unit="件")
                series = Series.objects.create(indicator=indicator)
                Target.objects.create(
                    series=series,
                    plan=plan,
                    baseline_value=10,
                    baseline_year=2023,
                    target_value=20,
                    target_year=2029,
                    target_kind="increase",
                )
                ThemeLink.objects.create(
                    theme=theme,
                    order=last.order + n + 1,
                    direction=template.direction,
                    indicator=indicator,
                )
    Actual.objects.bulk_create(
        Actual(series=s, year=y, value=Decimal(y - 2010), status=ActualStatus.APPROVED)
        for s in Series.objects.all()
        for y in years
    )
