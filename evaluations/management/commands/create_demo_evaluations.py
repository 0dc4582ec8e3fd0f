"""Demo positions and a committee member, lead departments and last year's sheets, for trying
the yearly evaluation out locally (after create_demo_users)."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from evaluations import services
from evaluations.chains import ensure_default_chain
from evaluations.models import Bureau, BureauDepartment, Position, PositionKind
from evaluations.permissions import ROLE_COMMITTEE, sync_evaluation_roles
from indicators.models import Department
from kpi.wareki import fiscal_year_of
from measures.models import ActionPlan
from measures.signals import data_changed

BUREAU = ("DEMO-B1", "デモ：こども教育部")
# The demo departments of create_demo_users, and the measures they would lead in the city.
LEADS = {"DEMO-01": ("1-1", "1-5"), "DEMO-02": ("1-2", "1-3", "1-4")}
# user name, position, department code (None: the bureau), description
DEMO_PEOPLE: list[tuple[str, str, str | None, str]] = [
    ("demo-kacho", PositionKind.SECTION_CHIEF, "DEMO-01", "課長（デモ：子育て支援課）"),
    ("demo-fukubucho", PositionKind.DEPUTY_DIRECTOR, None, "副部局長（デモ：こども教育部）"),
    ("demo-bucho", PositionKind.DIRECTOR, None, "部局長（デモ：こども教育部）"),
]
COMMITTEE_MEMBER = "demo-iin"


class Command(BaseCommand):
    help = (
        "ローカル試用のため、デモ用の部局・課長・副部局長・部局長・推進会議委員を作成し、"
        "デモの課を施策の主管課にして、前年度の評価調書を作成します。"
        "先に create_demo_users を実行してください。パスワードは一度だけ表示します。DEBUG 時のみ。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("DEBUG が無効な環境では実行できません（デモ用のユーザーのため）。")
        departments = {d.code: d for d in Department.objects.filter(code__in=LEADS)}
        plan = ActionPlan.objects.current()
        if len(departments) < len(LEADS) or plan is None:
            raise CommandError("先に load_plan と create_demo_users を実行してください。")
        sync_evaluation_roles()
        ensure_default_chain()
        bureau, _ = Bureau.objects.update_or_create(code=BUREAU[0], defaults={"name": BUREAU[1]})
        for department in departments.values():
            BureauDepartment.objects.update_or_create(
                department=department, defaults={"bureau": bureau}
            )
        for code, measures in LEADS.items():
            plan.measures.filter(code__in=measures).update(lead_department=departments[code])
            data_changed.send(sender=type(plan))
        self.stdout.write("ユーザー名\tパスワード\t役割\tログイン")
        for username, kind, chief_of, description in DEMO_PEOPLE:
            user, password = self._user(username, [])
            if chief_of:
                Position.objects.get_or_create(
                    user=user, kind=kind, department=departments[chief_of]
                )
            else:
                Position.objects.get_or_create(user=user, kind=kind, bureau=bureau)
            self.stdout.write(f"{username}\t{password}\t{description}\t/login/")
        _, password = self._user(COMMITTEE_MEMBER, [ROLE_COMMITTEE])
        self.stdout.write(f"{COMMITTEE_MEMBER}\t{password}\t推進会議委員\t/login/")
        year = min(max(fiscal_year_of(timezone.localdate()) - 1, plan.first_year), plan.last_year)
        opened = services.evaluations_open(plan=plan, year=year, user=None)
        self.stdout.write(
            f"{year}年度の評価調書：{len(opened.created)}件作成（既存 {opened.existing}件）。"
            "パスワードはこの一度だけ表示されます。"
        )

    def _user(self, username: str, groups: list[str]) -> tuple[User, str]:
        """No admin access: these people work on the evaluation pages only."""
        password = secrets.token_urlsafe(12)
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_staff, user.is_superuser = False, False
        user.save()
        user.groups.set(Group.objects.filter(name__in=groups))
        return user, password
