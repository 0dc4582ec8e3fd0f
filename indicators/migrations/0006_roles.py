"""The role groups 入力担当, 承認者 and 閲覧者 with their permissions.

A frozen copy of ``indicators.permissions.ROLE_PERMISSIONS`` as of this migration (a test
compares the two): a later change of the roles gets a migration of its own.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF = (
    "view_indicator",
    "view_series",
    "view_target",
    "view_actual",
    "add_actual",
    "change_actual",
    "submit_actual",
)
ROLES = {
    "入力担当": STAFF,
    "承認者": (
        *STAFF,
        "change_indicator",
        "approve_actual",
        "view_department",
        "add_department",
        "change_department",
        "view_historicalindicator",
        "view_historicaltarget",
        "view_historicalactual",
    ),
    "閲覧者": (),
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after the last migration (post_migrate); make them now.
    config = apps.get_app_config("indicators")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="indicators", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0005_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
