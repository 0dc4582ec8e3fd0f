"""The evaluation's permissions for the role groups, the 推進会議委員 group, and Isesaki's review
chain as the default.

Frozen copies of ``evaluations.permissions.EVALUATION_ROLE_PERMISSIONS`` and
``evaluations.chains.ISESAKI_STEPS`` as of this migration (tests compare them): later changes get
migrations of their own.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COMMITTEE = "推進会議委員"
APPROVER = "承認者"
ROLES = {
    "入力担当": ("write_evaluation",),
    APPROVER: (
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
        "change_reviewchain",
        "view_reviewstep",
        "view_historicalreviewchain",
        "view_historicalreviewstep",
        "view_measurelead",
        "change_measurelead",
    ),
    COMMITTEE: ("comment_evaluation",),
}
CHAIN = "伊勢崎市の評価の流れ"
# order, name, actor_label, kind, position, group, optional, gives_rank
STEPS = (
    (0, "所管課作成", "所管課", "author", "", None, False, True),
    (1, "1次評価", "課長", "review", "section_chief", None, False, True),
    (2, "2次評価", "副部局長", "review", "deputy_director", None, False, True),
    (3, "3次評価", "部局長", "review", "director", None, False, True),
    (4, "4次評価", "総合計画推進本部", "review", "", APPROVER, False, True),
    (5, "外部評価", "総合計画推進会議", "committee", "", COMMITTEE, True, False),
    (6, "市長決裁", "市長（企画担当が記録）", "review", "", APPROVER, False, True),
)


def forwards(apps, schema_editor):
    # Permissions are normally created after the last migration (post_migrate); make them now.
    config = apps.get_app_config("evaluations")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="evaluations", codename__in=codenames)
        )
    ReviewChain = apps.get_model("evaluations", "ReviewChain")
    ReviewStep = apps.get_model("evaluations", "ReviewStep")
    chain, created = ReviewChain.objects.get_or_create(name=CHAIN, defaults={"is_default": True})
    if created:
        for order, name, label, kind, position, group, optional, gives_rank in STEPS:
            ReviewStep.objects.create(
                chain=chain,
                order=order,
                name=name,
                actor_label=label,
                kind=kind,
                position=position,
                group=Group.objects.get(name=group) if group else None,
                optional=optional,
                gives_rank=gives_rank,
            )


def backwards(apps, schema_editor):
    apps.get_model("evaluations", "ReviewChain").objects.filter(name=CHAIN).delete()
    apps.get_model("auth", "Group").objects.filter(name=COMMITTEE).delete()
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="evaluations"))


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_initial"),
        ("indicators", "0006_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
