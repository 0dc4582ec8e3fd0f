"""The cycle's calendar (評価の日程): per fiscal year of a plan, the dates the planning division
sets — actuals entered, sheets written, each review step done, the committee's comments. The
review steps are data (``evaluations.ReviewStep``), so a step's due date is a row per step,
not a column: a chain with another number of steps needs no migration."""

import datetime

from django.db import models
from django.db.models import Q

from evaluations.models import ReviewStep
from kpi import wareki
from measures.models import ActionPlan


class CycleCalendarQuerySet(models.QuerySet["CycleCalendar"]):
    def of_year(self, plan: ActionPlan, year: int) -> "CycleCalendar | None":
        return self.filter(plan=plan, year=year).prefetch_related("step_dues__step").first()


class CycleCalendar(models.Model):
    """評価の日程 of one evaluated fiscal year (令和7年度の実績を令和8年度に評価する)."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="calendars", verbose_name="計画"
    )
    year = models.PositiveSmallIntegerField("評価年度", help_text="評価する実績の年度")
    actuals_due = models.DateField("実績値の入力期限", null=True, blank=True)
    sheets_due = models.DateField("評価調書の作成期限", null=True, blank=True)
    committee_due = models.DateField("推進会議の外部評価の期限", null=True, blank=True)
    report_date = models.DateField(
        "報告書の発行日", null=True, blank=True, help_text="報告書の表紙と各ページに印字する日付"
    )

    objects = CycleCalendarQuerySet.as_manager()

    class Meta:
        verbose_name = "評価の日程"
        verbose_name_plural = "評価の日程"
        ordering = ["plan__first_year", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="calendar_unique_year"),
            models.CheckConstraint(
                condition=Q(year__gte=wareki.MIN_YEAR, year__lte=wareki.MAX_YEAR),
                name="calendar_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.name} {wareki.year_label(self.year)}"

    def due_of_step(self, step: ReviewStep) -> datetime.date | None:
        """The step's own date, else the sheets' (the author step) or the committee's."""
        for due in self.step_dues.all():
            if due.step_id == step.pk:
                return due.due
        if step.is_author:
            return self.sheets_due
        return self.committee_due if step.is_committee else None


class StepDue(models.Model):
    """The date a review step (1次 … 市長決裁) is to be done for the year's sheets."""

    calendar = models.ForeignKey(
        CycleCalendar, on_delete=models.CASCADE, related_name="step_dues", verbose_name="日程"
    )
    step = models.ForeignKey(
        ReviewStep, on_delete=models.CASCADE, related_name="+", verbose_name="段階"
    )
    due = models.DateField("期限")

    class Meta:
        verbose_name = "段階の期限"
        verbose_name_plural = "段階の期限"
        ordering = ["calendar", "step__chain", "step__order"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "step"], name="stepdue_unique_step"),
        ]

    def __str__(self) -> str:
        return f"{self.step}：{self.due:%Y-%m-%d}"
