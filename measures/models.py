"""The plan's structure: action plan → policy (政策) → measure (重点施策)
→ direction (施策の展開方針) → initiative (取組)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kpi.rank_scheme import DEFAULT_SCHEME, Scheme, scheme_from_dict
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


class RankBasis(models.TextChoices):
    """The choices of ``kpi.rank_scheme.Basis``, labelled."""

    STATUS = "status", "状況（達成・順調・遅れ・悪化）"
    PROGRESS = "progress", "進捗率（目標までの進み具合）"
    PACE = "pace", "その年度の期待値に対する進み具合"
    ACHIEVEMENT = "achievement", "達成率（実績値÷目標値）"
    BASELINE_CHANGE = "baseline_change", "現状値からの変化率"
    PREVIOUS_CHANGE = "previous_change", "前年度からの変化率"


class RankRounding(models.TextChoices):
    HALF_UP = "half_up", "四捨五入"
    DOWN = "down", "切り捨て"


class RankScheme(models.Model):
    """評価基準 of a plan (``kpi.rank_scheme``): the words its verdicts are published in. A plan
    without one is judged by today's statuses. Change ``version`` whenever the bands change:
    frozen evaluation figures keep the version they were judged by."""

    plan = models.OneToOneField(
        ActionPlan, on_delete=models.PROTECT, related_name="rank_scheme", verbose_name="計画"
    )
    code = models.CharField("評価基準コード", max_length=50)
    name = models.CharField("評価基準名", max_length=100)
    version = models.CharField("版", max_length=20)
    basis = models.CharField("判定の基準", max_length=20, choices=RankBasis)
    bands = models.JSONField(
        "区分",
        help_text='良い順に。例：[{"lowest": "100", "label": "①", "colour": "#1b7f3b"}, '
        '{"lowest": null, "label": "③"}]。状況基準では lowest の代わりに status',
    )
    met_label = models.CharField("目標達成の表記", max_length=30, blank=True)
    not_evaluable_label = models.CharField("評価不能の表記", max_length=30, default="評価不能")
    no_data_label = models.CharField("実績なしの表記", max_length=30, default="未入力")
    rounding = models.CharField(
        "端数処理", max_length=10, choices=RankRounding, default=RankRounding.HALF_UP
    )
    decimals = models.PositiveSmallIntegerField("小数点以下桁数", default=1)

    class Meta:
        verbose_name = "評価基準"
        verbose_name_plural = "評価基準"
        constraints = [
            models.CheckConstraint(
                condition=Q(basis__in=RankBasis.values), name="rankscheme_basis_valid"
            ),
            models.CheckConstraint(
                condition=Q(rounding__in=RankRounding.values), name="rankscheme_rounding_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"

    def as_scheme(self) -> Scheme:
        return scheme_from_dict(
            {
                "code": self.code,
                "name": self.name,
                "version": self.version,
                "basis": self.basis,
                "bands": self.bands,
                "met_label": self.met_label,
                "not_evaluable_label": self.not_evaluable_label,
                "no_data_label": self.no_data_label,
                "rounding": self.rounding,
                "decimals": self.decimals,
            }
        )

    def clean(self) -> None:
        try:
            self.as_scheme()
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise ValidationError({"bands": f"区分を読めません：{exc}"}) from exc


def scheme_of_plan(plan: ActionPlan) -> Scheme:
    """The plan's rank scheme, or today's statuses (``DEFAULT_SCHEME``): one query."""
    stored = RankScheme.objects.filter(plan=plan).first()
    return stored.as_scheme() if stored else DEFAULT_SCHEME
