"""The plan's structure: action plan → policy (政策) → measure (重点施策)
→ direction (施策の展開方針) → initiative (取組)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone

from kpi.wareki import fiscal_year_of


def plan_of_year(plans: Sequence["ActionPlan"], year: int) -> "ActionPlan | None":
    """The plan whose years hold ``year``; between or after plans the last one begun, before
    them all the first (plans in order of their first year)."""
    begun = [p for p in plans if p.first_year <= year]
    return begun[-1] if begun else next(iter(plans), None)


@dataclass(frozen=True)
class PlanChoice:
    """The plan a page shows (?plan=code), the plans it may choose from and the default one."""

    plan: "ActionPlan"
    options: list["ActionPlan"]
    default: "ActionPlan"

    @property
    def param(self) -> str | None:
        """The ?plan= value links carry: none for the default plan (URLs stay as they were)."""
        return None if self.plan == self.default else self.plan.code


class ActionPlanQuerySet(models.QuerySet["ActionPlan"]):
    def current(self) -> "ActionPlan | None":
        """The plan of the current fiscal year (the 前期 plan until FY2029, then the 後期 one,
        however early the 後期 plan is loaded)."""
        return self.chosen(None)

    def chosen(self, code: str | None) -> "ActionPlan | None":
        """The plan a page's ?plan=code names, else the current one."""
        choice = self.choice(code)
        return choice.plan if choice else None

    def choice(self, code: str | None) -> PlanChoice | None:
        """One query: every plan, the one ?plan=code names (None for an unknown code or no
        plan at all) and the current one."""
        plans = list(self.order_by("first_year"))
        default = plan_of_year(plans, fiscal_year_of(timezone.localdate()))
        plan = next((p for p in plans if p.code == code), None) if code else default
        if plan is None or default is None:
            return None
        return PlanChoice(plan, plans, default)


class ActionPlan(models.Model):
    """アクションプラン: one period of the comprehensive plan.

    前期 FY2025–2029, 後期 FY2030–2034."""

    code = models.SlugField("コード", max_length=20, unique=True)
    name = models.CharField("名称", max_length=200)
    first_year = models.PositiveSmallIntegerField("開始年度")
    last_year = models.PositiveSmallIntegerField("終了年度")

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "アクションプラン"
        verbose_name_plural = "アクションプラン"
        ordering = ["first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_year__lte=models.F("last_year")),
                name="actionplan_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class Policy(models.Model):
    """政策 (7 in the 前期 plan)."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, related_name="policies", verbose_name="計画"
    )
    number = models.PositiveSmallIntegerField("番号")
    name = models.CharField("政策名", max_length=100)

    class Meta:
        verbose_name = "政策"
        verbose_name_plural = "政策"
        ordering = ["plan__first_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="policy_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Measure(models.Model):
    """重点施策, coded like ``3-1`` (policy 3, measure 1)."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, related_name="measures", verbose_name="計画"
    )
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="measures", verbose_name="政策"
    )
    code = models.CharField("施策番号", max_length=10)
    name = models.CharField("重点施策名", max_length=200)
    order = models.PositiveSmallIntegerField("表示順")
    # 主管課: writes the measure's yearly evaluation sheet. The plan names none; the planning
    # division assigns them (evaluations' 施策の主管課 admin page). By name, not by import:
    # departments live in indicators, a layer above.
    lead_department = models.ForeignKey(
        "indicators.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_measures",
        verbose_name="主管課",
        help_text="評価調書を作成する課。未設定の施策は企画担当が作成します",
    )

    class Meta:
        verbose_name = "重点施策"
        verbose_name_plural = "重点施策"
        ordering = ["plan__first_year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="measure_unique_code"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]+-[0-9]+$"), name="measure_code_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Direction(models.Model):
    """施策の展開方針 (方針N) of a measure."""

    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="directions", verbose_name="重点施策"
    )
    number = models.PositiveSmallIntegerField("方針番号")
    name = models.CharField(
        "方針名", max_length=200, blank=True, help_text="この資料に名称の記載がない場合は空欄"
    )

    class Meta:
        verbose_name = "施策の展開方針"
        verbose_name_plural = "施策の展開方針"
        ordering = ["measure__order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "number"], name="direction_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="direction_number_positive"),
        ]

    def __str__(self) -> str:
        label = f"{self.measure.code} 方針{self.number}"
        return f"{label}：{self.name}" if self.name else label


class Initiative(models.Model):
    """取組 under a direction, with its related program (関連事業)."""

    direction = models.ForeignKey(
        Direction,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name="施策の展開方針",
    )
    name = models.CharField("取組名", max_length=200)
    program = models.CharField("関連事業", max_length=200, blank=True)

    class Meta:
        verbose_name = "取組"
        verbose_name_plural = "取組"
        ordering = ["direction__measure__order", "direction__number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "name", "program"], name="initiative_unique"
            ),
        ]

    def __str__(self) -> str:
        d = self.direction
        return f"{d.measure.code} 方針{d.number}関係：{self.name}"


class DataVersion(models.Model):
    """データの版: one row whose ``token`` changes in the same transaction as any change to
    the plan's data (actuals, targets, links, structure, evaluations; ``measures.versioning``).
    Cached pages are keyed by it, so no worker or container serves a page older than a
    committed change. A random token rather than a counter: a database restored from an
    older dump never meets cache entries of a different state under the same number."""

    token = models.BigIntegerField("版", default=0)

    class Meta:
        verbose_name = "データの版"
        verbose_name_plural = "データの版"

    def __str__(self) -> str:
        return f"データの版 {self.token}"
