from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.i18n import shipped_languages
from common.serializers import InputSerializer, OutputModelSerializer
from nudges.kinds import KIND_NAMES, relation_names
from nudges.models import Device, Notification, NudgeSettings
from nudges.naming import notification_text
from nudges.selectors import names_read_with

CHANNELS = ("push", "email")


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
        "example": "08:00",
        "description": "Local time of day: answered as HH:MM (24-hour); HH:MM:SS is accepted "
        "and rounded down to the minute.",
    }
)
class HourMinuteField(serializers.TimeField):
    """A time of day on the wire as "HH:MM" (not OpenAPI's `format: time`, which means RFC
    3339's HH:MM:SS with an offset)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DeviceRegisterInput(InputSerializer):
    token = serializers.CharField(max_length=4096)
    platform = serializers.ChoiceField(choices=Device.Platform.choices)
    app_version = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    locale = serializers.CharField(
        max_length=35,
        required=False,
        allow_blank=True,
        default="",
        help_text="The phone's language tag (`es`, `es-MX`, `de-DE`). Recorded as the shipped "
        "language it names, or blank for one Haven does not ship: what Haven sends follows "
        "the person's own `locale` either way, so a phone in any language can register.",
    )

    def validate_locale(self, value: str) -> str:
        base = value.strip().replace("_", "-").split("-")[0].lower()
        return base if base in shipped_languages() else ""


class DeviceOutput(OutputModelSerializer):
    # Blank when the app did not say (declared: a read-only model field loses `allow_blank`).
    locale = serializers.ChoiceField(choices=settings.LANGUAGES, allow_blank=True, read_only=True)

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


class _KindListField(serializers.ListField):
    """A list of registered nudge kinds, each at most once."""

    def __init__(self, **kwargs):
        super().__init__(
            child=serializers.ChoiceField(choices=KIND_NAMES),
            allow_empty=True,
            max_length=64,
            **kwargs,
        )

    def to_internal_value(self, data):
        return sorted(set(super().to_internal_value(data)))


class NudgeSettingsInput(InputSerializer):
    """Every field optional (PATCH). Caps only go down from Haven's defaults."""

    checkin_time = HourMinuteField(required=False)
    quiet_start = HourMinuteField(required=False)
    quiet_end = HourMinuteField(required=False)
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=CHANNELS), required=False, max_length=2
    )
    opted_out_kinds = _KindListField(required=False)
    space_allowed_kinds = _KindListField(required=False)
    daily_cap = serializers.IntegerField(
        required=False, min_value=0, max_value=settings.NUDGE_DAILY_CAP
    )
    weekly_cap = serializers.IntegerField(
        required=False, min_value=0, max_value=settings.NUDGE_WEEKLY_CAP
    )
    discreet = serializers.BooleanField(required=False)
    quiet_exit = serializers.BooleanField(
        required=False,
        help_text="Quiet exit: nothing reaches your phone or email any more (no push, no "
        "email), at once, including what was on its way; everything waits in the in-app "
        "inbox. Turn it off whenever you like.",
    )

    def validate_channels(self, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError(
                _("Name each channel once, in the order you prefer."), code="duplicate"
            )
        return value

    def validate(self, attrs):
        for name in ("checkin_time", "quiet_start", "quiet_end"):
            if name in attrs:  # whole minutes: the planner works minute by minute
                attrs[name] = attrs[name].replace(second=0, microsecond=0)
        return attrs


class NudgeSettingsOutput(OutputModelSerializer):
    checkin_time = HourMinuteField()
    quiet_start = HourMinuteField()
    quiet_end = HourMinuteField()
    channels = serializers.ListField(child=serializers.ChoiceField(choices=CHANNELS))
    opted_out_kinds = serializers.ListField(child=serializers.CharField())
    space_allowed_kinds = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = NudgeSettings
        fields = [
            "time_zone",
            "checkin_time",
            "quiet_start",
            "quiet_end",
            "channels",
            "opted_out_kinds",
            "space_allowed_kinds",
            "daily_cap",
            "weekly_cap",
            "discreet",
            "quiet_exit",
            "updated_at",
        ]
        read_only_fields = fields


class NotificationOutput(OutputModelSerializer):
    """A notification as its reader sees it now: names are rendered at read time (a former
    partner reads "your former partner"). Views build it with the viewer in its context."""

    sent_at = serializers.DateTimeField(source="due_at", read_only=True)
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()

    def _names(self, notification: Notification) -> dict:
        """Who the row's actor is to the reader: as the inbox's statement read it beside the
        row (`names_read_with`), else asked once per response (a page shares the context)."""
        read = names_read_with(notification)
        if read is not None:
            return read
        context: Any = self.context
        if "_relation_names" not in context:
            viewer = context.get("viewer")
            context["_relation_names"] = relation_names(viewer) if viewer else {}
        return context["_relation_names"]

    def get_title(self, notification: Notification) -> str:
        return notification_text(
            notification, notification.title, lambda: self._names(notification)
        )

    def get_body(self, notification: Notification) -> str:
        return notification_text(notification, notification.body, lambda: self._names(notification))

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "subject_id",
            "title",
            "body",
            "sent_at",
            "read_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class UnsubscribeOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="The kind of nudge now turned off.")
    unsubscribed = serializers.BooleanField()
