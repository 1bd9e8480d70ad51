"""OpenAPI: the error responses Haven adds to drf-standardized-errors' (409, 413, 422) and
the `Idempotency-Key` header on creating POSTs."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum
from rest_framework import serializers

from common.throttling import FailClosedThrottle

BODY_METHODS = {"POST", "PUT", "PATCH"}


class _ClientError(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code.")
    detail = serializers.CharField(help_text="For people; translated.")
    attr = serializers.CharField(allow_null=True)


class ErrorResponse409Serializer(serializers.Serializer):
    """A conflict: the request raced another, or names something no longer current.
    Some 409s add documented top-level fields (e.g. the current revision)."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = _ClientError(many=True)  # type: ignore[assignment]


class ErrorResponse413Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = _ClientError(many=True)  # type: ignore[assignment]


class ErrorResponse422Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = _ClientError(many=True)  # type: ignore[assignment]


class ErrorResponse503Serializer(serializers.Serializer):
    """A dependency is down and this endpoint fails closed (e.g. invite codes while the
    guessing counters cannot be kept)."""

    type = serializers.ChoiceField(choices=ServerErrorEnum.choices)
    errors = _ClientError(many=True)  # type: ignore[assignment]


EXTRA_ERROR_SERIALIZERS = {
    "409": ErrorResponse409Serializer,
    "413": ErrorResponse413Serializer,
    "422": ErrorResponse422Serializer,
    "503": ErrorResponse503Serializer,
}

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    name="Idempotency-Key",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="A unique value (e.g. a UUID) per intended creation. A retry with the same "
    "key and body returns the first response; the same key with another body gets 422; "
    "while the first is still running, 409.",
)


class AutoSchema(StandardizedErrorsAutoSchema):
    def _handler_is_idempotent(self) -> bool:
        action = getattr(self.view, "action", None) or self.method.lower()
        return bool(getattr(getattr(self.view, action, None), "idempotent", False))

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code in ("409", "422"):
            return status_code not in responses and (
                self._handler_is_idempotent() or getattr(self.view, "may_conflict", False)
            )
        if status_code == "503":
            return status_code not in responses and any(
                issubclass(throttle, FailClosedThrottle) for throttle in self.view.throttle_classes
            )
        if status_code == "413":
            return status_code not in responses and self.method in BODY_METHODS
        return super()._should_add_error_response(responses, status_code)

    def _get_error_response_serializer(self, status_code: str):
        return EXTRA_ERROR_SERIALIZERS.get(status_code) or super()._get_error_response_serializer(
            status_code
        )

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "POST" and self._handler_is_idempotent():
            parameters.append(IDEMPOTENCY_KEY_PARAMETER)
        return parameters
