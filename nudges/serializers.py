from django.conf import settings
from rest_framework import serializers

from nudges.models import Device


class DeviceRegisterInput(serializers.Serializer):
    token = serializers.CharField(max_length=4096)
    platform = serializers.ChoiceField(choices=Device.Platform.choices)
    app_version = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    locale = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, allow_blank=True, default=""
    )


class DeviceOutput(serializers.ModelSerializer):
    class Meta:
        model = Device
        # The token itself is never echoed back: it is a credential for reaching the phone.
        fields = [
            "id",
            "platform",
            "app_version",
            "locale",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
