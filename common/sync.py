"""Phone sync. A list that a phone caches accepts `updated_since`: it then returns what
changed since that moment, paged by (updated_at, id), and on its first page the ids the
caller may no longer see, so the phone can drop its stale copies."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from common.models import Tombstone
from common.pagination import CursorPagination, cursor_invalid, timestamp_parse


def tombstones_record(*, viewer_ids: Iterable[uuid.UUID], kind: str, object_id: uuid.UUID) -> None:
    """Note that these people may no longer see the object (removed, unsent, made private,
    couple ended). Recording twice only moves the moment forward."""
    tombstones_record_bulk(kind=kind, pairs=[(viewer, object_id) for viewer in viewer_ids])


def tombstones_record_bulk(*, kind: str, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> None:
    """The same for many (viewer, object) pairs at once, e.g. when a couple ends."""
    now = timezone.now()
    Tombstone.objects.bulk_create(
        [Tombstone(viewer_id=v, kind=kind, object_id=o, removed_at=now) for v, o in pairs],
        update_conflicts=True,
        unique_fields=["viewer", "kind", "object_id"],
        update_fields=["removed_at"],
    )


def tombstones_clear(*, viewer_ids: Iterable[uuid.UUID], kind: str, object_id: uuid.UUID) -> None:
    """The object is visible to these people again: it syncs as an ordinary update."""
    Tombstone.objects.filter(
        viewer_id__in=list(viewer_ids), kind=kind, object_id=object_id
    ).delete()


def tombstones_purge_expired() -> int:
    cutoff = timezone.now() - settings.SYNC_TOMBSTONE_RETENTION
    deleted, _ = Tombstone.objects.filter(removed_at__lt=cutoff).delete()
    return deleted


class SyncPagination(CursorPagination):
    """The feed's cursor pages, or, with `updated_since`, a sync page. The listed model names
    the Tombstone kind of its objects (`SYNC_KIND`), the constant its services and receivers
    record tombstones under, so a list and its `removed` ids can never disagree."""

    sync_param = "updated_since"

    def paginate_queryset(self, queryset, request: Request, view=None):  # type: ignore[override]
        self.sync_since = None
        if self.sync_param not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.sync_since = self._parse_since(request.query_params[self.sync_param])
        self.server_time = timezone.now()
        self.page_size = self.get_page_size(request) or self.page_size
        after = self._decode_sync_cursor(request.query_params.get(self.cursor_query_param))
        queryset = queryset.filter(updated_at__gte=self.sync_since)
        if after is not None:
            ts, pk = after
            queryset = queryset.filter(Q(updated_at__gt=ts) | Q(updated_at=ts, pk__gt=pk))
        rows = list(queryset.order_by("updated_at", "pk")[: self.page_size + 1])
        self.sync_has_next = len(rows) > self.page_size
        rows = self.page = rows[: self.page_size]  # the page's rows, as DRF's pages keep them
        self.sync_last = rows[-1] if rows else None
        self.sync_removed = []
        if after is None:
            self.sync_removed = list(
                Tombstone.objects.filter(
                    viewer_id=request.user.pk,
                    kind=queryset.model.SYNC_KIND,
                    removed_at__gte=self.sync_since,
                )
                .order_by("removed_at")
                .values_list("object_id", flat=True)
            )
        return rows

    def get_paginated_response(self, data):
        if self.sync_since is None:
            return super().get_paginated_response(data)
        next_url = None
        if self.sync_has_next and self.sync_last is not None:
            token = f"{self.sync_last.updated_at.isoformat()}|{self.sync_last.pk}"
            cursor = base64.urlsafe_b64encode(token.encode()).decode()
            next_url = replace_query_param(
                self.request.build_absolute_uri(), self.cursor_query_param, cursor
            )
        return Response(
            {
                "next": next_url,
                "previous": None,
                "results": data,
                "removed": [str(pk) for pk in self.sync_removed],
                "server_time": self.server_time.isoformat().replace("+00:00", "Z"),
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["removed"] = {
            "type": "array",
            "items": {"type": "string", "format": "uuid"},
            "description": "With updated_since, on the first page: ids the caller may no longer "
            "see (removed, unsent, made private, couple ended). Drop them from the cache.",
        }
        response["properties"]["server_time"] = {
            "type": "string",
            "format": "date-time",
            "description": "With updated_since: pass this value as updated_since next time.",
        }
        return response

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.sync_param,
                "required": False,
                "in": "query",
                "description": "ISO 8601 timestamp: return what changed since then, oldest "
                "first, and the ids that were removed.",
                "schema": {"type": "string", "format": "date-time"},
            },
        ]

    def _parse_since(self, raw: str) -> datetime:
        since = timestamp_parse(raw, param=self.sync_param)
        if since < timezone.now() - settings.SYNC_TOMBSTONE_RETENTION:
            raise serializers.ValidationError(
                {
                    self.sync_param: [
                        serializers.ErrorDetail(
                            _(
                                "This is older than what the server remembers; sync again from "
                                "the start (without updated_since)."
                            ),
                            code="sync_window_expired",
                        )
                    ]
                }
            )
        return since

    def _decode_sync_cursor(self, raw: str | None) -> tuple[datetime, uuid.UUID] | None:
        if not raw:
            return None
        param = self.cursor_query_param
        try:
            ts_raw, pk_raw = base64.urlsafe_b64decode(raw.encode()).decode().split("|", 1)
            pk = uuid.UUID(pk_raw)
            ts = timestamp_parse(ts_raw, param=param)
        except (ValueError, binascii.Error, UnicodeDecodeError, serializers.ValidationError):
            raise cursor_invalid(param) from None
        return ts, pk
