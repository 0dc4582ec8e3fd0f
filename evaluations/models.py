"""The yearly evaluation (効果検証・施策評価).

Every fiscal year of a plan each priority project and each measure gets an evaluation sheet
(評価調書): the figures of its indicators as of that year, the rank they suggest, the rank given
and the department's text. The sheet goes through a review chain (評価の流れ) of ordered steps —
Isesaki's: 所管課作成 → 1次 課長 → 2次 副部局長 → 3次 部局長 → 4次 総合計画推進本部 →
（付議した調書のみ）総合計画推進会議 → 市長決裁 — each step recording its own rank and comment
(``StepEntry``). Who acts at a step is data: a position (``Position``: the 課長 of the sheet's
department, the 副部局長 / 部局長 of its bureau) or a role (a group). Reading these rules is
``evaluations.permissions``; every change goes through ``evaluations.services``.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from indicators.models import Department, Series, TargetKind
from kpi import wareki
from kpi.progress import STATUS_LABELS, Status
from kpi.sheet_rank import RANK_LABELS, SheetRank
from measures.models import ActionPlan, Measure
from projects.models import Project

# Lengths of the free texts, in characters (an A4 sheet's box holds about 600–800 of them; a
# published sheet of another city rarely passes 1,000 in one field).
ACHIEVEMENTS_MAX = 1500  # 取組実績
ANALYSIS_MAX = 1500  # 成果と要因分析
CHALLENGES_MAX = 1000  # 課題
OUTLOOK_TEXT_MAX = 1000  # 今後の方向性（内容）
REASON_MAX = 400  # 評価の理由 (where the rank given differs from the suggested one)
COMMENT_MAX = 1000  # a review step's comment
EXTERNAL_COMMENT_MAX = 2000  # 外部評価 of a committee member


def _history(name: str) -> HistoricalRecords:
    return HistoricalRecords(
        verbose_name=name, history_change_reason_field=models.TextField(null=True)
    )


# --- the organisation: bureaus (部局) and positions (職) ------------------------------------
class Bureau(models.Model):
    """部局: departments (課) belong to one; its 副部局長 and 部局長 review their sheets."""

    code = models.CharField("部局コード", max_length=20, unique=True)
    name = models.CharField("部局名", max_length=100, unique=True)
    departments: "models.ManyToManyField[Department, BureauDepartment]" = models.ManyToManyField(
        Department, through="BureauDepartment", related_name="bureaus", verbose_name="課"
    )

    class Meta:
        verbose_name = "部局"
        verbose_name_plural = "部局"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class BureauDepartment(models.Model):
    """A department's bureau: at most one per department."""

    bureau = models.ForeignKey(
        Bureau, on_delete=models.CASCADE, related_name="memberships", verbose_name="部局"
    )
    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, related_name="bureau_membership", verbose_name="課"
    )

    class Meta:
        verbose_name = "部局の課"
        verbose_name_plural = "部局の課"
        ordering = ["bureau", "department__code"]

    def __str__(self) -> str:
        return f"{self.bureau.name} {self.department.name}"


class PositionKind(models.TextChoices):
    """職: 課長 of a department; 副部局長 and 部局長 of a bureau."""

    SECTION_CHIEF = "section_chief", "課長"
    DEPUTY_DIRECTOR = "deputy_director", "副部局長"
    DIRECTOR = "director", "部局長"


# A tuple, not a set: its order is written into the migration of the position constraint.
BUREAU_POSITIONS = (PositionKind.DEPUTY_DIRECTOR, PositionKind.DIRECTOR)


class Position(models.Model):
    """A user's position (職): who reviews at the internal steps is data, not code. A position
    may have several holders (a handover, an acting 課長)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name="職員",
    )
    kind = models.CharField("職", max_length=20, choices=PositionKind)
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name="課",
        help_text="課長の場合",
    )
    bureau = models.ForeignKey(
        Bureau,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name="部局",
        help_text="副部局長・部局長の場合",
    )

    history = _history("職の履歴")

    class Meta:
        verbose_name = "職（課長・副部局長・部局長）"
        verbose_name_plural = "職（課長・副部局長・部局長）"
        ordering = ["kind", "department__code", "bureau__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PositionKind.values), name="position_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=PositionKind.SECTION_CHIEF,
                        department__isnull=False,
                        bureau__isnull=True,
                    )
                    | Q(
                        kind__in=BUREAU_POSITIONS,
                        department__isnull=True,
                        bureau__isnull=False,
                    )
                ),
                name="position_of_department_or_bureau",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "department"],
                condition=Q(department__isnull=False),
                name="position_unique_in_department",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "bureau"],
                condition=Q(bureau__isnull=False),
                name="position_unique_in_bureau",
            ),
        ]

    def __str__(self) -> str:
        place = self.department or self.bureau
        return f"{place} {self.get_kind_display()}：{self.user}"


# --- the review chain (評価の流れ) ----------------------------------------------------------
class ReviewChainQuerySet(models.QuerySet["ReviewChain"]):
    def default(self) -> "ReviewChain | None":
        return self.filter(is_default=True).first()


class ReviewChain(models.Model):
    """評価の流れ: the ordered steps a sheet goes through. Isesaki's is the default (made by
    the migration ``0002_roles_and_default_chain``)."""

    name = models.CharField("名称", max_length=100, unique=True)
    is_default = models.BooleanField("既定", default=False)
    planning_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="企画担当課",
        help_text=(
            "重点プロジェクトと主管課のない施策の評価調書を作成する課。"
            "その課長・部局の副部局長・部局長がそれらの調書を評価します。"
        ),
    )

    objects = ReviewChainQuerySet.as_manager()
    history = _history("評価の流れの履歴")

    class Meta:
        verbose_name = "評価の流れ"
        verbose_name_plural = "評価の流れ"
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="reviewchain_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StepKind(models.TextChoices):
    AUTHOR = "author", "作成（所管課）"
    REVIEW = "review", "評価（承認・差戻し）"
    COMMITTEE = "committee", "外部評価（意見の記入）"


class ReviewStep(models.Model):
    """One step of a chain. Order 0 is the author's (所管課作成); a review step is held by a
    position of the sheet's department or bureau, or by a role; a committee step's members
    only write comments, and it applies to the sheets sent to it (``optional``). Approving at
    the last step finalises the sheet."""

    chain = models.ForeignKey(
        ReviewChain, on_delete=models.CASCADE, related_name="steps", verbose_name="評価の流れ"
    )
    order = models.PositiveSmallIntegerField("順序", help_text="0 は所管課の作成")
    name = models.CharField("段階", max_length=50)
    actor_label = models.CharField("担当の表示名", max_length=50)
    kind = models.CharField("種類", max_length=10, choices=StepKind)
    position = models.CharField(
        "職", max_length=20, choices=PositionKind, blank=True, help_text="評価する職"
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="役割",
        help_text="職でなく役割（グループ）が評価する場合",
    )
    optional = models.BooleanField(
        "付議した調書のみ", default=False, help_text="推進会議に付議した調書だけが通る段階"
    )
    gives_rank = models.BooleanField("評価ランクを付ける", default=True)

    history = _history("評価の段階の履歴")

    class Meta:
        verbose_name = "評価の段階"
        verbose_name_plural = "評価の段階"
        ordering = ["chain", "order"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "order"], name="reviewstep_unique_order"),
            models.CheckConstraint(
                condition=Q(kind__in=StepKind.values), name="reviewstep_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(position="") | Q(position__in=PositionKind.values),
                name="reviewstep_position_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=StepKind.AUTHOR, order=0, position="", group__isnull=True)
                    | Q(kind=StepKind.REVIEW, order__gt=0, position="", group__isnull=False)
                    | Q(kind=StepKind.REVIEW, order__gt=0, group__isnull=True) & ~Q(position="")
                    | Q(kind=StepKind.COMMITTEE, order__gt=0, position="", group__isnull=False)
                ),
                name="reviewstep_actor_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.actor_label}）"

    @property
    def is_author(self) -> bool:
        return self.kind == StepKind.AUTHOR

    @property
    def is_committee(self) -> bool:
        return self.kind == StepKind.COMMITTEE


# --- the sheets ---------------------------------------------------------------------------------
class Outlook(models.TextChoices):
    """今後の方向性."""

    EXPAND = "expand", "拡充"
    CONTINUE = "continue", "継続"
    IMPROVE = "improve", "改善"
    REDUCE = "reduce", "縮小"
    ABOLISH = "abolish", "廃止"


class Rank(models.TextChoices):
    """The overall rank (総合評価) of ``kpi.sheet_rank``, labelled (a test keeps them equal)."""

    A = SheetRank.A.value, RANK_LABELS[SheetRank.A]
    B = SheetRank.B.value, RANK_LABELS[SheetRank.B]
    C = SheetRank.C.value, RANK_LABELS[SheetRank.C]
    D = SheetRank.D.value, RANK_LABELS[SheetRank.D]


class SheetState(models.TextChoices):
    WRITING = "writing", "作成中"
    RETURNED = "returned", "差戻し"
    REVIEWING = "reviewing", "評価中"
    FINALISED = "finalised", "確定"


def _rank_or_blank(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{field: ""}) | Q(**{f"{field}__in": Rank.values}), name=name
    )


class EvaluationSheetQuerySet(models.QuerySet["EvaluationSheet"]):
    def of_year(self, plan: ActionPlan, year: int) -> "EvaluationSheetQuerySet":
        return self.filter(plan=plan, year=year)

    def finalised(self) -> "EvaluationSheetQuerySet":
        return self.filter(state=SheetState.FINALISED)

    def for_list(self) -> "EvaluationSheetQuerySet":
        """What the evaluation list shows of each sheet, in one query."""
        return self.select_related(
            "project", "measure__policy", "department", "step__group", "chain"
        ).order_by("measure__order", "project__number")

    def for_page(self) -> "EvaluationSheetQuerySet":
        return self.select_related(
            "plan",
            "project",
            "measure__policy",
            "department",
            "step__group",
            "chain__planning_department",
            "finalised_by",
        )


class EvaluationSheet(models.Model):
    """評価調書 of a priority project or a measure for one fiscal year of a plan.

    ``department`` writes it: the measure's 主管課, or none — then the planning division (企画担当)
    does, as for every project's sheet. Until it is finalised its figures are read live from
    the approved actuals as of ``year``; finalising freezes them into ``SheetFigure`` rows."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, related_name="evaluation_sheets", verbose_name="計画"
    )
    year = models.PositiveSmallIntegerField("評価年度")
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation_sheets",
        verbose_name="重点プロジェクト",
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation_sheets",
        verbose_name="重点施策",
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation_sheets",
        verbose_name="作成課",
        help_text="空欄は企画担当が作成",
    )
    chain = models.ForeignKey(
        ReviewChain, on_delete=models.PROTECT, related_name="sheets", verbose_name="評価の流れ"
    )
    step = models.ForeignKey(
        ReviewStep, on_delete=models.PROTECT, related_name="+", verbose_name="段階"
    )
    state = models.CharField("状態", max_length=10, choices=SheetState, default=SheetState.WRITING)
    round = models.PositiveSmallIntegerField(
        "回", default=1, help_text="差戻し・再開のたびに1つ進みます"
    )
    to_committee = models.BooleanField("推進会議に付議", default=False)
    sent_at = models.DateTimeField(
        "推進会議への送付日時",
        null=True,
        blank=True,
        help_text="付議した調書が推進会議の段階に達した日時",
    )

    achievements = models.CharField("取組実績", max_length=ACHIEVEMENTS_MAX, blank=True)
    analysis = models.CharField("成果と要因分析", max_length=ANALYSIS_MAX, blank=True)
    challenges = models.CharField("課題", max_length=CHALLENGES_MAX, blank=True)
    outlook = models.CharField("今後の方向性", max_length=10, choices=Outlook, blank=True)
    outlook_text = models.CharField("今後の方向性（内容）", max_length=OUTLOOK_TEXT_MAX, blank=True)
    rank_given = models.CharField("総合評価（所管課）", max_length=1, choices=Rank, blank=True)
    rank_reason = models.CharField(
        "評価の理由",
        max_length=REASON_MAX,
        blank=True,
        help_text="推奨評価と異なる評価とした場合は必須",
    )

    # Set when finalised (確定): the rank of the last step that gave one, and the suggestion
    # of the frozen figures with the rank scheme it was made with.
    final_rank = models.CharField("確定評価", max_length=1, choices=Rank, blank=True)
    suggested_rank = models.CharField("推奨評価（確定時）", max_length=1, choices=Rank, blank=True)
    rank_scheme = models.CharField("評価基準", max_length=50, blank=True)
    rank_scheme_version = models.CharField("評価基準の版", max_length=20, blank=True)

    updated_at = models.DateTimeField("更新日時", auto_now=True)
    submitted_at = models.DateTimeField("提出日時", null=True, blank=True)
    finalised_at = models.DateTimeField("確定日時", null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="確定者",
    )

    objects = EvaluationSheetQuerySet.as_manager()
    history = _history("評価調書の履歴")

    class Meta:
        verbose_name = "評価調書"
        verbose_name_plural = "評価調書"
        ordering = ["plan__first_year", "year", "project__number", "measure__order"]
        permissions = [
            ("manage_evaluations", "評価調書を作成・付議・再開・数値更新できる（企画担当）"),
            ("write_evaluation", "所管課の評価調書を作成・提出できる"),
            ("comment_evaluation", "付議された評価調書に外部評価を記入できる（推進会議委員）"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, measure__isnull=True)
                | Q(project__isnull=True, measure__isnull=False),
                name="sheet_of_project_or_measure",
            ),
            models.UniqueConstraint(
                fields=["plan", "year", "project"],
                condition=Q(project__isnull=False),
                name="sheet_unique_project_year",
            ),
            models.UniqueConstraint(
                fields=["plan", "year", "measure"],
                condition=Q(measure__isnull=False),
                name="sheet_unique_measure_year",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=wareki.MIN_YEAR, year__lte=wareki.MAX_YEAR),
                name="sheet_year_range",
            ),
            models.CheckConstraint(
                condition=Q(state__in=SheetState.values), name="sheet_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(outlook="") | Q(outlook__in=Outlook.values), name="sheet_outlook_valid"
            ),
            _rank_or_blank("rank_given", "sheet_rank_given_valid"),
            _rank_or_blank("final_rank", "sheet_final_rank_valid"),
            _rank_or_blank("suggested_rank", "sheet_suggested_rank_valid"),
            models.CheckConstraint(
                condition=~Q(state=SheetState.FINALISED)
                | (Q(finalised_at__isnull=False) & ~Q(final_rank="")),
                name="sheet_finalised_has_rank",
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="sheet_round_positive"),
        ]

    def __str__(self) -> str:
        return f"{wareki.year_label(self.year)} {self.subject_label}"

    @property
    def subject(self) -> Project | Measure:
        return self.project or self.measure  # type: ignore[return-value]

    @property
    def is_project(self) -> bool:
        return self.project_id is not None

    @property
    def kind_label(self) -> str:
        return "重点プロジェクト" if self.is_project else "重点施策"

    @property
    def subject_label(self) -> str:
        if self.project is not None:
            return f"重点プロジェクト{self.project.number} {self.project.name}"
        assert self.measure is not None
        return f"重点施策{self.measure.code} {self.measure.name}"

    @property
    def is_finalised(self) -> bool:
        return self.state == SheetState.FINALISED

    @property
    def final_rank_label(self) -> str:
        return Rank(self.final_rank).label if self.final_rank else ""


class SheetFigure(models.Model):
    """A figure frozen into a finalised sheet: one series as of the sheet's year, with the rank
    label and the rank scheme (and its version) it was judged by. Refreshing a figure after a
    correction of an actual is audited here (history) and on the sheet (``StepEntry``)."""

    sheet = models.ForeignKey(
        EvaluationSheet, on_delete=models.CASCADE, related_name="figures", verbose_name="評価調書"
    )
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="+", verbose_name="系列"
    )
    order = models.PositiveSmallIntegerField("表示順")
    indicator_code = models.CharField("指標コード", max_length=20)
    indicator_name = models.CharField("指標名", max_length=200)
    series_label = models.CharField("系列名", max_length=50, blank=True)
    unit = models.CharField("単位", max_length=20, blank=True)
    decimals = models.PositiveSmallIntegerField("小数点以下桁数", default=0)
    period_kind = models.CharField("期間の区分", max_length=10, default="fiscal")
    baseline_value = models.DecimalField(
        "現状値", max_digits=16, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField("現状値の年（度）", null=True, blank=True)
    baseline_label = models.CharField("現状値の表記", max_length=50, blank=True)
    target_value = models.DecimalField(
        "目標値", max_digits=16, decimal_places=4, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField("目標値の年（度）", null=True, blank=True)
    target_kind = models.CharField(
        "目標の種類", max_length=10, choices=TargetKind.choices, blank=True
    )
    target_label = models.CharField("目標値の表記", max_length=50, blank=True)
    latest_value = models.DecimalField(
        "最新実績値", max_digits=16, decimal_places=4, null=True, blank=True
    )
    latest_year = models.PositiveSmallIntegerField("実績年（度）", null=True, blank=True)
    rate = models.DecimalField("進捗率", max_digits=10, decimal_places=1, null=True, blank=True)
    status = models.CharField(
        "状況",
        max_length=10,
        blank=True,
        choices=[(s.value, label) for s, label in STATUS_LABELS.items()],
        help_text="空欄は目標なし",
    )
    rank_label = models.CharField("評価（評価基準による）", max_length=30)
    rank_scheme = models.CharField("評価基準", max_length=50)
    rank_scheme_version = models.CharField("評価基準の版", max_length=20)
    frozen_at = models.DateTimeField("確定日時")

    history = _history("確定した数値の履歴")

    class Meta:
        verbose_name = "確定した数値"
        verbose_name_plural = "確定した数値"
        ordering = ["sheet", "order"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "series"], name="figure_unique_series"),
            models.CheckConstraint(
                condition=Q(status="") | Q(status__in=[s.value for s in Status]),
                name="figure_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.indicator_name}"


class EntryAction(models.TextChoices):
    SUBMITTED = "submitted", "提出"
    APPROVED = "approved", "承認"
    RETURNED = "returned", "差戻し"
    FINALISED = "finalised", "確定"
    CLOSED = "closed", "外部評価の締切り"
    REOPENED = "reopened", "再開"
    REFRESHED = "refreshed", "数値の更新"


class StepEntry(models.Model):
    """What one step did to a sheet (評価記録): its rank, its comment, its decision, who and
    when. Written once by the services and never changed: earlier steps' entries stay
    visible and read-only, round after round."""

    sheet = models.ForeignKey(
        EvaluationSheet, on_delete=models.CASCADE, related_name="entries", verbose_name="評価調書"
    )
    round = models.PositiveSmallIntegerField("回")
    step = models.ForeignKey(
        ReviewStep, on_delete=models.PROTECT, related_name="+", verbose_name="段階"
    )
    action = models.CharField("内容", max_length=10, choices=EntryAction)
    rank = models.CharField("評価", max_length=1, choices=Rank, blank=True)
    comment = models.CharField("コメント", max_length=COMMENT_MAX, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="記入者",
    )
    acted_as = models.CharField("立場", max_length=150, help_text="例：子育て支援課 課長")
    created_at = models.DateTimeField("日時", auto_now_add=True)

    class Meta:
        verbose_name = "評価記録"
        verbose_name_plural = "評価記録"
        ordering = ["sheet", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=EntryAction.values), name="entry_action_valid"
            ),
            _rank_or_blank("rank", "entry_rank_valid"),
            models.CheckConstraint(
                condition=~Q(action__in=[EntryAction.RETURNED, EntryAction.REOPENED])
                | ~Q(comment=""),
                name="entry_return_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} {self.step.name} {self.get_action_display()}"


class ExternalComment(models.Model):
    """外部評価: a 推進会議 member's comment on a sheet sent to the committee, one per member,
    changeable while the sheet is at the committee's step."""

    sheet = models.ForeignKey(
        EvaluationSheet,
        on_delete=models.CASCADE,
        related_name="external_comments",
        verbose_name="評価調書",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="委員",
    )
    text = models.CharField("外部評価", max_length=EXTERNAL_COMMENT_MAX)
    created_at = models.DateTimeField("記入日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    history = _history("外部評価の履歴")

    class Meta:
        verbose_name = "外部評価"
        verbose_name_plural = "外部評価"
        ordering = ["sheet", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "member"], name="external_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} {self.member}"


class MeasureLead(Measure):
    """A measure seen for its 主管課 (lead department): the planning division's admin page to
    assign them, without rights over the measure's other fields."""

    class Meta:
        proxy = True
        verbose_name = "施策の主管課"
        verbose_name_plural = "施策の主管課"
