"""The report's cast: the evaluation's small world (tests/evaluations/conftest.py) with FY2025's
approved actuals — ３歳児健康診査受診率 96.5％ (達成), 不登校児童生徒数 310人 (悪化: up from 300
toward 250) — and its sheets opened."""

import pytest
from django.contrib.auth.models import User

from evaluations import services
from evaluations.models import EvaluationSheet
from indicators.models import Indicator
from tests.evaluations.builders import TEXT, World, approve_actual
from tests.evaluations.conftest import opened, reviewers, world  # noqa: F401

COMMITTEE_COMMENT = "転入世帯への周知を工夫されたい。"


@pytest.fixture
def actuals_2025(childcare_indicator: Indicator, school_indicator: Indicator) -> None:
    approve_actual(childcare_indicator, 2025, "96.5")
    approve_actual(school_indicator, 2025, "310")


def finalise_through_committee(
    sheet: EvaluationSheet, people: dict[str, User], *, rank: str = "A"
) -> EvaluationSheet:
    """Sent to the 推進会議, written by sato (or the planning division), approved at every
    step, commented by matsumoto, closed and decided by takahashi."""
    takahashi = people["takahashi"]
    author = people["sato"] if sheet.department_id else takahashi
    services.sheet_send_to_committee(sheet=sheet, user=takahashi, send=True)
    sheet = EvaluationSheet.objects.for_page().get(pk=sheet.pk)
    sheet = services.sheet_save(sheet=sheet, user=author, text={**TEXT, "rank_given": rank})
    sheet = services.sheet_submit(sheet=sheet, user=author)
    chiefs = (
        ("yamada", "nakamura", "kato") if sheet.department_id else ("mori", "shimizu", "hayashi")
    )
    for name in (*chiefs, "takahashi"):
        sheet = services.sheet_approve(sheet=sheet, user=people[name], rank=rank, comment="")
    services.sheet_comment(sheet=sheet, user=people["matsumoto"], text=COMMITTEE_COMMENT)
    sheet = services.sheet_close_committee(sheet=sheet, user=takahashi)
    return services.sheet_approve(sheet=sheet, user=takahashi, rank=rank, comment="")


@pytest.fixture
def people(sato: User, takahashi: User, reviewers: dict[str, User]) -> dict[str, User]:  # noqa: F811
    return {"sato": sato, "takahashi": takahashi, **reviewers}


@pytest.fixture
def world_2025(world: World, opened: dict[str, EvaluationSheet], actuals_2025: None) -> World:  # noqa: F811
    return world
