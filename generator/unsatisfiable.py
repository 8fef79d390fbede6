"""Schemas no value can satisfy (Readme's `allOf: [{type: string}, {type: integer}]`).

datamodel-code-generator keeps one side of such an `allOf` (a `str`) or nothing (a model that takes
any object), so the generated service accepted values the spec refuses. lower.py swaps each such
schema for STAND_IN before models are generated, and models.py turns what that becomes into
`Unsatisfiable`, a type that refuses every value.

Only contradictions that are certain are found: `allOf` members (and the schema's own `type`) with no
JSON type in common, and an empty `enum`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.typemap import schema_types

# A `const` no spec uses: what models.py finds in the generated code (`Literal["apigen:unsatisfiable"]`).
SENTINEL = "apigen:unsatisfiable"
_MAX_DEPTH = 20


def reason(schema: Any, deref: Callable[[Any], Any]) -> str | None:
    """Why no value satisfies `schema`, or None when some value may."""
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("enum"), list) and not schema["enum"]:
        return "its enum is empty"
    members = schema.get("allOf")
    if not isinstance(members, list) or not members:
        return None
    if _types(schema, deref, 0) != set():
        return None
    spelled = [_spell(_types(m, deref, 0)) for m in members]
    own = _own_types(schema)
    if own is not None:
        spelled.insert(0, _spell(own))
    return "its allOf admits no common JSON type (" + " and ".join(spelled) + ")"


def stand_in(schema: dict[str, Any]) -> dict[str, Any]:
    """What the models are generated from instead of an unsatisfiable schema (its description kept)."""
    kept = {k: schema[k] for k in ("title", "description") if isinstance(schema.get(k), str)}
    return {"type": "string", "const": SENTINEL, **kept}


def _own_types(schema: dict[str, Any]) -> set[str] | None:
    if "type" not in schema:  # a 3.0 `nullable` alone says nothing of the type
        return None
    types = set(schema_types(schema))
    if not types:
        return None
    if "number" in types:
        types.add("integer")
    return types


def _types(schema: Any, deref: Callable[[Any], Any], depth: int) -> set[str] | None:
    """The JSON types a schema may admit, as far as `type`, `enum: []` and `allOf` tell (None: any)."""
    if depth > _MAX_DEPTH or not isinstance(schema, dict):
        return None
    found: set[str] | None = None
    if isinstance(schema.get("$ref"), str):
        found = _types(deref({"$ref": schema["$ref"]}), deref, depth + 1)
    if isinstance(schema.get("enum"), list) and not schema["enum"]:
        return set()
    found = _meet(found, _own_types(schema))
    members = schema.get("allOf")
    for member in members if isinstance(members, list) else []:
        found = _meet(found, _types(member, deref, depth + 1))
    return found


def _meet(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a & b


def _spell(types: set[str] | None) -> str:
    if types is None:
        return "any"
    shown = sorted(types - {"integer"} if "number" in types else types)
    return " or ".join(shown) or "none"
