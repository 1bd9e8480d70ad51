"""The couple and what each partner shares with the other."""

import datetime as dt

from rest_framework import serializers

from accounts.models import User
from common.serializers import InputSerializer, OutputModelSerializer, OutputSerializer
from couples.models import Couple, DelayedEnd
from couples.serializers.boundaries import BoundaryOutput
from couples.serializers.space import SpaceOutput


class PartnerSummaryOutput(OutputModelSerializer):
    class Meta:
        model = User
        fields = ["id", "display_name", "time_zone"]
        read_only_fields = fields


class CoupleOutput(OutputSerializer):
    id = serializers.UUIDField(source="couple.id")
    paired_at = serializers.DateTimeField(source="couple.created_at")
    partner = PartnerSummaryOutput()
    my_space = SpaceOutput(allow_null=True)
    partner_space = SpaceOutput(allow_null=True)


class CoupleEndInput(InputSerializer):
    delay_hours = serializers.IntegerField(
        min_value=0,
        max_value=24,
        default=0,
        help_text="Leaving safely: how many hours (0 to 24) before your partner sees that the "
        "couple ended. From now on you see it as ended, and nothing of your partner's reaches "
        "you; your partner sees everything exactly as it was until then. 0 (the default) ends "
        "it for both now. Asking again with a delay changes nothing; asking again without one "
        "ends it for both now.",
    )


class CoupleEndOutput(serializers.Serializer):
    id = serializers.UUIDField()
    created_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(help_text="When it ended for you.")
    partner_sees_it_at = serializers.DateTimeField(
        help_text="When your partner learns that it ended: `ended_at`, or later when you "
        "asked for a delay."
    )

    @staticmethod
    def shape(couple: Couple, delayed: DelayedEnd | None) -> dict:
        ended_at: dt.datetime | None = couple.ended_at
        seen_at = ended_at
        if delayed is not None and delayed.completed_at is None:
            ended_at, seen_at = delayed.requested_at, delayed.due_at
        return {
            "id": couple.pk,
            "created_at": couple.created_at,
            "ended_at": ended_at,
            "partner_sees_it_at": seen_at,
        }


class SharedLoveLanguagesOutput(OutputSerializer):
    receiving = serializers.ListField(child=serializers.CharField())
    giving = serializers.ListField(child=serializers.CharField())
    small_things = serializers.ListField(child=serializers.CharField())


class SharedAloneTimeWindowOutput(OutputSerializer):
    weekday = serializers.IntegerField(help_text="0 = Monday.")
    start = serializers.CharField(help_text="HH:MM, the partner's local time.")
    end = serializers.CharField(help_text="HH:MM, the partner's local time.")


class SharedPreferencesOutput(OutputSerializer):
    alone_time_windows = SharedAloneTimeWindowOutput(many=True)
    time_zone = serializers.CharField(
        help_text="The partner's IANA time zone: their alone-time windows are local times in it."
    )
    connection_activities = serializers.ListField(child=serializers.CharField())
    connection_activities_other = serializers.CharField()
    response_pace = serializers.CharField(allow_null=True)
    reassurance = serializers.CharField()


class CouplePartnerOutput(OutputSerializer):
    """What the partner chose to share. A section they keep to themselves is null, exactly
    as if it were never set: the shape tells nothing."""

    id = serializers.UUIDField(source="partner.id")
    display_name = serializers.CharField(source="partner.display_name")
    time_zone = serializers.CharField(source="partner.time_zone")
    love_languages = SharedLoveLanguagesOutput(allow_null=True)
    preferences = SharedPreferencesOutput(allow_null=True)
    attachment_style = serializers.CharField(allow_null=True)
    boundaries = BoundaryOutput(many=True)
