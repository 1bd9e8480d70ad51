"""The one JSON reader for request bodies. Python's own `json` trusts its input: a body nested
a thousand deep raises RecursionError and a 5,000-digit number raises ValueError, both far from
the request. `json_loads_bounded` refuses such bodies up front with `HostileJSON`; DRF's parser
(`BoundedJSONParser`, the API's only parser) turns that into a 400 in the error shape, and
`common.middleware.AllauthBodyGuardMiddleware` into a 400 in allauth's shape."""

from __future__ import annotations

import json
import math
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32  # Haven's bodies are two or three levels deep
MAX_NUMBER_CHARS = 40  # a number longer than this is never a real value


class HostileJSON(ValueError):
    """A body the server will not parse: malformed, nested too deep, or a number too long."""


def _too_long() -> HostileJSON:
    return HostileJSON(_("A number in the request is too long."))


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _too_long()
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise _too_long()
    value = float(text)
    if not math.isfinite(value):  # 1e999
        raise _too_long()
    return value


def _parse_constant(text: str) -> Any:
    raise HostileJSON(_("NaN and Infinity are not valid JSON."))


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Iteratively (never recursively) whether containers nest deeper than `limit`."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: list[Any] = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def json_loads_bounded(text: str | bytes) -> Any:
    """Parse JSON, or raise `HostileJSON` (a ValueError) with a message for people."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        data = json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except HostileJSON:
        raise
    except RecursionError:
        raise HostileJSON(_("The request is nested too deeply.")) from None
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        raise HostileJSON(_("The request is not valid JSON.")) from exc
    if _depth_exceeds(data, MAX_DEPTH):
        raise HostileJSON(_("The request is nested too deeply."))
    return data


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, reading through `json_loads_bounded`: any body it refuses is a 400
    (`parse_error`) in the error shape, never a server error."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json_loads_bounded(stream.read().decode(encoding))
        except (HostileJSON, UnicodeDecodeError, LookupError) as exc:
            raise ParseError(str(exc) if isinstance(exc, HostileJSON) else None) from None
