"""Appreciations and pings: small messages that ask for no reply."""

from rest_framework import serializers

from accounts.models import LoveLanguage
from common.serializers import ToneHintsField
from couples.models import Appreciation, Ping


class AppreciationInput(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    love_language = serializers.ChoiceField(
        choices=LoveLanguage.choices, required=False, allow_blank=True, default=""
    )


class AppreciationOutput(serializers.ModelSerializer):
    author_id = serializers.UUIDField(read_only=True)
    recipient_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Appreciation
        fields = [
            "id",
            "author_id",
            "recipient_id",
            "text",
            "love_language",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AppreciationCreateOutput(AppreciationOutput):
    """The answer to the author only: their note plus `tone_hints` on its wording."""

    tone_hints = ToneHintsField(fields=["text"])

    class Meta(AppreciationOutput.Meta):
        fields = [*AppreciationOutput.Meta.fields, "tone_hints"]
        read_only_fields = fields


class PingOutput(serializers.ModelSerializer):
    sender_id = serializers.UUIDField(read_only=True)
    recipient_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Ping
        fields = ["id", "sender_id", "recipient_id", "created_at"]
        read_only_fields = fields
