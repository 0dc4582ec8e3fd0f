"""Priority projects (重点プロジェクト), their themes (取組の方向性) and the links from each theme
to measure directions or initiatives and the indicator shown there."""

from django.core.exceptions import ValidationError
from django.db import models

from indicators.models import Indicator
from measures.models import ActionPlan, Direction, Initiative


class Project(models.Model):
    """重点プロジェクト."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, related_name="projects", verbose_name="計画"
    )
    number = models.PositiveSmallIntegerField("番号")
    name = models.CharField("プロジェクト名", max_length=100)
    short_name = models.CharField("略称", max_length=50)
    aim = models.TextField("プロジェクトのねらい")
    context = models.TextField("地域の実情・課題認識", blank=True)
    indicators: "models.ManyToManyField[Indicator, ProjectIndicator]" = models.ManyToManyField(
        Indicator,
        through="ProjectIndicator",
        related_name="projects",
        verbose_name="プロジェクト指標",
    )

    class Meta:
        verbose_name = "重点プロジェクト"
        verbose_name_plural = "重点プロジェクト"
        ordering = ["plan__first_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="project_unique_number"),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectIndicator(models.Model):
    """プロジェクト指標 (two per project in the 前期 plan)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="project_indicators"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="project_entries", verbose_name="成果指標"
    )
    order = models.PositiveSmallIntegerField("表示順")

    class Meta:
        verbose_name = "プロジェクト指標"
        verbose_name_plural = "プロジェクト指標"
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "indicator"], name="projind_unique"),
            models.UniqueConstraint(fields=["project", "order"], name="projind_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.project.short_name}: {self.indicator.name}"


class Theme(models.Model):
    """取組の方向性・目指す地域の姿."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="themes", verbose_name="重点プロジェクト"
    )
    order = models.PositiveSmallIntegerField("表示順")
    name = models.CharField("取組の方向性", max_length=200)
    description = models.TextField("目指す地域の姿", blank=True)
    main_initiatives = models.TextField("主な取組", blank=True)

    class Meta:
        verbose_name = "取組の方向性"
        verbose_name_plural = "取組の方向性"
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="theme_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.project.short_name}：{self.name}"


class ThemeLink(models.Model):
    """A row of a theme's table: a measure direction (or an initiative under it) and the indicator
    shown there. The same indicator may be shown by several links and projects."""

    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="links", verbose_name="取組の方向性"
    )
    order = models.PositiveSmallIntegerField("表示順")
    direction = models.ForeignKey(
        Direction,
        on_delete=models.PROTECT,
        related_name="theme_links",
        verbose_name="施策の展開方針",
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="theme_links",
        verbose_name="取組",
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="theme_links", verbose_name="成果指標"
    )

    class Meta:
        verbose_name = "対応する施策・取組"
        verbose_name_plural = "対応する施策・取組"
        ordering = ["theme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "order"], name="themelink_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative or self.direction} → {self.indicator.name}"

    def clean(self) -> None:
        if self.initiative is not None and self.initiative.direction_id != self.direction_id:
            raise ValidationError(
                {"initiative": "取組は選択した施策の展開方針に属している必要があります。"}
            )


class RelatedPlan(models.Model):
    """関連計画 (a plan run together with the comprehensive plan)."""

    name = models.CharField("計画名", max_length=200, unique=True)
    projects: "models.ManyToManyField[Project, ProjectRelatedPlan]" = models.ManyToManyField(
        Project,
        through="ProjectRelatedPlan",
        related_name="related_plans",
        verbose_name="重点プロジェクト",
    )

    class Meta:
        verbose_name = "関連計画"
        verbose_name_plural = "関連計画"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProjectRelatedPlan(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    related_plan = models.ForeignKey(RelatedPlan, on_delete=models.PROTECT, verbose_name="関連計画")
    order = models.PositiveSmallIntegerField("表示順")

    class Meta:
        verbose_name = "関連計画"
        verbose_name_plural = "関連計画"
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "related_plan"], name="projplan_unique"),
            models.UniqueConstraint(fields=["project", "order"], name="projplan_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.project.short_name}: {self.related_plan.name}"


class GlossaryTerm(models.Model):
    """用語解説 (the plan's ※ footnotes)."""

    term = models.CharField("用語", max_length=100, unique=True)
    description = models.TextField("解説")
    projects = models.ManyToManyField(
        Project, blank=True, related_name="glossary_terms", verbose_name="掲載プロジェクト"
    )

    class Meta:
        verbose_name = "用語解説"
        verbose_name_plural = "用語解説"
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term
