"""Pairing invites: what a code shows before and after it is made."""

from django.conf import settings
from rest_framework import serializers

from common.serializers import OutputModelSerializer
from couples.invite_codes import invite_code_display
from couples.models import Invite


class InviteOutput(OutputModelSerializer):
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
