"""The `safety` block: when words a person writes signal danger or crisis, their own answer
carries where help is (crisis resources for their country) and one calm sentence.

It is added in ONE place, `SafetyMiddleware`, to every successful write whose answer carries
`tone_hints` (the answers to a person's own free text, and `tone/check`), computed from what
the request sent in the free-text fields (`common.tone.TONE_FIELDS`). Because it is added
after the view has returned, it is never part of a response that `common.idempotency`
stores: a replay of the same request is answered from the stored response and gets its
block recomputed here from the same request body. The block:

- never blocks or changes the write (the view has already answered when it is added);
- reaches the writer alone (it is only ever on the answer to the writer's own request);
- is never stored, never logged with the words (nothing here logs at all), never counted;
- never says which words or what kind of danger matched, so nothing in it can be read back
  as a record of what someone wrote."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from common.safety.countries import select_country
from common.safety.danger import signals_danger
from common.safety.resources import crisis_resources
from common.tone.fields import TONE_FIELDS

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
# The marker of an answer to a person's own free text (ToneHintsField, tone/check).
MARKER = "tone_hints"
BLOCK = "safety"

CALM_SENTENCE = _(
    "Only you can see this. If things feel hard or frightening right now, you do not have to "
    "face it alone: the people below are there to listen, any time."
)


def written_texts(data: Any) -> tuple[list[str], str | None]:
    """The free-text values a request body sent (lists item by item) and the `language` it
    names, if any."""
    if not isinstance(data, dict):
        return [], None
    texts: list[str] = []
    for name in TONE_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list | tuple):
            texts.extend(item for item in value if isinstance(item, str))
    language = data.get("language")
    return texts, language if isinstance(language, str) else None


def safety_block(
    request: HttpRequest, texts: list[str], *, language: str | None = None
) -> dict[str, Any] | None:
    """The block for a writer whose `texts` signal danger, or None."""
    if not signals_danger(texts, language=language):
        return None
    country, selected_by = select_country(request)
    return {"message": str(CALM_SENTENCE), "resources": crisis_resources(country, selected_by)}


class SafetyMiddleware:
    """Adds `safety` to the writer's answer (see the module's docstring). Runs on DRF's
    response before it is rendered (`process_template_response`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(self, request: HttpRequest, response: Any) -> Any:
        data = getattr(response, "data", None)
        if (
            request.method not in WRITE_METHODS
            or not 200 <= response.status_code < 300
            or not isinstance(data, dict)
            or MARKER not in data
        ):
            return response
        drf_request = (getattr(response, "renderer_context", None) or {}).get("request")
        if drf_request is None:
            return response
        texts, language = written_texts(drf_request.data)
        block = safety_block(request, texts, language=language)
        if block is not None:
            response.data = {**data, BLOCK: block}
        return response
