"""The `safety` block is added to writers' answers by one middleware, not by each
serializer; this drf-spectacular postprocessing hook documents it the same way, in one
place: every response component with `tone_hints` gains an optional `safety`, a reference
to the `SafetyOutput` component (declared on `ToneCheckOutput`, so it is always generated)."""

from __future__ import annotations

from typing import Any

from common.safety.answer import BLOCK, MARKER

SAFETY_COMPONENT = "SafetyOutput"
DESCRIPTION = (
    "Present only when the words this request sent signal danger or crisis: where help is, "
    "for the writer alone. Never stored, never shown to anyone else, never a reason to "
    "refuse the write."
)


def add_safety_to_writers_answers(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    schemas = result.get("components", {}).get("schemas", {})
    if SAFETY_COMPONENT not in schemas:
        return result
    for name, schema in schemas.items():
        properties = schema.get("properties")
        if not properties or MARKER not in properties or name.endswith("Request"):
            continue
        properties.setdefault(
            BLOCK,
            {
                "allOf": [{"$ref": f"#/components/schemas/{SAFETY_COMPONENT}"}],
                "description": DESCRIPTION,
            },
        )
        # Present only on a match: never required (a read-only field would be, by default).
        if BLOCK in schema.get("required", []):
            schema["required"] = [field for field in schema["required"] if field != BLOCK]
    return result
