"""`common.serializers.InputSerializer`: a request body's fields are made once per class
(issue 17), and every instance still validates with fields of its own, exactly as DRF's deep
copies validate."""

from __future__ import annotations

import pytest
from django.core.validators import MaxLengthValidator
from django.utils import translation
from rest_framework import serializers

from checkins.serializers import CheckInInput
from common.serializers import InputSerializer
from tests.utils import (
    assert_each_binds_its_own_fields,
    names_not_on,
    our_serializer_classes,
    record_field_builds,
)


class _DeepCopiedCheckInInput(CheckInInput):
    """The check-in body as DRF makes it: every declared field deep-copied per instance."""

    def get_fields(self):
        return {
            "pass": serializers.BooleanField(source="passed", required=False, default=False),
            **serializers.Serializer.get_fields(self),
        }


BODIES = [
    {"mood": 4, "energy": 3, "dial": 1, "capacity": "light", "shared_note": "A steady day."},
    {"mood": 1},
    {"pass": True},
    {"pass": True, "private_note": "only mine"},
    {"pass": True, "mood": 3},
    {},
    {"mood": 0},
    {"mood": 6, "energy": "lots", "dial": 3},
    {"mood": True},
    {"mood": "4", "dial": "-2"},
    {"mood": None, "dial": None, "private_note": "kept"},
    {"capacity": "enormous"},
    {"capacity": ""},
    {"shared_note": "x" * 1001},
    {"private_note": "y" * 2001, "prompt_answer": "z" * 1001},
    {"shared_note": 42},
    {"shared_note": ["a list"]},
    {"shared_note": "   "},
    {"pass": "maybe"},
    {"mood": 2, "unknown": "ignored"},
    # What JSON can carry and PostgreSQL cannot store: a lone surrogate, a NUL.
    {"mood": 3, "shared_note": "a\ud800b"},
    {"mood": 3, "private_note": "\udfff" + "x" * 500 + "\ud83d"},
    {"mood": 3, "prompt_answer": "nul \x00 here"},
    {"mood": 3, "shared_note": "a whole emoji \U0001f600 is fine"},
]


def _outcome(serializer: serializers.Serializer):
    valid = serializer.is_valid()
    errors = {
        name: [(str(detail), detail.code) for detail in details]
        for name, details in serializer.errors.items()
    }
    return valid, dict(serializer.validated_data) if valid else None, errors


@pytest.mark.parametrize("partial", [False, True], ids=["PUT", "PATCH"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_check_in_body_validates_as_drfs_deep_copies_do(partial, language):
    with translation.override(language):
        for body in BODIES:
            ours = _outcome(CheckInInput(data=body, partial=partial))
            drfs = _outcome(_DeepCopiedCheckInInput(data=body, partial=partial))
            assert ours == drfs, body


def test_a_body_is_declared_once_per_class_and_each_instance_binds_its_own_fields(monkeypatch):
    built = record_field_builds(monkeypatch, serializers.Serializer, InputSerializer)

    first, second = CheckInInput(data={"mood": 2}), CheckInInput(data={"mood": 9})
    assert first.is_valid() and first.validated_data["mood"] == 2
    assert not second.is_valid() and second.errors["mood"][0].code == "max_value"
    assert built == [CheckInInput]  # the second instance copied the first one's template
    assert list(first.fields) == ["pass", *CheckInInput._declared_fields]
    assert_each_binds_its_own_fields(first, second)
    assert first.fields["pass"].source == "passed"


def test_what_one_instance_changes_on_its_fields_never_reaches_another():
    changed = CheckInInput(data={"shared_note": "hello"})
    field = changed.fields["shared_note"]
    field.validators.append(MaxLengthValidator(2, message="Too long for this one."))
    field.error_messages["blank"] = "Say more."
    changed.fields["mood"].required = True

    assert not changed.is_valid()
    assert str(changed.errors["shared_note"][0]) == "Too long for this one."
    assert changed.errors["mood"][0].code == "required"

    untouched = CheckInInput(data={"shared_note": "hello"})
    assert untouched.is_valid(), untouched.errors
    assert untouched.validated_data["shared_note"] == "hello"
    assert untouched.fields["shared_note"].error_messages["blank"] != "Say more."


@pytest.mark.parametrize(
    ("body", "code", "english_text"),
    [
        ({"mood": "lots"}, "invalid", "A valid integer is required."),
        # A limit's text is written by its validator (DRF's `lazy_format`), once.
        ({"mood": 0}, "min_value", "Ensure this value is greater than or equal to 1."),
        ({"shared_note": "x" * 1001}, "max_length", "no more than 1000 characters"),
    ],
)
def test_an_error_speaks_the_language_of_the_request_that_made_it(body, code, english_text):
    CheckInInput(data={}).is_valid()  # the template exists before either language asks
    with translation.override("es"):
        spanish = CheckInInput(data=body)
        assert not spanish.is_valid()
    with translation.override("en"):
        english = CheckInInput(data=body)
        assert not english.is_valid()
    with translation.override("es"):
        spanish_again = CheckInInput(data=body)
        assert not spanish_again.is_valid()
    ((name, (english_error,)),) = english.errors.items()
    assert english_text in str(english_error)
    assert str(spanish.errors[name][0]) == str(spanish_again.errors[name][0])
    assert str(spanish.errors[name][0]) != str(english_error)
    assert spanish.errors[name][0].code == english_error.code == code


class _Tags(InputSerializer):
    tags = serializers.ListField(child=serializers.CharField(max_length=3), max_length=2)
    scores = serializers.DictField(child=serializers.IntegerField(max_value=5), required=False)
    note = serializers.CharField(required=False)


def test_every_instance_shares_its_fields_validators_and_each_speaks_its_own_language():
    """The validators are made once, with the template (copying those with a message was a
    third of a body's validation); a limit's message is written each time it is read."""
    with translation.override("es"):
        spanish = CheckInInput(data={"mood": 9, "shared_note": "x" * 1001})
        assert not spanish.is_valid()
    with translation.override("en"):  # a request before may have left Spanish active
        english = CheckInInput(data={"mood": 9, "shared_note": "x" * 1001})
        assert not english.is_valid()
    for name in ("mood", "shared_note"):
        assert english.fields[name] is not spanish.fields[name]
        assert all(
            ours is theirs
            for ours, theirs in zip(
                english.fields[name].validators, spanish.fields[name].validators, strict=True
            )
        )
        assert str(english.errors[name][0]) != str(spanish.errors[name][0])
    assert "less than or equal to 5" in str(english.errors["mood"][0])


def test_a_field_holding_a_field_is_copied_so_each_list_binds_its_own_child():
    first = _Tags(data={"tags": ["ok", "long one"], "scores": {"a": 9}})
    second = _Tags(data={"tags": ["a", "b"], "scores": {"a": 1}})
    for name in ("tags", "scores"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].child is not second.fields[name].child
        assert first.fields[name].child.parent is first.fields[name]
        assert second.fields[name].child.parent is second.fields[name]
        template = _Tags._fields_templates[_Tags][name]
        assert template.child.parent is template  # the class's own, as DRF bound it
        assert template.child.source == "" and first.fields[name].child.source == ""
        assert first.fields[name].child._validators is not template.child._validators
    assert not first.is_valid()
    assert first.errors["tags"][1][0].code == "max_length"
    assert first.errors["scores"]["a"][0].code == "max_value"
    assert second.is_valid()
    assert second.validated_data == {"tags": ["a", "b"], "scores": {"a": 1}}


def test_a_list_fields_child_speaks_each_requests_language():
    with translation.override("es"):
        spanish = _Tags(data={"tags": ["long one"]})
        assert not spanish.is_valid()
    with translation.override("en"):  # a request before may have left Spanish active
        english = _Tags(data={"tags": ["long one"]})
        assert not english.is_valid()
    assert str(english.errors["tags"][0][0]) != str(spanish.errors["tags"][0][0])
    assert "3" in str(english.errors["tags"][0][0]) and "3" in str(spanish.errors["tags"][0][0])


def test_every_request_body_of_the_apps_is_an_input_serializer():
    """Any `...Input` body in the apps uses the base, so none deep-copies its fields on
    every request again."""
    bodies = {
        cls
        for cls in our_serializer_classes(serializers.Serializer)
        if cls.__name__.endswith("Input") and not issubclass(cls, serializers.ModelSerializer)
    }
    assert len(bodies) >= 25  # the apps' bodies were all found
    assert names_not_on(InputSerializer, bodies) == []
