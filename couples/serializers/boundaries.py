"""Boundaries, their versions, and the 403 a partner gets for changing one."""

from rest_framework import serializers

from common.serializers import InputSerializer, OutputModelSerializer, ToneHintsField
from couples.models import Boundary, BoundaryRevision


class BoundaryCreateInput(InputSerializer):
    kind = serializers.ChoiceField(choices=Boundary.Kind.choices)
    text = serializers.CharField(max_length=500)
    visibility = serializers.ChoiceField(
        choices=Boundary.Visibility.choices,
        required=False,
        default=Boundary.Visibility.PRIVATE,
        help_text="Private (only me) unless I choose to share it.",
    )
    revisit_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A day to look at it again, after today in my own time zone.",
    )


class BoundaryUpdateInput(InputSerializer):
    """Only the fields sent change; `revisit_on: null` clears the revisit date."""

    kind = serializers.ChoiceField(choices=Boundary.Kind.choices, required=False)
    text = serializers.CharField(max_length=500, required=False)
    visibility = serializers.ChoiceField(choices=Boundary.Visibility.choices, required=False)
    revisit_on = serializers.DateField(required=False, allow_null=True)


class BoundaryOutput(OutputModelSerializer):
    """A boundary as the caller sees it. Built from `selectors.boundaries_visible_to`, whose
    annotations say whose it is and who read the current version."""

    owner_id = serializers.UUIDField(read_only=True)
    is_mine = serializers.BooleanField(read_only=True)
    version = serializers.IntegerField(
        source="seen_version",
        read_only=True,
        help_text="On my own boundary: its version, counting every change. On my partner's: "
        "how many versions they shared with me, so it counts only what I could read.",
    )
    acknowledged_by_partner = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="On my own boundary: true once my partner has read the current version, "
        "and null otherwise (never false: their acknowledgement is a gift, not something "
        "owed). Null on my partner's.",
    )
    acknowledged_by_me = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="On my partner's boundary: I have read the current version. Null on my own.",
    )

    class Meta:
        model = Boundary
        fields = [
            "id",
            "owner_id",
            "is_mine",
            "kind",
            "text",
            "visibility",
            "revisit_on",
            "version",
            "retired_at",
            "created_at",
            "updated_at",
            "acknowledged_by_partner",
            "acknowledged_by_me",
        ]
        read_only_fields = fields


class BoundaryWriteOutput(BoundaryOutput):
    """The owner's own write, with gentle tone hints on its text (only ever shown to the
    person who wrote it)."""

    tone_hints = ToneHintsField(fields=["text"])

    class Meta(BoundaryOutput.Meta):
        fields = [*BoundaryOutput.Meta.fields, "tone_hints"]
        read_only_fields = fields


class BoundaryRevisionOutput(OutputModelSerializer):
    """One version, from `selectors.boundary_revisions_visible_to`."""

    version = serializers.IntegerField(
        source="seen_version",
        read_only=True,
        help_text="Numbered as the boundary's `version` is for me: my partner's history "
        "counts only the versions they shared.",
    )

    class Meta:
        model = BoundaryRevision
        fields = ["version", "kind", "text", "visibility", "revisit_on", "created_at"]
        read_only_fields = fields


class BoundaryForbiddenError(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            ("not_owner", "Only the owner changes, retires or restores a boundary."),
            ("own_boundary", "The owner cannot acknowledge their own boundary."),
        ]
    )
    detail = serializers.CharField(help_text="For people; translated.")
    attr = serializers.CharField(allow_null=True)


class BoundaryForbiddenOutput(serializers.Serializer):
    """403 on a boundary the caller can see but may not do this to. One the caller cannot
    see is a 404, like an id that never existed."""

    type = serializers.ChoiceField(choices=[("client_error", "client_error")])
    errors = BoundaryForbiddenError(many=True)  # type: ignore[assignment]
