"""The Coaches group with exactly what a coach needs from `couples`: view consented couples,
leave coach notes, and read their own coach code. `checkins` adds
prompt curation to the same group in its own migration (couples never depends on
checkins)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Coaches"
PERMISSIONS = [
    ("couples", "view_couple"),
    ("couples", "add_coachnote"),
    ("couples", "view_coachprofile"),
]


def grant_permissions(apps, group_name, permissions):
    """Shared with checkins' migration: permissions only exist after post_migrate, so a
    fresh database makes them here first."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label in {app for app, _ in permissions}:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, codename in permissions:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def create_group(apps, schema_editor):
    grant_permissions(apps, GROUP, PERMISSIONS)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("couples", "0005_coaching"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
