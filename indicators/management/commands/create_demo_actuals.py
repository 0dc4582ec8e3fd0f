"""Made-up actuals for every series with a target, so that a first look at the dashboards shows
a living plan instead of 100 % 未入力 (DEBUG only, like create_demo_users).

The data says it is made up: every value's note is 「デモデータ」, it was entered, submitted and
approved by the inactive user ``demo-data`` (デモデータ), and an import record (取込記録)
「デモデータ（create_demo_actuals）」 names the run in the history of the values it wrote.

Years up to the last one before the current are approved, so the dashboards count them; the
current year's values of some series wait in the review workflow (提出済, 下書き, 差戻し), so
the 実績値 list and the approver's review have something to show. A value already stored for a
series and year — typed, imported or from an earlier run — is left as it is: running it again
changes nothing.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from indicators.models import (
    Actual,
    ActualStatus,
    ImportFormat,
    ImportRecord,
    Series,
    Target,
)
from kpi import entry_rules
from kpi.demo import demo_actuals
from kpi.progress import Goal
from measures.models import ActionPlan
from measures.signals import data_changed

DEMO_USER = "demo-data"
DEMO_NOTE = "デモデータ"
DEMO_JUMP_NOTE = "デモデータ：前年度から大きく変化（確認の例）"
RECORD_NAME = "デモデータ（create_demo_actuals）"
# The current year's values of each department's series, in turn: in the review workflow, or
# not entered yet (None) — so that every department (the demo ones too) has some of each.
WORKFLOW = (
    ActualStatus.SUBMITTED,
    ActualStatus.DRAFT,
    ActualStatus.RETURNED,
    ActualStatus.SUBMITTED,
    None,
)
RETURN_COMMENT = "デモデータ：算出方法を備考に書いてください（差戻しの例）"


@dataclass(frozen=True)
class Planned:
    series: Series
    year: int
    value: Decimal
    status: str
    note: str


class Command(BaseCommand):
    help = (
        "ローカル試用のため、目標のある全系列に、もっともらしいデモ用の実績値（備考「デモデータ」）を"
        "作成します。前年度までは承認済、今年度の一部は提出済・下書き・差戻しです。"
        "既にある値は変更しません。DEBUG 時のみ。"
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("DEBUG が無効な環境では実行できません（デモ用のデータのため）。")
        plan = ActionPlan.objects.current()
        if plan is None:
            raise CommandError("計画がありません（先に load_plan で計画を読み込んでください）。")
        planned = self._plan(plan)
        with transaction.atomic():
            written = self._write(planned) if planned else 0
        self.stdout.write(
            f"デモ用の実績値を {written} 件作成しました（既存の値はそのまま）。"
            if written
            else "作成するデモ用の実績値はありません（すべて作成済みです）。"
        )

    def _plan(self, plan: ActionPlan) -> list[Planned]:
        """What to write: every (series, year) of the demo that has no actual yet."""
        today = timezone.localdate()
        targets = Target.objects.filter(plan=plan).select_related("series__indicator")
        stored = set(Actual.objects.values_list("series_id", "year"))
        turns: Counter[int | None] = Counter()  # series of each department so far
        planned = []
        for target in targets.order_by("series__indicator__code", "series__order"):
            series, indicator = target.series, target.series.indicator
            turn = turns[indicator.department_id]
            turns[indicator.department_id] += 1
            current = entry_rules.current_year(indicator.period_kind, today)
            last = min(target.target_year, current)
            key = f"{indicator.code}/{series.order}"
            values = demo_actuals(
                key,
                _goal(target),
                range(target.baseline_year + 1, last + 1),
                settled=min(last, current - 1),
                decimals=indicator.decimals,
                percent=entry_rules.is_percent(indicator.unit),
                allow_negative=indicator.allow_negative,
                cumulative=indicator.cumulative,
            )
            for year, value in values.items():
                status = ActualStatus.APPROVED if year < current else WORKFLOW[turn % len(WORKFLOW)]
                if status is None or (series.pk, year) in stored:
                    continue
                planned.append(Planned(series, year, value, status, _note(values, year)))
        return planned

    def _write(self, planned: list[Planned]) -> int:
        user = _demo_user()
        record = ImportRecord.objects.create(
            user=user,
            file_name=RECORD_NAME,
            checksum=hashlib.sha256(b"create_demo_actuals").hexdigest(),
            file_size=0,
            file_type="demo",
            format=ImportFormat.ACTUALS,
            via_command=True,
            applied=True,
            rows_new=len(planned),
            messages="DEBUG 環境の試用のために作成した、実在しないデモ用の実績値です。",
        )
        now = timezone.now()
        actuals = [_actual(p, user, now) for p in planned]
        bulk_create_with_history(
            actuals,
            Actual,
            batch_size=500,
            default_user=user,
            default_change_reason=f"取込 #{record.pk}（{RECORD_NAME}）",
        )
        data_changed.send(sender=Actual)
        return len(actuals)


def _goal(target: Target) -> Goal:
    return Goal(
        baseline=target.baseline_value,
        baseline_year=target.baseline_year,
        target=target.target_value,
        target_year=target.target_year,
        kind=target.target_kind,  # type: ignore[arg-type]
    )


def _note(values: dict[int, Decimal], year: int) -> str:
    before = values.get(year - 1)
    value = values[year]
    share = Decimal(str(settings.KPI_JUMP_WARNING_SHARE))
    if before is not None and before != 0 and abs(value - before) > share * abs(before):
        return DEMO_JUMP_NOTE
    return DEMO_NOTE


def _actual(planned: Planned, user: User, now: datetime) -> Actual:
    status = planned.status
    reviewed = status in (ActualStatus.APPROVED, ActualStatus.RETURNED)
    return Actual(
        series=planned.series,
        year=planned.year,
        value=planned.value,
        note=planned.note,
        status=status,
        review_comment=RETURN_COMMENT if status == ActualStatus.RETURNED else "",
        updated_by=user,
        submitted_by=user if status != ActualStatus.DRAFT else None,
        submitted_at=now if status != ActualStatus.DRAFT else None,
        approved_by=user if status == ActualStatus.APPROVED else None,
        approved_at=now if status == ActualStatus.APPROVED and reviewed else None,
    )


def _demo_user() -> User:
    """An inactive user that cannot log in: the demo data's author."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USER, defaults={"first_name": "デモデータ", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user
