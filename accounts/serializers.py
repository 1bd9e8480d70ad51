from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from accounts.models import (
    ALONE_TIME_WINDOWS_MAX,
    CONNECTION_ACTIVITIES_OTHER_MAX_LENGTH,
    REASSURANCE_MAX_LENGTH,
    RULE_MESSAGES,
    SMALL_THING_MAX_LENGTH,
    SMALL_THINGS_MAX,
    WINDOW_END_PATTERN,
    WINDOW_START_PATTERN,
    AttachmentStyle,
    ConnectionActivity,
    LoveLanguage,
    ResponsePace,
    User,
    first_overlapping_window,
    love_language_ranking_error,
    window_span_error,
)
from accounts.selectors import consent_current_of
from accounts.sessions import device_summary, session_fingerprint
from accounts.validators import validate_time_zone
from common.serializers import (
    InputSerializer,
    OutputModelSerializer,
    ToneHintsField,
    WholeItemSerializer,
)


class MeOutput(OutputModelSerializer):
    consent_required = serializers.SerializerMethodField(
        help_text="True until the person accepts the current privacy notice (a new version "
        "asks again): the app shows the notice and answers with POST me/consent."
    )

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "time_zone",
            "locale",
            "date_joined",
            "consent_required",
        ]
        read_only_fields = fields

    def get_consent_required(self, person: User) -> bool:
        # Read with the person when they were authenticated (`accepted_current_notice`), when
        # the view passes it on; else asked now.
        accepted = self.context.get("accepted_current_notice")
        if accepted is not None:
            return not accepted
        return consent_current_of(user=person) is None


class AccountDeleteInput(InputSerializer):
    password = serializers.CharField(
        max_length=4096,
        trim_whitespace=False,
        help_text="The person's password, asked again: deleting cannot be undone.",
    )


class ConsentInput(InputSerializer):
    notice_version = serializers.CharField(
        max_length=32, help_text="The version of the privacy notice the person read."
    )
    sensitive_data = serializers.BooleanField(
        help_text="Explicit consent to Haven keeping mood, energy and notes about a "
        "relationship (sensitive data). Must be true."
    )
    age_confirmed = serializers.BooleanField(
        help_text="The person is old enough (MINIMUM_AGE, 16 by default). Must be true."
    )


class ConsentOutput(serializers.Serializer):
    notice_version = serializers.CharField()
    notice_url = serializers.CharField()
    minimum_age = serializers.IntegerField()
    consent_required = serializers.BooleanField()
    accepted_at = serializers.DateTimeField(allow_null=True)


class ExportOutput(serializers.Serializer):
    """The export document. Besides these keys it carries one key per registered section
    (account, consent, love_languages, preferences, boundaries, checkins, agreements, …);
    see the README's "Your data"."""

    format = serializers.CharField(help_text='"haven-export/1"')
    exported_at = serializers.DateTimeField()


class MeUpdateInput(InputSerializer):
    """Only these are writable; email, staff flags and ids are ignored if sent."""

    display_name = serializers.CharField(max_length=60, allow_blank=True, required=False)
    time_zone = serializers.CharField(
        max_length=64, required=False, validators=[validate_time_zone]
    )
    locale = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)


# --- Love languages and space/connection preferences --------------------------------------------
# PUT sends every field (missing ones take the defaults below); PATCH sends some (partial=True,
# where DRF applies no defaults). Errors name the exact item: "alone_time_windows.1.end".

# Every free-text field says who can see it (DESIGN, principle 2).
SEEN_BY_PARTNER = "Seen by the partner while shared_with_partner is true; by no one else."


def _item_error(index: int, code: str, key: str | None = None) -> serializers.ValidationError:
    detail = ErrorDetail(str(RULE_MESSAGES[code]), code=code)
    return serializers.ValidationError({str(index): {key: [detail]} if key else [detail]})


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "enum": LoveLanguage.values},
        "description": "All five love languages, most important first, each once; or [] "
        "for not ranked yet.",
    },
    # One named schema for the four rankings (receiving and giving, in and out), so the
    # love languages are one enum in the API rather than one per field name.
    component_name="LoveLanguageRanking",
)
class LoveLanguageRankingField(serializers.ListField):
    """All five love languages, most important first, each once; or [] for "not ranked"."""

    child = serializers.ChoiceField(choices=LoveLanguage.choices)

    def to_internal_value(self, data):
        ranking = super().to_internal_value(data)
        problem = love_language_ranking_error(ranking)
        if problem is not None:
            code, index = problem
            if index is not None:
                raise _item_error(index, code)
            raise serializers.ValidationError(RULE_MESSAGES[code], code=code)
        return ranking


class LoveLanguagesInput(InputSerializer):
    receiving = LoveLanguageRankingField(default=list)
    giving = LoveLanguageRankingField(default=list)
    small_things = serializers.ListField(
        child=serializers.CharField(
            max_length=SMALL_THING_MAX_LENGTH,
            error_messages={"blank": RULE_MESSAGES["blank_small_thing"]},
        ),
        max_length=SMALL_THINGS_MAX,
        default=list,
        help_text="Small things that land well. " + SEEN_BY_PARTNER,
    )
    shared_with_partner = serializers.BooleanField(default=True)


class LoveLanguagesOutput(serializers.Serializer):
    receiving = LoveLanguageRankingField()
    giving = LoveLanguageRankingField()
    small_things = serializers.ListField(child=serializers.CharField())
    shared_with_partner = serializers.BooleanField()
    updated_at = serializers.DateTimeField(
        allow_null=True, help_text="None until the person first saves."
    )


class AloneTimeWindowSerializer(WholeItemSerializer):
    """A window of alone time on one weekday, in the person's local time. A window that
    crosses midnight is two windows: until 24:00, and from 00:00 on the next day."""

    weekday = serializers.IntegerField(
        min_value=0, max_value=6, help_text="0 is Monday, 6 is Sunday."
    )
    start = serializers.RegexField(
        WINDOW_START_PATTERN,
        help_text="HH:MM, 24-hour, local time.",
        error_messages={"invalid": RULE_MESSAGES["invalid_time"]},
    )
    end = serializers.RegexField(
        WINDOW_END_PATTERN,
        help_text="HH:MM, 24-hour, local time; after start; 24:00 is midnight at the day's end.",
        error_messages={"invalid": RULE_MESSAGES["invalid_time"]},
    )

    def validate(self, attrs):
        problem = window_span_error(attrs["start"], attrs["end"])
        if problem is not None:
            raise serializers.ValidationError(
                {"end": [ErrorDetail(str(RULE_MESSAGES[problem]), code=problem)]}
            )
        return attrs


class PreferencesInput(InputSerializer):
    # A ListField rather than many=True: a list-level error then names the field itself
    # ("alone_time_windows"), not "alone_time_windows.non_field_errors".
    alone_time_windows = serializers.ListField(
        child=AloneTimeWindowSerializer(), max_length=ALONE_TIME_WINDOWS_MAX, default=list
    )
    connection_activities = serializers.ListField(
        child=serializers.ChoiceField(choices=ConnectionActivity.choices),
        max_length=len(ConnectionActivity.values),
        default=list,
    )
    connection_activities_other = serializers.CharField(
        max_length=CONNECTION_ACTIVITIES_OTHER_MAX_LENGTH,
        allow_blank=True,
        default="",
        help_text="Anything the list misses. " + SEEN_BY_PARTNER,
    )
    response_pace = serializers.ChoiceField(
        choices=ResponsePace.choices, allow_null=True, default=None
    )
    reassurance = serializers.CharField(
        max_length=REASSURANCE_MAX_LENGTH,
        allow_blank=True,
        default="",
        help_text="What the person likes to hear. " + SEEN_BY_PARTNER,
    )
    shared_with_partner = serializers.BooleanField(default=True)
    attachment_style = serializers.ChoiceField(
        choices=AttachmentStyle.choices,
        allow_null=True,
        default=None,
        help_text="Optional. Private unless attachment_style_shared is true.",
    )
    attachment_style_shared = serializers.BooleanField(default=False)

    def validate_alone_time_windows(self, windows):
        overlapping = first_overlapping_window(windows)
        if overlapping is not None:
            raise _item_error(overlapping, "window_overlap", key="start")
        return windows

    def validate_connection_activities(self, activities):
        for index, code in enumerate(activities):
            if code in activities[:index]:
                raise _item_error(index, "duplicate_activity")
        return activities


class PreferencesOutput(serializers.Serializer):
    alone_time_windows = AloneTimeWindowSerializer(many=True)
    connection_activities = serializers.ListField(
        child=serializers.ChoiceField(choices=ConnectionActivity.choices)
    )
    connection_activities_other = serializers.CharField()
    response_pace = serializers.ChoiceField(choices=ResponsePace.choices, allow_null=True)
    reassurance = serializers.CharField()
    shared_with_partner = serializers.BooleanField()
    attachment_style = serializers.ChoiceField(choices=AttachmentStyle.choices, allow_null=True)
    attachment_style_shared = serializers.BooleanField()
    updated_at = serializers.DateTimeField(
        allow_null=True, help_text="None until the person first saves."
    )


class LoveLanguagesWriteOutput(LoveLanguagesOutput):
    """The answer to the person's own write: gentle tone hints on the small things."""

    tone_hints = ToneHintsField(fields=["small_things"])


class PreferencesWriteOutput(PreferencesOutput):
    """The answer to the person's own write: gentle tone hints on their free text."""

    tone_hints = ToneHintsField(fields=["reassurance", "connection_activities_other"])


class SignedInSessionOutput(serializers.Serializer):
    """One of my sign-ins. Deliberately little: no address, no "last seen", no place."""

    id = serializers.SerializerMethodField(help_text="A stable name for this sign-in.")
    device = serializers.SerializerMethodField(
        help_text='A few words for the device ("iPhone", "Android phone"), never more.'
    )
    signed_in_at = serializers.DateTimeField(source="created_at")
    current = serializers.SerializerMethodField(help_text="The sign-in making this request.")

    def get_id(self, row) -> str:
        return session_fingerprint(row.session_key)

    def get_device(self, row) -> str:
        return device_summary(row.user_agent)

    def get_current(self, row) -> bool:
        return row.session_key == self.context.get("current_session_key")


class SignOutOthersOutput(serializers.Serializer):
    signed_out = serializers.IntegerField(
        help_text="How many other sign-ins ended now (0 when there were none)."
    )
