"""Who may do what with an evaluation sheet, through the real pages: every role × every step ×
their own department (or bureau) or another's. A refused attempt answers 403 or 404 (anonymous
users go to the login page) and changes nothing; an allowed one does what it says."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluations.models import (
    EvaluationSheet,
    ExternalComment,
    ReviewStep,
    SheetFigure,
    SheetState,
    StepEntry,
)
from indicators.models import Indicator
from tests.evaluations.builders import TEXT, approve_actual

pytestmark = pytest.mark.django_db

STEPS = ["所管課作成", "1次評価", "2次評価", "3次評価", "4次評価", "外部評価", "市長決裁", "確定"]
STEP_IDS = ["author", "1st", "2nd", "3rd", "4th", "committee", "mayor", "finalised"]
INTERNAL = {"1次評価": "chief", "2次評価": "deputy", "3次評価": "director"}
SENT = {"外部評価", "市長決裁", "確定"}  # the sheet has reached the committee


def _post(name: str, data: dict[str, str]) -> Callable[[Client, EvaluationSheet], HttpResponseBase]:
    def attempt(client: Client, sheet: EvaluationSheet) -> HttpResponseBase:
        return client.post(reverse(f"evaluations:{name}", args=[sheet.pk]), data)

    return attempt


ATTEMPTS: dict[str, Callable[[Client, EvaluationSheet], HttpResponseBase]] = {
    "view": lambda client, sheet: client.get(reverse("evaluations:sheet", args=[sheet.pk])),
    "save": _post("save_text", {**TEXT, "achievements": "書き換え", "_save": ""}),
    "submit": _post("save_text", {**TEXT, "_submit": ""}),
    "approve": _post("review", {"rank": "A", "comment": "", "_approve": ""}),
    "return": _post("review", {"rank": "A", "comment": "根拠を添えて", "_return": ""}),
    "comment": _post("comment", {"text": "周知を工夫されたい。"}),
    "close": _post("close", {}),
    "send": _post("committee", {"send": "0"}),
    "reopen": _post("reopen", {"reopen-reason": "件数の誤り"}),
    "refresh": _post("refresh", {"refresh-reason": "実績値の訂正"}),
}
ROLES = [
    ("staff", "own"),
    ("staff", "other"),
    ("chief", "own"),
    ("chief", "other"),
    ("deputy", "own"),
    ("deputy", "other"),
    ("director", "own"),
    ("director", "other"),
    ("planning", "any"),
    ("committee", "any"),
    ("viewer", "any"),
    ("anonymous", "any"),
    ("superuser", "any"),
]
PLANNING = {"planning", "superuser"}  # superusers have the planning division's powers


def allowed(role: str, department: str, step: str) -> set[str]:
    """What succeeds, as the README's table of roles says."""
    own, finalised = department == "own", step == "確定"
    may: set[str] = set()
    if (
        role in PLANNING
        or (own and role in {"staff", "chief", "deputy", "director"})
        or (finalised and role not in {"anonymous", "committee"})
        or (role == "committee" and step in SENT)
    ):
        may.add("view")
    if step == "所管課作成" and role == "staff" and own:
        may |= {"save", "submit"}
    if own and INTERNAL.get(step) == role:
        may |= {"approve", "return"}
    if step in {"4次評価", "市長決裁"} and role == "planning":  # the 承認者 group holds them
        may |= {"approve", "return"}
    if step == "外部評価" and role == "committee":
        may.add("comment")
    if step == "外部評価" and role in PLANNING:
        may.add("close")
    if step in STEPS[:5] and role in PLANNING:
        may.add("send")
    if finalised and role in PLANNING:
        may |= {"reopen", "refresh"}
    return may


def place(sheet: EvaluationSheet, step: str, *, sent: bool = True) -> EvaluationSheet:
    """Put the sheet at a step as the chain would have left it (sent to the committee, unless
    told otherwise)."""
    steps = {s.name: s for s in ReviewStep.objects.filter(chain=sheet.chain)}
    sheet.to_committee = sent
    if step == "確定":
        sheet.step, sheet.state = steps["市長決裁"], SheetState.FINALISED
        sheet.final_rank, sheet.finalised_at = "A", timezone.now()
    else:
        sheet.step = steps[step]
        sheet.state = SheetState.WRITING if step == "所管課作成" else SheetState.REVIEWING
    sheet.sent_at = timezone.now() if sent and step in SENT else None
    sheet.save()
    return sheet


def snapshot() -> tuple[list[dict[str, Any]], ...]:
    return tuple(
        list(model.objects.order_by("pk").values())
        for model in (EvaluationSheet, StepEntry, SheetFigure, ExternalComment)
    )


def refused(response: HttpResponseBase, *, logged_in: bool) -> bool:
    if logged_in:
        return response.status_code in (403, 404)
    return response.status_code == 302 and "/login/" in response["Location"]


@pytest.fixture
def cast(
    sato: User,
    suzuki: User,
    takahashi: User,
    watanabe: User,
    admin_user: User,
    reviewers: dict[str, User],
) -> dict[tuple[str, str], User | None]:
    """The sheet under attempt is 子育て支援課's (measure 1-1, 健康福祉部): "own" is theirs."""
    return {
        ("staff", "own"): sato,
        ("staff", "other"): suzuki,
        ("chief", "own"): reviewers["yamada"],
        ("chief", "other"): reviewers["ito"],
        ("deputy", "own"): reviewers["nakamura"],
        ("deputy", "other"): reviewers["kobayashi"],
        ("director", "own"): reviewers["kato"],
        ("director", "other"): reviewers["yoshida"],
        ("planning", "any"): takahashi,
        ("committee", "any"): reviewers["matsumoto"],
        ("viewer", "any"): watanabe,
        ("anonymous", "any"): None,
        ("superuser", "any"): admin_user,
    }


@pytest.mark.parametrize("step", STEPS, ids=STEP_IDS)
@pytest.mark.parametrize(("role", "department"), ROLES)
def test_permission_matrix(
    role: str,
    department: str,
    step: str,
    cast: dict[tuple[str, str], User | None],
    opened: dict[str, EvaluationSheet],
    childcare_indicator: Indicator,
) -> None:
    approve_actual(childcare_indicator, 2025, "96.5")  # 達成: the sheet suggests A
    sheet = opened["childcare"]
    for name, value in TEXT.items():
        setattr(sheet, name, value)
    sheet = place(sheet, step)
    client = Client()
    user = cast[role, department]
    if user is not None:
        client.force_login(user)
    expected = allowed(role, department, step)

    for attempt, act in ATTEMPTS.items():
        with transaction.atomic():
            before = snapshot()
            response = act(client, sheet)
            if attempt in expected:
                want = 200 if attempt == "view" else 302
                assert response.status_code == want, (attempt, response.status_code)
                assert attempt == "view" or snapshot() != before, attempt
            else:
                assert refused(response, logged_in=user is not None), (
                    attempt,
                    response.status_code,
                )
                assert snapshot() == before, attempt
            transaction.set_rollback(True)


def test_the_list_shows_each_role_the_sheets_it_may_read(
    client: Client,
    cast: dict[tuple[str, str], User | None],
    opened: dict[str, EvaluationSheet],
) -> None:
    place(opened["school"], "外部評価")  # sent to the committee, reached it
    place(opened["project"], "確定", sent=False)

    def listed(user: User | None) -> list[str]:
        assert user is not None
        client.force_login(user)
        rows = client.get("/evaluations/?year=2025").context["rows"]
        return sorted(r.sheet.subject_label[:9] for r in rows)

    project, childcare, school = "重点プロジェクト1", "重点施策1-1 子", "重点施策1-2 幼"
    assert listed(cast["planning", "any"]) == sorted([project, childcare, school])
    assert listed(cast["staff", "own"]) == sorted([project, childcare])
    assert listed(cast["chief", "other"]) == sorted([project, school])
    assert listed(cast["deputy", "own"]) == sorted([project, childcare])
    assert listed(cast["viewer", "any"]) == [project]
    assert listed(cast["committee", "any"]) == [school]


def test_a_committee_member_sees_the_committees_sheets_and_nothing_else(
    client: Client,
    reviewers: dict[str, User],
    opened: dict[str, EvaluationSheet],
    settings: Any,
) -> None:
    client.force_login(reviewers["matsumoto"])
    place(opened["project"], "確定", sent=False)  # finalised, never sent to the committee
    for url in ["/", "/projects/1/", "/measures/1-1/", "/indicators/T101/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/evaluations/", url
    assert client.get(reverse("evaluations:sheet", args=[opened["project"].pk])).status_code == 404
    assert client.get("/admin/").status_code == 302  # no admin access (not staff)
    listing = client.get("/evaluations/?year=2025").content.decode()
    assert "推進会議 外部評価" in listing and "Excel出力" not in listing

    settings.KPI_PUBLIC_DASHBOARDS = True  # what the public sees, they see too
    assert client.get("/projects/1/").status_code == 200


def test_the_planning_divisions_admin_pages_are_its_own(
    client: Client,
    sato: User,
    takahashi: User,
    world: Any,
) -> None:
    urls = [
        reverse("admin:evaluations_evaluationsheet_changelist"),
        reverse("admin:evaluations_evaluationsheet_open"),
        reverse("admin:evaluations_measurelead_changelist"),
        reverse("admin:evaluations_position_changelist"),
        reverse("admin:evaluations_bureau_changelist"),
    ]
    client.force_login(sato)
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.force_login(takahashi)
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("review", {"rank": "Z", "comment": "", "_approve": ""}),
        ("review", {"rank": "A", "comment": "あ" * 1001, "_approve": ""}),
        ("review", {"rank": "A", "comment": "  ", "_return": ""}),
        ("save_text", {**TEXT, "outlook": "keep", "_save": ""}),
        ("save_text", {**TEXT, "rank_given": "S", "_save": ""}),
    ],
)
def test_hostile_posts_are_refused_with_a_message_and_change_nothing(
    client: Client,
    cast: dict[tuple[str, str], User | None],
    opened: dict[str, EvaluationSheet],
    url: str,
    data: dict[str, str],
) -> None:
    """What a crafted request sends: an unknown rank or choice, an over-long comment, a blank
    return. The page comes back (400) with a message; never an error page."""
    sheet = opened["childcare"]
    if url == "review":
        place(sheet, "1次評価")
        user = cast["chief", "own"]
    else:
        user = cast["staff", "own"]
    assert user is not None
    client.force_login(user)
    before = snapshot()

    response = client.post(reverse(f"evaluations:{url}", args=[sheet.pk]), data)

    assert response.status_code == 400
    assert "message-error" in response.content.decode()
    assert snapshot() == before


def test_unknown_sheets_and_parameters_answer_404_or_the_default(
    client: Client, cast: dict[tuple[str, str], User | None], opened: dict[str, EvaluationSheet]
) -> None:
    user = cast["planning", "any"]
    assert user is not None
    client.force_login(user)
    assert client.get("/evaluations/999999/").status_code == 404
    assert client.post("/evaluations/999999/review/", {"rank": "A"}).status_code == 404
    assert client.get("/evaluations/?year=abc&plan=nope").status_code == 404  # no such plan
    listing = client.get("/evaluations/?year=１２&kind=<script>&department=-1")
    assert listing.status_code == 200 and "<script>" not in listing.content.decode()
