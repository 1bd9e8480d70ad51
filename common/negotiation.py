"""Which renderer answers a request: DRF's decision, worked out once per process for each
Accept header.

DRF's `DefaultContentNegotiation` builds the request's header mapping (every entry of META),
parses the Accept header into media types, orders them by precedence and matches them against
each renderer, on every call: ~170,000 instructions, 7% of `GET me` (issue 17). Its answer
depends on three things alone: the Accept header's text, the format asked for (a `?format=`
query parameter or a URL suffix) and the renderers' classes (a renderer's media type and
format are class attributes). So `ContentNegotiation` remembers the answer (which of the
renderers, which media type) by those three and asks DRF itself on a miss, on a stand-in that
carries exactly those. The cache is bounded: a client choosing its own headers can churn it,
never grow it. A refusal (406, or 404 for a format no renderer writes) is never remembered:
DRF raises it afresh each time.

The header is read from META as Django's `request.headers` would give it (`HTTP_ACCEPT`,
absent meaning `*/*`), and the query is parsed only when there is one."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, cast

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

# Distinct (Accept, format, renderers) seen by a process: a phone sends one or two headers,
# Swagger UI and the schema a few more.
DECISIONS = 256


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Any, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        meta = request.META
        asked = format_suffix
        if not asked and meta.get("QUERY_STRING"):
            asked = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        index, media_type = _decision(
            meta.get("HTTP_ACCEPT", "*/*"), asked or None, tuple(type(r) for r in renderers)
        )
        return renderers[index], media_type


class _Asked:
    """What DRF's negotiation reads of a request once the format is given to it: the Accept
    header (and the parsed header it keeps on the request for a second negotiation)."""

    def __init__(self, accept: str) -> None:
        self.headers = {"accept": accept}
        self.query_params: dict[str, str] = {}
        self._parsed_accept_list = None


@functools.lru_cache(maxsize=DECISIONS)
def _decision(
    accept: str, asked: str | None, classes: tuple[type[BaseRenderer], ...]
) -> tuple[int, str]:
    """(the position of the chosen renderer among `classes`, the media type it answers as),
    as DRF decides it; DRF's 406 or 404 propagates and is not remembered."""
    renderers = [cls() for cls in classes]
    chosen, media_type = DefaultContentNegotiation().select_renderer(
        cast(Any, _Asked(accept)), renderers, asked
    )
    return renderers.index(chosen), media_type
