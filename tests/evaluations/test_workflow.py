"""The review chain through its services: who moves a sheet, what each step records, what is
frozen when it is finalised, and what the audit trail keeps."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations import services
from evaluations.chains import ISESAKI_STEPS
from evaluations.models import (
    EntryAction,
    EvaluationSheet,
    ExternalComment,
    Rank,
    ReviewStep,
    SheetFigure,
    SheetState,
)
from evaluations.permissions import EVALUATION_ROLE_PERMISSIONS, bureau_memberships, place_of
from evaluations.reads import sheet_page
from indicators.models import Actual, Indicator
from kpi.sheet_rank import RANK_LABELS, SheetRank
from tests.evaluations.builders import TEXT, World, approve_actual

pytestmark = pytest.mark.django_db


def write(sheet: EvaluationSheet, user: User, **changes: str) -> EvaluationSheet:
    return services.sheet_save(sheet=sheet, user=user, text={**TEXT, **changes})


def through_internal_steps(
    sheet: EvaluationSheet, people: dict[str, User], takahashi: User
) -> EvaluationSheet:
    """Submitted by sato; 1次 yamada, 2次 nakamura, 3次 kato, 4次 takahashi approve with A."""
    sheet = services.sheet_submit(sheet=write(sheet, people["sato"]), user=people["sato"])
    for name in ("yamada", "nakamura", "kato"):
        sheet = services.sheet_approve(sheet=sheet, user=people[name], rank="A", comment="")
    return services.sheet_approve(sheet=sheet, user=takahashi, rank="A", comment="")


@pytest.fixture
def people(sato: User, reviewers: dict[str, User]) -> dict[str, User]:
    return {"sato": sato, **reviewers}


@pytest.fixture
def childcare_sheet(
    opened: dict[str, EvaluationSheet], childcare_indicator: Indicator
) -> EvaluationSheet:
    """1-1's FY2025 sheet; ３歳児健康診査受診率 95.2 → 96.5 reached 96.5 (達成): suggests A."""
    approve_actual(childcare_indicator, 2025, "96.5")
    return EvaluationSheet.objects.for_page().get(pk=opened["childcare"].pk)


def test_opening_a_year_makes_a_sheet_per_project_and_measure_once(
    world: World, opened: dict[str, EvaluationSheet], takahashi: User
) -> None:
    sheets = EvaluationSheet.objects.of_year(world.plan, 2025)
    assert sheets.count() == 3
    assert opened["childcare"].department == world.childcare_measure.lead_department
    assert opened["project"].department is None  # the planning division writes it
    assert {s.step.order for s in sheets} == {0}
    history = EvaluationSheet.history.count()

    again = services.evaluations_open(plan=world.plan, year=2025, user=takahashi)

    assert (again.created, again.existing) == ([], 3)
    assert EvaluationSheet.history.count() == history


def test_a_measure_without_a_lead_department_is_written_by_the_planning_division(
    world: World,
) -> None:
    world.school_measure.lead_department = None
    world.school_measure.save()
    opened = services.evaluations_open(plan=world.plan, year=2026, user=None)
    assert opened.written_by_planning == ["1-2 幼児教育・学校教育の充実"]
    assert EvaluationSheet.objects.get(year=2026, measure=world.school_measure).department is None


def test_opening_is_for_the_planning_division_and_the_plans_years(
    world: World, sato: User, takahashi: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.evaluations_open(plan=world.plan, year=2025, user=sato)
    with pytest.raises(ValidationError, match="計画の期間"):
        services.evaluations_open(plan=world.plan, year=2030, user=takahashi)
    assert not EvaluationSheet.objects.exists()


def test_submitting_needs_every_text_and_a_reason_where_the_rank_differs(
    childcare_sheet: EvaluationSheet, people: dict[str, User]
) -> None:
    sato = people["sato"]
    sheet = services.sheet_save(sheet=childcare_sheet, user=sato, text={"achievements": "途中"})
    with pytest.raises(ValidationError) as missing:
        services.sheet_submit(sheet=sheet, user=sato)
    assert "「成果と要因分析」を入力してください。" in missing.value.messages
    assert "「総合評価」を選んでください。" in missing.value.messages

    sheet = write(sheet, sato, rank_given="B")
    with pytest.raises(ValidationError, match="推奨評価（A（順調））と異なるため"):
        services.sheet_submit(sheet=sheet, user=sato)

    sheet = write(sheet, sato, rank_given="B", rank_reason="転入世帯の未受診が残るため")
    sheet = services.sheet_submit(sheet=sheet, user=sato)
    assert (sheet.state, sheet.step.name) == (SheetState.REVIEWING, "1次評価")
    entry = sheet.entries.get()
    assert (entry.action, entry.rank, entry.acted_as) == ("submitted", "B", "子育て支援課")


def test_each_step_records_its_rank_and_comment_and_hands_on(
    childcare_sheet: EvaluationSheet, people: dict[str, User], takahashi: User
) -> None:
    sato = people["sato"]
    sheet = services.sheet_submit(sheet=write(childcare_sheet, sato), user=sato)
    sheet = services.sheet_approve(sheet=sheet, user=people["yamada"], rank="A", comment="妥当")
    assert sheet.step.name == "2次評価"
    with pytest.raises(ValidationError, match="前の段階の評価（A（順調））と異なる"):
        services.sheet_approve(sheet=sheet, user=people["nakamura"], rank="B", comment="")
    sheet = services.sheet_approve(
        sheet=sheet, user=people["nakamura"], rank="B", comment="転入世帯への対応が未了"
    )
    sheet = services.sheet_approve(sheet=sheet, user=people["kato"], rank="B", comment="")
    assert sheet.step.name == "4次評価"
    with pytest.raises(PermissionDenied):
        services.sheet_approve(sheet=sheet, user=people["kato"], rank="B", comment="二度目")

    entries = list(sheet.entries.values_list("step__name", "acted_as", "rank", "comment"))
    assert entries == [
        ("所管課作成", "子育て支援課", "A", ""),
        ("1次評価", "子育て支援課 課長", "A", "妥当"),
        ("2次評価", "健康福祉部 副部局長", "B", "転入世帯への対応が未了"),
        ("3次評価", "健康福祉部 部局長", "B", ""),
    ]


def test_a_return_goes_back_to_the_author_and_keeps_what_was_written(
    childcare_sheet: EvaluationSheet, people: dict[str, User]
) -> None:
    sato, yamada = people["sato"], people["yamada"]
    sheet = services.sheet_submit(sheet=write(childcare_sheet, sato), user=sato)
    with pytest.raises(ValidationError, match="差戻しの理由"):
        services.sheet_return(sheet=sheet, user=yamada, comment=" ")

    sheet = services.sheet_return(sheet=sheet, user=yamada, comment="件数の根拠を添えてください")

    assert (sheet.state, sheet.step.order, sheet.round) == (SheetState.RETURNED, 0, 2)
    returned = sheet.entries.get(action=EntryAction.RETURNED)
    assert (returned.round, returned.comment) == (1, "件数の根拠を添えてください")
    with pytest.raises(PermissionDenied):
        services.sheet_approve(sheet=sheet, user=yamada, rank="A", comment="")
    sheet = services.sheet_submit(
        sheet=write(sheet, sato, achievements="延べ412件（台帳）"), user=sato
    )
    assert sheet.step.name == "1次評価" and sheet.entries.filter(round=2).count() == 1
    assert sheet.history.first().history_change_reason == "提出（1次評価へ）"


def test_a_sheet_not_sent_to_the_committee_skips_it_and_the_mayors_step_finalises(
    childcare_sheet: EvaluationSheet, people: dict[str, User], takahashi: User
) -> None:
    sheet = through_internal_steps(childcare_sheet, people, takahashi)
    assert sheet.step.name == "市長決裁"

    sheet = services.sheet_approve(sheet=sheet, user=takahashi, rank="A", comment="決裁済み")

    assert sheet.state == SheetState.FINALISED
    assert (sheet.final_rank, sheet.suggested_rank) == ("A", "A")
    assert (sheet.rank_scheme, sheet.rank_scheme_version) == ("status", "1")
    assert sheet.finalised_by == takahashi and sheet.sent_at is None
    assert sheet.entries.latest("pk").action == EntryAction.FINALISED


def test_a_sheet_sent_to_the_committee_waits_for_its_comments(
    childcare_sheet: EvaluationSheet, people: dict[str, User], takahashi: User
) -> None:
    matsumoto = people["matsumoto"]
    services.sheet_send_to_committee(sheet=childcare_sheet, user=takahashi, send=True)
    sheet = through_internal_steps(
        EvaluationSheet.objects.for_page().get(pk=childcare_sheet.pk), people, takahashi
    )
    assert sheet.step.name == "外部評価" and sheet.sent_at is not None
    with pytest.raises(PermissionDenied):
        services.sheet_approve(sheet=sheet, user=takahashi, rank="A", comment="")
    with pytest.raises(PermissionDenied):
        services.sheet_comment(sheet=sheet, user=people["yamada"], text="意見")
    with pytest.raises(PermissionDenied):
        services.sheet_send_to_committee(sheet=sheet, user=takahashi, send=False)

    services.sheet_comment(sheet=sheet, user=matsumoto, text="転入世帯への周知を工夫されたい。")
    services.sheet_comment(sheet=sheet, user=matsumoto, text="転入世帯への周知を工夫されたい。\n")
    comment = ExternalComment.objects.get()
    assert comment.history.count() == 2  # changed, not duplicated
    with pytest.raises(PermissionDenied):
        services.sheet_close_committee(sheet=sheet, user=matsumoto)
    sheet = services.sheet_close_committee(sheet=sheet, user=takahashi)
    assert sheet.step.name == "市長決裁"
    assert sheet.entries.get(action=EntryAction.CLOSED).acted_as == "企画担当"
    with pytest.raises(PermissionDenied):
        services.sheet_comment(sheet=sheet, user=matsumoto, text="追記")

    sheet = services.sheet_approve(sheet=sheet, user=takahashi, rank="A", comment="")
    assert sheet.is_finalised and sheet.final_rank == "A"


def test_finalising_freezes_the_figures_and_a_later_correction_shows_until_refreshed(
    childcare_sheet: EvaluationSheet,
    people: dict[str, User],
    takahashi: User,
    childcare_indicator: Indicator,
) -> None:
    sheet = through_internal_steps(childcare_sheet, people, takahashi)
    sheet = services.sheet_approve(sheet=sheet, user=takahashi, rank="A", comment="")
    frozen = SheetFigure.objects.get(sheet=sheet)
    assert (frozen.latest_value, frozen.status, frozen.rank_label) == (
        Decimal("96.5"),
        "achieved",
        "達成",
    )
    assert (frozen.rank_scheme, frozen.rank_scheme_version) == ("status", "1")

    Actual.objects.filter(series__indicator=childcare_indicator).update(value=Decimal("95.9"))

    sheet = EvaluationSheet.objects.for_page().get(pk=sheet.pk)
    page = sheet_page(sheet, takahashi, place_of(sheet, bureau_memberships()))
    assert page.changed
    (row,) = page.figures
    assert row.figure.latest_value == Decimal("96.5") and row.now is not None
    assert row.now.latest_value == Decimal("95.9") and row.now.status == "on_track"
    assert SheetFigure.objects.get().latest_value == Decimal("96.5")  # nothing silently changed

    with pytest.raises(PermissionDenied):
        services.sheet_refresh_figures(sheet=sheet, user=people["sato"], reason="訂正")
    sheet = services.sheet_refresh_figures(sheet=sheet, user=takahashi, reason="実績値の訂正")

    frozen = SheetFigure.objects.get()
    assert (frozen.latest_value, frozen.status) == (Decimal("95.9"), "on_track")
    assert frozen.history.first().history_user == takahashi
    assert sheet.final_rank == "A"  # the rank decided stays
    assert sheet.entries.latest("pk").comment == "実績値の訂正"
    assert not sheet_page(sheet, takahashi, place_of(sheet, bureau_memberships())).changed


def test_a_finalised_sheet_is_locked_until_the_planning_division_reopens_it(
    childcare_sheet: EvaluationSheet, people: dict[str, User], takahashi: User
) -> None:
    sheet = through_internal_steps(childcare_sheet, people, takahashi)
    sheet = services.sheet_approve(sheet=sheet, user=takahashi, rank="A", comment="")
    with pytest.raises(PermissionDenied):
        write(sheet, people["sato"], achievements="書き換え")
    with pytest.raises(PermissionDenied):
        services.sheet_reopen(sheet=sheet, user=people["sato"], reason="誤り")
    with pytest.raises(ValidationError, match="再開の理由"):
        services.sheet_reopen(sheet=sheet, user=takahashi, reason="")

    sheet = services.sheet_reopen(sheet=sheet, user=takahashi, reason="件数の誤り")

    assert (sheet.state, sheet.step.order, sheet.round) == (SheetState.WRITING, 0, 2)
    assert sheet.final_rank == "" and not SheetFigure.objects.exists()
    assert SheetFigure.history.filter(history_type="-").count() == 1
    write(sheet, people["sato"], achievements="延べ421件")
    assert sheet.history.filter(history_change_reason="再開（件数の誤り）").exists()


def test_every_change_is_in_the_audit_trail_with_who_and_why(
    childcare_sheet: EvaluationSheet, people: dict[str, User], takahashi: User
) -> None:
    sheet = through_internal_steps(childcare_sheet, people, takahashi)
    reasons = list(
        sheet.history.order_by("history_date").values_list(
            "history_user__username", "history_change_reason"
        )
    )
    assert reasons == [
        (None, "評価調書を作成"),
        ("sato", "保存"),
        ("sato", "提出（1次評価へ）"),
        ("yamada", "1次評価：承認（2次評価へ）"),
        ("nakamura", "2次評価：承認（3次評価へ）"),
        ("kato", "3次評価：承認（4次評価へ）"),
        ("takahashi", "4次評価：承認（市長決裁へ）"),
    ]


def test_the_project_sheet_is_reviewed_by_the_planning_departments_own_chiefs(
    opened: dict[str, EvaluationSheet],
    people: dict[str, User],
    takahashi: User,
) -> None:
    sheet = EvaluationSheet.objects.for_page().get(pk=opened["project"].pk)
    with pytest.raises(PermissionDenied):
        write(sheet, people["sato"])
    sheet = services.sheet_submit(
        sheet=write(sheet, takahashi, rank_given="D", rank_reason="未入力"), user=takahashi
    )
    with pytest.raises(PermissionDenied):
        services.sheet_approve(sheet=sheet, user=people["yamada"], rank="D", comment="x")
    sheet = services.sheet_approve(sheet=sheet, user=people["mori"], rank="D", comment="実績待ち")
    assert sheet.entries.latest("pk").acted_as == "企画調整課 課長"


def test_the_migration_gave_the_roles_their_evaluation_permissions() -> None:
    from django.contrib.auth.models import Group

    groups = {
        g.name: sorted(
            g.permissions.filter(content_type__app_label="evaluations").values_list(
                "codename", flat=True
            )
        )
        for g in Group.objects.filter(name__in=EVALUATION_ROLE_PERMISSIONS)
    }
    assert groups == {n: sorted(p) for n, p in EVALUATION_ROLE_PERMISSIONS.items()}


def test_the_migration_made_isesakis_chain_as_the_code_describes_it() -> None:
    steps = ReviewStep.objects.filter(chain__is_default=True).order_by("order")
    made = [
        (
            s.order,
            s.name,
            s.actor_label,
            s.kind,
            s.position,
            s.group.name if s.group else None,
            s.optional,
            s.gives_rank,
        )
        for s in steps
    ]
    assert made == [tuple(step) for step in ISESAKI_STEPS]


def test_the_ranks_choices_are_the_pure_cores() -> None:
    assert [(c.value, c.label) for c in Rank] == [(r.value, RANK_LABELS[r]) for r in SheetRank]
