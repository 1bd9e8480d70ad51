from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from common.serializers import ToneHintOutput, ToneHintsField, tone_hints_data
from couples.invite_codes import invite_code_display
from couples.models import (
    Agreement,
    AgreementRevision,
    Appreciation,
    Boundary,
    BoundaryRevision,
    ConversationRequest,
    Couple,
    Invite,
    Ping,
    SpacePeriod,
)
from couples.services.conversations import calm_offer


class InviteOutput(serializers.ModelSerializer):
    code = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()

    class Meta:
        model = Invite
        fields = ["id", "code", "link", "status", "expires_at", "created_at"]
        read_only_fields = fields

    def get_code(self, invite: Invite) -> str:
        return invite_code_display(invite.code)

    def get_link(self, invite: Invite) -> str:
        return f"{settings.INVITE_LINK_BASE}{invite_code_display(invite.code)}"


class InvitePreviewOutput(serializers.Serializer):
    """All a code reveals before accepting: who is inviting."""

    inviter_display_name = serializers.CharField(source="inviter.display_name")
    expires_at = serializers.DateTimeField()


class PartnerSummaryOutput(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "display_name", "time_zone"]
        read_only_fields = fields


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


class CoupleOutput(serializers.Serializer):
    id = serializers.UUIDField(source="couple.id")
    paired_at = serializers.DateTimeField(source="couple.created_at")
    partner = PartnerSummaryOutput()
    my_space = SpaceOutput(allow_null=True)
    partner_space = SpaceOutput(allow_null=True)


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


LOVE_LANGUAGE_CODES = [
    "words_of_affirmation",
    "quality_time",
    "acts_of_service",
    "gifts",
    "physical_touch",
]


class AppreciationInput(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    love_language = serializers.ChoiceField(
        choices=LOVE_LANGUAGE_CODES, required=False, allow_blank=True, default=""
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


class CoupleEndOutput(serializers.ModelSerializer):
    class Meta:
        model = Couple
        fields = ["id", "created_at", "ended_at"]
        read_only_fields = fields


class BoundaryCreateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Boundary.Kind.choices)
    text = serializers.CharField(max_length=500)
    visibility = serializers.ChoiceField(
        choices=Boundary.Visibility.choices,
        required=False,
        default=Boundary.Visibility.PRIVATE,
        help_text="Private (only me) unless I choose to share it.",
    )
    revisit_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A day to look at it again, after today in my own time zone.",
    )


class BoundaryUpdateInput(serializers.Serializer):
    """Only the fields sent change; `revisit_on: null` clears the revisit date."""

    kind = serializers.ChoiceField(choices=Boundary.Kind.choices, required=False)
    text = serializers.CharField(max_length=500, required=False)
    visibility = serializers.ChoiceField(choices=Boundary.Visibility.choices, required=False)
    revisit_on = serializers.DateField(required=False, allow_null=True)


class BoundaryOutput(serializers.ModelSerializer):
    """A boundary as the caller sees it. Built from `selectors.boundaries_visible_to`, whose
    annotations say whose it is and who read the current version."""

    owner_id = serializers.UUIDField(read_only=True)
    is_mine = serializers.BooleanField(read_only=True)
    acknowledged_by_partner = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="On my own boundary: my partner has read the current version. "
        "Null on my partner's.",
    )
    acknowledged_by_me = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="On my partner's boundary: I have read the current version. Null on my own.",
    )

    class Meta:
        model = Boundary
        fields = [
            "id",
            "owner_id",
            "is_mine",
            "kind",
            "text",
            "visibility",
            "revisit_on",
            "version",
            "retired_at",
            "created_at",
            "updated_at",
            "acknowledged_by_partner",
            "acknowledged_by_me",
        ]
        read_only_fields = fields


class BoundaryWriteOutput(BoundaryOutput):
    """The owner's own write, with gentle tone hints on its text (only ever shown to the
    person who wrote it)."""

    tone_hints = ToneHintsField(fields=["text"])

    class Meta(BoundaryOutput.Meta):
        fields = [*BoundaryOutput.Meta.fields, "tone_hints"]
        read_only_fields = fields


class BoundaryRevisionOutput(serializers.ModelSerializer):
    class Meta:
        model = BoundaryRevision
        fields = ["version", "kind", "text", "visibility", "revisit_on", "created_at"]
        read_only_fields = fields


class BoundaryForbiddenError(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            ("not_owner", "Only the owner changes or retires a boundary."),
            ("own_boundary", "The owner cannot acknowledge their own boundary."),
        ]
    )
    detail = serializers.CharField(help_text="For people; translated.")
    attr = serializers.CharField(allow_null=True)


class BoundaryForbiddenOutput(serializers.Serializer):
    """403 on a boundary the caller can see but may not do this to. One the caller cannot
    see is a 404, like an id that never existed."""

    type = serializers.ChoiceField(choices=[("client_error", "client_error")])
    errors = BoundaryForbiddenError(many=True)  # type: ignore[assignment]


class SharedLoveLanguagesOutput(serializers.Serializer):
    receiving = serializers.ListField(child=serializers.CharField())
    giving = serializers.ListField(child=serializers.CharField())
    small_things = serializers.ListField(child=serializers.CharField())


class SharedAloneTimeWindowOutput(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = Monday.")
    start = serializers.CharField(help_text="HH:MM, the partner's local time.")
    end = serializers.CharField(help_text="HH:MM, the partner's local time.")


class SharedPreferencesOutput(serializers.Serializer):
    alone_time_windows = SharedAloneTimeWindowOutput(many=True)
    connection_activities = serializers.ListField(child=serializers.CharField())
    connection_activities_other = serializers.CharField()
    response_pace = serializers.CharField(allow_null=True)
    reassurance = serializers.CharField()


class CouplePartnerOutput(serializers.Serializer):
    """What the partner chose to share. A section they keep to themselves is null, exactly
    as if it were never set: the shape tells nothing."""

    id = serializers.UUIDField(source="partner.id")
    display_name = serializers.CharField(source="partner.display_name")
    time_zone = serializers.CharField(source="partner.time_zone")
    love_languages = SharedLoveLanguagesOutput(allow_null=True)
    preferences = SharedPreferencesOutput(allow_null=True)
    attachment_style = serializers.CharField(allow_null=True)
    boundaries = BoundaryOutput(many=True)


# --- Agreements -----------------------------------------------------------------------------
# Appended below the other sections (imports here keep concurrent edits apart).


AGREEMENT_TEXT_FIELDS = ["terms", "my_need", "your_need_as_i_understand"]


class AgreementRevisionInput(serializers.Serializer):
    """A compromise names both sides: the terms, my need, and what I understand yours to be."""

    terms = serializers.CharField(max_length=2000)
    my_need = serializers.CharField(max_length=1000)
    your_need_as_i_understand = serializers.CharField(max_length=1000)


class AgreementProposeInput(AgreementRevisionInput):
    title = serializers.CharField(max_length=200)


class AgreementCounterInput(AgreementRevisionInput):
    based_on = serializers.IntegerField(
        min_value=1,
        help_text="The number of the revision this answers; it must be the latest (else 409 "
        "`stale_revision` with `current_revision`).",
    )


class AgreementAcceptInput(serializers.Serializer):
    based_on = serializers.IntegerField(
        min_value=1, help_text="The number of the revision accepted; it must be the latest."
    )
    review_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When to look at it again together; 30 days from today unless chosen.",
    )


class AgreementSnoozeInput(serializers.Serializer):
    until = serializers.DateField(
        help_text="Take time until this day: after today, at most 14 days ahead (my calendar)."
    )


@extend_schema_field(
    {
        "type": "string",
        # A pattern, not an enum: the post-processing hook would hoist an enum into a
        # component whose name collides with the check-ins `state` (settings are not ours).
        "pattern": "^(" + "|".join(Agreement.State.values) + ")$",
        "description": "One of: negotiating: waiting for an answer; snoozed: the partner asked for "
        "time; active: both accepted; retiring: one asked to retire it; retired; closed: the "
        "couple ended before anything was agreed.",
    }
)
class AgreementStateField(serializers.ChoiceField):
    """The agreement's state, documented inline (see the schema note above)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=Agreement.State.choices, read_only=True, **kwargs)


class AgreementRevisionOutput(serializers.ModelSerializer):
    author_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = AgreementRevision
        fields = [
            "number",
            "author_id",
            "terms",
            "my_need",
            "your_need_as_i_understand",
            "created_at",
        ]
        read_only_fields = fields


class AgreementOutput(serializers.ModelSerializer):
    """An agreement: the latest revision (what is being answered) and the accepted one (what
    is in force; during a change they differ). Built from `selectors.agreements_visible_to`."""

    latest_revision = AgreementRevisionOutput(read_only=True, allow_null=True)
    active_revision = AgreementRevisionOutput(read_only=True, allow_null=True)
    snoozed_by_id = serializers.UUIDField(read_only=True, allow_null=True)
    retire_requested_by_id = serializers.UUIDField(read_only=True, allow_null=True)
    state = AgreementStateField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "title",
            "state",
            "latest_revision",
            "active_revision",
            "review_on",
            "snoozed_until",
            "snoozed_by_id",
            "retire_requested_by_id",
            "retire_requested_at",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AgreementWriteOutput(AgreementOutput):
    """The author's own write, with gentle tone hints on the texts they just wrote (only
    ever shown to them)."""

    tone_hints = serializers.SerializerMethodField()

    class Meta(AgreementOutput.Meta):
        fields = [*AgreementOutput.Meta.fields, "tone_hints"]
        read_only_fields = fields

    @extend_schema_field(ToneHintOutput(many=True))
    def get_tone_hints(self, agreement: Agreement) -> list[dict]:
        revision = agreement.latest_revision
        hints = tone_hints_data(agreement.title, "title") if self.context.get("titled") else []
        if revision is None:
            return hints
        for name in AGREEMENT_TEXT_FIELDS:
            hints.extend(tone_hints_data(getattr(revision, name), name))
        return hints


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
