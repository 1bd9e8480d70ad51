"""Taking space: starting and ending it, and how it reads to both partners."""

from rest_framework import serializers

from common.serializers import ToneHintsField
from couples.models import SpacePeriod


class SpaceOutput(serializers.ModelSerializer):
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


class SpaceStartInput(serializers.Serializer):
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    check_back_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    reassurance = serializers.ChoiceField(
        choices=SpacePeriod.Reassurance.choices, required=False, allow_blank=True, default=""
    )
    reassurance_text = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class SpaceEndInput(serializers.Serializer):
    tell_partner = serializers.BooleanField(required=False, default=True)
