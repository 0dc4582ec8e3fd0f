"""Demo departments and one user per role, for trying the data entry out locally.

Each demo department gets the plan's indicators of the measures (重点施策) it would own in the
city: デモ：子育て支援課 those of 1-1 子どもを産み育てる環境づくりの推進 and 1-5 子どもから若者
までの支援の充実, デモ：学校教育課 those of 1-2 to 1-4 (学校教育, 教育, 心身の育成) — an
indicator belongs to a measure through the plan's theme links or its SDGs local indicators."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.urls import reverse

from indicators.models import Department, Indicator
from indicators.permissions import ROLE_APPROVER, ROLE_STAFF, ROLE_VIEWER, sync_roles


@dataclass(frozen=True)
class DemoDepartment:
    code: str
    name: str
    measures: tuple[str, ...]  # the codes of the measures whose indicators it enters


DEMO_DEPARTMENTS = [
    DemoDepartment("DEMO-01", "デモ：子育て支援課", ("1-1", "1-5")),
    DemoDepartment("DEMO-02", "デモ：学校教育課", ("1-2", "1-3", "1-4")),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    is_staff: bool
    department_code: str | None
    description: str


DEMO_USERS = [
    DemoUser("demo-nyuryoku", ROLE_STAFF, True, "DEMO-01", "入力担当（デモ：子育て支援課）"),
    DemoUser("demo-shonin", ROLE_APPROVER, True, None, "承認者（企画担当：全指標）"),
    DemoUser("demo-etsuran", ROLE_VIEWER, False, None, "閲覧者（ダッシュボードのみ）"),
]


class Command(BaseCommand):
    help = (
        "ローカル試用のため、デモ用の所管課（計画の指標の一部を割当て）と役割ごとのユーザーを"
        "作成します。パスワードは実行のたびに作り直して一度だけ表示します。DEBUG 時のみ。"
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("DEBUG が無効な環境では実行できません（デモ用のユーザーのため）。")
        sync_roles()
        departments = {demo.code: self._department(demo) for demo in DEMO_DEPARTMENTS}
        assigned = sum(self._assign_indicators(d, departments[d.code]) for d in DEMO_DEPARTMENTS)
        if not assigned:
            self.stderr.write(
                "割り当てる指標がありません（先に load_plan で計画を読み込んでください）。"
            )
        self.stdout.write("ユーザー名\tパスワード\t役割\tログイン")
        for demo in DEMO_USERS:
            password = secrets.token_urlsafe(12)
            self._user(demo, password, departments)
            login = reverse("admin:login") if demo.is_staff else reverse("login")
            self.stdout.write(f"{demo.username}\t{password}\t{demo.description}\t{login}")
        self.stdout.write("パスワードはこの一度だけ表示されます。")

    def _department(self, demo: DemoDepartment) -> Department:
        department, _ = Department.objects.update_or_create(
            code=demo.code, defaults={"name": demo.name}
        )
        return department

    def _assign_indicators(self, demo: DemoDepartment, department: Department) -> int:
        """The indicators of the department's measures that have no department yet; an
        indicator that does not fit (an earlier version assigned by code) goes back to none.
        Indicators of real departments keep theirs."""
        fitting = Indicator.objects.filter(
            Q(theme_links__direction__measure__code__in=demo.measures)
            | Q(sdg_entries__measure__code__in=demo.measures)
        ).values("pk")
        for indicator in department.indicators.exclude(pk__in=fitting):
            self._set_department(indicator, None)
        for indicator in Indicator.objects.filter(pk__in=fitting, department=None):
            self._set_department(indicator, department)
        return department.indicators.count()

    @staticmethod
    def _set_department(indicator: Indicator, department: Department | None) -> None:
        indicator.department = department
        indicator._change_reason = "デモ用の所管課（create_demo_users）"  # type: ignore[attr-defined]
        indicator.save(update_fields=["department"])

    def _user(self, demo: DemoUser, password: str, departments: dict[str, Department]) -> None:
        user, _ = get_user_model().objects.get_or_create(username=demo.username)
        user.set_password(password)
        user.is_staff, user.is_superuser = demo.is_staff, False
        user.save()
        user.groups.set([Group.objects.get(name=demo.role)])
        if demo.department_code:
            departments[demo.department_code].members.add(user)
