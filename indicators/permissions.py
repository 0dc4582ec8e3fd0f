"""Who may see, enter, submit and approve what (入力担当・承認者・閲覧者).

Roles are Django groups, made by the data migration ``0006_roles`` as bundles of model
permissions (``ROLE_PERMISSIONS``):

* 入力担当 (department staff) view indicators, series and targets and add, change and submit
  actuals, all only for the indicators of their own departments (``Department.members``).
* 承認者 (the planning division) hold ``approve_actual``: they see every indicator, review,
  approve, return and reopen actuals, and assign departments to indicators.
* 閲覧者 (managers) read the dashboards only; they need no admin access (is_staff off).

Superusers hold every permission and keep the plan's structure (indicators, targets, links).
On top of the model permissions comes the scope: whoever may approve sees every department,
anybody else only their own. The admin's ``get_queryset`` and ``has_*_permission`` hooks and
the services call these functions; nothing relies on hiding a link.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from indicators.models import Actual, ActualStatus, Department, ImportRecord, Indicator

AnyUser = User | AnonymousUser

ROLE_STAFF = "入力担当"
ROLE_APPROVER = "承認者"
ROLE_VIEWER = "閲覧者"

_STAFF_PERMISSIONS = (
    "view_indicator",
    "view_series",
    "view_target",
    "view_actual",
    "add_actual",
    "change_actual",
    "submit_actual",
)
# Codenames in the indicators app. A change here needs a data migration like 0006_roles
# (tests/indicators/test_permissions.py compares the migrated groups with this table).
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ROLE_STAFF: _STAFF_PERMISSIONS,
    ROLE_APPROVER: (
        *_STAFF_PERMISSIONS,
        "change_indicator",  # only the department and allow_negative: see IndicatorAdmin
        "approve_actual",
        "view_department",
        "add_department",
        "change_department",
        "view_historicalindicator",
        "view_historicaltarget",
        "view_historicalactual",
    ),
    ROLE_VIEWER: (),
}

APPROVE = "indicators.approve_actual"
# What each kind of user may still change: staff lose a value once they submit it (it is
# under review); nobody changes an approved value until an approver reopens it.
STAFF_EDITABLE = frozenset({ActualStatus.DRAFT, ActualStatus.RETURNED})
APPROVER_EDITABLE = STAFF_EDITABLE | {ActualStatus.SUBMITTED}
# The indicator's fields an approver (planning division) may change; superusers change all.
APPROVER_INDICATOR_FIELDS = frozenset({"department", "allow_negative"})


def signed_in(user: AnyUser) -> User:
    """The user behind a page that requires a login (every admin page does)."""
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def sees_every_department(user: AnyUser) -> bool:
    """承認者 and superusers: every indicator, whatever its department."""
    return user.has_perm(APPROVE)


def is_approver(user: AnyUser) -> bool:
    return user.has_perm(APPROVE)


def department_ids(user: AnyUser) -> frozenset[int]:
    """The user's departments, fetched once per user object (one query per request)."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_kpi_department_ids", None)
    if cached is None:
        ids = Department.objects.filter(members=user).values_list("pk", flat=True)
        cached = frozenset(ids)
        user._kpi_department_ids = cached  # type: ignore[attr-defined]
    return cached


def in_scope(user: AnyUser, department_id: int | None) -> bool:
    """Whether an indicator of this department (None: not yet assigned) is the user's."""
    if sees_every_department(user):
        return True
    return department_id is not None and department_id in department_ids(user)


def _scoped(user: AnyUser, indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    if sees_every_department(user):
        return indicators
    if not user.is_authenticated:
        return indicators.none()
    return indicators.filter(department__members=user)


def visible_indicators(user: AnyUser) -> QuerySet[Indicator]:
    """The indicators whose page, series, targets and actuals the user may see in the admin."""
    if not user.has_perm("indicators.view_indicator"):
        return Indicator.objects.none()
    return _scoped(user, Indicator.objects.all())


def editable_indicators(user: AnyUser) -> QuerySet[Indicator]:
    """The indicators whose actuals the user may enter (add and change)."""
    if not (user.has_perm("indicators.add_actual") and user.has_perm("indicators.change_actual")):
        return Indicator.objects.none()
    return _scoped(user, Indicator.objects.all())


def can_view_indicator(user: AnyUser, indicator: Indicator) -> bool:
    return user.has_perm("indicators.view_indicator") and in_scope(user, indicator.department_id)


def can_open_indicator(user: AnyUser, indicator: Indicator | None = None) -> bool:
    """The indicator's admin page as a form (None: the list): whoever changes indicators, and
    staff who enter actuals in its inline; ``indicator_fields_editable`` keeps the indicator's
    own fields read-only for them."""
    may = (
        user.has_perm("indicators.change_indicator")
        or user.has_perm("indicators.change_actual")
        or user.has_perm("indicators.add_actual")
    )
    return may and (indicator is None or can_view_indicator(user, indicator))


def indicator_fields_editable(user: AnyUser, fields: Iterable[str]) -> frozenset[str]:
    """Which of the indicator's fields the user may change: all for superusers, the department
    and 負の値を許可 for approvers, none for staff."""
    fields = frozenset(fields)
    if can_change_plan_structure(user):
        return fields
    if user.has_perm("indicators.change_indicator"):
        return fields & APPROVER_INDICATOR_FIELDS
    return frozenset()


def can_assign_department(user: AnyUser) -> bool:
    """The 所管課を設定 action on the indicator list: the planning division."""
    return user.has_perm("indicators.change_indicator")


def can_enter_actuals(user: AnyUser, indicator: Indicator | None) -> bool:
    """May add actuals to this indicator's series (None: to some indicator)."""
    if not user.has_perm("indicators.add_actual"):
        return False
    return indicator is None or in_scope(user, indicator.department_id)


def can_change_actuals_of(user: AnyUser, indicator: Indicator | None) -> bool:
    """May change some actuals of this indicator (None: of some indicator); which ones, by
    status, is ``can_edit_actual``'s business (the entry form locks the others)."""
    return user.has_perm("indicators.change_actual") and (
        indicator is None or in_scope(user, indicator.department_id)
    )


def can_delete_actuals_of(user: AnyUser, indicator: Indicator | None) -> bool:
    return user.has_perm("indicators.delete_actual") and (
        indicator is None or in_scope(user, indicator.department_id)
    )


def _indicator_department(actual: Actual) -> int | None:
    return actual.series.indicator.department_id


def can_view_actual(user: AnyUser, actual: Actual) -> bool:
    has_perm = user.has_perm("indicators.view_actual") or user.has_perm("indicators.change_actual")
    return has_perm and in_scope(user, _indicator_department(actual))


def editable_statuses(user: AnyUser) -> frozenset[str]:
    return APPROVER_EDITABLE if is_approver(user) else STAFF_EDITABLE


def can_edit_actual(user: AnyUser, actual: Actual) -> bool:
    """May change this actual's year, value and note now (an approved one is locked)."""
    if actual.pk is None:
        return can_enter_actuals(user, actual.series.indicator)
    if not user.has_perm("indicators.change_actual"):
        return False
    return actual.status in editable_statuses(user) and in_scope(
        user, _indicator_department(actual)
    )


def can_delete_actual(user: AnyUser, actual: Actual) -> bool:
    """No role deletes actuals: superusers (or an explicit grant) only, never approved ones."""
    return (
        user.has_perm("indicators.delete_actual")
        and not actual.is_approved
        and in_scope(user, _indicator_department(actual))
    )


def can_submit_actuals(user: AnyUser) -> bool:
    """The 提出 action on the 実績値 list: whoever enters actuals."""
    return user.has_perm("indicators.submit_actual")


def can_submit_actual(user: AnyUser, actual: Actual) -> bool:
    """Role and scope only; which statuses may be submitted is the service's business."""
    return can_submit_actuals(user) and in_scope(user, _indicator_department(actual))


def can_review_actual(user: AnyUser, actual: Actual) -> bool:
    """Approve, return or reopen: 承認者 and superusers, for every department."""
    return is_approver(user)


def can_view_audit(user: AnyUser) -> bool:
    """The audit trail on the dashboard's indicator page."""
    return user.has_perm("indicators.view_historicalactual") or is_approver(user)


def can_view_provisional(user: AnyUser) -> bool:
    """Dashboards with values not yet approved (暫定値, ``?provisional=1``): everyone signed
    in — the city's staff and managers, who know a draft when it is marked 暫定. Never the
    public of ``KPI_PUBLIC_DASHBOARDS``, whatever the URL says: it sees approved values only."""
    return user.is_authenticated and user.is_active


def can_view_entry_status(user: AnyUser) -> bool:
    """The entry status page (入力状況) of the planning division."""
    return user.is_active and user.is_staff and is_approver(user)


def can_change_plan_structure(user: AnyUser) -> bool:
    """Indicators' definitions, series, baselines and targets: superusers only."""
    return user.is_active and user.is_superuser


def can_import_actuals(user: AnyUser) -> bool:
    """Upload files of actuals or survey results (取込) and download entry templates: whoever
    enters actuals. Each row is still checked against ``editable_indicators``."""
    return (
        user.is_active
        and user.is_staff
        and user.has_perm("indicators.add_actual")
        and user.has_perm("indicators.change_actual")
    )


def can_view_import_record(user: AnyUser, record: ImportRecord | None = None) -> bool:
    """取込記録: approvers see every import, staff their own (None: the list)."""
    if not can_import_actuals(user):
        return False
    return record is None or is_approver(user) or record.user_id == user.pk


def import_records(user: AnyUser) -> QuerySet[ImportRecord]:
    if not can_import_actuals(user):
        return ImportRecord.objects.none()
    records = ImportRecord.objects.all()
    return records if is_approver(user) else records.filter(user=user.pk)


def sync_roles() -> None:
    """Give each role group exactly ``ROLE_PERMISSIONS`` of this app, keeping what other apps
    gave it (idempotent; the migration made them). For the demo command and for tests that run
    after a database flush."""
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        others = group.permissions.exclude(content_type__app_label="indicators")
        ours = Permission.objects.filter(
            content_type__app_label="indicators", codename__in=codenames
        )
        group.permissions.set([*others, *ours])
