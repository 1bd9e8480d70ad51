"""Compromise agreements and their revisions."""

from drf_spectacular.utils import extend_schema_field
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers

from common.serializers import (
    InputSerializer,
    OutputModelSerializer,
    ToneHintOutput,
    tone_hints_data,
)
from couples.agreement_states import PENDING_CHANGE_STATE, public_state
from couples.models import Agreement, AgreementRevision

AGREEMENT_TEXT_FIELDS = ["terms", "my_need", "your_need_as_i_understand"]


class AgreementRevisionInput(InputSerializer):
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


class AgreementAmendInput(AgreementRevisionInput):
    based_on = serializers.IntegerField(
        min_value=1,
        help_text="The number of my own latest version, which this rewrites (else 409 "
        "`stale_revision` with `current_revision`).",
    )


class AgreementWithdrawInput(InputSerializer):
    based_on = serializers.IntegerField(
        min_value=1,
        help_text="The number of my own latest version, which I take back. Taking back one "
        "already taken back answers the same success.",
    )


class AgreementKeepInput(InputSerializer):
    review_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When to look at it again together; 30 days from today unless chosen.",
    )


class AgreementAcceptInput(InputSerializer):
    based_on = serializers.IntegerField(
        min_value=1, help_text="The number of the revision accepted; it must be the latest."
    )
    review_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When to look at it again together; 30 days from today unless chosen.",
    )


class AgreementSnoozeInput(InputSerializer):
    until = serializers.DateField(
        help_text="Take time until this day: after today, at most 14 days ahead (my calendar)."
    )


PUBLIC_STATES = [s for s in Agreement.State.values if public_state(s) == s]


@extend_schema_field(
    {
        "type": "string",
        # A pattern, not an enum: the post-processing hook would hoist an enum into a
        # component whose name collides with the check-ins `state` (settings are not ours).
        "pattern": "^(" + "|".join(PUBLIC_STATES) + ")$",
        "description": "One of: negotiating: waiting for an answer; snoozed: the partner asked for "
        "time; active: both accepted, in force (also while a change is talked over: see "
        "`pending_change`); retiring: one asked to retire it (the other agrees, or keeps it); "
        "retired; closed: the couple ended before anything was agreed (kept by the one who "
        "proposed it); withdrawn: the proposer took it back before an answer (theirs alone).",
    }
)
class AgreementStateField(serializers.ChoiceField):
    """The agreement's state as the API shows it, documented inline (see the schema note
    above): a change being talked over leaves it `active`."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=Agreement.State.choices, read_only=True, **kwargs)

    def to_representation(self, value: str) -> str:
        return public_state(value)


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(negotiating|snoozed)$",
        "description": "negotiating: waiting for an answer; snoozed: the partner asked for time.",
    }
)
class PendingChangeStateField(serializers.CharField):
    """The state of a change being talked over (see the schema note above)."""


class AgreementRevisionOutput(OutputModelSerializer):
    """One version. `withdrawn_at` is set on a version its author took back; only its author
    still sees it."""

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
            "withdrawn_at",
        ]
        read_only_fields = fields


class AgreementPendingChangeOutput(serializers.Serializer):
    """A change to an agreement in force, while it is talked over: the proposed version
    (also `latest_revision`) and whether the partner asked for time."""

    state = PendingChangeStateField()
    revision = AgreementRevisionOutput()
    snoozed_until = serializers.DateField(allow_null=True)
    snoozed_by_id = serializers.UUIDField(allow_null=True)


class AgreementOutput(OutputModelSerializer):
    """An agreement: the latest revision (what is being answered) and the accepted one (what
    is in force). While a change is talked over the agreement stays `active` and
    `pending_change` holds the proposed version; otherwise `pending_change` is null. Built
    from `selectors.agreements_visible_to`."""

    latest_revision = AgreementRevisionOutput(read_only=True, allow_null=True)
    active_revision = AgreementRevisionOutput(
        read_only=True, allow_null=True, help_text="The version both accepted: in force."
    )
    pending_change = serializers.SerializerMethodField()
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
            "pending_change",
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

    @extend_schema_field(AgreementPendingChangeOutput(allow_null=True))
    def get_pending_change(self, agreement: Agreement) -> dict | None:
        change_state = PENDING_CHANGE_STATE.get(agreement.state)
        if change_state is None or agreement.latest_revision is None:
            return None
        return AgreementPendingChangeOutput(
            {
                "state": change_state,
                "revision": agreement.latest_revision,
                "snoozed_until": agreement.snoozed_until,
                "snoozed_by_id": agreement.snoozed_by_id,
            }
        ).data


class AgreementForbiddenError(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            (
                "own_revision",
                "This is my own version: my partner answers it (I may amend it or take it back).",
            ),
            (
                "partner_revision",
                "This version is my partner's: only they amend it or take it back.",
            ),
        ]
    )
    detail = serializers.CharField(help_text="For people; translated.")
    attr = serializers.CharField(allow_null=True)


class AgreementForbiddenOutput(serializers.Serializer):
    """403 on an agreement the caller can see, for a move that is the other partner's to
    make. One the caller cannot see is a 404, like an id that never existed."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = AgreementForbiddenError(many=True)  # type: ignore[assignment]


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
