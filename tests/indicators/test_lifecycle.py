"""The review workflow of an actual: services, dashboards' counting, and the admin's actions."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from dashboards.series import series_views
from indicators.models import Actual, ActualStatus, Indicator
from indicators.services import (
    actual_approve,
    actual_reopen,
    actual_return,
    actual_submit,
    available_actions,
)
from measures.models import ActionPlan
from tests.conftest import add_actual

pytestmark = pytest.mark.django_db


def test_a_draft_goes_through_submission_to_approval(
    childcare_actual: Actual, sato: User, takahashi: User
) -> None:
    actual_submit(actual=childcare_actual, user=sato)
    assert childcare_actual.status == ActualStatus.SUBMITTED
    assert childcare_actual.submitted_by == sato and childcare_actual.submitted_at

    actual_approve(actual=childcare_actual, user=takahashi)
    assert childcare_actual.status == ActualStatus.APPROVED
    assert childcare_actual.approved_by == takahashi and childcare_actual.approved_at
    assert not childcare_actual.is_provisional


def test_a_returned_value_carries_the_comment_and_can_be_submitted_again(
    childcare_actual: Actual, sato: User, takahashi: User
) -> None:
    actual_submit(actual=childcare_actual, user=sato)
    actual_return(actual=childcare_actual, user=takahashi, comment="  出典の数値と違います ")
    assert childcare_actual.status == ActualStatus.RETURNED
    assert childcare_actual.review_comment == "出典の数値と違います"

    actual_submit(actual=childcare_actual, user=sato)
    assert childcare_actual.status == ActualStatus.SUBMITTED


def test_a_return_needs_a_comment(childcare_actual: Actual, sato: User, takahashi: User) -> None:
    actual_submit(actual=childcare_actual, user=sato)
    with pytest.raises(ValidationError, match="差戻しの理由"):
        actual_return(actual=childcare_actual, user=takahashi, comment="   ")
    assert Actual.objects.get().status == ActualStatus.SUBMITTED


def test_only_an_approver_reopens_an_approved_value_which_becomes_a_draft(
    childcare_actual: Actual, sato: User, takahashi: User
) -> None:
    actual_approve(actual=childcare_actual, user=takahashi)
    with pytest.raises(PermissionDenied, match="承認者のみ"):
        actual_reopen(actual=childcare_actual, user=sato)

    actual_reopen(actual=childcare_actual, user=takahashi)
    assert childcare_actual.status == ActualStatus.DRAFT
    assert childcare_actual.approved_by is None and childcare_actual.approved_at is None


def test_staff_cannot_approve_or_return(
    childcare_actual: Actual, sato: User, takahashi: User
) -> None:
    with pytest.raises(PermissionDenied, match="承認する権限がありません"):
        actual_approve(actual=childcare_actual, user=sato)
    actual_submit(actual=childcare_actual, user=sato)
    with pytest.raises(PermissionDenied):
        actual_return(actual=childcare_actual, user=sato, comment="自分で差戻し")
    assert Actual.objects.get().status == ActualStatus.SUBMITTED


def test_staff_cannot_submit_another_departments_value(school_actual: Actual, sato: User) -> None:
    with pytest.raises(PermissionDenied, match="提出する権限がありません"):
        actual_submit(actual=school_actual, user=sato)
    assert Actual.objects.get().status == ActualStatus.DRAFT


def test_a_step_from_the_wrong_status_is_refused_with_a_japanese_message(
    childcare_actual: Actual, sato: User, takahashi: User
) -> None:
    with pytest.raises(ValidationError, match="下書きの実績値は差し戻せません"):
        actual_return(actual=childcare_actual, user=takahashi, comment="x")
    with pytest.raises(ValidationError, match="下書きの実績値は再開できません"):
        actual_reopen(actual=childcare_actual, user=takahashi)
    actual_approve(actual=childcare_actual, user=takahashi)
    with pytest.raises(ValidationError, match="承認済の実績値は提出できません"):
        actual_submit(actual=childcare_actual, user=sato)
    with pytest.raises(ValidationError, match="既に承認済み"):
        actual_approve(actual=childcare_actual, user=takahashi)


def test_the_approver_may_approve_a_draft_it_entered_itself(
    childcare_actual: Actual, takahashi: User
) -> None:
    actual_approve(actual=childcare_actual, user=takahashi)
    assert childcare_actual.status == ActualStatus.APPROVED


def test_each_step_leaves_a_history_row_with_its_user_and_reason(
    childcare_actual: Actual, sato: User, takahashi: User
) -> None:
    actual_submit(actual=childcare_actual, user=sato)
    actual_return(actual=childcare_actual, user=takahashi, comment="桁を確認")
    rows = list(childcare_actual.history.order_by("history_date"))
    assert [(r.status, r.history_user, r.history_change_reason) for r in rows] == [
        ("draft", None, None),  # made by the fixture, without a request
        ("submitted", sato, None),
        ("returned", takahashi, "桁を確認"),
    ]


def test_available_actions_follow_role_and_status(
    childcare_actual: Actual, sato: User, takahashi: User
) -> None:
    assert available_actions(sato, childcare_actual) == ["submit"]
    assert available_actions(takahashi, childcare_actual) == ["submit", "approve"]
    actual_submit(actual=childcare_actual, user=sato)
    assert available_actions(sato, childcare_actual) == []
    assert available_actions(takahashi, childcare_actual) == ["approve", "return"]
    actual_approve(actual=childcare_actual, user=takahashi)
    assert available_actions(takahashi, childcare_actual) == ["reopen"]


# --- what dashboards count --------------------------------------------------------------------
def test_dashboards_count_approved_values_and_provisional_ones_on_request(
    childcare_indicator: Indicator,
) -> None:
    for year, status in [
        (2021, ActualStatus.APPROVED),
        (2022, ActualStatus.SUBMITTED),
        (2023, ActualStatus.DRAFT),
        (2024, ActualStatus.RETURNED),
    ]:
        add_actual(childcare_indicator, year, "95", status)

    def years(**kwargs: bool) -> list[int]:
        return sorted(Actual.objects.counted(**kwargs).values_list("year", flat=True))

    assert years() == [2021]
    assert years(include_provisional=True) == [2021, 2022, 2023]
    marked = {a.year: a.is_provisional for a in Actual.objects.all()}
    assert marked == {2021: False, 2022: True, 2023: True, 2024: False}


def test_the_dashboards_read_approved_actuals_and_provisional_ones_only_when_asked(
    childcare_indicator: Indicator, entry_plan: ActionPlan
) -> None:
    add_actual(childcare_indicator, 2024, "95.5", ActualStatus.APPROVED)
    add_actual(childcare_indicator, 2025, "95.9", ActualStatus.SUBMITTED)
    shown = Q(indicator=childcare_indicator)
    (view,) = series_views(shown, entry_plan, 2025)[childcare_indicator.pk]
    assert view.actuals == {2024: Decimal("95.5")}
    assert view.progress.latest_year == 2024
    (view,) = series_views(shown, entry_plan, 2025, include_provisional=True)[
        childcare_indicator.pk
    ]
    assert view.actuals == {2024: Decimal("95.5"), 2025: Decimal("95.9")}
    assert view.provisional_years == {2025}
    assert view.latest_is_provisional


# --- through the admin ------------------------------------------------------------------------
def changelist() -> str:
    return reverse("admin:indicators_actual_changelist")


def test_an_approver_approves_several_values_at_once_in_the_changelist(
    client: Client, childcare_indicator: Indicator, school_actual: Actual, takahashi: User
) -> None:
    approved = add_actual(childcare_indicator, 2024, "95.5", ActualStatus.APPROVED)
    client.force_login(takahashi)
    response = client.post(
        changelist(),
        {"action": "approve_selected", "_selected_action": [school_actual.pk, approved.pk]},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0] == "1件の実績値を承認しました。"
    assert "1件は処理できませんでした" in messages[1] and "既に承認済み" in messages[1]
    assert set(Actual.objects.values_list("status", flat=True)) == {"approved"}


def test_a_bulk_return_asks_for_the_comment_first(
    client: Client, school_actual: Actual, suzuki: User, takahashi: User
) -> None:
    actual_submit(actual=school_actual, user=suzuki)
    client.force_login(takahashi)
    data = {"action": "return_selected", "_selected_action": [school_actual.pk]}

    asking = client.post(changelist(), data)
    assert asking.status_code == 200 and "差戻しの理由" in asking.text
    assert Actual.objects.get().status == ActualStatus.SUBMITTED

    empty = client.post(changelist(), {**data, "apply": "1", "comment": " "})
    assert empty.status_code == 200 and Actual.objects.get().status == ActualStatus.SUBMITTED

    client.post(changelist(), {**data, "apply": "1", "comment": "前年度の値と桁が違います"})
    returned = Actual.objects.get()
    assert (returned.status, returned.review_comment) == ("returned", "前年度の値と桁が違います")


def test_staff_are_not_offered_the_approvers_actions_and_cannot_post_them(
    client: Client, childcare_actual: Actual, sato: User
) -> None:
    client.force_login(sato)
    actions = client.get(changelist()).context["action_form"].fields["action"].choices
    assert [name for name, _ in actions if name] == ["submit_selected"]

    response = client.post(
        changelist(), {"action": "approve_selected", "_selected_action": [childcare_actual.pk]}
    )
    assert response.status_code == 403
    assert Actual.objects.get().status == ActualStatus.DRAFT


def test_the_change_page_has_buttons_for_the_steps_the_user_may_take(
    client: Client, childcare_actual: Actual, sato: User, takahashi: User
) -> None:
    url = reverse("admin:indicators_actual_change", args=[childcare_actual.pk])
    client.force_login(sato)
    page = client.get(url).text
    assert "提出する" in page and "承認する" not in page

    client.post(reverse("admin:indicators_actual_workflow", args=[childcare_actual.pk, "submit"]))
    assert Actual.objects.get().status == ActualStatus.SUBMITTED

    client.force_login(takahashi)
    page = client.get(url).text
    assert "承認する" in page and "差し戻す" in page and "提出する" not in page
    client.post(
        reverse("admin:indicators_actual_workflow", args=[childcare_actual.pk, "return"]),
        {"comment": "単位を確認してください"},
    )
    assert Actual.objects.get().status == ActualStatus.RETURNED


def test_an_approved_value_is_read_only_for_staff_and_approvers_alike(
    client: Client, childcare_indicator: Indicator, sato: User, takahashi: User
) -> None:
    approved = add_actual(childcare_indicator, 2024, "95.5", ActualStatus.APPROVED)
    url = reverse("admin:indicators_actual_change", args=[approved.pk])
    for user in (sato, takahashi):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        assert 'name="value"' not in page.text  # shown, not editable
        refused = client.post(url, {"year": 2024, "value": "1.0", "note": ""})
        assert refused.status_code == 403
    assert Actual.objects.get().value == approved.value
    assert "承認を取り消して下書きに戻す" in client.get(url).text  # the approver may reopen
