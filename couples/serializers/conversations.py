"""'Can we talk?' requests, as each side may see them."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.serializers import InputSerializer, OutputModelSerializer, ToneHintsField
from couples import conversation_states as states
from couples.models import ConversationRequest
from couples.selectors import conversation_time_notes
from couples.services.conversations import (
    MAX_HOLD_MINUTES,
    calm_offer,
    role_of,
    unsent_expires_at,
)


class ConversationCreateInput(InputSerializer):
    topic = serializers.CharField(max_length=200)
    depth = serializers.ChoiceField(choices=ConversationRequest.Depth.choices)
    urgency = serializers.ChoiceField(choices=ConversationRequest.Urgency.choices)
    proposed_times = serializers.ListField(child=serializers.DateTimeField(), max_length=10)
    calm_score = serializers.IntegerField(
        min_value=1, max_value=5, help_text="How calm you feel, 1 to 5. Seen by you alone."
    )
    send_now = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Send it to your partner at once, whatever the calm score. Without any "
        "choice, a calm score of 1 or 2 keeps it with you as a draft (one tap sends it).",
    )
    hold_minutes = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Hold it this many minutes (up to a day). When the time is up you alone "
        "are asked whether you still want to send it; nothing goes out by itself.",
    )
    hold_until_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Keep it with you as a draft until you send it.",
    )


class ConversationHoldInput(InputSerializer):
    hold_minutes = serializers.IntegerField(
        min_value=1, max_value=MAX_HOLD_MINUTES, help_text="Hold it this many minutes."
    )


class ConversationRespondInput(InputSerializer):
    action = serializers.ChoiceField(choices=["pick", "propose", "ask_for_time"])
    time = serializers.DateTimeField(
        required=False, help_text="With pick: one of the times the other one offered."
    )
    times = serializers.ListField(
        child=serializers.DateTimeField(),
        required=False,
        max_length=10,
        help_text="With propose: up to three other times. While your partner has asked for "
        "time, they fall after it.",
    )
    until = serializers.DateField(required=False, help_text="With ask_for_time: up to 14 days.")


REQUESTER_ONLY_FIELDS = ("calm_score", "hold_until", "expires_at")
ACTION_NAMES = [action for action in states.ACTIONS if action not in ("expire", "close")]


class ConversationOutput(OutputModelSerializer):
    """A request as the viewer may see it. The partner sees it only once it was sent and
    until it is withdrawn, with the same status as its author; the calm score, any hold,
    when it was written and when a draft would be let go are the author's alone."""

    # Absent (not empty) for the partner; the schema lists them as optional.
    author_only_fields = REQUESTER_ONLY_FIELDS

    requester_id = serializers.UUIDField(read_only=True)
    partner_id = serializers.UUIDField(read_only=True)
    time_asked_by_id = serializers.SerializerMethodField(
        help_text="Who asked for the time in force (it is theirs to end by answering)."
    )
    your_turn = serializers.SerializerMethodField(
        help_text="Whether an answer (pick, propose, ask for time) is awaited from you."
    )
    actions = serializers.SerializerMethodField(
        help_text="What you may do now: the buttons to show, and no others."
    )
    expires_at = serializers.SerializerMethodField(
        help_text="Only on your own draft or held request: when it is let go unless sent."
    )

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
            "expires_at",
            "status",
            "partner_proposed_times",
            "chosen_time",
            "time_asked_until",
            "time_asked_by_id",
            "your_turn",
            "actions",
            "sent_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "calm_score": {"help_text": "Only on your own requests."},
            "hold_until": {"help_text": "Only on your own requests."},
            "created_at": {
                "help_text": "For the partner, the moment it reached them (as `sent_at`)."
            },
        }

    def _role(self, request: ConversationRequest) -> str:
        return role_of(request, self.context["viewer"])

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_time_asked_by_id(self, request: ConversationRequest) -> str | None:
        if request.time_asked_by == states.REQUESTER:
            return str(request.requester_id)
        if request.time_asked_by == states.PARTNER:
            return str(request.partner_id)
        return None

    def get_your_turn(self, request: ConversationRequest) -> bool:
        return states.turn_of(request.status, request.time_asked_by or None) == self._role(request)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ACTION_NAMES)))
    def get_actions(self, request: ConversationRequest) -> list[str]:
        asked = request.time_asked_by or None
        return states.actions_for(request.status, self._role(request), asked)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_expires_at(self, request: ConversationRequest) -> Any:
        if request.status not in states.UNSENT:
            return None
        return serializers.DateTimeField().to_representation(unsent_expires_at(request))

    def to_representation(self, instance: ConversationRequest) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.requester_id != self.context["viewer"].pk:
            for name in self.author_only_fields:
                data.pop(name, None)
            # When it was written (and so whether it waited with its author) is theirs alone.
            data["created_at"] = data["sent_at"]
        return data


class TimeNoteOutput(serializers.Serializer):
    code = serializers.ChoiceField(choices=["partner_space", "partner_alone_time"])
    message = serializers.CharField()
    times = serializers.ListField(child=serializers.DateTimeField())


class ConversationWriteOutput(ConversationOutput):
    """The answer to the one who just moved: the request, and gentle notes when times they
    offered fall while the other takes space or in alone time the other shares."""

    notes = serializers.SerializerMethodField()

    class Meta(ConversationOutput.Meta):
        fields = [*ConversationOutput.Meta.fields, "notes"]
        read_only_fields = fields

    @extend_schema_field(TimeNoteOutput(many=True))
    def get_notes(self, request: ConversationRequest) -> list[dict]:
        return conversation_time_notes(viewer=self.context["viewer"], request=request)


class CalmOfferOutput(serializers.Serializer):
    suggestion = serializers.CharField()
    hold_minutes_options = serializers.ListField(child=serializers.IntegerField())
    lesson = serializers.CharField(
        help_text="The slug of a short read on calming down first (GET lessons/{slug})."
    )


class ConversationCreateOutput(ConversationWriteOutput):
    """The answer to the requester: their request, a gentle offer to pause when the calm
    score is low and it waits with them, and tone hints on the topic."""

    calm_offer = serializers.SerializerMethodField()
    tone_hints = ToneHintsField(fields=["topic"])

    class Meta(ConversationWriteOutput.Meta):
        fields = [*ConversationWriteOutput.Meta.fields, "calm_offer", "tone_hints"]
        read_only_fields = fields

    @extend_schema_field(CalmOfferOutput(allow_null=True))
    def get_calm_offer(self, request: ConversationRequest) -> dict | None:
        if request.status != states.DRAFT:
            return None
        return calm_offer(request.calm_score)
