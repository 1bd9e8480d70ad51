"""Compromise agreements and their revisions."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.serializers import ToneHintOutput, tone_hints_data
from couples.models import Agreement, AgreementRevision

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
