"""Coaches curate the lessons as they curate prompts: view, add and edit (each edit a new
version), retire (never delete). Progress, offers and shares are no coach's business."""

import importlib

from django.db import migrations

PERMISSIONS = [
    ("learn", "view_lesson"),
    ("learn", "add_lesson"),
    ("learn", "change_lesson"),
]


def add_lesson_permissions(apps, schema_editor):
    group_migration = importlib.import_module("couples.migrations.0006_coaches_group")
    group_migration.grant_permissions(apps, group_migration.GROUP, PERMISSIONS)


def remove_lesson_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Coaches").first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="learn", codename__in=[c for _, c in PERMISSIONS]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("learn", "0002_seed_lessons"),
        ("couples", "0006_coaches_group"),
    ]

    operations = [migrations.RunPython(add_lesson_permissions, remove_lesson_permissions)]
