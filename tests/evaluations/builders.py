"""Helpers of the evaluation tests: the small world's shape, people with positions, approved
actuals, and the text a department writes."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User

from evaluations.models import Bureau, Position, ReviewChain
from indicators.models import Actual, ActualStatus, Department, Indicator
from measures.models import ActionPlan, Measure
from projects.models import Project

TEXT = {
    "achievements": "３歳児健診の未受診者に電話で受診を勧めた（延べ412件）。",
    "analysis": "受診率は95.8％に上がった。個別の勧奨が効いた。",
    "challenges": "転入直後の家庭に案内が届きにくい。",
    "outlook": "continue",
    "outlook_text": "勧奨を続け、転入時の案内を加える。",
    "rank_given": "A",
    "rank_reason": "",
}


@dataclass
class World:
    plan: ActionPlan
    project: Project
    childcare_measure: Measure
    school_measure: Measure
    planning: Department
    health: Bureau
    education: Bureau
    governance: Bureau
    chain: ReviewChain


def person(username: str, *, staff: bool = False, groups: tuple[str, ...] = ()) -> User:
    user = get_user_model().objects.create_user(
        username, f"{username}@example.jp", None, is_staff=staff
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def hold(user: User, kind: str, place: Department | Bureau) -> User:
    if isinstance(place, Department):
        Position.objects.create(user=user, kind=kind, department=place)
    else:
        Position.objects.create(user=user, kind=kind, bureau=place)
    return user


def approve_actual(indicator: Indicator, year: int, value: str) -> Actual:
    return Actual.objects.create(
        series=indicator.series.get(),
        year=year,
        value=Decimal(value),
        status=ActualStatus.APPROVED,
    )
