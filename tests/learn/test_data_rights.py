"""Issue 18, item 3 with the data-rights issue: every lessons model that refers to a person
is in the export and has a deletion rule; the export holds the person's own reflection (in
plain words, for them) and never the partner's; deletion removes what was theirs."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from accounts.data_rights import (
    deletion_rules,
    export_sections,
    models_exported,
    models_with_deletion_rule,
)
from accounts.models import User
from couples.models import Couple
from learn.models import LessonOffer, LessonProgress, LessonShare

pytestmark = pytest.mark.usefixtures("lessons")


def _refers_to_a_person(model) -> bool:
    return any(
        isinstance(field, models.ForeignKey) and field.related_model in (User, Couple)
        for field in model._meta.get_fields()
    )


def test_every_learn_model_that_refers_to_a_person_is_registered():
    personal = {m for m in apps.get_app_config("learn").get_models() if _refers_to_a_person(m)}
    assert personal == {LessonProgress, LessonOffer, LessonShare}
    assert personal <= models_exported()
    assert personal <= models_with_deletion_rule()


def _section(name):
    return next(section for section in export_sections() if section.name == name)


def _rule(name):
    return next(rule for rule in deletion_rules() if rule.name == name)


def test_the_export_has_my_reflection_and_never_my_partners(couple):
    mine, theirs = "MINE-reflection-otter", "THEIRS-reflection-heron"
    couple.client_a.put("/api/v1/lessons/calm-first/reflection", {"text": mine}, format="json")
    couple.client_a.post("/api/v1/lessons/calm-first/share")
    couple.client_b.put("/api/v1/lessons/calm-first/reflection", {"text": theirs}, format="json")
    exported = _section("lessons").build(couple.a)
    [progress] = exported["progress"]
    assert progress["lesson"] == "calm-first" and progress["reflection"] == mine
    assert progress["completed_at"]  # sharing marked it read
    assert exported["shared"][0]["lesson"] == "calm-first"
    assert theirs not in str(exported)
    # The partner's export names no share they received.
    assert _section("lessons").build(couple.b)["shared"] == []


def test_deletion_removes_what_was_mine_and_the_shares_between_us(couple):
    couple.client_a.put("/api/v1/lessons/calm-first/reflection", {"text": "x"}, format="json")
    couple.client_a.post("/api/v1/lessons/calm-first/share")
    couple.client_b.post("/api/v1/lessons/go-slowly/complete")
    _rule("lessons").run(couple.a)
    assert not LessonProgress.objects.filter(user=couple.a).exists()
    assert not LessonShare.objects.exists()
    assert LessonProgress.objects.filter(user=couple.b).exists()  # the partner's stays theirs
    assert _rule("lessons").keeps == ""
