"""Demo departments and one user per role, for trying the data entry out locally."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from indicators.models import Department, Indicator
from indicators.permissions import ROLE_APPROVER, ROLE_STAFF, ROLE_VIEWER, sync_roles

INDICATORS_PER_DEPARTMENT = 10
DEMO_DEPARTMENTS = [("DEMO-01", "デモ：子育て支援課"), ("DEMO-02", "デモ：学校教育課")]


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
        departments = {code: self._department(code, name) for code, name in DEMO_DEPARTMENTS}
        assigned = self._assign_indicators(list(departments.values()))
        if not assigned:
            self.stderr.write(
                "割り当てる指標がありません（先に loaddata plan を実行してください）。"
            )
        self.stdout.write("ユーザー名\tパスワード\t役割\tログイン")
        for demo in DEMO_USERS:
            password = secrets.token_urlsafe(12)
            self._user(demo, password, departments)
            login = reverse("admin:login") if demo.is_staff else reverse("login")
            self.stdout.write(f"{demo.username}\t{password}\t{demo.description}\t{login}")
        self.stdout.write("パスワードはこの一度だけ表示されます。")

    def _department(self, code: str, name: str) -> Department:
        department, _ = Department.objects.update_or_create(code=code, defaults={"name": name})
        return department

    def _assign_indicators(self, departments: list[Department]) -> int:
        """The first unassigned indicators by code, a batch per demo department; indicators
        that already have a department keep it."""
        count = 0
        for department in departments:
            if department.indicators.exists():
                count += department.indicators.count()
                continue
            batch = Indicator.objects.filter(department=None).order_by("code")
            for indicator in batch[:INDICATORS_PER_DEPARTMENT]:
                indicator.department = department
                indicator.save(update_fields=["department"])
                count += 1
        return count

    def _user(self, demo: DemoUser, password: str, departments: dict[str, Department]) -> None:
        user, _ = get_user_model().objects.get_or_create(username=demo.username)
        user.set_password(password)
        user.is_staff, user.is_superuser = demo.is_staff, False
        user.save()
        user.groups.set([Group.objects.get(name=demo.role)])
        if demo.department_code:
            departments[demo.department_code].members.add(user)
