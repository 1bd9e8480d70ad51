"""OpenAPI: the error responses Haven adds to drf-standardized-errors' (409, 413, 422), the
error codes each operation answers beyond what the library derives from its serializers
(`ERROR_CODES`, `VALIDATION_CODES`), the `Idempotency-Key` header on creating POSTs, fields
only the author is answered (`author_only_fields`: optional), and list items named as the
server names them (`small_things.0`, by `postprocess_list_item_attrs`).

The schema tells the truth: tests/fixtures/schema_truth.py records every answer the test suite
receives and fails the run when one is not declared here or by the library."""

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.plumbing import force_instance
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer
from drf_standardized_errors import openapi_serializers as standardized
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum
from drf_standardized_errors.openapi_utils import (
    get_flat_serializer_fields,
    get_serializer_fields_with_error_codes,
)
from inflection import camelize
from rest_framework import serializers

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


class _UnavailableError(serializers.Serializer):
    code = serializers.ChoiceField(choices=[("service_unavailable", "service_unavailable")])
    detail = serializers.CharField(help_text="For people; translated.")
    attr = serializers.CharField(allow_null=True)


class ErrorResponse503Serializer(serializers.Serializer):
    """A dependency is down for a moment: the database cannot be reached (any operation), or
    an endpoint that fails closed cannot keep its counters (invite codes while Redis is down).
    Nothing was done; retry after `Retry-After` seconds (a create with its Idempotency-Key)."""

    type = serializers.ChoiceField(choices=ServerErrorEnum.choices)
    errors = _UnavailableError(many=True)  # type: ignore[assignment]


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


# Error codes (without `attr`) an operation answers beyond the library's defaults, by
# operationId and status: Haven's `ApplicationError(code=...)` and DRF `NotFound` subclasses,
# which the library cannot see. A code listed here joins that status's `code` enum.
ERROR_CODES: dict[str, dict[str, set[str]]] = {
    "couple_retrieve": {"404": {"not_paired", "couple_ended"}},
    "couple_partner_retrieve": {"404": {"not_paired", "couple_ended"}},
    "couple_end": {"404": {"not_paired"}},
    "couple_space_start": {"404": {"not_paired"}},
    "couple_space_end": {"409": {"space_changed"}},
    "prompts_today": {"404": {"no_prompt_available"}},
    "agreements_create": {"404": {"not_paired"}},
    "conversations_create": {"404": {"not_paired"}},
    "reassurances_create": {"404": {"not_paired"}},
    "couple_coach_grants_create": {"404": {"coach_not_found", "not_paired"}},
    "invites_destroy": {"404": {"invite_not_found"}},
    "invites_accept_create": {
        "400": {"own_invite"},
        "404": {"invite_not_found"},
        "409": {"already_paired", "inviter_already_paired"},
    },
    "invites_decline_create": {"400": {"own_invite"}, "404": {"invite_not_found"}},
    "pings_create": {"404": {"not_paired"}, "429": {"ping_budget_spent"}},
    "appreciations_create": {"404": {"not_paired"}},
    "invites_retrieve": {"404": {"invite_not_found"}, "503": {"service_unavailable"}},
    "reassurances_lines_retrieve": {"404": {"not_paired"}},
    "agreements_retire_create": {"404": {"not_paired"}},
    "agreements_withdraw_create": {"404": {"not_paired"}},
    "checkin_acknowledge": {"403": {"own_checkin"}},
    "me_partial_update": {"403": {"permission_denied"}},
    "unsubscribe_create": {"400": {"unsubscribe_link_expired", "unsubscribe_link_invalid"}},
    "me_export": {"429": {"export_limit"}},
    "lessons_retrieve": {"404": {"lesson_not_found"}},
    "lessons_complete": {"404": {"lesson_not_found"}},
    "lessons_dismiss": {"404": {"lesson_not_found"}},
    "lessons_reflection_retrieve": {"404": {"lesson_not_found"}},
    "lessons_reflection_update": {"404": {"lesson_not_found"}},
    "lessons_share": {"404": {"lesson_not_found", "not_paired"}},
}

# Leaving safely (couples.services.leaving): while a person's delayed couple end is pending,
# what the partner could already see of theirs stays as it was; changing it answers 409.
LEAVING_IN_PROGRESS = {"409": {"leaving_in_progress"}}
for _operation in (
    "appreciations_destroy",
    "boundaries_create",
    "boundaries_partial_update",
    "boundaries_destroy",
    "boundaries_restore_create",
    "checkin_day_upsert",
    "checkin_day_update",
    "checkin_share",
    "checkin_unsend",
    "conversations_send_create",
    "conversations_withdraw_create",
    "couple_space_end",
    "me_partial_update",
    "me_love_languages_update",
    "me_love_languages_partial_update",
    "me_preferences_update",
    "me_preferences_partial_update",
):
    _codes = ERROR_CODES.setdefault(_operation, {})
    _codes["409"] = _codes.get("409", set()) | LEAVING_IN_PROGRESS["409"]

# Validation codes by operationId and `attr` (list items as `field.INDEX.sub`) beyond those
# derived from the request serializer's fields: rules checked in `validate()` and services.
# Every list with incremental sync (common.sync) validates its `updated_since` and `cursor`.
SYNC_VALIDATION_CODES: dict[str, set[str]] = {
    "updated_since": {"invalid", "sync_window_expired"},
    "cursor": {"invalid"},
}

_CHECKIN_DAY_RULES = {
    "date": {"date_out_of_range"},
    "pass": {"empty_checkin", "pass_with_answers"},
}
VALIDATION_CODES: dict[str, dict[str, set[str]]] = {
    "checkin_day_upsert": _CHECKIN_DAY_RULES,
    "checkin_day_update": _CHECKIN_DAY_RULES,
    "me_partial_update": {"time_zone": {"invalid_time_zone"}},
    "notifications_list": {"kind": {"invalid"}},
    "boundaries_create": {"revisit_on": {"revisit_on_not_in_future"}},
    "conversations_create": {
        "hold_minutes": {"hold_out_of_range"},
        "proposed_times": {"no_times", "time_in_past", "too_many_times"},
        "send_now": {"one_sending_choice"},
    },
    "couple_coach_grants_create": {"non_field_errors": {"coach_email_or_code"}},
    "boundaries_partial_update": {"revisit_on": {"revisit_on_not_in_future"}},
    "agreements_keep_create": {"review_on": {"review_on_not_in_future"}},
    "agreements_accept_create": {"review_on": {"review_on_not_in_future"}},
    "agreements_snooze_create": {"until": {"snooze_until_out_of_range"}},
    "conversations_respond_create": {
        "times": {"inside_time_asked", "no_times", "time_in_past", "too_many_times"},
        "time": {"time_not_offered"},
        "until": {"until_out_of_range"},
    },
    "me_nudge_settings_partial_update": {"channels": {"duplicate"}},
    "couple_space_end": {"tell_partner": {"invalid"}},
    "me_destroy": {"password": {"password_incorrect"}},
    "me_consent_destroy": {"password": {"password_incorrect"}},
    "me_consent_create": {
        "notice_version": {"notice_version_outdated"},
        "sensitive_data": {"consent_required"},
        "age_confirmed": {"too_young"},
    },
    "couple_space_start": {
        "check_back_at": {"check_back_required", "check_back_out_of_range"},
        "ends_at": {"space_end_out_of_range"},
    },
}


# Documented top-level fields some errors add beside `type` and `errors` (ApplicationError's
# `extra`), by operationId and status; each value makes a fresh serializer field.
def _allowed_dates() -> serializers.Field:
    return serializers.ListField(
        child=serializers.DateField(),
        required=False,
        help_text="On a check-in for a day out of range: the days that may be written "
        "(yesterday and today, in the person's time zone).",
    )


def _agreement_state() -> serializers.Field:
    return serializers.CharField(
        required=False, help_text="On a move the agreement's state does not allow: that state."
    )


def _current_revision() -> serializers.Field:
    return serializers.IntegerField(
        required=False, help_text="On a stale revision: the number of the newest one."
    )


def _current_revision_author_id() -> serializers.Field:
    return serializers.UUIDField(
        required=False, allow_null=True, help_text="On a stale revision: who wrote the newest."
    )


def _conversation_status() -> serializers.Field:
    return serializers.CharField(
        required=False, help_text="On a move the request's status does not allow: that status."
    )


_REVISION_CONFLICT = {
    "state": _agreement_state,
    "current_revision": _current_revision,
    "current_revision_author_id": _current_revision_author_id,
}

ERROR_FIELDS: dict[str, dict[str, dict[str, Callable[[], serializers.Field]]]] = {
    "checkin_day_upsert": {"400": {"allowed_dates": _allowed_dates}},
    "checkin_day_update": {"400": {"allowed_dates": _allowed_dates}},
    "agreements_create": {
        "409": {
            "open_negotiations": lambda: serializers.IntegerField(
                required=False, help_text="On too many open negotiations: how many are open."
            )
        }
    },
    "agreements_accept_create": {"409": _REVISION_CONFLICT},
    "agreements_counter_create": {"409": _REVISION_CONFLICT},
    "agreements_amend_create": {"409": {"state": _agreement_state}},
    "agreements_keep_create": {"409": {"state": _agreement_state}},
    "agreements_retire_create": {"409": {"state": _agreement_state}},
    "agreements_withdraw_create": {"409": {"state": _agreement_state}},
    "conversations_respond_create": {"409": {"status": _conversation_status}},
    "conversations_send_create": {"409": {"status": _conversation_status}},
    "conversations_withdraw_create": {"409": {"status": _conversation_status}},
    "couple_coach_grants_create": {
        "409": {
            "grant_id": lambda: serializers.UUIDField(
                required=False, help_text="On a grant already pending: its id."
            ),
            "invite_possible_at": lambda: serializers.DateTimeField(
                required=False, help_text="When the couple may invite a coach again."
            ),
        }
    },
}


def _with_fields(base: type, name: str, fields: dict[str, Callable[[], serializers.Field]]):
    attrs: dict[str, Any] = {field: make() for field, make in fields.items()}
    attrs["Meta"] = type("Meta", (), {"ref_name": name})
    return type(base.__name__, (base,), attrs)


# The codes drf-standardized-errors documents by default, per status.
_DEFAULT_CODES: dict[str, tuple[type, set[str]]] = {
    "400": (ClientErrorEnum, set(standardized.ParseErrorCodeEnum.values)),
    "401": (ClientErrorEnum, set(standardized.ErrorCode401Enum.values)),
    "403": (ClientErrorEnum, set(standardized.ErrorCode403Enum.values)),
    "404": (ClientErrorEnum, set(standardized.ErrorCode404Enum.values)),
    "405": (ClientErrorEnum, set(standardized.ErrorCode405Enum.values)),
    "415": (ClientErrorEnum, set(standardized.ErrorCode415Enum.values)),
    "429": (ClientErrorEnum, set(standardized.ErrorCode429Enum.values)),
    "500": (ServerErrorEnum, set(standardized.ErrorCode500Enum.values)),
}


def _coded_error_response(name: str, status_code: str, codes: set[str]) -> type:
    """An error response whose `code` enum is exactly `codes` (components named per
    operation; the `ErrorComponent` suffix keeps the library's enum hook off them)."""
    type_enum = _DEFAULT_CODES[status_code][0]
    choices = sorted((code, code) for code in codes)

    class CodedError(serializers.Serializer):
        code = serializers.ChoiceField(choices=choices)
        detail = serializers.CharField()
        attr = serializers.CharField(allow_null=True)

        class Meta:
            ref_name = f"{name}Error{status_code}ErrorComponent"

    class CodedErrorResponse(serializers.Serializer):
        type = serializers.ChoiceField(choices=type_enum.choices)  # type: ignore[attr-defined]
        errors = CodedError(many=True)  # type: ignore[assignment]

        class Meta:
            # A 400 is one variant of the operation's ErrorResponse400 (beside validation).
            suffix = "ClientError400" if status_code == "400" else f"ErrorResponse{status_code}"
            ref_name = f"{name}{suffix}"

    return CodedErrorResponse


_GENERIC_ERROR_RESPONSES = {
    standardized.ErrorResponse401Serializer,
    standardized.ErrorResponse403Serializer,
    standardized.ErrorResponse404Serializer,
    standardized.ErrorResponse405Serializer,
    standardized.ErrorResponse415Serializer,
    standardized.ErrorResponse429Serializer,
    standardized.ErrorResponse500Serializer,
    *EXTRA_ERROR_SERIALIZERS.values(),
}


class AutoSchema(StandardizedErrorsAutoSchema):
    def _is_delete_with_body(self) -> bool:
        """A DELETE that reads a JSON body (`DELETE me` asks for the password again): its
        body is validated like a POST's, which the library only derives for POST/PUT/PATCH."""
        return self.method == "DELETE" and self.get_request_serializer() is not None

    def _should_add_validation_error_response(self) -> bool:
        return self._is_delete_with_body() or super()._should_add_validation_error_response()

    def _determine_fields_with_error_codes(self):
        if self._is_delete_with_body():
            fields = get_flat_serializer_fields(self.get_request_serializer())
            return get_serializer_fields_with_error_codes(fields)
        return super()._determine_fields_with_error_codes()

    def _extra_codes(self, status_code: str) -> set[str]:
        return ERROR_CODES.get(self.get_operation_id(), {}).get(status_code, set())

    def _declares(self, status_code: str) -> bool:
        operation = self.get_operation_id()
        return status_code in ERROR_CODES.get(operation, {}) or bool(
            self._extra_fields(status_code)
        )

    def _extra_fields(self, status_code: str) -> dict[str, Callable[[], serializers.Field]]:
        return ERROR_FIELDS.get(self.get_operation_id(), {}).get(status_code, {})

    def _get_serializer_for_validation_error_response(self):
        serializer = super()._get_serializer_for_validation_error_response()
        fields = self._extra_fields("400")
        if not fields:
            return serializer
        name = f"{camelize(self.get_operation_id())}ValidationErrorWithFields"
        return _with_fields(serializer, name, fields)

    def _get_extra_validation_errors(self):
        extra = dict(super()._get_extra_validation_errors())
        query = {p["name"] for p in self._get_parameters() if p.get("in") == "query"}
        for attr, codes in SYNC_VALIDATION_CODES.items():
            if attr in query:
                extra[attr] = set(extra.get(attr, set())) | codes
        if self.method in BODY_METHODS:
            request = self.get_request_serializer()
            for name, field in getattr(force_instance(request), "fields", {}).items():
                items = field.child if isinstance(field, serializers.ListField) else None
                if not field.read_only and (
                    isinstance(field, serializers.ListSerializer)
                    or isinstance(items, serializers.Serializer)
                ):
                    # A list of objects with a null item: the library names only the items'
                    # own fields (`field.INDEX.start`), not the item itself.
                    extra[f"{name}.INDEX"] = set(extra.get(f"{name}.INDEX", set())) | {"null"}
        if self.method == "POST" and self._handler_is_idempotent():
            # common.idempotency: a blank key, or one longer than 255 characters.
            extra[IDEMPOTENCY_KEY_PARAMETER.name] = {"invalid"}
        for attr, codes in VALIDATION_CODES.get(self.get_operation_id(), {}).items():
            extra[attr] = set(extra.get(attr, set())) | codes
        return extra

    def _get_http400_serializer(self):
        extra = self._extra_codes("400")
        if not extra:
            return super()._get_http400_serializer()
        name = camelize(self.get_operation_id())
        variants: dict = {}
        if self._should_add_validation_error_response():
            variants["validation_error"] = self._get_serializer_for_validation_error_response()
        variants["client_error"] = _coded_error_response(
            name, "400", _DEFAULT_CODES["400"][1] | extra
        )
        return PolymorphicProxySerializer(
            component_name=f"{name}ErrorResponse400",
            serializers=variants,
            resource_type_field_name="type",
        )

    def _handler_is_idempotent(self) -> bool:
        action = getattr(self.view, "action", None) or self.method.lower()
        return bool(getattr(getattr(self.view, action, None), "idempotent", False))

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if (
            self._extra_codes(status_code) or self._extra_fields(status_code)
        ) and status_code not in responses:
            return True
        if status_code in ("409", "422"):
            return status_code not in responses and (
                self._handler_is_idempotent() or getattr(self.view, "may_conflict", False)
            )
        if status_code == "503":
            # Every operation reads the database (signing in is a session lookup).
            return status_code not in responses
        if status_code == "413":
            return status_code not in responses and self.method in BODY_METHODS
        return super()._should_add_error_response(responses, status_code)

    def _get_response_for_code(self, serializer, status_code, *args, **kwargs):
        """A view's own `responses={404: ErrorResponse404Serializer}` (or an OpenApiResponse
        around one) gets the operation's declared codes and fields too."""
        status = str(status_code)
        if status != "400" and (self._extra_codes(status) or self._extra_fields(status)):
            inner = serializer.response if isinstance(serializer, OpenApiResponse) else serializer
            if inner in _GENERIC_ERROR_RESPONSES:
                coded = self._get_error_response_serializer(status)
                if isinstance(serializer, OpenApiResponse):
                    serializer = OpenApiResponse(
                        response=coded,
                        description=serializer.description,
                        examples=serializer.examples,
                    )
                else:
                    serializer = coded
        return super()._get_response_for_code(serializer, status_code, *args, **kwargs)

    def _get_error_response_serializer(self, status_code: str):
        serializer = self._error_response_serializer(status_code)
        fields = self._extra_fields(status_code)
        if fields and status_code != "400" and serializer is not None:
            name = f"{camelize(self.get_operation_id())}ErrorResponse{status_code}WithFields"
            return _with_fields(serializer, name, fields)
        return serializer

    def _error_response_serializer(self, status_code: str):
        extra = self._extra_codes(status_code)
        if extra and status_code != "400" and status_code in _DEFAULT_CODES:
            return _coded_error_response(
                camelize(self.get_operation_id()),
                status_code,
                _DEFAULT_CODES[status_code][1] | extra,
            )
        return EXTRA_ERROR_SERIALIZERS.get(status_code) or super()._get_error_response_serializer(
            status_code
        )

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and not field.allow_blank
            and _model_field_is_blank(field)
        ):
            # DRF drops `allow_blank` from read-only fields, yet a blank model field is
            # answered as "" (e.g. a check-in's `capacity` left unsaid).
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _map_basic_serializer(self, serializer, direction):
        """A serializer's `author_only_fields` are left out of what other viewers are
        answered (see checkins.serializers.CheckInOutput), so they are not required."""
        result = super()._map_basic_serializer(serializer, direction)
        optional = set(getattr(serializer, "author_only_fields", ()))
        if optional and result.get("required"):
            result["required"] = [name for name in result["required"] if name not in optional]
            if not result["required"]:
                del result["required"]
        return result

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "POST" and self._handler_is_idempotent():
            parameters.append(IDEMPOTENCY_KEY_PARAMETER)
        return parameters


def _model_field_is_blank(field: serializers.Field) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:  # a property or a method, not a model field
        return False


# --- Postprocessing -------------------------------------------------------------------------

_PLACEHOLDERS = {
    "INDEX": "[0-9]+",  # drf-standardized-errors' LIST_INDEX_IN_API_SCHEMA
    "KEY": "[^.]+",  # its DICT_KEY_IN_API_SCHEMA
}


def _attr_pattern(names: list[str]) -> str:
    alternatives = [
        r"\.".join(_PLACEHOLDERS.get(part, re.escape(part)) for part in name.split("."))
        for name in names
    ]
    return "^(?:" + "|".join(alternatives) + ")$"


def postprocess_list_item_attrs(result: dict, generator, request, public) -> dict:
    """An error about a list item names it the way the server does, `small_things.0`; the
    library's components say `small_things.INDEX`, which no answer ever carries. Each such
    `attr` becomes a pattern (`small_things.` and digits), and the `attr` discriminator that
    maps the placeholder names is dropped (the `oneOf` still tells the variants apart: their
    `attr` values never overlap)."""
    schemas = result.get("components", {}).get("schemas", {})
    for component in schemas.values():
        attr = component.get("properties", {}).get("attr")
        names = attr.get("enum") if isinstance(attr, dict) else None
        if names and any(
            part in _PLACEHOLDERS for name in names if name for part in name.split(".")
        ):
            attr.pop("enum")
            attr["pattern"] = _attr_pattern(names)
        discriminator = component.get("discriminator")
        if (
            discriminator
            and discriminator.get("propertyName") == "attr"
            and any(
                part in _PLACEHOLDERS
                for name in discriminator.get("mapping", {})
                for part in name.split(".")
            )
        ):
            component.pop("discriminator")
    return result


def lib_doc_excludes() -> list[type]:
    """The classes whose docstrings never describe an answer in the schema: drf-spectacular's
    own (DRF's), and Haven's bases for answers, whose docstrings are notes for developers (how
    their fields are copied), not words for the API's readers (SPECTACULAR_SETTINGS)."""
    from drf_spectacular.plumbing import get_lib_doc_excludes

    from common.serializers import OutputModelSerializer, OutputSerializer

    return [*get_lib_doc_excludes(), OutputModelSerializer, OutputSerializer]
