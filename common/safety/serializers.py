"""Output shapes of crisis resources, the `safety` block and the safety page."""

from __future__ import annotations

from rest_framework import serializers

from common.safety.countries import SELECTED_BY
from common.safety.models import CrisisLine
from common.safety.resources import SERVED_FROM


class CrisisResourcesQuery(serializers.Serializer):
    country = serializers.CharField(
        required=False,
        help_text="ISO 3166-1 alpha-2 (e.g. DE), any case. Anything that is not two letters "
        "is ignored, and the next way of choosing a country is used.",
    )


class CrisisLineOutput(serializers.Serializer):
    country = serializers.CharField(help_text='ISO 3166-1 alpha-2, or "" for international.')
    kind = serializers.ChoiceField(choices=CrisisLine.Kind.choices)
    name = serializers.CharField()
    phone = serializers.CharField(help_text="To call; empty when there is none.")
    text_number = serializers.CharField(help_text="To text; empty when there is none.")
    web_url = serializers.CharField(help_text="Empty when there is none.")
    hours = serializers.CharField(help_text='e.g. "24/7"; empty when not known.')
    languages = serializers.ListField(
        child=serializers.CharField(), help_text="Language codes the line answers in."
    )
    # DRF's metaclass takes declared fields off the class, so this never shadows
    # `Field.source`; mypy sees only the class body.
    source = serializers.CharField(  # type: ignore[assignment]
        help_text="The organisation's own page for this line."
    )
    verified = serializers.BooleanField(help_text="Always true: unverified lines are not served.")
    verified_on = serializers.DateField(
        allow_null=True, help_text="The day an operator last checked it against its source."
    )


class CrisisResourcesOutput(serializers.Serializer):
    country = serializers.CharField(
        allow_null=True, help_text="The country answered for; null for the international list."
    )
    selected_by = serializers.ChoiceField(
        choices=SELECTED_BY,
        help_text="What chose the country: `query` (?country=), `time_zone` (the signed-in "
        "person's), `accept_language` (its region), or `none`.",
    )
    emergency = CrisisLineOutput(many=True, help_text="Emergency numbers; may be empty.")
    crisis = CrisisLineOutput(many=True, help_text="Crisis and suicide lines; may be empty.")
    domestic_violence = CrisisLineOutput(many=True, help_text="May be empty.")
    directories = CrisisLineOutput(
        many=True, help_text="International directories of helplines; never empty."
    )
    served_from = serializers.ChoiceField(
        choices=SERVED_FROM,
        help_text="`database`; `baked` (the copy made at deploy time, while the database "
        "cannot answer); `built_in` (only the international directory).",
    )


class SafetyOutput(serializers.Serializer):
    message = serializers.CharField(help_text="One calm sentence; translated.")
    resources = CrisisResourcesOutput()


class SafetyPageSectionOutput(serializers.Serializer):
    key = serializers.CharField(help_text="Stable: phone_monitoring, discreet_mode, and so on.")
    title = serializers.CharField(help_text="Translated.")
    body = serializers.CharField(help_text="Translated; plain text, paragraphs split by \\n\\n.")
    route = serializers.CharField(
        allow_null=True, help_text="The API route of the feature it describes, if any."
    )


class SafetyPageOutput(serializers.Serializer):
    title = serializers.CharField()
    introduction = serializers.CharField()
    sections = SafetyPageSectionOutput(many=True)
