"""The request and response views of a schema (OpenAPI `readOnly` / `writeOnly`).

A `readOnly` property is sent by the server only: it is left out of what a request carries (so it is
never required there). A `writeOnly` property is sent by the client only: it is left out of what a
response carries (never required there, never sent). `view()` writes one view of a schema as a
schema of its own, for datamodel-code-generator; models of the two views are what the generated
routes read (requests) and write (responses).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Hidden = Literal["readOnly", "writeOnly"]
REQUEST: Hidden = "readOnly"  # what a request view leaves out
RESPONSE: Hidden = "writeOnly"  # what a response view leaves out

# Keywords whose value is one schema, a map of schemas or a list of schemas; everything else is data.
_ONE = frozenset(
    (
        "items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema",
    )
)  # fmt: skip
_MAP = frozenset(("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"))
_LIST = frozenset(("allOf", "anyOf", "oneOf", "prefixItems"))
_MAX_DEPTH = 60


def marked(node: Any, hidden: Hidden, schemas: Mapping[str, Any], prefix: str, depth: int = 0) -> bool:
    """Whether `hidden` (`readOnly`/`writeOnly`) applies to a property schema: on the schema itself,
    on an `allOf` member or on the component a `$ref` (`prefix` + name) names."""
    if depth > 8 or not isinstance(node, dict):
        return False
    if node.get(hidden) is True:
        return True
    ref = node.get("$ref")
    name = ref[len(prefix) :] if isinstance(ref, str) and ref.startswith(prefix) else "/"
    if "/" not in name and marked(schemas.get(name), hidden, schemas, prefix, depth + 1):
        return True
    members = node.get("allOf")
    return isinstance(members, list) and any(marked(m, hidden, schemas, prefix, depth + 1) for m in members)


def view(
    schema: Any, hidden: Hidden, schemas: Mapping[str, Any], prefix: str, refs: Mapping[str, str] | None = None
) -> Any:
    """A copy of `schema` without the properties marked `hidden` (also dropped from `required`), its
    `$ref`s renamed by `refs` (a request view refers to the request variants of other schemas)."""
    return _view(schema, hidden, schemas, prefix, refs or {}, 0)


def _view(
    node: Any, hidden: Hidden, schemas: Mapping[str, Any], prefix: str, refs: Mapping[str, str], depth: int
) -> Any:
    if depth > _MAX_DEPTH or not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    dropped: set[str] = set()
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = refs.get(value, value)
        elif key == "properties" and isinstance(value, dict):
            dropped = {name for name, sub in value.items() if marked(sub, hidden, schemas, prefix)}
            out[key] = {
                name: _view(sub, hidden, schemas, prefix, refs, depth + 1)
                for name, sub in value.items()
                if name not in dropped
            }
        elif key == "discriminator" and isinstance(value, dict) and isinstance(value.get("mapping"), dict):
            mapping = {k: refs.get(v, v) if isinstance(v, str) else v for k, v in value["mapping"].items()}
            out[key] = {**value, "mapping": mapping}
        elif key in _LIST or (key in _ONE and isinstance(value, list)):  # `items: [...]`: a tuple (draft 4)
            out[key] = (
                [_view(sub, hidden, schemas, prefix, refs, depth + 1) for sub in value]
                if isinstance(value, list)
                else value
            )
        elif key in _ONE:
            out[key] = _view(value, hidden, schemas, prefix, refs, depth + 1)
        elif key in _MAP and isinstance(value, dict):
            out[key] = {name: _view(sub, hidden, schemas, prefix, refs, depth + 1) for name, sub in value.items()}
        else:
            out[key] = value
    if dropped and isinstance(out.get("required"), list):
        out["required"] = [name for name in out["required"] if name not in dropped]
        if not out["required"]:
            del out["required"]
    return out
