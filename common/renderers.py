"""The one JSON writer for API answers: DRF's `JSONRenderer`, with the encoding done by orjson.

Writing a page of 20 check-ins took DRF's renderer (Python's `json` and DRF's encoder) ~65 µs
and takes orjson ~5 µs (issue 17); smaller answers save less, in proportion. The bytes are
DRF's: compact, UTF-8, U+2028 and U+2029 escaped, and `Promise`s, moments and the rest of
DRF's types written by DRF's own encoder (orjson hands them over rather than writing its own
form). Anything orjson refuses (a key that is not a string, an integer beyond 64 bits,
nesting deeper than it goes) and any answer asked for indented is written by DRF's renderer
itself, exactly as before.

Two known differences, both still valid JSON of the same value: a float of very large or very
small magnitude is written `1e16` rather than `1e+16`, and a NaN or infinity (which DRF's
strict mode refuses with a server error) is written `null`. Haven's answers carry few floats
(trends' averages), none of that size."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework import renderers
from rest_framework.utils import encoders

_DRF_DEFAULT = encoders.JSONEncoder().default
# What orjson would write its own way (moments, dataclasses, str subclasses are fine) goes to
# DRF's encoder, so the text is DRF's.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_LINE_SEPARATOR, _PARAGRAPH_SEPARATOR = "\u2028".encode(), "\u2029".encode()


class JSONRenderer(renderers.JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None or self.ensure_ascii or not self.compact:
            return super().render(data, accepted_media_type, renderer_context)
        if self.get_indent(accepted_media_type or "", renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            written = orjson.dumps(data, default=_DRF_DEFAULT, option=_OPTIONS)
        except TypeError:  # orjson.JSONEncodeError is one: DRF writes it, or says why not
            return super().render(data, accepted_media_type, renderer_context)
        if _LINE_SEPARATOR in written or _PARAGRAPH_SEPARATOR in written:
            written = written.replace(_LINE_SEPARATOR, b"\\u2028").replace(
                _PARAGRAPH_SEPARATOR, b"\\u2029"
            )
        return written
