"""`common.serializers.OutputModelSerializer`: an answer's fields are worked out from the model
once per class (issue 17), and every instance still gets fields of its own."""

from __future__ import annotations

import datetime as dt
import enum

import pytest
from django.utils import timezone
from django.utils.safestring import SafeString
from rest_framework import serializers

from accounts.serializers import MeOutput
from checkins.serializers import CheckInOutput
from common.serializers import OutputModelSerializer, OutputSerializer
from tests.factories import UserFactory
from tests.utils import (
    assert_each_binds_its_own_fields,
    names_not_on,
    our_serializer_classes,
    record_field_builds,
    today_for,
)

pytestmark = pytest.mark.django_db


def test_the_model_is_read_once_per_class_and_each_instance_binds_its_own_fields(monkeypatch):
    built = record_field_builds(monkeypatch, serializers.ModelSerializer, OutputModelSerializer)
    person, other = UserFactory(display_name="Ana"), UserFactory(display_name="Bo")

    first, second = MeOutput(person), MeOutput(other)
    assert first.data["display_name"] == "Ana"
    assert second.data["display_name"] == "Bo"
    assert built == [MeOutput]  # the second instance copied the first one's template
    assert_each_binds_its_own_fields(first, second)


def test_a_class_adding_fields_in_get_fields_keeps_them_on_every_instance():
    """CheckInOutput adds `pass` (a Python keyword) to its template (`template_fields`)."""
    assert "pass" in CheckInOutput().fields
    assert "pass" in CheckInOutput().fields


def test_every_answer_built_from_a_model_reads_the_model_once():
    """Any `...Output` ModelSerializer in the apps uses the base, so none builds its fields
    from the model on every request again."""
    answers = [
        cls
        for cls in our_serializer_classes(serializers.ModelSerializer)
        if cls.__name__.endswith("Output")
    ]
    assert len(answers) >= 20  # the apps' answers were all found
    assert names_not_on(OutputModelSerializer, answers) == []


def test_nested_answers_are_copied_whole_so_each_instance_binds_its_own_children():
    """A plain field is copied shallowly (its template is never bound); a field holding
    fields of its own (here the reactions' list and the prompt) is copied deeply, so the
    children of one answer never point at another answer's fields."""
    first, second = CheckInOutput(), CheckInOutput()
    for name in ("acknowledgements", "prompt"):
        assert first.fields[name] is not second.fields[name]
    first_reactions = first.fields["acknowledgements"]
    second_reactions = second.fields["acknowledgements"]
    assert first_reactions.child is not second_reactions.child
    assert first_reactions.child.parent is first_reactions
    assert second_reactions.child.parent is second_reactions
    assert first_reactions.child.root is first
    first_prompt, second_prompt = first.fields["prompt"], second.fields["prompt"]
    assert first_prompt.fields["text"] is not second_prompt.fields["text"]
    assert first_prompt.fields["text"].parent is first_prompt
    template = CheckInOutput._fields_templates[CheckInOutput]
    assert all(getattr(field, "parent", None) is None for field in template.values())


def test_a_moment_is_written_as_drfs_own_field_writes_it():
    """`MomentField` converts to UTC itself instead of asking for the active time zone; what
    it writes is what DRF's DateTimeField writes with the API's format."""
    import datetime as dt

    from common.serializers import MomentField

    ours, drfs = MomentField(), serializers.DateTimeField()
    moments = [
        dt.datetime(2026, 11, 30, 8, 5, 3, 120, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 30, 8, 5, 3, tzinfo=dt.UTC),  # no microseconds
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
        dt.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.timezone(-dt.timedelta(hours=8))),
        dt.datetime(1000, 1, 1, 0, 0, tzinfo=dt.UTC),
        dt.datetime(999, 12, 31, 23, 59, 59, 5, tzinfo=dt.UTC),  # strftime's year, unpadded
        dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 30, 8, 5, 3),  # naive: DRF's way
    ]
    for moment in moments:
        assert ours.to_representation(moment) == drfs.to_representation(moment)
    assert ours.to_representation(moments[2]) == "2026-03-28T20:00:00.000000Z"
    assert ours.to_representation(moments[1]) == "2026-11-30T08:05:03.000000Z"


def test_every_answer_reads_its_columns_as_drfs_own_way_reads_them(couple, monkeypatch):
    """The short way for plain columns (`OutputModelSerializer.to_representation`) writes
    exactly what DRF's own `to_representation` writes, for each partner, on the answers of
    the hot lists and `me`, private fields and annotations included."""
    from checkins.selectors import checkins_visible_to
    from couples.selectors import agreements_visible_to, boundaries_visible_to
    from couples.serializers.agreements import AgreementOutput
    from couples.serializers.boundaries import BoundaryOutput
    from nudges.models import Notification
    from nudges.selectors import notifications_of
    from nudges.serializers import NotificationOutput
    from tests.factories import AgreementFactory, BoundaryFactory, CheckInFactory

    for person in (couple.a, couple.b):
        CheckInFactory(author=person, private_note="mine alone", shared_note="shared words")
        BoundaryFactory(owner=person, shared=True)
        BoundaryFactory(owner=person)
        Notification.objects.create(
            recipient=person, kind="ping", subject_id=person.pk, due_at=timezone.now()
        )
    AgreementFactory(author=couple.a, accepted=True)

    def answers():
        written = []
        for viewer in (couple.a, couple.b):
            context = {"viewer": viewer}
            for output, rows in (
                (CheckInOutput, checkins_visible_to(viewer)),
                (BoundaryOutput, boundaries_visible_to(viewer)),
                (AgreementOutput, agreements_visible_to(viewer)),
                (NotificationOutput, notifications_of(viewer)),
                (MeOutput, [viewer]),
            ):
                written.append(output(list(rows), many=True, context=context).data)
        return written

    ours = answers()
    assert all(ours)
    monkeypatch.setattr(
        OutputModelSerializer, "to_representation", serializers.ModelSerializer.to_representation
    )
    assert answers() == ours


def test_plain_columns_are_written_by_the_class_template_and_only_the_rest_is_bound(couple):
    """A check-in answer binds copies of its nested and list fields alone; its plain columns
    are written by the class's unbound template fields, the same for every answer, and its
    method field (`is_mine`) is its own method, called with the answer."""
    from tests.factories import CheckInFactory

    checkin = CheckInFactory(author=couple.a, shared_note="a calm day")
    answers = [
        CheckInOutput(checkin, context={"viewer": viewer}) for viewer in (couple.a, couple.b)
    ]
    mine, theirs = (answer.data for answer in answers)
    assert mine["shared_note"] == theirs["shared_note"] == "a calm day"
    assert mine["is_mine"] is True and theirs["is_mine"] is False
    for answer in answers:
        assert "fields" not in answer.__dict__  # DRF's full set of copies was never made
        assert set(answer.__dict__["_bound_fields"]) == {"prompt", "acknowledgements"}
        assert all(field.parent is answer for field in answer.__dict__["_bound_fields"].values())
    template = CheckInOutput._fields_templates[CheckInOutput]
    assert all(getattr(field, "parent", None) is None for field in template.values())


def test_a_field_type_of_our_own_is_bound_to_each_answer_and_reads_its_context(db):
    """Only DRF's own field types write from the template; any other type may read its
    binding (here the context), so each answer gets its own bound copy."""

    class Signed(serializers.CharField):
        def to_representation(self, value):
            return f"{value} ({self.context['signature']})"

    class SignedAnswer(OutputModelSerializer):
        display_name = Signed()

        class Meta:
            model = UserFactory._meta.model
            fields = ["id", "display_name"]

    person = UserFactory(display_name="Ana")
    first = SignedAnswer(person, context={"signature": "one"}).data
    second = SignedAnswer(person, context={"signature": "two"}).data
    assert (first["display_name"], second["display_name"]) == ("Ana (one)", "Ana (two)")
    assert first["id"] == second["id"] == str(person.pk)


def test_the_home_screen_and_couple_pages_answer_as_drfs_own_way_answers(couple, monkeypatch):
    """`OutputSerializer`'s short way (template fields for plain values, bound copies for
    the rest) writes what DRF's own `Serializer.to_representation` writes: for each partner,
    before checking in, after, once revealed, and while one takes space."""
    from common.serializers import OutputSerializer

    paths = ("/api/v1/checkins/today", "/api/v1/couple", "/api/v1/couple/partner")
    body = {"mood": 4, "energy": 3, "dial": -1, "capacity": "light", "shared_note": "slow day"}
    # Each partner's own today: near midnight UTC the server's date is not theirs.
    today_a, today_b = (today_for(person).isoformat() for person in (couple.a, couple.b))

    def answers():
        return [
            client.get(path).json()
            for client in (couple.client_a, couple.client_b)
            for path in paths
        ]

    def drfs_way():
        with monkeypatch.context() as patched:
            patched.setattr(
                OutputSerializer, "to_representation", serializers.Serializer.to_representation
            )
            return answers()

    steps = [
        lambda: None,
        lambda: couple.client_a.put(f"/api/v1/checkins/{today_a}", body, format="json"),
        lambda: couple.client_b.put(f"/api/v1/checkins/{today_b}", body, format="json"),
        lambda: couple.client_b.post(
            "/api/v1/couple/space",
            {"check_back_at": (timezone.now() + dt.timedelta(hours=8)).isoformat()},
            format="json",
        ),
    ]
    for step in steps:
        response = step()
        assert response is None or response.status_code in (200, 201), response.content
        ours = answers()
        assert ours == drfs_way()
    assert ours[0]["partner"]["state"] == "revealed"  # the path went where it says


def test_a_plain_value_missing_from_an_answer_is_answered_as_drf_answers_it():
    """A value the instance lacks goes DRF's way: its default, or left out when optional."""
    from common.serializers import OutputSerializer

    class Answer(OutputSerializer):
        said = serializers.CharField()
        maybe = serializers.CharField(required=False)
        fallback = serializers.CharField(default="nothing yet")

    assert Answer({"said": "hello"}).data == {"said": "hello", "fallback": "nothing yet"}
    assert Answer({"said": "hi", "maybe": "so", "fallback": "fine"}).data == {
        "said": "hi",
        "maybe": "so",
        "fallback": "fine",
    }
    with pytest.raises(KeyError):
        Answer({}).data  # DRF's own error for a required value


class _Mood(enum.IntEnum):
    LOW = 1


class _Shout(str):
    def __str__(self) -> str:
        return self.upper()


@pytest.mark.parametrize(
    "value",
    [3, True, _Mood.LOW, "calm", _Shout("calm"), SafeString("<b>"), False, 1, 0.5, 2, -0.0],
    ids=repr,
)
def test_a_value_is_put_in_as_it_is_only_where_drf_would_hand_it_back_unchanged(value):
    """Ints, texts, flags and floats of exactly those types skip DRF's call, which would
    return them as they are; a subclass (a flag in a number, an enum, a text of its own
    kind) is still written by DRF's field, into the same value of the same type."""
    from common.serializers import OutputSerializer

    kinds = [
        serializers.IntegerField,
        serializers.CharField,
        serializers.BooleanField,
        serializers.FloatField,
    ]
    for kind in kinds:
        ours = type("Ours", (OutputSerializer,), {"field": kind()})
        drfs = type("Drfs", (serializers.Serializer,), {"field": kind()})
        try:
            expected = drfs({"field": value}).data["field"]
        except ValueError:  # a text that is no number: DRF's error, and ours
            with pytest.raises(ValueError):
                ours({"field": value}).data
            continue
        answer = ours({"field": value}).data["field"]
        assert answer == expected and type(answer) is type(expected), kind


def test_a_method_field_is_its_serializers_method_called_with_the_answer_and_its_context():
    """DRF's own method field calls `get_<name>` (or the method named) with the whole answer;
    a method field of a type of our own still goes its own way."""
    from common.serializers import OutputSerializer

    class Loud(serializers.SerializerMethodField):
        def to_representation(self, value):
            return str(super().to_representation(value)).upper()

    class Answer(OutputSerializer):
        greeting = serializers.SerializerMethodField()
        named = serializers.SerializerMethodField(method_name="say_name")
        loud = Loud()

        def get_greeting(self, answer):
            return f"{self.context['hello']}, {answer['name']}"

        def say_name(self, answer):
            return answer["name"]

        def get_loud(self, answer):
            return answer["name"]

    many = Answer([{"name": "Ana"}, {"name": "Bo"}], many=True, context={"hello": "Hi"}).data
    assert [dict(item) for item in many] == [
        {"greeting": "Hi, Ana", "named": "Ana", "loud": "ANA"},
        {"greeting": "Hi, Bo", "named": "Bo", "loud": "BO"},
    ]
    assert Answer({"name": "Cy"}, context={"hello": "Hola"}).data["greeting"] == "Hola, Cy"


def test_a_nested_answers_template_stays_unused_while_its_copies_answer(couple):
    """Nested answers are copied shallowly from a template that never builds fields or
    answers; each copy (and a list's own child) builds its own, bound to its own answer."""
    from tests.factories import CheckInFactory

    checkin = CheckInFactory(author=couple.a)
    for viewer in (couple.a, couple.b, couple.a):
        answer = CheckInOutput(checkin, context={"viewer": viewer})
        assert answer.data["is_mine"] is (viewer == couple.a)
        reactions = answer._bound_field("acknowledgements")
        assert reactions.child.parent is reactions and reactions.child.root is answer
        assert reactions.child.context["viewer"] == viewer
    template = CheckInOutput._fields_templates[CheckInOutput]
    for name in ("prompt", "acknowledgements"):
        made = set(template[name].__dict__) & {"fields", "_bound_fields", "_data"}
        assert not made, (name, made)
    assert not {"fields", "_bound_fields"} & set(template["acknowledgements"].child.__dict__)


def _as_drf_makes_it(cls: type, instance, **kwargs):
    made = cls.__new__(cls, instance, **kwargs)
    serializers.BaseSerializer.__init__(made, instance, **kwargs)
    return made


def _attributes(made) -> dict:
    return {k: v for k, v in vars(made).items() if k != "_creation_counter"}


def test_every_answer_is_made_with_the_attributes_drfs_init_gives_it(monkeypatch):
    """An answer's serializer after its class's first is made from that one's attributes
    (`_MadeOncePerClass`), not by DRF's `__init__` again: the same attributes, its own
    instance, context, messages and style, and the next creation number."""
    classes = our_serializer_classes(OutputModelSerializer) | our_serializer_classes(
        OutputSerializer
    )
    assert len(classes) >= 30  # every answer of the apps was found
    inits: list[type] = []
    drf_init = serializers.Field.__init__

    def counting(self, **kwargs):
        inits.append(type(self))
        drf_init(self, **kwargs)

    for cls in classes:
        context = {"viewer": object()}
        cls(None, context={})  # the class's first
        monkeypatch.setattr(serializers.Field, "__init__", counting)
        made = cls("the instance", context=context)
        monkeypatch.setattr(serializers.Field, "__init__", drf_init)
        assert inits == [], cls  # not DRF's `__init__` again
        reference = _as_drf_makes_it(cls, "the instance", context=context)
        assert _attributes(made) == _attributes(reference), cls
        assert made._context is context and made.instance == "the instance"
        assert made.error_messages is not cls(None).error_messages
        assert made.style is not cls(None).style
        assert made._creation_counter < cls(None)._creation_counter


def test_an_answer_made_any_other_way_is_made_by_drf():
    MeOutput(None)
    partial = MeOutput(None, partial=True, read_only=True)
    assert partial.partial is True and partial.read_only is True
    with_data = MeOutput(data={"display_name": "x"})
    assert with_data.initial_data == {"display_name": "x"}
    many = MeOutput([None], many=True, context={"a": 1})
    assert isinstance(many, serializers.ListSerializer) and many.child._context == {"a": 1}
