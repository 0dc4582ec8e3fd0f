"""Indicators (成果指標), their series, per-plan targets and yearly actuals (実績値)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kpi import wareki
from kpi.numbers import format_value
from measures.models import ActionPlan, Measure

YEAR_MIN, YEAR_MAX = wareki.MIN_YEAR, wareki.MAX_YEAR


class PeriodKind(models.TextChoices):
    """The choices of ``kpi.wareki.PeriodKind``, labelled (a test keeps the two equal)."""

    FISCAL = "fiscal", "年度"
    CALENDAR = "calendar", "年"


class TargetKind(models.TextChoices):
    """目標の種類. The kind, not the sign of target − baseline, says which way is better. The
    choices of ``kpi.progress.TargetKind``, labelled (a test keeps the two equal)."""

    INCREASE = "increase", "増加（目標値まで上げる）"
    DECREASE = "decrease", "減少（目標値まで下げる）"
    AT_LEAST = "at_least", "以上（下限）"
    AT_MOST = "at_most", "以下（上限）"
    KEEP = "keep", "維持"
    ZERO = "zero", "ゼロ（なし）"


class EntryMode(models.TextChoices):
    """How staff enter a 累計 indicator; progress is judged on the running total either way."""

    TOTAL = "total", "累計値を入力"
    YEARLY = "yearly", "各年度の実績（増分）を入力"


class BaselineMeaning(models.TextChoices):
    """What a baseline printed － means (``kpi.progress.BaselineMeaning``)."""

    START_ZERO = "start_zero", "まだない（0から）"
    UNMEASURED = "unmeasured", "未測定（初回の実績値が起点）"


class KeepDirection(models.TextChoices):
    """Which side of a 維持 target also meets it (``kpi.progress.KeepDirection``)."""

    EXACT = "exact", "同じ値"
    AT_LEAST = "at_least", "以上"
    AT_MOST = "at_most", "以下"


def _year_check(field: str, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    in_range = Q(**{f"{field}__gte": YEAR_MIN, f"{field}__lte": YEAR_MAX})
    condition = in_range | Q(**{f"{field}__isnull": True}) if nullable else in_range
    return models.CheckConstraint(condition=condition, name=name)


class Department(models.Model):
    """所管課: the department that enters an indicator's actuals. Its members (所属職員) see and
    enter only their own department's indicators in the admin."""

    name = models.CharField("課名", max_length=100, unique=True)
    code = models.CharField("課コード", max_length=20, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="departments", verbose_name="所属職員"
    )

    class Meta:
        verbose_name = "所管課"
        verbose_name_plural = "所管課"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def for_export(self, *, include_provisional: bool = False) -> "IndicatorQuerySet":
        """Everything the CSV export needs, in a fixed number of queries; approved actuals
        only unless asked (as on the dashboards)."""
        counted = Actual.objects.counted(include_provisional=include_provisional)
        return self.order_by("code").prefetch_related(
            "series__targets",
            models.Prefetch("series__actuals", queryset=counted),
            "theme_links__direction__measure",
            "theme_links__theme__project",
            "sdg_entries__measure",
            "project_entries__project",
        )


class Indicator(models.Model):
    """成果指標. One record however many projects or measures show it.

    ``code`` (K001, K002, …) is permanent: assigned in order of first appearance in the plan,
    never renumbered or reused; indicators of a later plan take the next free number.
    """

    code = models.CharField("指標コード", max_length=20, unique=True)
    name = models.CharField("指標名", max_length=200)
    unit = models.CharField("単位", max_length=20, blank=True)
    decimals = models.PositiveSmallIntegerField("小数点以下桁数", default=0)
    definition = models.TextField("解説・算出方法", blank=True)
    period_kind = models.CharField(
        "期間の区分", max_length=10, choices=PeriodKind, default=PeriodKind.FISCAL
    )
    cumulative = models.BooleanField("累計", default=False)
    entry_mode = models.CharField(
        "累計の入力方法",
        max_length=10,
        choices=EntryMode,
        default=EntryMode.TOTAL,
        help_text="累計の指標で、各年度の増分を入力する場合は「各年度の実績」。判定は常に累計値",
    )
    source = models.CharField("出典", max_length=200, blank=True)
    survey_measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="satisfaction_indicators",
        verbose_name="市民意識調査の対象施策",
        help_text="この施策の満足度（市民意識調査）を表す指標の場合に設定",
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="所管課",
        help_text="計画データには所管課がないため、企画担当が設定します",
    )
    allow_negative = models.BooleanField(
        "負の値を許可",
        default=False,
        help_text="増減数など、実績値が負になり得る指標の場合にチェック",
    )

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name="成果指標の履歴", history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        verbose_name = "成果指標"
        verbose_name_plural = "成果指標"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(decimals__lte=6), name="indicator_decimals_max"),
            models.CheckConstraint(
                condition=Q(period_kind__in=PeriodKind.values), name="indicator_period_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(entry_mode=EntryMode.TOTAL) | Q(cumulative=True),
                name="indicator_yearly_entry_is_cumulative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SeriesQuerySet(models.QuerySet["Series"]):
    def for_entry_status(self, year: int) -> "SeriesQuerySet":
        """The series that owe a value for the year (a plan of theirs covers it after its
        baseline year, or they have no target at all, like SDGs-only indicators), with the
        year's actual joined as ``this_year`` (a LEFT JOIN, so none where nothing is entered),
        unordered: readers count or pick the rows they print (``indicators.entry_status``)."""
        covering = Target.objects.filter(
            series=models.OuterRef("series"), baseline_year__lt=year, plan__last_year__gte=year
        )
        # Not "a covering target, or no target" (an OR of two subqueries): PostgreSQL costs
        # that as a subquery per series and misjudges the joins after it (35 s at 100×).
        # Said as one anti-join: no target of the series while none of its targets covers it.
        uncovered = Target.objects.filter(series=models.OuterRef("pk")).filter(
            ~models.Exists(covering)
        )
        return (
            self.filter(~models.Exists(uncovered))
            .annotate(this_year=models.FilteredRelation("actuals", condition=Q(actuals__year=year)))
            .order_by()
        )

    def entry_pending(self, year: int) -> "SeriesQuerySet":
        """Of those, the ones still lacking the year's value or its approval (未入力 or not
        承認済), in the plan's order."""
        # An anti-join, not a filter on the joined actual ("none, or not approved"), which
        # PostgreSQL estimates at one row and then joins the rest in nested loops.
        approved = Actual.objects.filter(
            series=models.OuterRef("pk"), year=year, status=ActualStatus.APPROVED
        )
        return (
            self.for_entry_status(year)
            .filter(~models.Exists(approved))
            .order_by("indicator__code", "order")
        )


class Series(models.Model):
    """系列: the single series of an indicator, or one of 男性/女性, 小学校/中学校 …"""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="series", verbose_name="成果指標"
    )
    label = models.CharField("系列名", max_length=50, blank=True, help_text="単一系列は空欄")
    order = models.PositiveSmallIntegerField("表示順", default=1)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = "系列"
        verbose_name_plural = "系列"
        ordering = ["indicator__code", "order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "label"], name="series_unique_label"),
            models.UniqueConstraint(fields=["indicator", "order"], name="series_unique_order"),
        ]

    def __str__(self) -> str:
        name = f"{self.indicator.code} {self.indicator.name}"
        return f"{name}（{self.label}）" if self.label else name


class Target(models.Model):
    """現状値と目標値 of a series in one action plan. A series that continues into the next
    plan gets a second Target; its actuals stay where they are."""

    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="targets", verbose_name="系列"
    )
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, related_name="targets", verbose_name="計画"
    )
    baseline_value = models.DecimalField(
        "現状値",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="計画に「－」とある場合は空欄",
    )
    baseline_year = models.PositiveSmallIntegerField("現状値の年（度）")
    baseline_label = models.CharField(
        "現状値の表記",
        max_length=50,
        blank=True,
        help_text="数値以上の意味がある表記（例：待機児童なし）",
    )
    target_value = models.DecimalField("目標値", max_digits=16, decimal_places=4)
    target_year = models.PositiveSmallIntegerField("目標値の年（度）")
    target_kind = models.CharField("目標の種類", max_length=10, choices=TargetKind)
    target_label = models.CharField("目標値の表記", max_length=50, blank=True)
    baseline_meaning = models.CharField(
        "現状値「－」の意味",
        max_length=12,
        choices=BaselineMeaning,
        default=BaselineMeaning.START_ZERO,
        help_text="現状値が空欄のときのみ使います",
    )
    keep_direction = models.CharField(
        "維持の向き",
        max_length=10,
        choices=KeepDirection,
        default=KeepDirection.EXACT,
        help_text="目標の種類が「維持」のとき、上回って（下回って）もよいか",
    )
    noise_band = models.DecimalField(
        "横ばいとみなす幅",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="現状値からの変化がこの幅以内なら「横ばい」（例：調査の誤差 ±1.0ポイント）",
    )
    interim_targets = models.JSONField(
        "中間目標",
        default=list,
        blank=True,
        help_text='例：[{"year": 2027, "value": "50"}]。期待値の線は中間目標を通ります',
    )
    revisions = models.JSONField(
        "目標値の見直し",
        default=list,
        blank=True,
        help_text=(
            '中間見直し。例：[{"effective_year": 2027, "value": "60", "target_year": 2029,'
            ' "reason": "…"}]。適用開始年より前の年度は元の目標値で判定します'
        ),
    )

    history = HistoricalRecords(
        verbose_name="現状値・目標値の履歴", history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        verbose_name = "現状値・目標値"
        verbose_name_plural = "現状値・目標値"
        ordering = ["plan__first_year"]
        constraints = [
            models.UniqueConstraint(fields=["series", "plan"], name="target_unique_per_plan"),
            models.CheckConstraint(
                condition=Q(target_kind__in=TargetKind.values), name="target_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__lte=models.F("target_year")),
                name="target_years_ordered",
            ),
            models.CheckConstraint(
                condition=Q(noise_band__isnull=True) | Q(noise_band__gte=0),
                name="target_noise_band_not_negative",
            ),
            _year_check("baseline_year", "target_baseline_year_range"),
            _year_check("target_year", "target_target_year_range"),
            models.CheckConstraint(
                condition=~Q(target_kind=TargetKind.ZERO) | Q(target_value=0),
                name="target_zero_is_zero",
            ),
            models.CheckConstraint(
                condition=~Q(target_kind=TargetKind.INCREASE)
                | Q(baseline_value__isnull=True)
                | Q(target_value__gt=models.F("baseline_value")),
                name="target_increase_goes_up",
            ),
            models.CheckConstraint(
                condition=~Q(target_kind=TargetKind.DECREASE)
                | Q(baseline_value__isnull=True)
                | Q(target_value__lt=models.F("baseline_value")),
                name="target_decrease_goes_down",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.plan.code}"


class ActualStatus(models.TextChoices):
    """状態 of an actual: 下書き → 提出済 → 承認済, or 差戻し (with a comment) back to the
    department. Only 承認済 values count on dashboards by default."""

    DRAFT = "draft", "下書き"
    SUBMITTED = "submitted", "提出済"
    APPROVED = "approved", "承認済"
    RETURNED = "returned", "差戻し"


# Values that dashboards may show, marked as 暫定値, when asked to include provisional ones.
# A returned value is not among them: the planning division has said it is wrong.
PROVISIONAL_STATUSES = frozenset({ActualStatus.DRAFT, ActualStatus.SUBMITTED})


class ActualQuerySet(models.QuerySet["Actual"]):
    def counted(self, *, include_provisional: bool = False) -> "ActualQuerySet":
        """The actuals that dashboards count: approved ones (承認済); with
        ``include_provisional`` also drafts and submitted ones (暫定値), never returned ones."""
        if include_provisional:
            return self.filter(status__in=[ActualStatus.APPROVED, *PROVISIONAL_STATUSES])
        return self.filter(status=ActualStatus.APPROVED)

    def with_review_context(self) -> "ActualQuerySet":
        """For the approver's review (``indicators.review``), in the same query: the previous
        year's value (its actual, else a baseline of that year, as the entry form compares)
        and the series' baseline and target of its newest plan."""
        before = models.OuterRef("year") - 1
        previous = Actual.objects.filter(series=models.OuterRef("series"), year=before).order_by()
        baseline_before = Target.objects.filter(
            series=models.OuterRef("series"), baseline_year=before, baseline_value__isnull=False
        ).order_by()
        goal = Target.objects.filter(series=models.OuterRef("series")).order_by("-plan__first_year")

        def newest(field: str) -> models.Subquery:
            return models.Subquery(goal.values(field)[:1])

        return self.annotate(
            previous_actual=models.Subquery(previous.values("value")[:1]),
            previous_baseline=models.Subquery(baseline_before.values("baseline_value")[:1]),
            goal_baseline=newest("baseline_value"),
            goal_baseline_label=newest("baseline_label"),
            goal_target=newest("target_value"),
            goal_target_label=newest("target_label"),
            goal_kind=newest("target_kind"),
        )


class Actual(models.Model):
    """実績値: one value per series and year (年度 or 年, by the indicator's period kind)."""

    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="actuals", verbose_name="系列"
    )
    year = models.PositiveSmallIntegerField("年（度）")
    value = models.DecimalField("実績値", max_digits=16, decimal_places=4)
    note = models.CharField("備考", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="更新者",
    )
    status = models.CharField(
        "状態", max_length=10, choices=ActualStatus, default=ActualStatus.DRAFT
    )
    review_comment = models.CharField("差戻しコメント", max_length=500, blank=True)
    submitted_at = models.DateTimeField("提出日時", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提出者",
    )
    approved_at = models.DateTimeField("承認日時", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承認者",
    )

    objects = ActualQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name="実績値の履歴", history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        verbose_name = "実績値"
        verbose_name_plural = "実績値"
        ordering = ["series", "year"]
        permissions = [
            ("submit_actual", "実績値を提出できる"),
            ("approve_actual", "実績値を承認・差戻し・再開できる"),
        ]
        # The entry status reads one year of every series (the unique constraint's index
        # leads with the series): 118 → 94 ms of its SQL at 100× the plan on PostgreSQL.
        indexes = [models.Index(fields=["year", "series"], name="actual_year_series")]
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="actual_unique_per_year"),
            _year_check("year", "actual_year_range"),
            models.CheckConstraint(
                condition=Q(status__in=ActualStatus.values), name="actual_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ActualStatus.RETURNED) | ~Q(review_comment=""),
                name="actual_returned_has_comment",
            ),
        ]

    def __str__(self) -> str:
        """「K006 刑法犯認知件数 令和6年度（2024）: 1,752件」. Reads the series and its indicator:
        lists that show it select them (``list_select_related``)."""
        return f"{self.title}: {self.value_display}"

    @property
    def title(self) -> str:
        """「K006 刑法犯認知件数 令和6年度（2024）」: the series and year, for messages."""
        year = wareki.year_label_with_gregorian(self.year, self.series.indicator.period_kind)
        return f"{self.series} {year}"

    @property
    def value_display(self) -> str:
        """1752.0000 → 「1,752件」, as the dashboards print it (needs the indicator)."""
        indicator = self.series.indicator
        return format_value(self.value, indicator.decimals, indicator.unit)

    @property
    def is_provisional(self) -> bool:
        """暫定値: entered or submitted but not yet approved (see ``counted``)."""
        return self.status in PROVISIONAL_STATUSES

    @property
    def is_approved(self) -> bool:
        return self.status == ActualStatus.APPROVED


class SdgLocalIndicator(models.Model):
    """ＳＤＧｓローカル指標 of a measure. Some are the plan's own indicators; others appear only
    here and have no baseline or target in the plan."""

    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="sdg_indicators", verbose_name="重点施策"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="sdg_entries", verbose_name="成果指標"
    )
    order = models.PositiveSmallIntegerField("表示順")

    class Meta:
        verbose_name = "ＳＤＧｓローカル指標"
        verbose_name_plural = "ＳＤＧｓローカル指標"
        ordering = ["measure__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "indicator"], name="sdg_unique_indicator"),
            models.UniqueConstraint(fields=["measure", "order"], name="sdg_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.indicator.name}"


class ImportFormat(models.TextChoices):
    """What an imported file holds: yearly actuals, or citizen-survey results by measure."""

    ACTUALS = "actuals", "実績値"
    SURVEY = "survey", "市民意識調査（満足度）"


class ImportRecord(models.Model):
    """取込記録: one import of a file of actuals or survey results (confirmed in the admin or run
    by ``manage.py import_actuals``), saved or refused as a whole. Previews are not recorded.
    The history rows of the actuals it wrote name it in their change reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="取込者",
    )
    created_at = models.DateTimeField("取込日時", auto_now_add=True)
    file_name = models.CharField("ファイル名", max_length=255)
    checksum = models.CharField("SHA-256", max_length=64, db_index=True)
    file_size = models.PositiveIntegerField("サイズ（バイト）")
    file_type = models.CharField("ファイル形式", max_length=10)
    format = models.CharField("内容", max_length=10, choices=ImportFormat)
    encoding = models.CharField("文字コード", max_length=20, blank=True, help_text="CSV の場合")
    via_command = models.BooleanField("コマンドで実行", default=False)
    applied = models.BooleanField("保存済み", help_text="エラーがあった取込は何も保存していません")
    rows_new = models.PositiveIntegerField("新規", default=0)
    rows_changed = models.PositiveIntegerField("変更", default=0)
    rows_unchanged = models.PositiveIntegerField("変更なし", default=0)
    rows_errors = models.PositiveIntegerField("エラー", default=0)
    rows_warnings = models.PositiveIntegerField("警告", default=0)
    rows_blank = models.PositiveIntegerField("空欄", default=0)
    messages = models.TextField("エラー・警告", blank=True)

    class Meta:
        verbose_name = "取込記録"
        verbose_name_plural = "取込記録"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=ImportFormat.values), name="importrecord_format_valid"
            ),
            models.CheckConstraint(
                condition=~Q(applied=True) | Q(rows_errors=0),
                name="importrecord_applied_without_errors",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"
