"""Taking space: starting and ending it, and how it reads to both partners."""

from rest_framework import serializers

from common.serializers import InputSerializer, OutputModelSerializer, ToneHintsField
from couples.models import SpacePeriod


class SpaceOutput(OutputModelSerializer):
    reassurance_message = serializers.SerializerMethodField()

    class Meta:
        model = SpacePeriod
        fields = [
            "id",
            "created_at",
            "ends_at",
            "check_back_at",
            "reassurance",
            "reassurance_message",
        ]
        read_only_fields = fields

    def get_reassurance_message(self, space: SpacePeriod) -> str:
        """The person's own words if they wrote some, else the chosen curated line."""
        if space.reassurance_text:
            return space.reassurance_text
        if space.reassurance:
            return str(SpacePeriod.Reassurance(space.reassurance).label)
        return ""


class SpaceStartOutput(SpaceOutput):
    """The answer to the person who starts taking space: hints on their own words."""

    tone_hints = ToneHintsField(fields=["reassurance_text"])

    class Meta(SpaceOutput.Meta):
        fields = [*SpaceOutput.Meta.fields, "tone_hints"]
        read_only_fields = fields


class SpaceStartInput(InputSerializer):
    """Starting again while taking space changes the times; the words left for the partner
    stay unless new ones are sent. Built with the space being taken now (if any) as
    `context["current_space"]`."""

    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    check_back_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    reassurance = serializers.ChoiceField(
        choices=SpacePeriod.Reassurance.choices,
        required=False,
        allow_blank=True,
        help_text="One of Haven's lines. Sent again while taking space: leave out both "
        "`reassurance` and `reassurance_text` to keep the words already left for my partner; "
        'send either ("" clears) to replace them.',
    )
    reassurance_text = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="My own words for my partner. Left out together with `reassurance`, the "
        "words already left stay.",
    )

    def validate(self, attrs: dict) -> dict:
        if "reassurance" in attrs or "reassurance_text" in attrs:
            return {"reassurance": "", "reassurance_text": "", **attrs}
        current: SpacePeriod | None = self.context.get("current_space")
        # A second start without words keeps the ones the person already left: a new end
        # time should never silently take back what they said.
        return {
            **attrs,
            "reassurance": current.reassurance if current else "",
            "reassurance_text": current.reassurance_text if current else "",
        }


class SpaceEndInput(InputSerializer):
    tell_partner = serializers.BooleanField(required=False, default=True)
