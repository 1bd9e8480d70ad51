"""Does the OpenAPI schema declare an answer the server gave? Used by the recorder in
tests/fixtures/schema_truth.py (every answer the suite sees) and by tests/common/
test_schema_truth.py."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

Record = tuple  # (method, route, status, error type, code, attr, extra top-level fields)


@cache
def generated_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _templates(schema: dict) -> list[tuple[re.Pattern, str]]:
    key = id(schema)
    if key not in _TEMPLATE_CACHE:
        patterns = []
        for route in schema["paths"]:
            regex = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(route))
            patterns.append((re.compile(f"^{regex}$"), route))
        # Literal segments win over parameters (e.g. /couple/space before /couple/{id}).
        patterns.sort(key=lambda item: item[1].count("{"))
        _TEMPLATE_CACHE[key] = patterns
    return _TEMPLATE_CACHE[key]


_TEMPLATE_CACHE: dict[int, list[tuple[re.Pattern, str]]] = {}


def template(schema: dict, path: str) -> str | None:
    """The schema's path template a concrete request path matches."""
    if path in schema["paths"]:
        return path
    for regex, route in _templates(schema):
        if regex.match(path):
            return route
    return None


def _resolve(schema: dict, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _allows(schema: dict, node: Any, value: Any) -> bool:
    """Whether a (string) property schema admits `value` (None = JSON null)."""
    node = _resolve(schema, node)
    if not isinstance(node, dict) or not node:
        return True
    for key in ("oneOf", "anyOf"):
        if key in node:
            return any(_allows(schema, option, value) for option in node[key])
    if "allOf" in node:
        return all(_allows(schema, option, value) for option in node["allOf"])
    if value is None:
        return bool(node.get("nullable")) or ("enum" in node and None in node["enum"])
    if "enum" in node:
        return value in node["enum"]
    if "pattern" in node:
        return isinstance(value, str) and re.search(node["pattern"], value) is not None
    return True


def _error_variants(schema: dict, node: Any) -> Iterable[tuple[Any, Any, Any]]:
    """Each (type schema, code schema, attr schema) an error response schema can take."""
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return
    for key in ("oneOf", "anyOf", "allOf"):
        for option in node.get(key, []):
            yield from _error_variants(schema, option)
    properties = node.get("properties") or {}
    if "errors" in properties:
        items = _resolve(schema, _resolve(schema, properties["errors"]).get("items", {}))
        for item in _items(schema, items):
            item_properties = item.get("properties") or {}
            yield properties.get("type"), item_properties.get("code"), item_properties.get("attr")


def _top_level_properties(schema: dict, node: Any) -> set[str]:
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return set()
    names = set(node.get("properties") or {})
    for key in ("oneOf", "anyOf", "allOf"):
        for option in node.get(key, []):
            names |= _top_level_properties(schema, option)
    return names


def _items(schema: dict, node: Any) -> Iterable[dict]:
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return
    options = node.get("oneOf") or node.get("anyOf")
    if options:
        for option in options:
            yield from _items(schema, option)
    else:
        yield node


def check(schema: dict, record: Record) -> str | None:
    """None when the schema declares the answer; otherwise what is missing."""
    method, route, status, error_type, code, attr, *rest = record
    extras = [name for name in (rest[0] if rest else "").split(",") if name]
    if method in ("HEAD", "OPTIONS"):
        return None
    route = template(schema, route) or route
    path = schema["paths"].get(route)
    if path is None:
        if status == "404":
            return None  # no such route: nothing a schema could declare
        return f"{method} {route}: answered {status}, but the route is not in the schema"
    operation = path.get(method.lower())
    if operation is None:
        if status == "405":
            return (
                None
                if any("405" in op.get("responses", {}) for op in path.values())
                else (f"{route}: 405 not declared")
            )
        return f"{method} {route}: no such operation, yet it answered {status}"
    label = f"{method} {route} ({operation.get('operationId')})"
    response = operation.get("responses", {}).get(status)
    if response is None:
        return f"{label}: status {status} not declared"
    if code is None:
        return None
    content = (response.get("content") or {}).get("application/json", {})
    variants = list(_error_variants(schema, content.get("schema")))
    if not variants:
        return None  # the response schema does not describe error items
    for name in extras:
        if name not in _top_level_properties(schema, content.get("schema")):
            return f"{label}: {status} top-level field {name!r} not declared"
    for type_schema, code_schema, attr_schema in variants:
        if (
            _allows(schema, type_schema, error_type)
            and _allows(schema, code_schema, code)
            and _allows(schema, attr_schema, attr)
        ):
            return None
    return f"{label}: {status} {error_type} code={code!r} attr={attr!r} not declared"


def undeclared(schema: dict, records: Iterable[Record]) -> list[str]:
    return sorted({problem for record in records if (problem := check(schema, record))})
