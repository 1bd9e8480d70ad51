"""Appreciations, pings and one-tap reassurances: small messages that ask for no reply."""

from drf_spectacular.utils import extend_schema_field
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers

from accounts.models import LoveLanguage
from common.serializers import InputSerializer, OutputModelSerializer, ToneHintsField
from couples.models import Appreciation, Ping, Reassurance
from couples.models.messages import REASSURANCE_LINES


class AppreciationInput(InputSerializer):
    text = serializers.CharField(max_length=500)
    love_language = serializers.ChoiceField(
        choices=LoveLanguage.choices, required=False, allow_blank=True, default=""
    )


class AppreciationOutput(OutputModelSerializer):
    author_id = serializers.UUIDField(read_only=True)
    recipient_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Appreciation
        fields = [
            "id",
            "author_id",
            "recipient_id",
            "text",
            "love_language",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AppreciationCreateOutput(AppreciationOutput):
    """The answer to the author only: their note plus `tone_hints` on its wording."""

    tone_hints = ToneHintsField(fields=["text"])

    class Meta(AppreciationOutput.Meta):
        fields = [*AppreciationOutput.Meta.fields, "tone_hints"]
        read_only_fields = fields


class PingOutput(OutputModelSerializer):
    sender_id = serializers.UUIDField(read_only=True)
    recipient_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Ping
        fields = ["id", "sender_id", "recipient_id", "created_at"]
        read_only_fields = fields


class ReassuranceInput(InputSerializer):
    """A line chosen by its code; nothing else is read (there is no free text to send)."""

    line = serializers.ChoiceField(
        choices=REASSURANCE_LINES,
        help_text="`their_words`: the words my partner said they like to hear (only while "
        "they share them). Any other code: one of Haven's own lines "
        "(GET reassurances/lines lists them with their words).",
    )


def reassurance_text(reassurance: Reassurance, words: dict) -> str | None:
    """The words of a reassurance as the viewer may read them (`words` comes from
    `selectors.reassurance_words_seen_by`): Haven's line in the viewer's language, or the
    recipient's own words while the viewer may read them."""
    if reassurance.line == Reassurance.THEIR_WORDS:
        return words.get(reassurance.recipient_id)
    return str(reassurance.get_line_display())


# Built with `words` in the context (`selectors.reassurance_words_seen_by`). (A comment, not
# a docstring: the OpenAPI schema shows docstrings to app developers.)
class ReassuranceOutput(OutputModelSerializer):
    """A one-tap reassurance, as I may read it."""

    sender_id = serializers.UUIDField(read_only=True)
    recipient_id = serializers.UUIDField(read_only=True)
    text = serializers.SerializerMethodField(
        help_text="The line, in my language. For `their_words`: the recipient's words as they "
        "read now; null once I may no longer read them (they stopped sharing them, or we are "
        "no longer a couple)."
    )

    class Meta:
        model = Reassurance
        fields = ["id", "sender_id", "recipient_id", "line", "text", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_text(self, reassurance: Reassurance) -> str | None:
        return reassurance_text(reassurance, self.context["words"])


class ReassuranceLineOutput(serializers.Serializer):
    line = serializers.CharField()
    text = serializers.CharField(help_text="In my language; for `their_words`, my partner's words.")


class ReassuranceLinesOutput(serializers.Serializer):
    """The lines I can send now: my partner's own words first, when they share them."""

    lines = ReassuranceLineOutput(many=True)


class _MessageError(serializers.Serializer):
    detail = serializers.CharField(help_text="For people; translated.")
    attr = serializers.CharField(allow_null=True)


class AppreciationForbiddenError(_MessageError):
    code = serializers.ChoiceField(
        choices=[("not_author", "Only the author takes an appreciation back.")]
    )


class AppreciationForbiddenOutput(serializers.Serializer):
    """403 to the partner who received the appreciation: only its author unsends it."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = AppreciationForbiddenError(many=True)  # type: ignore[assignment]


class ReassuranceBudgetError(_MessageError):
    code = serializers.ChoiceField(
        choices=[
            ("reassurance_budget_spent", "Today's reassurances are sent."),
            ("throttled", "Too many requests in a short time."),
        ]
    )


class ReassuranceBudgetSpentOutput(serializers.Serializer):
    """429 once today's reassurances are sent (in the sender's own day); the Retry-After
    header says how many seconds until that day ends."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = ReassuranceBudgetError(many=True)  # type: ignore[assignment]
