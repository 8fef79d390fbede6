"""Schema -> type spellings: Python annotations for parameters, TypeScript types for the client.

Bodies and responses use the datamodel-code-generator models; only parameters (scalars and arrays of
scalars) get their Python type here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeGuard

from generator.ir import Constraint
from generator.regex import ecma_pattern

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)

Deref = Callable[[Any], Any]


def schema_types(schema: dict[str, Any]) -> list[str]:
    """The JSON types a schema admits: 3.1 type arrays, 3.0 `nullable`, or the inferred one."""
    raw = schema.get("type")
    types = [raw] if isinstance(raw, str) else [t for t in raw if isinstance(t, str)] if isinstance(raw, list) else []
    if schema.get("nullable") is True and "null" not in types:
        types.append("null")
    if not types and "const" in schema:
        types = [_json_type(schema["const"])]
    if not types and isinstance(schema.get("enum"), list) and schema["enum"]:
        types = sorted({_json_type(v) for v in schema["enum"]})
    return types


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def integer_bounds(schema: dict[str, Any]) -> tuple[int | None, int | None]:
    """minimum/maximum, narrowed by int32/int64 formats so out-of-range input is refused. The
    exclusive bounds are numbers (3.1) or, in 3.0, flags that make minimum/maximum exclusive."""
    low, high = INT32 if schema.get("format") == "int32" else INT64 if schema.get("format") == "int64" else (None, None)
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    below, above = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if _is_int(minimum):
        bound = minimum + 1 if below is True else minimum
        low = bound if low is None else max(low, bound)
    if _is_int(maximum):
        bound = maximum - 1 if above is True else maximum
        high = bound if high is None else min(high, bound)
    if _is_int(below):
        low = below + 1 if low is None else max(low, below + 1)
    if _is_int(above):
        high = above - 1 if high is None else min(high, above - 1)
    return low, high


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def parameter_py_type(
    schema: dict[str, Any], ref_class: str | None, deref: Deref
) -> tuple[str, tuple[Constraint, ...], bool, str | None]:
    """(annotation, FastAPI constraint kwargs, is_array, strict validator) for a parameter schema.

    Integers, numbers and booleans use the runtime's strict scalar types so that `"+1"`, `"1_0"`
    or `"yes"` are refused the way a JSON Schema validator would.
    """
    if ref_class is not None:
        return f"models.{ref_class}", (), False, None
    types = [t for t in schema_types(schema) if t != "null"]
    kind = types[0] if len(types) == 1 else "string"
    constraints: list[Constraint] = []
    if "enum" in schema and kind == "string" and all(isinstance(v, str) for v in schema["enum"]):
        return "Literal[" + ", ".join(py_literal(v) for v in schema["enum"]) + "]", (), False, None
    if kind == "integer":
        low, high = integer_bounds(schema)
        if low is not None:
            constraints.append(Constraint("ge", repr(low)))
        if high is not None:
            constraints.append(Constraint("le", repr(high)))
        return "int", tuple(constraints), False, "runtime.STRICT_INT"
    if kind == "number":
        for key, name in (
            ("minimum", "ge"),
            ("maximum", "le"),
            ("exclusiveMinimum", "gt"),
            ("exclusiveMaximum", "lt"),
        ):
            if isinstance(schema.get(key), int | float) and not isinstance(schema.get(key), bool):
                constraints.append(Constraint(name, repr(schema[key])))
        return "float", tuple(constraints), False, "runtime.STRICT_FLOAT"
    if kind == "boolean":
        return "bool", (), False, "runtime.STRICT_BOOL"
    if kind == "array":
        items = deref(schema.get("items", {}))
        item_type, _, _, item_validator = parameter_py_type(items if isinstance(items, dict) else {}, None, deref)
        if item_validator:
            item_type = f"Annotated[{item_type}, {item_validator}]"
        for key, name in (("minItems", "min_length"), ("maxItems", "max_length")):
            if isinstance(schema.get(key), int):
                constraints.append(Constraint(name, repr(schema[key])))
        return f"list[{item_type}]", tuple(constraints), True, None
    if schema.get("format") in _FORMATTED:
        # Parsed strictly (RFC 3339, RFC 4122 text), then handed to the handler as a Python value.
        py_type, validator = _FORMATTED[schema["format"]]
        return py_type, (), False, validator
    for key, name in (("minLength", "min_length"), ("maxLength", "max_length")):
        if isinstance(schema.get(key), int) and not isinstance(schema.get(key), bool):
            constraints.append(Constraint(name, repr(schema[key])))
    if isinstance(schema.get("pattern"), str):
        constraints.append(Constraint("pattern", py_literal(ecma_pattern(schema["pattern"]))))
    # `format: uri` is checked as the models check it (AnyUrl); the handler still gets the text.
    return "str", tuple(constraints), False, "runtime.STRICT_URI" if schema.get("format") == "uri" else None


_FORMATTED = {
    "date": ("datetime.date", "runtime.STRICT_DATE"),
    "date-time": ("datetime.datetime", "runtime.STRICT_DATETIME"),
    "uuid": ("uuid.UUID", "runtime.STRICT_UUID"),
}


def py_literal(value: Any) -> str:
    """Python source for a JSON value (repr is exact for str/int/float/bool/None, lists and dicts)."""
    if isinstance(value, bool) or value is None or isinstance(value, int | float | str):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items()) + "}"
    return repr(str(value))


def ts_literal(value: Any) -> str:
    # JSON is valid TypeScript for literals; ensure_ascii keeps U+2028/U+2029 and friends escaped.
    return json.dumps(value, ensure_ascii=True)


_TS_IDENT_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")


def ts_property_key(name: str) -> str:
    if name and not name[0].isdigit() and set(name) <= _TS_IDENT_OK:
        return name
    return ts_literal(name)


def ts_doc(text: str, deprecated: bool = False, indent: str = "") -> str:
    """A JSDoc block (with its trailing newline and indent) for a member; "" when there is nothing to say.

    `*/` cannot close it early; U+2028/U+2029 and NUL cannot break the line structure.
    """
    clean = text.strip().replace("*/", "*\\/").replace("\u2028", " ").replace("\u2029", " ").replace("\x00", "")
    lines = [*clean.splitlines(), *(["@deprecated"] if deprecated else [])]
    if not lines:
        return ""
    if len(lines) == 1:
        return f"/** {lines[0]} */\n{indent}"
    body = "".join(f"{indent} * {line}".rstrip() + "\n" for line in lines)
    return f"/**\n{body}{indent} */\n{indent}"


def has_access_marker(node: Any, depth: int = 0) -> bool:
    """Whether a schema tree (not following $refs) has a readOnly or writeOnly member."""
    if depth > 60:
        return False
    if isinstance(node, dict):
        if node.get("readOnly") is True or node.get("writeOnly") is True:
            return True
        return any(has_access_marker(v, depth + 1) for k, v in node.items() if k not in ("example", "examples"))
    if isinstance(node, list):
        return any(has_access_marker(v, depth + 1) for v in node)
    return False


def refs_in(node: Any, found: set[str], depth: int = 0) -> set[str]:
    if depth > 60:
        return found
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            found.add(node["$ref"])
        for key, value in node.items():
            if key not in ("example", "examples"):
                refs_in(value, found, depth + 1)
    elif isinstance(node, list):
        for value in node:
            refs_in(value, found, depth + 1)
    return found


def ts_access_variants(schemas: dict[str, Any]) -> list[str]:
    """Component refs whose request spelling (no readOnly) differs from their response one (no writeOnly).

    A schema differs when it has a readOnly/writeOnly member itself or refers to one that differs.
    Returned in the order of `schemas`.
    """
    refs = {ref: refs_in(schema, set()) for ref, schema in schemas.items()}
    differs = {ref for ref, schema in schemas.items() if has_access_marker(schema)}
    changed = True
    while changed:
        changed = False
        for ref, targets in refs.items():
            if ref not in differs and targets & differs:
                differs.add(ref)
                changed = True
    return [ref for ref in schemas if ref in differs]


class TsTypes:
    """Spell schemas as TypeScript types; `$ref`s to components become their type names.

    `write=True` spells the request view: readOnly members left out and components that differ
    referred to by their request variant (`input_names`); otherwise the response view leaves out
    writeOnly members.
    """

    def __init__(
        self, ref_names: dict[str, str], input_names: dict[str, str] | None = None, write: bool = False
    ) -> None:
        self.ref_names = ref_names  # "#/components/schemas/X" -> "X" (TS name)
        self.input_names = input_names or {}  # refs with a distinct request variant -> its TS name
        self.write = write
        self.level = 0

    def spell(self, schema: Any, depth: int = 0) -> str:
        if depth > 40 or not isinstance(schema, dict):
            return "unknown"
        if isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            name = (self.input_names.get(ref) if self.write else None) or self.ref_names.get(ref, "unknown")
            return self._nullable(name, schema) if name != "unknown" else name
        if "const" in schema:
            return ts_literal(schema["const"])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            # `null` only when the enum lists it: `nullable: true` does not add it (OpenAPI 3.0.3).
            return _union(ts_literal(v) for v in schema["enum"])
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                variants = [self._variant(s, schema, depth) for s in schema[key]]
                return self._nullable(_union(variants), schema)
        if isinstance(schema.get("allOf"), list) and schema["allOf"]:
            parts = [self.spell(s, depth + 1) for s in schema["allOf"]]
            own = {k: v for k, v in schema.items() if k in ("properties", "required", "additionalProperties")}
            if own.get("properties"):
                parts.append(self._object(own, depth))
            parts = [p for p in dict.fromkeys(parts) if p != "unknown"] or ["unknown"]
            joined = " & ".join(f"({p})" if " | " in p else p for p in parts)
            return self._nullable(f"({joined})" if len(parts) > 1 else joined, schema)
        types = schema_types(schema)
        if not types:
            return "unknown"
        return _union(self._one_type(t, schema, depth) for t in types)

    def _variant(self, sub: Any, parent: dict[str, Any], depth: int) -> str:
        """One oneOf/anyOf member; with a discriminator, `{ kind: "x" } & Variant` so the union narrows."""
        spelled = self.spell(sub, depth + 1)
        disc = parent.get("discriminator")
        if not (isinstance(disc, dict) and isinstance(disc.get("propertyName"), str)):
            return spelled
        if not (isinstance(sub, dict) and isinstance(sub.get("$ref"), str)) or spelled == "unknown":
            return spelled
        ref = sub["$ref"]
        raw_mapping = disc.get("mapping")
        mapping: dict[str, Any] = raw_mapping if isinstance(raw_mapping, dict) else {}
        values = [str(v) for v, target in mapping.items() if target == ref or target == ref.rsplit("/", 1)[-1]]
        if not values:
            values = [ref.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")]
        tag = f"{{ {ts_property_key(disc['propertyName'])}: {' | '.join(ts_literal(v) for v in values)} }}"
        return f"({tag} & {spelled})"

    def _nullable(self, base: str, schema: dict[str, Any]) -> str:
        if base != "unknown" and "null" in schema_types(schema) and "null" not in base.split(" | "):
            return f"{base} | null"
        return base

    def _one_type(self, kind: str, schema: dict[str, Any], depth: int) -> str:
        if kind in ("integer", "number"):
            return "number"
        if kind == "string":
            return "Blob" if schema.get("format") == "binary" else "string"
        if kind == "boolean":
            return "boolean"
        if kind == "null":
            return "null"
        if kind == "array":
            item = self.spell(schema.get("items", {}), depth + 1)
            return f"({item})[]" if " " in item or "\n" in item else f"{item}[]"
        return self._object(schema, depth)

    def _object(self, schema: dict[str, Any], depth: int) -> str:
        raw_props = schema.get("properties")
        props: dict[str, Any] = raw_props if isinstance(raw_props, dict) else {}
        required = set(schema.get("required") or []) if isinstance(schema.get("required"), list) else set()
        hidden = "readOnly" if self.write else "writeOnly"
        self.level += 1
        pad = "  " * self.level
        members = []
        documented = False
        for name, sub in props.items():
            if isinstance(sub, dict) and sub.get(hidden) is True:
                continue
            doc = ""
            if isinstance(sub, dict):
                doc = ts_doc(str(sub.get("description") or sub.get("title") or ""), sub.get("deprecated") is True, pad)
                documented = documented or bool(doc)
            optional = "" if name in required else "?"
            members.append(f"{doc}{ts_property_key(name)}{optional}: {self.spell(sub, depth + 1)}")
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            members.append(
                f"[key: string]: {self.spell(extra, depth + 1)}" if not members else "[key: string]: unknown"
            )
        elif extra is True or (extra is None and not members):
            members.append("[key: string]: unknown")
        self.level -= 1
        if not members:
            return "{ [key: string]: never }"
        if documented:
            return "{\n" + "".join(f"{pad}{m};\n" for m in members) + "  " * self.level + "}"
        return "{ " + "; ".join(members) + " }"


def _union(parts: Any) -> str:
    seen: list[str] = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    if "unknown" in seen:
        return "unknown"
    return " | ".join(seen)
