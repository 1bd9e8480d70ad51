"""Cursor pages, and the two validators every page request goes through: `timestamp_parse`
for a client-sent timestamp (`updated_since`, a sync cursor's moment) and `cursor_invalid` for a
cursor that does not decode to a position the list could have sent. Both answer a 400 (`invalid`,
`attr` naming the parameter); nothing a client sends in a query reaches the database unchecked."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import pagination, serializers
from rest_framework.exceptions import NotFound

# PostgreSQL keeps offsets within ±15:59; Python's own limit is a day.
MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)


def timestamp_parse(raw: str, *, param: str) -> datetime:
    """An ISO 8601 timestamp from a query, as an aware UTC datetime; anything else (month 13,
    hour 25, an offset beyond ±15:59, a moment outside the calendar once in UTC) is a 400."""
    try:
        parsed = parse_datetime(raw.replace(" ", "+")) if "\x00" not in raw else None
        if parsed is not None:
            offset = parsed.utcoffset()
            if offset is not None and abs(offset) > MAX_UTC_OFFSET:
                parsed = None
            else:
                parsed = parsed.replace(tzinfo=UTC) if offset is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        raise serializers.ValidationError(
            {param: [_("Use an ISO 8601 timestamp, e.g. 2026-01-31T08:00:00Z.")]},
            code="invalid",
        )
    return parsed


def cursor_invalid(param: str) -> serializers.ValidationError:
    """The one answer to a cursor the server did not send (or that no longer decodes)."""
    return serializers.ValidationError({param: [_("This cursor is not valid.")]}, code="invalid")


def cursor_position_clean(raw: str, *, field: models.Field, param: str) -> str:
    """A decoded cursor's position, checked against the ordering field it pages by and
    returned in the form the list itself writes (`str` of the value), or a 400."""
    if "\x00" in raw:
        raise cursor_invalid(param)
    if isinstance(field, models.DateTimeField):
        try:
            return str(timestamp_parse(raw, param=param))
        except serializers.ValidationError:
            raise cursor_invalid(param) from None
    try:
        value: Any = field.to_python(raw)
        field.run_validators(value)
    except (ValidationError, ValueError, TypeError, OverflowError):
        raise cursor_invalid(param) from None
    if value is None:
        raise cursor_invalid(param)
    return str(value)


class CursorPagination(pagination.CursorPagination):
    """Cursor pages for feeds: stable under inserts, never an offset a client can walk."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-id")

    def paginate_queryset(self, queryset, request, view=None):
        self._queryset = queryset
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        try:
            if encoded is not None:  # DRF's decoder skips what is not base64: this one does not
                base64.b64decode(encoded.encode("ascii"), validate=True)
            cursor = super().decode_cursor(request)
        except (NotFound, ValueError):  # binascii.Error and UnicodeError are ValueErrors
            raise cursor_invalid(self.cursor_query_param) from None
        if cursor is None or cursor.position is None:
            return cursor
        name = self.ordering[0].lstrip("-")
        try:
            field = self._queryset.model._meta.get_field(name)
        except FieldDoesNotExist:  # an annotation (e.g. the version a viewer sees)
            field = self._queryset.query.annotations[name].output_field
        position = cursor_position_clean(
            cursor.position, field=field, param=self.cursor_query_param
        )
        return pagination.Cursor(offset=cursor.offset, reverse=cursor.reverse, position=position)
