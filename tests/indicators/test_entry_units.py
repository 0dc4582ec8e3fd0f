"""One rule for units and decimals, in the entry form and the import alike
(``kpi.entry_rules.read_value`` and ``entry_decimals``), through the pages people use."""

from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from indicators.models import Actual, ActualStatus, Department, Indicator, Series, Target
from measures.models import ActionPlan
from tests.indicators.admin_forms import form_data
from tests.indicators.import_files import csv_file

if TYPE_CHECKING:  # what the test client returns (django-stubs names it privately)
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def indicator(code: str, unit: str, decimals: int, department: Department, plan: ActionPlan,
              baseline: str, target: str) -> Indicator:  # fmt: skip
    made = Indicator.objects.create(
        code=code, name=f"指標{code}", unit=unit, decimals=decimals, department=department
    )
    series = Series.objects.create(indicator=made)
    Target.objects.create(
        series=series,
        plan=plan,
        baseline_value=Decimal(baseline),
        baseline_year=2023,
        target_value=Decimal(target),
        target_year=2029,
        target_kind="increase",
    )
    return made


@pytest.fixture
def visitors(childcare: Department, entry_plan: ActionPlan) -> Indicator:
    """観光入込客数, counted in 万人: 258万人 → 300万人."""
    return indicator("T301", "万人", 0, childcare, entry_plan, "258", "300")


@pytest.fixture
def air_conditioning(childcare: Department, entry_plan: ActionPlan) -> Indicator:
    """学校体育館の空調機設置率: the plan prints 0％ → 100％, whole numbers."""
    return indicator("T302", "％", 0, childcare, entry_plan, "0", "100")


def enter(user: User, target: Indicator, value: str, year: str = "2024") -> "Response":
    """A new value in the empty row under the series, on the indicator's admin page."""
    client = logged_in(user)
    url = reverse("admin:indicators_indicator_change", args=[target.pk])
    data = form_data(client.get(url).text, "indicator_form")
    row = {
        "series-0-actuals-0-year": year,
        "series-0-actuals-0-value": value,
        "series-0-actuals-0-note": "確認済み",
        "series-0-actuals-0-confirm_jump": "on",  # from a baseline of 0, any value is a jump
    }
    return client.post(url, {**data, **row})


def upload(user: User, code: str, value: str) -> "Response":
    data = csv_file([["指標コード", "年度", "実績値"], [code, "R6", value]])
    return logged_in(user).post(
        reverse("admin:indicators_actual_import"),
        {"import_file": SimpleUploadedFile("実績.csv", data), "encoding": "auto", "format": "auto"},
    )


def test_the_form_refuses_people_for_a_percent_indicator_as_the_import_does(
    sato: User, childcare_indicator: Indicator
) -> None:
    message = "単位「人」がこの指標の単位「％」と違います。"

    page = enter(sato, childcare_indicator, "81人")

    assert page.status_code == 200
    assert message in page.text
    assert not Actual.objects.exists()
    assert f"2行目「実績値」：{message}" in upload(sato, "T101", "81人").text


def test_the_form_refuses_a_count_of_people_for_an_indicator_counted_in_ten_thousands(
    sato: User, visitors: Indicator
) -> None:
    page = enter(sato, visitors, "2,650,000人")

    assert page.status_code == 200
    assert "単位「人」がこの指標の単位「万人」と違います。" in page.text
    assert not Actual.objects.exists()

    assert enter(sato, visitors, "265万人").status_code == 302
    assert Actual.objects.get().value == Decimal("265")


def test_the_change_page_applies_the_unit_rule_too(sato: User, childcare_actual: Actual) -> None:
    client = logged_in(sato)
    url = reverse("admin:indicators_actual_change", args=[childcare_actual.pk])
    data = form_data(client.get(url).text, "actual_form")

    page = client.post(url, {**data, "value": "96人"})

    assert "単位「人」がこの指標の単位「％」と違います。" in page.text
    assert Actual.objects.get().value == Decimal("95.5")


def test_a_percent_share_printed_whole_takes_one_decimal_in_the_form_and_the_import(
    sato: User, air_conditioning: Indicator
) -> None:
    refused = enter(sato, air_conditioning, "12.55", year="2024")
    assert "小数点以下は1桁までで入力してください。" in refused.text

    assert enter(sato, air_conditioning, "12.5％", year="2024").status_code == 302
    assert Actual.objects.get(year=2024).value == Decimal("12.5")

    preview = upload(sato, "T302", "13.5").text
    assert "変更 <strong>1</strong>" in preview and "13.5％" in preview


def test_the_dashboard_shows_the_decimal_the_entry_allowed(
    watanabe: User, air_conditioning: Indicator
) -> None:
    Actual.objects.create(
        series=air_conditioning.series.get(),
        year=2024,
        value=Decimal("12.5"),
        status=ActualStatus.APPROVED,
    )

    page = logged_in(watanabe).get(reverse("indicators:detail", args=["T302"]))

    assert page.status_code == 200
    assert "12.5％" in page.text and "13％" not in page.text
    assert "100％" in page.text  # the target as printed
