"""A small named cast shared by the tests.

Data entry (tests/indicators): two departments, 子育て支援課 and 学校教育課, each with one
indicator of a small test plan, and their people —
sato (入力担当, 子育て支援課), suzuki (入力担当, 学校教育課), takahashi (承認者, the planning
division), watanabe (閲覧者, a manager without admin access) and kanri (superuser).
"""

import socket
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from pytest_django import Settings

from indicators.models import Actual, ActualStatus, Department, Indicator, Series, Target
from indicators.permissions import ROLE_APPROVER, ROLE_STAFF, ROLE_VIEWER, sync_roles
from measures.models import ActionPlan
from plandata.plan_loader import load_plan, read_source
from plandata.sources import FIRST_PLAN_SOURCE


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    """PBKDF2's million rounds cost ~0.3 s per password; the tests make hundreds of users and
    logins. Production keeps Django's default hashers (isesaki/settings.py sets none)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty page cache: the in-memory cache outlives a test's
    rolled-back data (the data version restarts with each test database state)."""
    cache.clear()


@pytest.fixture
def plan(db: None) -> ActionPlan:
    """The whole 前期 plan, loaded from its YAML as a newcomer would (``load_plan``)."""
    load_plan(read_source(FIRST_PLAN_SOURCE))
    current = ActionPlan.objects.current()
    assert current is not None
    return current


@pytest.fixture
def admin_user(db: None) -> User:
    return get_user_model().objects.create_superuser("kanri", "kanri@example.com", "pw-kanri-1")


# --- data entry: departments, indicators, people --------------------------------------------
@pytest.fixture
def roles(db: None) -> None:
    """The role groups; the migration made them, but a flushed database has lost them."""
    sync_roles()


def _person(username: str, role: str, *departments: Department, staff: bool = True) -> User:
    # No password: tests log in with force_login, and hashing one costs a third of a second.
    user = get_user_model().objects.create_user(
        username, f"{username}@example.jp", None, is_staff=staff
    )
    user.groups.add(Group.objects.get(name=role))
    for department in departments:
        department.members.add(user)
    return user


@pytest.fixture
def childcare(db: None) -> Department:
    return Department.objects.create(name="子育て支援課", code="C10")


@pytest.fixture
def school(db: None) -> Department:
    return Department.objects.create(name="学校教育課", code="S20")


@pytest.fixture
def entry_plan(db: None) -> ActionPlan:
    """A small plan (FY2025–2029): data-entry tests need not load the whole one."""
    return ActionPlan.objects.create(
        code="test-2025-2029", name="テスト計画", first_year=2025, last_year=2029
    )


def _indicator(
    code: str,
    name: str,
    unit: str,
    decimals: int,
    department: Department,
    plan: ActionPlan,
    baseline: str,
    target: str,
    kind: str,
) -> Indicator:
    indicator = Indicator.objects.create(
        code=code, name=name, unit=unit, decimals=decimals, department=department
    )
    series = Series.objects.create(indicator=indicator)
    Target.objects.create(
        series=series,
        plan=plan,
        baseline_value=Decimal(baseline),
        baseline_year=2023,
        target_value=Decimal(target),
        target_year=2029,
        target_kind=kind,
    )
    return indicator


@pytest.fixture
def childcare_indicator(childcare: Department, entry_plan: ActionPlan) -> Indicator:
    """３歳児健康診査受診率: 95.2％ (FY2023) → 96.5％, one decimal."""
    return _indicator(
        "T101", "３歳児健康診査受診率", "％", 1, childcare, entry_plan, "95.2", "96.5", "increase"
    )


@pytest.fixture
def school_indicator(school: Department, entry_plan: ActionPlan) -> Indicator:
    """不登校児童生徒数: 300人 (FY2023) → 250人, whole numbers."""
    return _indicator(
        "T201", "不登校児童生徒数", "人", 0, school, entry_plan, "300", "250", "decrease"
    )


def add_actual(
    indicator: Indicator, year: int, value: str, status: str = ActualStatus.DRAFT
) -> Actual:
    """An actual as entry (and review) left it; its one history row has no user."""
    return Actual.objects.create(
        series=indicator.series.get(),
        year=year,
        value=Decimal(value),
        status=status,
        review_comment="確認してください" if status == ActualStatus.RETURNED else "",
    )


@pytest.fixture
def childcare_actual(childcare_indicator: Indicator) -> Actual:
    """FY2024: 95.5％, a draft of 子育て支援課."""
    return add_actual(childcare_indicator, 2024, "95.5")


@pytest.fixture
def school_actual(school_indicator: Indicator) -> Actual:
    """FY2024: 290人, a draft of 学校教育課."""
    return add_actual(school_indicator, 2024, "290")


@pytest.fixture
def sato(roles: None, childcare: Department) -> User:
    """入力担当 of 子育て支援課."""
    return _person("sato", ROLE_STAFF, childcare)


@pytest.fixture
def suzuki(roles: None, school: Department) -> User:
    """入力担当 of 学校教育課."""
    return _person("suzuki", ROLE_STAFF, school)


@pytest.fixture
def takahashi(roles: None) -> User:
    """承認者 of the planning division (企画調整課): every department."""
    return _person("takahashi", ROLE_APPROVER)


@pytest.fixture
def watanabe(roles: None) -> User:
    """閲覧者: a manager who reads dashboards; no admin access."""
    return _person("watanabe", ROLE_VIEWER, staff=False)


@pytest.fixture
def new_farmers(childcare: Department, entry_plan: ActionPlan) -> Indicator:
    """新規就農者数（累計）: 17名 (FY2023) → 77名, entered as the running total."""
    indicator = _indicator(
        "T062", "新規就農者数（累計）", "名", 0, childcare, entry_plan, "17", "77", "increase"
    )
    Indicator.objects.filter(pk=indicator.pk).update(cumulative=True)
    indicator.refresh_from_db()
    return indicator


def unused_port() -> int:
    """A local port nothing listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
