"""'Can we talk?' requests, as each side may see them."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.serializers import ToneHintsField
from couples.models import ConversationRequest
from couples.services.conversations import calm_offer


class ConversationCreateInput(serializers.Serializer):
    topic = serializers.CharField(max_length=200)
    depth = serializers.ChoiceField(choices=ConversationRequest.Depth.choices)
    urgency = serializers.ChoiceField(choices=ConversationRequest.Urgency.choices)
    proposed_times = serializers.ListField(child=serializers.DateTimeField(), max_length=10)
    calm_score = serializers.IntegerField(
        min_value=1, max_value=5, help_text="How calm you feel, 1 to 5. Seen by you alone."
    )
    hold_minutes = serializers.IntegerField(
        required=False, allow_null=True, help_text="Send it later: hold it this many minutes."
    )


class ConversationRespondInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=["pick", "propose", "ask_for_time"])
    time = serializers.DateTimeField(required=False, help_text="With pick: one offered time.")
    times = serializers.ListField(
        child=serializers.DateTimeField(),
        required=False,
        max_length=10,
        help_text="With propose: up to three other times.",
    )
    until = serializers.DateField(required=False, help_text="With ask_for_time: up to 14 days.")


REQUESTER_ONLY_FIELDS = ("calm_score", "hold_until")


class ConversationOutput(serializers.ModelSerializer):
    """A request as the viewer may see it: the calm score and any hold are the requester's
    alone (absent from the partner's view, where a held request reads as pending)."""

    requester_id = serializers.UUIDField(read_only=True)
    partner_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = ConversationRequest
        fields = [
            "id",
            "requester_id",
            "partner_id",
            "topic",
            "depth",
            "urgency",
            "proposed_times",
            "calm_score",
            "hold_until",
            "status",
            "partner_proposed_times",
            "chosen_time",
            "time_asked_until",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "calm_score": {"help_text": "Only on your own requests."},
            "hold_until": {"help_text": "Only on your own requests."},
        }

    def to_representation(self, instance: ConversationRequest) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.requester_id != self.context["viewer"].pk:
            for name in REQUESTER_ONLY_FIELDS:
                data.pop(name, None)
            if data["status"] == ConversationRequest.Status.HELD:
                data["status"] = ConversationRequest.Status.PENDING
        return data


class CalmOfferOutput(serializers.Serializer):
    suggestion = serializers.CharField()
    hold_minutes_options = serializers.ListField(child=serializers.IntegerField())


class ConversationCreateOutput(ConversationOutput):
    """The answer to the requester: their request, a gentle offer to pause when the calm
    score is low, and tone hints on the topic."""

    calm_offer = serializers.SerializerMethodField()
    tone_hints = ToneHintsField(fields=["topic"])

    class Meta(ConversationOutput.Meta):
        fields = [*ConversationOutput.Meta.fields, "calm_offer", "tone_hints"]
        read_only_fields = fields

    @extend_schema_field(CalmOfferOutput(allow_null=True))
    def get_calm_offer(self, request: ConversationRequest) -> dict | None:
        return calm_offer(request.calm_score)
