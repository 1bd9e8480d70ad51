from django.conf import settings
from rest_framework import serializers

from accounts.models import User
from accounts.validators import validate_time_zone


class MeOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "time_zone", "locale", "date_joined"]
        read_only_fields = fields


class MeUpdateInput(serializers.Serializer):
    """Only these are writable; email, staff flags and ids are ignored if sent."""

    display_name = serializers.CharField(max_length=60, allow_blank=True, required=False)
    time_zone = serializers.CharField(
        max_length=64, required=False, validators=[validate_time_zone]
    )
    locale = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
