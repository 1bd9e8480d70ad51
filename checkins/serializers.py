from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from checkins.models import Acknowledgement, CheckIn, CheckinSettings, Prompt
from common.serializers import (
    InputSerializer,
    OutputModelSerializer,
    OutputSerializer,
    ToneHintsField,
)


class PromptOutput(OutputModelSerializer):
    class Meta:
        model = Prompt
        fields = ["id", "text", "depth", "theme"]
        read_only_fields = fields

    def to_representation(self, instance: Prompt) -> dict[str, Any]:
        data = super().to_representation(instance)
        # In the reader's language (the person's locale, activated for the request), with
        # the English where a coach has not written that language yet.
        data["text"] = instance.text_in(get_language())
        return data


class CheckInInput(InputSerializer):
    """Everything is optional, but a check-in says something or is a pass (`pass: true`
    with no answers; a pass may keep a private note).

    PUT replaces every answer with what was sent (a field left out is cleared), except
    `private_note`, which changes only when sent. PATCH changes only the fields sent. No
    write shares an unsent check-in again: that is `POST checkins/{date}/share`."""

    mood = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    energy = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    dial = serializers.IntegerField(
        min_value=-2,
        max_value=2,
        required=False,
        allow_null=True,
        help_text="-2 'I'd like space' … +2 'I'd like closeness'. Left out or null: "
        "unanswered, which the bridge reads as unknown (never as 0).",
    )
    capacity = serializers.ChoiceField(
        choices=CheckIn.Capacity.choices, required=False, allow_blank=True
    )
    shared_note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    private_note = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Seen by you alone; encrypted at rest. Changes only when sent (an empty "
        "string clears it); a pass keeps it.",
    )
    prompt_answer = serializers.CharField(max_length=1000, required=False, allow_blank=True)

    def template_fields(self) -> dict[str, serializers.Field]:
        # `pass` is the public name; it is a Python keyword, hence `passed` inside.
        return {
            "pass": serializers.BooleanField(source="passed", required=False, default=False),
            **super().template_fields(),
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        answers = {
            k: v for k, v in attrs.items() if k in CheckIn.ANSWER_FIELDS and v not in (None, "")
        }
        if attrs.get("passed") and answers:
            raise serializers.ValidationError(
                {"pass": [_("A pass carries nothing else: leave the other fields out.")]},
                code="pass_with_answers",
            )
        # A PATCH may send nothing but a correction; whether the result still says something
        # is the service's to decide (checkins.services.checkin_update).
        if (
            not self.partial
            and not attrs.get("passed")
            and not answers
            and not attrs.get("private_note")
        ):
            raise serializers.ValidationError(
                {"pass": [_("Say something, even just a mood, or send a pass.")]},
                code="empty_checkin",
            )
        return attrs


class AcknowledgementOutput(OutputModelSerializer):
    by_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Acknowledgement
        fields = ["id", "by_id", "reaction", "created_at"]
        read_only_fields = fields


class AcknowledgementInput(InputSerializer):
    reaction = serializers.ChoiceField(choices=Acknowledgement.Reaction.choices)


class CheckInOutput(OutputModelSerializer):
    """A check-in as the viewer may see it. On a partner's check-in the private note is not
    merely empty: the key is absent, so nobody learns that one exists."""

    # Absent (not empty) on a partner's check-in; the schema lists them as optional.
    author_only_fields = ("private_note", "pass", "is_shared")
    _author_only = frozenset(author_only_fields)

    author_id = serializers.UUIDField(read_only=True)
    is_mine = serializers.SerializerMethodField()
    prompt = PromptOutput(allow_null=True, read_only=True)
    acknowledgements = AcknowledgementOutput(
        many=True, read_only=True, source="acknowledgements_shown"
    )

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "author_id",
            "is_mine",
            "local_date",
            "mood",
            "energy",
            "dial",
            "capacity",
            "shared_note",
            "private_note",
            "prompt",
            "prompt_answer",
            "is_shared",
            "acknowledgements",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "private_note": {"help_text": "Only on your own check-ins."},
            "is_shared": {
                "help_text": "False once you unsend it; only POST checkins/{date}/share makes "
                "it true again (no edit does). Only on your own."
            },
        }

    def template_fields(self) -> dict[str, serializers.Field]:
        fields = super().template_fields()
        fields["pass"] = serializers.BooleanField(
            source="passed", read_only=True, help_text="Only on your own check-ins."
        )
        return fields

    def _viewer_id(self) -> Any:
        """Who is reading, looked up once per serializer: a list's rows share one child,
        and DRF finds `context` by walking up to the root on every read of it."""
        viewer = self.__dict__.get("_viewer")
        if viewer is None:
            viewer = self.__dict__["_viewer"] = self.context["viewer"].pk
        return viewer

    def get_is_mine(self, checkin: CheckIn) -> bool:
        return checkin.author_id == self._viewer_id()

    def fields_left_out(self, instance: CheckIn) -> frozenset[str]:
        """The author's own fields, never even read for another viewer: a partner's rows
        come without their private note (`CheckInQuerySet.private_notes_of`)."""
        if instance.author_id != self._viewer_id():
            return self._author_only
        return frozenset()

    def to_representation(self, instance: CheckIn) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.author_id != self._viewer_id():
            for name in self.author_only_fields:
                data.pop(name, None)
        return data


class CheckInWriteOutput(CheckInOutput):
    """The author's own write, with gentle hints on the words they wrote."""

    tone_hints = ToneHintsField(fields=["shared_note", "private_note", "prompt_answer"])

    class Meta(CheckInOutput.Meta):
        fields = [*CheckInOutput.Meta.fields, "tone_hints"]
        read_only_fields = fields


class PartnerDayOutput(OutputSerializer):
    state = serializers.ChoiceField(
        choices=["not_yet", "checked_in", "revealed"],
        help_text="not_yet: nothing shared today (also a pass, an unsent check-in, or one "
        "kept to themselves), always with checkin null; checked_in: they shared one, which "
        "you see once you check in yourself (only if they let it be known); revealed: "
        "their check-in is in `checkin`.",
    )
    checkin = CheckInOutput(allow_null=True, read_only=True)


class BridgeOutput(OutputSerializer):
    """Today's bridge, while both of you have a shared check-in for the day (an unsent one
    closes it for both). The rules: checkins/bridge.py."""

    kind = serializers.CharField(
        help_text="side_by_side, gentle_distance, talk_window, close_time, rest_day, "
        "light_touch, or open_day (a dial was left unanswered and nobody asked for room)."
    )
    summary = serializers.CharField()
    activity = serializers.CharField(allow_null=True)
    gesture_for_partner = serializers.CharField(allow_null=True)
    reassurance = serializers.CharField(
        allow_null=True,
        help_text="Only when your own dial asks for space: a line you can send with one tap, "
        "in your partner's own words when they share the reassurance they like to hear "
        "(reason `reassurance:their_words`), otherwise Haven's.",
    )
    talk = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class TodayOutput(OutputSerializer):
    date = serializers.DateField()
    allowed_dates = serializers.ListField(child=serializers.DateField())
    # Nested, not made per call: the answer's own fields are copied once per screen.
    my_checkin = CheckInOutput(allow_null=True, read_only=True)
    partner = PartnerDayOutput(allow_null=True)
    prompt = PromptOutput(allow_null=True)
    bridge = BridgeOutput(allow_null=True)


class TrendWindowOutput(serializers.Serializer):
    mood = serializers.FloatField(allow_null=True)
    energy = serializers.FloatField(allow_null=True)
    dial = serializers.FloatField(allow_null=True)


class CoupleTrendOutput(serializers.Serializer):
    """Over the last `days` days, only days on which both of you kept a check-in shared (an
    unsent check-in or a pass is not counted, for either of you)."""

    days = serializers.IntegerField()
    shared_dial_balance = serializers.FloatField(
        allow_null=True,
        help_text="Where the two of you lean together: the average of both dials (-2 space "
        "… +2 closeness) on days you both shared a check-in. It does not say how far apart "
        "you were: -2 and +2 average to 0, like two 0s. Read it with shared_dial_gap.",
    )
    shared_dial_gap = serializers.FloatField(
        allow_null=True,
        help_text="How far apart your two dials were, on average, on days you both shared a "
        "check-in and both answered the dial: 0 when you wished for the same, 4 when one "
        "asked for space (-2) and the other for closeness (+2). Null without such a day.",
    )


class TrendsOutput(serializers.Serializer):
    mine = serializers.DictField(
        child=TrendWindowOutput(), help_text='Keys "7", "30" and "90" (days).'
    )
    couple = CoupleTrendOutput(allow_null=True)
    generated_at = serializers.DateTimeField()


class CheckinSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckinSettings
        fields = ["announce_checked_in", "deeper_prompts"]
        extra_kwargs = {
            "announce_checked_in": {
                "help_text": "Let your partner see 'has checked in' before they check in."
            },
            "deeper_prompts": {"help_text": "Deep prompts come only when both of you opt in."},
        }
