from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from common.serializers import InputSerializer, OutputModelSerializer
from couples.models import CoachAccess, CoachGrant, CoachNote

GRANT_STATES = ["pending", "active", "expired", "revoked", "ended"]


class CoachGrantInviteInput(InputSerializer):
    """Exactly one of the coach's email address or their coach code."""

    coach_email = serializers.EmailField(required=False, allow_blank=True, default="")
    coach_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if bool(attrs["coach_email"]) == bool(attrs["coach_code"].strip()):
            raise serializers.ValidationError(
                _("Give the coach's email address or their coach code (one of them)."),
                code="coach_email_or_code",
            )
        return attrs


class CoachSummaryOutput(OutputModelSerializer):
    class Meta:
        model = User
        fields = ["id", "display_name"]
        read_only_fields = fields


class CoachGrantOutput(OutputModelSerializer):
    """Who has access and since when. `state` is `expired` once an active grant ran out;
    `consented_by_me`/`consented_by_partner` are for the current round (the first consent,
    or a renewal in progress)."""

    coach = CoachSummaryOutput()
    state = serializers.SerializerMethodField()
    consented_by_me = serializers.SerializerMethodField()
    consented_by_partner = serializers.SerializerMethodField()
    renewal_requested = serializers.SerializerMethodField()

    class Meta:
        model = CoachGrant
        fields = [
            "id",
            "coach",
            "state",
            "consented_by_me",
            "consented_by_partner",
            "renewal_requested",
            "created_at",
            "activated_at",
            "expires_at",
            "revoked_at",
            "ended_at",
        ]
        read_only_fields = fields

    def _round(self, grant: CoachGrant) -> int:
        pending_renewal = any(c.round == grant.round + 1 for c in grant.consents.all())
        return grant.round + 1 if pending_renewal else grant.round

    def _consenters(self, grant: CoachGrant) -> set:
        current = self._round(grant)
        return {c.user_id for c in grant.consents.all() if c.round == current}

    @extend_schema_field(serializers.ChoiceField(choices=GRANT_STATES))
    def get_state(self, grant: CoachGrant) -> str:
        expires_at = grant.expires_at
        if grant.status == CoachGrant.Status.ACTIVE and expires_at and expires_at <= timezone.now():
            return "expired"
        return grant.status

    def get_consented_by_me(self, grant: CoachGrant) -> bool:
        return self.context["viewer"].pk in self._consenters(grant)

    def get_consented_by_partner(self, grant: CoachGrant) -> bool:
        return bool(self._consenters(grant) - {self.context["viewer"].pk})

    def get_renewal_requested(self, grant: CoachGrant) -> bool:
        return self._round(grant) != grant.round


class CoachAccessOutput(OutputModelSerializer):
    coach_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = CoachAccess
        fields = ["id", "coach_id", "coach_name", "what", "created_at"]
        read_only_fields = fields


class CoachNoteOutput(OutputModelSerializer):
    coach = CoachSummaryOutput(allow_null=True)

    class Meta:
        model = CoachNote
        fields = ["id", "coach", "text", "created_at"]
        read_only_fields = fields
