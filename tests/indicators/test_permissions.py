"""Who may do what, through the real admin: every refused attempt answers 403 or 404 (or sends
anonymous users and managers without admin access to the login page) and changes nothing."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import Group, User
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from indicators.models import Actual, Department, Indicator, Series, Target
from indicators.permissions import (
    ROLE_PERMISSIONS,
    can_view_audit,
    editable_indicators,
    visible_indicators,
)
from measures.models import ActionPlan
from tests.indicators.admin_forms import form_data

if TYPE_CHECKING:  # what the test client returns (django-stubs names it privately)
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[list[object], ...]:
    """Everything data entry could touch."""
    return (
        list(Actual.objects.order_by("pk").values()),
        list(Target.objects.order_by("pk").values()),
        list(Indicator.objects.order_by("pk").values()),
    )


def refused(response: "Response", *, staff: bool) -> bool:
    if staff:
        return response.status_code in (403, 404)
    return response.status_code == 302 and "/login/" in response["Location"]


@dataclass
class Scene:
    """The actual under attempt, the superuser's view of its indicator page, and a client."""

    actual: Actual
    indicator_page: dict[str, str]
    client: Client


# --- the attempts ---------------------------------------------------------------------------
def _change_url(actual: Actual) -> str:
    return reverse("admin:indicators_actual_change", args=[actual.pk])


def view(scene: Scene) -> "Response":
    return scene.client.get(_change_url(scene.actual))


def add(scene: Scene) -> "Response":
    """A new FY2025 value in the empty row under the series, on the indicator's page."""
    data = {
        **scene.indicator_page,
        "series-0-actuals-1-year": "2025",
        "series-0-actuals-1-value": "291" if scene.actual.value > 100 else "95.8",
        "series-0-actuals-1-note": "速報値",
    }
    url = reverse("admin:indicators_indicator_change", args=[scene.actual.series.indicator_id])
    return scene.client.post(url, data)


def change(scene: Scene) -> "Response":
    value = "291" if scene.actual.value > 100 else "95.6"
    version = scene.actual.updated_at.isoformat()  # as the change page carries it
    data = {"year": "2024", "value": value, "note": "修正", "version": version}
    return scene.client.post(_change_url(scene.actual), data)


def delete(scene: Scene) -> "Response":
    url = reverse("admin:indicators_actual_delete", args=[scene.actual.pk])
    return scene.client.post(url, {"post": "yes"})


def submit(scene: Scene) -> "Response":
    url = reverse("admin:indicators_actual_workflow", args=[scene.actual.pk, "submit"])
    return scene.client.post(url)


def approve(scene: Scene) -> "Response":
    url = reverse("admin:indicators_actual_workflow", args=[scene.actual.pk, "approve"])
    return scene.client.post(url)


ATTEMPTS: dict[str, Callable[[Scene], "Response"]] = {
    "view": view,
    "add": add,
    "change": change,
    "delete": delete,
    "submit": submit,
    "approve": approve,
}
EXPECTED_STATUS = {
    "view": 200,
    "add": 302,
    "change": 302,
    "delete": 302,
    "submit": 302,
    "approve": 302,
}
# (role, whose department) → what succeeds. Nobody but a superuser deletes actuals.
ALLOWED = {
    ("staff", "own"): {"view", "add", "change", "submit"},
    ("staff", "other"): set(),
    ("approver", "own"): {"view", "add", "change", "submit", "approve"},
    ("approver", "other"): {"view", "add", "change", "submit", "approve"},
    ("viewer", "own"): set(),
    ("viewer", "other"): set(),
    ("anonymous", "own"): set(),
    ("anonymous", "other"): set(),
    ("superuser", "own"): set(ATTEMPTS),
}


@pytest.fixture
def people(sato: User, takahashi: User, watanabe: User, admin_user: User) -> dict[str, User | None]:
    return {
        "staff": sato,
        "approver": takahashi,
        "viewer": watanabe,
        "anonymous": None,
        "superuser": admin_user,
    }


@pytest.mark.parametrize("attempt", list(ATTEMPTS))
@pytest.mark.parametrize(("role", "department"), list(ALLOWED))
def test_permission_matrix(
    role: str,
    department: str,
    attempt: str,
    people: dict[str, User | None],
    childcare_actual: Actual,
    school_actual: Actual,
    admin_user: User,
) -> None:
    """sato is 入力担当 of 子育て支援課: "own" is its value, "other" one of 学校教育課."""
    actual = childcare_actual if department == "own" else school_actual
    page = Client()
    page.force_login(admin_user)
    indicator_url = reverse("admin:indicators_indicator_change", args=[actual.series.indicator_id])
    scene = Scene(actual, form_data(page.get(indicator_url).text, "indicator_form"), Client())
    user = people[role]
    if user is not None:
        scene.client.force_login(user)
    before = snapshot()

    response = ATTEMPTS[attempt](scene)

    if attempt in ALLOWED[role, department]:
        assert response.status_code == EXPECTED_STATUS[attempt], response.content[:2000]
        assert attempt == "view" or snapshot() != before
    else:
        assert refused(response, staff=role in {"staff", "approver", "superuser"}), (
            response.status_code
        )
        assert snapshot() == before


@pytest.mark.parametrize("role", ["staff", "approver", "viewer"])
def test_everyone_with_a_login_reads_the_dashboards_and_nobody_else(
    role: str, people: dict[str, User | None], plan: ActionPlan, client: Client
) -> None:
    pages = ["/", "/projects/1/", "/indicators/K001/"]
    for url in pages:
        assert refused(client.get(url), staff=False), url
    user = people[role]
    assert user is not None
    client.force_login(user)
    for url in pages:
        assert client.get(url).status_code == 200, url


# --- guessing URLs and ids --------------------------------------------------------------------
def test_staff_cannot_reach_another_departments_actual_by_its_url(
    client: Client, sato: User, school_actual: Actual
) -> None:
    history_id = school_actual.history.latest().history_id
    target = Target.objects.get(series__indicator__code="T201")
    indicator_id = school_actual.series.indicator_id
    client.force_login(sato)
    before = snapshot()
    urls = [
        reverse("admin:indicators_actual_change", args=[school_actual.pk]),
        reverse("admin:indicators_actual_history", args=[school_actual.pk]),
        reverse("admin:indicators_actual_simple_history", args=[school_actual.pk, history_id]),
        reverse("admin:indicators_actual_delete", args=[school_actual.pk]),
        reverse("admin:indicators_indicator_change", args=[indicator_id]),
        reverse("admin:indicators_indicator_history", args=[indicator_id]),
        reverse("admin:indicators_target_change", args=[target.pk]),
        reverse("admin:indicators_series_change", args=[target.series_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"post": "yes", "value": "1"}).status_code in (403, 404), url
    assert snapshot() == before


def test_the_series_autocomplete_offers_only_the_users_own_series(
    client: Client, sato: User, childcare_actual: Actual, school_actual: Actual
) -> None:
    client.force_login(sato)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "indicators", "model_name": "actual", "field_name": "series", "term": "T"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(childcare_actual.series_id)]


def test_staff_cannot_add_a_value_to_another_departments_series_by_its_id(
    client: Client, sato: User, school_indicator: Indicator
) -> None:
    client.force_login(sato)
    response = client.post(
        reverse("admin:indicators_actual_add"),
        {"series": school_indicator.series.get().pk, "year": "2024", "value": "280"},
    )
    assert response.status_code == 200
    assert "series" in response.context["adminform"].form.errors
    assert not Actual.objects.exists()


def test_a_staff_post_of_the_indicator_page_saves_actuals_only(
    client: Client,
    admin_user: User,
    sato: User,
    school: Department,
    childcare_actual: Actual,
) -> None:
    indicator = childcare_actual.series.indicator
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    client.force_login(admin_user)
    data = form_data(client.get(url).text, "indicator_form")
    client.force_login(sato)
    before_targets = list(Target.objects.values())

    response = client.post(
        url,
        {
            **data,
            "name": "書き換えた名前",
            "department": str(school.pk),
            "series-0-label": "書き換え",
            "series-0-targets-0-target_value": "1",
            "series-0-actuals-0-value": "95.7",
        },
    )

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    indicator.refresh_from_db()
    assert (indicator.name, str(indicator.department)) == ("３歳児健康診査受診率", "子育て支援課")
    assert Series.objects.get().label == ""
    assert list(Target.objects.values()) == before_targets
    assert str(Actual.objects.get().value) == "95.7000"
    assert indicator.history.count() == 1  # its creation: no empty row for the page's save


# --- what each role sees ----------------------------------------------------------------------
def test_staff_see_only_their_indicators_and_actuals_in_the_admin(
    client: Client, sato: User, childcare_actual: Actual, school_actual: Actual
) -> None:
    client.force_login(sato)
    index = client.get(reverse("admin:index"))
    models = {m["object_name"] for app in index.context["app_list"] for m in app["models"]}
    assert models == {"Indicator", "Actual"}
    listed = client.get(reverse("admin:indicators_actual_changelist")).context["cl"].result_list
    assert list(listed) == [childcare_actual]
    indicators = client.get(reverse("admin:indicators_indicator_changelist")).context["cl"]
    assert [i.code for i in indicators.result_list] == ["T101"]


def test_managers_have_no_admin_at_all(client: Client, watanabe: User) -> None:
    client.force_login(watanabe)
    assert refused(client.get(reverse("admin:index")), staff=False)


def test_scopes_follow_department_membership(
    sato: User,
    suzuki: User,
    takahashi: User,
    watanabe: User,
    childcare_indicator: Indicator,
    school_indicator: Indicator,
) -> None:
    def codes(indicators: QuerySet[Indicator]) -> list[str]:
        return sorted(indicators.values_list("code", flat=True))

    assert codes(visible_indicators(sato)) == codes(editable_indicators(sato)) == ["T101"]
    assert codes(editable_indicators(suzuki)) == ["T201"]
    assert codes(editable_indicators(takahashi)) == ["T101", "T201"]
    assert codes(visible_indicators(watanabe)) == []
    assert [can_view_audit(u) for u in (sato, takahashi, watanabe)] == [False, True, False]


def test_an_indicator_without_a_department_is_the_planning_divisions_alone(
    sato: User, takahashi: User, childcare_indicator: Indicator
) -> None:
    Indicator.objects.update(department=None)
    assert not visible_indicators(sato).exists()
    assert visible_indicators(takahashi).exists()


def test_the_migration_made_the_roles_as_the_code_describes_them() -> None:
    groups = {
        g.name: sorted(
            g.permissions.filter(content_type__app_label="indicators").values_list(
                "codename", flat=True
            )
        )
        for g in Group.objects.filter(name__in=ROLE_PERMISSIONS)
    }
    assert groups == {name: sorted(perms) for name, perms in ROLE_PERMISSIONS.items()}


def test_a_manager_logs_in_on_the_dashboards_login_page_but_not_the_admins(
    client: Client, watanabe: User
) -> None:
    watanabe.set_password("kacho-pw-2026")
    watanabe.save()
    credentials = {"username": "watanabe", "password": "kacho-pw-2026"}

    admin_login = client.post(reverse("admin:login"), credentials)
    assert admin_login.status_code == 200  # the form again: staff accounts only
    assert "_auth_user_id" not in client.session

    response = client.post(f"{reverse('login')}?next=/indicators/T101/", credentials)
    assert response.status_code == 302 and response["Location"] == "/indicators/T101/"
    assert client.session["_auth_user_id"] == str(watanabe.pk)


def test_the_planning_division_assigns_departments_and_staff_cannot(
    client: Client,
    sato: User,
    takahashi: User,
    school: Department,
    childcare_indicator: Indicator,
) -> None:
    changelist = reverse("admin:indicators_indicator_changelist")
    data = {
        "action": "assign_department",
        "department": str(school.pk),
        "_selected_action": [childcare_indicator.pk],
    }
    client.force_login(sato)
    client.post(changelist, data)
    assert str(Indicator.objects.get().department) == "子育て支援課"

    client.force_login(takahashi)
    client.post(changelist, data)
    assert str(Indicator.objects.get().department) == "学校教育課"
    assert childcare_indicator.history.latest().history_user == takahashi


def test_an_approver_changes_an_indicators_department_but_not_the_plan(
    client: Client,
    admin_user: User,
    takahashi: User,
    school: Department,
    childcare_indicator: Indicator,
) -> None:
    url = reverse("admin:indicators_indicator_change", args=[childcare_indicator.pk])
    client.force_login(admin_user)
    data = form_data(client.get(url).text, "indicator_form")
    client.force_login(takahashi)
    before_targets = list(Target.objects.values())

    response = client.post(
        url,
        {
            **data,
            "name": "書き換えた名前",
            "department": str(school.pk),
            "allow_negative": "on",
            "series-0-targets-0-target_value": "1",
        },
    )

    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.name, indicator.department, indicator.allow_negative) == (
        "３歳児健康診査受診率",
        school,
        True,
    )
    assert list(Target.objects.values()) == before_targets


def test_assigning_an_indicator_its_own_department_again_writes_no_history(
    client: Client,
    takahashi: User,
    childcare: Department,
    school: Department,
    childcare_indicator: Indicator,
    school_indicator: Indicator,
) -> None:
    rows_before = {i.pk: i.history.count() for i in (childcare_indicator, school_indicator)}
    client.force_login(takahashi)

    response = client.post(
        reverse("admin:indicators_indicator_changelist"),
        {
            "action": "assign_department",
            "department": str(childcare.pk),
            "_selected_action": [childcare_indicator.pk, school_indicator.pk],
        },
        follow=True,
    )

    assert childcare_indicator.history.count() == rows_before[childcare_indicator.pk]
    assert school_indicator.history.count() == rows_before[school_indicator.pk] + 1
    assert (
        "1件の指標の所管課を「子育て支援課」にしました（1件はすでに「子育て支援課」でした）。"
        in (response.content.decode())
    )
