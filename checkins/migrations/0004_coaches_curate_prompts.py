"""Coaches curate the prompt library: add, edit and retire prompts (never delete: the
dates a prompt was given keep pointing at it)."""

import importlib

from django.db import migrations

PERMISSIONS = [
    ("checkins", "view_prompt"),
    ("checkins", "add_prompt"),
    ("checkins", "change_prompt"),
]


def add_prompt_permissions(apps, schema_editor):
    group_migration = importlib.import_module("couples.migrations.0006_coaches_group")
    group_migration.grant_permissions(apps, group_migration.GROUP, PERMISSIONS)


def remove_prompt_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Coaches").first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="checkins", codename__in=[c for _, c in PERMISSIONS]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0003_checkin_couple"),
        ("couples", "0006_coaches_group"),
    ]

    operations = [migrations.RunPython(add_prompt_permissions, remove_prompt_permissions)]
