"""A registry, not a list: every model that refers to a person has an export section or a
deletion rule (or a written reason for neither), so a new model can never be forgotten."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from accounts.data_rights import (
    deletion_rules,
    exemptions,
    export_sections,
    models_exported,
    models_referring_to_a_person,
    models_with_deletion_rule,
    models_without_coverage,
    register_deletion,
)

README = Path(settings.BASE_DIR) / "README.md"


def test_every_model_that_refers_to_a_person_is_covered():
    missing = [model._meta.label for model in models_without_coverage()]
    assert missing == [], (
        "These models refer to a person but have no export section and no deletion rule: "
        f"{missing}. Register them in their app's data_rights.py (accounts.data_rights)."
    )


def test_the_walk_finds_what_refers_to_a_person_directly_through_a_couple_and_deeper():
    found = {model._meta.label for model in models_referring_to_a_person()}
    # Directly, through a couple, through another such model, by name without a key.
    assert {"accounts.User", "checkins.CheckIn", "nudges.Device"} <= found
    assert {"couples.Agreement", "couples.CoachNote", "couples.CoachAccess"} <= found
    assert {"couples.BoundaryRevision", "nudges.Delivery", "account.EmailConfirmation"} <= found
    assert {"axes.AccessAttempt", "sessions.Session"} <= found
    # And not what refers to no one.
    assert not found & {"checkins.Prompt", "nudges.PlannerRun", "contenttypes.ContentType"}


def test_a_new_model_without_a_rule_is_named_by_the_walk():
    class Diary(models.Model):
        owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

        class Meta:
            app_label = "accounts"

        def __str__(self) -> str:
            return "a diary"

    try:
        assert "accounts.Diary" in [m._meta.label for m in models_without_coverage()]
    finally:
        del apps.all_models["accounts"]["diary"]
        apps.clear_cache()


def test_every_registered_model_is_a_real_installed_model():
    installed = set(apps.get_models())
    assert models_exported() <= installed
    assert models_with_deletion_rule() <= installed
    assert {exemption.model for exemption in exemptions()} <= installed


def test_a_name_is_registered_once():
    import pytest

    with pytest.raises(ValueError, match="registered twice"):
        register_deletion("account", models=())(lambda person: None)


def test_the_readme_lists_every_deletion_rule_and_export_section():
    text = README.read_text()
    section = text.split("## Your data", 1)[1].split("\n## ", 1)[0]
    for rule in deletion_rules():
        assert f"`{rule.name}`" in section, f"README's Your data misses deletion rule {rule.name}"
        if rule.keeps:
            assert rule.keeps in section.replace("\n", " "), rule.name
    for export in export_sections():
        assert f"`{export.name}`" in section, f"README's Your data misses section {export.name}"
