"""Who may read and do what with an evaluation sheet (評価調書): every decision of the yearly
evaluation is made here; the views, the admin and the services call these functions.

Roles are the groups of ``indicators.permissions`` plus 推進会議委員; the migration
``0002_roles_and_default_chain`` gives them ``EVALUATION_ROLE_PERMISSIONS``:

* 入力担当 (``write_evaluation``): the members of a measure's lead department (主管課) write and
  submit its sheet.
* 承認者 — the planning division (企画担当; ``manage_evaluations``): open a year's sheets, write
  the projects' sheets and those of measures without a lead department, send sheets to the
  推進会議, close its step, reopen finalised sheets and refresh their figures. As members of the
  group that holds them, they act at the 4次 (総合計画推進本部) and 市長決裁 steps.
* 推進会議委員 (``comment_evaluation``): read the sheets sent to the committee once they reach it,
  and write their comments (外部評価) while they are there — nothing else: no admin, and the
  dashboards send them to their list.
* Positions (``Position``, data): the 課長 of the sheet's department acts at 1次, the 副部局長 and
  部局長 of its bureau at 2次 and 3次. For a sheet the planning division writes, the department is
  the chain's 企画担当課.

Who reads a sheet: the planning division every one; the sheet's department and the holders of
positions over it theirs; the committee what was sent to it; anyone with a login (managers
included) the finalised ones, which the dashboards also show. Superusers have the planning
division's powers; like everyone else they act at a step only if they hold its position or role.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from evaluations.models import (
    BUREAU_POSITIONS,
    Bureau,
    BureauDepartment,
    EvaluationSheet,
    EvaluationSheetQuerySet,
    Position,
    PositionKind,
    ReviewStep,
    SheetState,
    StepKind,
)
from indicators.models import Department
from indicators.permissions import ROLE_APPROVER, ROLE_STAFF, AnyUser, department_ids

ROLE_COMMITTEE = "推進会議委員"
MANAGE = "evaluations.manage_evaluations"
WRITE = "evaluations.write_evaluation"
COMMENT = "evaluations.comment_evaluation"

# Codenames in the evaluations app. A change here needs a data migration like 0002 (a test
# compares the migrated groups with this table).
EVALUATION_ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ROLE_STAFF: ("write_evaluation",),
    ROLE_APPROVER: (
        "manage_evaluations",
        "write_evaluation",
        "view_evaluationsheet",
        "view_historicalevaluationsheet",
        "view_historicalsheetfigure",
        "view_historicalexternalcomment",
        "view_bureau",
        "add_bureau",
        "change_bureau",
        "view_bureaudepartment",
        "add_bureaudepartment",
        "change_bureaudepartment",
        "delete_bureaudepartment",
        "view_position",
        "add_position",
        "change_position",
        "delete_position",
        "view_historicalposition",
        "view_reviewchain",
        "change_reviewchain",  # only its 企画担当課: see ReviewChainAdmin
        "view_reviewstep",
        "view_historicalreviewchain",
        "view_historicalreviewstep",
        "view_measurelead",
        "change_measurelead",
    ),
    ROLE_COMMITTEE: ("comment_evaluation",),
}
EDITABLE_STATES = frozenset({SheetState.WRITING, SheetState.RETURNED})


# --- who the user is ----------------------------------------------------------------------
def is_planning(user: AnyUser) -> bool:
    """The planning division (承認者) and superusers."""
    return user.is_active and user.has_perm(MANAGE)


def is_committee_member(user: AnyUser) -> bool:
    return user.is_active and user.has_perm(COMMENT)


def is_committee_only(user: AnyUser) -> bool:
    """A 推進会議 member with no other role: sees the committee's sheets and nothing else.
    Staff and superusers never are; for others one query (the user's groups), once."""
    if not user.is_authenticated or user.is_staff or user.is_superuser:
        return False
    return {name for _, name in _groups(user)} == {ROLE_COMMITTEE}


def _groups(user: AnyUser) -> frozenset[tuple[int, str]]:
    """The user's groups, fetched once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[tuple[int, str]] | None = getattr(user, "_kpi_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("pk", "name"))
        user._kpi_groups = cached  # type: ignore[attr-defined]
    return cached


def group_ids(user: AnyUser) -> frozenset[int]:
    return frozenset(pk for pk, _ in _groups(user))


PositionKey = tuple[str, int | None, int | None]  # kind, department id, bureau id


def positions(user: AnyUser) -> frozenset[PositionKey]:
    """The user's positions, fetched once per user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[PositionKey] | None = getattr(user, "_kpi_positions", None)
    if cached is None:
        rows = Position.objects.filter(user=user).values_list("kind", "department_id", "bureau_id")
        cached = frozenset(rows)
        user._kpi_positions = cached  # type: ignore[attr-defined]
    return cached


def reviewed_department_ids(user: AnyUser) -> frozenset[int]:
    """The departments over which the user holds a position: as 課長, or through the bureau
    whose 副部局長 or 部局長 they are."""
    held = positions(user)
    if not held:
        return frozenset()
    chief_of = {d for kind, d, _ in held if kind == PositionKind.SECTION_CHIEF and d}
    bureaus = {b for kind, _, b in held if kind in BUREAU_POSITIONS and b}
    if bureaus:
        members = BureauDepartment.objects.filter(bureau_id__in=bureaus)
        chief_of |= set(members.values_list("department_id", flat=True))
    return frozenset(chief_of)


# --- where a sheet sits in the organisation -------------------------------------------------
@dataclass(frozen=True)
class Place:
    """The department whose 課長 reviews a sheet (its own, or for the planning division's sheets
    the chain's 企画担当課) and that department's bureau."""

    department: Department | None
    bureau: Bureau | None


def bureau_memberships() -> dict[int, Bureau]:
    """department id → its bureau: one query, for any number of sheets."""
    rows = BureauDepartment.objects.select_related("bureau")
    return {row.department_id: row.bureau for row in rows}


def place_of(sheet: EvaluationSheet, bureaus: Mapping[int, Bureau]) -> Place:
    department = sheet.department or sheet.chain.planning_department
    bureau = bureaus.get(department.pk) if department else None
    return Place(department, bureau)


# --- acting on a sheet ----------------------------------------------------------------------
def may_write(user: AnyUser, sheet: EvaluationSheet) -> bool:
    """The author step's holders: the department's members who write evaluations, or the
    planning division for its own sheets."""
    if sheet.department_id is None:
        return is_planning(user)
    return user.has_perm(WRITE) and sheet.department_id in department_ids(user)


def holds_step(user: AnyUser, sheet: EvaluationSheet, step: ReviewStep, place: Place) -> bool:
    """Whether the user is the one who acts at this step of this sheet."""
    if step.kind == StepKind.AUTHOR:
        return may_write(user, sheet)
    if step.position == PositionKind.SECTION_CHIEF:
        department = place.department
        return department is not None and (step.position, department.pk, None) in positions(user)
    if step.position:
        bureau = place.bureau
        return bureau is not None and (step.position, None, bureau.pk) in positions(user)
    return user.is_active and step.group_id is not None and step.group_id in group_ids(user)


def can_edit_text(user: AnyUser, sheet: EvaluationSheet, place: Place) -> bool:
    """取組実績, 成果と要因分析, 課題, 今後の方向性 and the rank given: at the author step only."""
    return (
        sheet.state in EDITABLE_STATES
        and sheet.step.kind == StepKind.AUTHOR
        and holds_step(user, sheet, sheet.step, place)
    )


def can_submit(user: AnyUser, sheet: EvaluationSheet, place: Place) -> bool:
    return can_edit_text(user, sheet, place)


def can_review(user: AnyUser, sheet: EvaluationSheet, place: Place) -> bool:
    """Give this step's rank and comment, approve to the next step or return to the author."""
    return (
        sheet.state == SheetState.REVIEWING
        and sheet.step.kind == StepKind.REVIEW
        and holds_step(user, sheet, sheet.step, place)
    )


def can_comment(user: AnyUser, sheet: EvaluationSheet, place: Place) -> bool:
    """外部評価: a committee member, while the sheet is at the committee's step."""
    return (
        sheet.state == SheetState.REVIEWING
        and sheet.step.kind == StepKind.COMMITTEE
        and sheet.to_committee
        and is_committee_member(user)
        and holds_step(user, sheet, sheet.step, place)
    )


def can_close_committee(user: AnyUser, sheet: EvaluationSheet) -> bool:
    """The planning division closes the committee's step (as its secretariat)."""
    return (
        sheet.state == SheetState.REVIEWING
        and sheet.step.kind == StepKind.COMMITTEE
        and is_planning(user)
    )


def can_send_to_committee(
    user: AnyUser, sheet: EvaluationSheet, committee: ReviewStep | None
) -> bool:
    """付議 (or withdraw it) while the sheet has not reached the committee's step."""
    return (
        committee is not None
        and is_planning(user)
        and sheet.state != SheetState.FINALISED
        and sheet.step.order < committee.order
    )


def can_reopen(user: AnyUser, sheet: EvaluationSheet) -> bool:
    """A finalised sheet is locked until the planning division reopens it."""
    return sheet.state == SheetState.FINALISED and is_planning(user)


def can_refresh_figures(user: AnyUser, sheet: EvaluationSheet) -> bool:
    """Replace a finalised sheet's frozen figures with today's (after a corrected actual)."""
    return sheet.state == SheetState.FINALISED and is_planning(user)


def can_open_evaluations(user: AnyUser) -> bool:
    """Make a year's sheets (the admin's page; the command runs without a user)."""
    return is_planning(user)


def can_view_evaluation_admin(user: AnyUser) -> bool:
    return user.is_active and user.is_staff and is_planning(user)


# --- reading sheets -------------------------------------------------------------------------
def _sent_to_committee() -> Q:
    return Q(to_committee=True, sent_at__isnull=False)


def can_view_sheet(user: AnyUser, sheet: EvaluationSheet, place: Place) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_planning(user):
        return True
    if is_committee_member(user) and sheet.to_committee and sheet.sent_at is not None:
        return True
    if is_committee_only(user):
        return False
    if sheet.state == SheetState.FINALISED or sheet.department_id in department_ids(user):
        return True
    return place.department is not None and place.department.pk in reviewed_department_ids(user)


def visible_sheets(user: AnyUser, sheets: EvaluationSheetQuerySet) -> EvaluationSheetQuerySet:
    """``can_view_sheet`` as a filter, for the evaluation list."""
    if not user.is_authenticated or not user.is_active:
        return sheets.none()
    if is_planning(user):
        return sheets
    committee = _sent_to_committee() if is_committee_member(user) else Q(pk__in=[])
    if is_committee_only(user):
        return sheets.filter(committee)
    reviewed = reviewed_department_ids(user)
    return sheets.filter(
        committee
        | Q(state=SheetState.FINALISED)
        | Q(department_id__in=department_ids(user))
        | Q(department_id__in=reviewed)
        | Q(department__isnull=True, chain__planning_department_id__in=reviewed)
    )


def sync_evaluation_roles() -> None:
    """Give each role group ``EVALUATION_ROLE_PERMISSIONS`` on top of its other permissions
    (idempotent; the migration did it). For the demo command and tests after a flush."""
    for name, codenames in EVALUATION_ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        others = group.permissions.exclude(content_type__app_label="evaluations")
        ours = Permission.objects.filter(
            content_type__app_label="evaluations", codename__in=codenames
        )
        group.permissions.set([*others, *ours])
