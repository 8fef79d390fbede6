"""The hostile corpus: specs that try to crash the generator, inject code, escape the output folder.

Most cases are built from templates here (a base spec with one hostile string planted at one
site); the odd ones are hand-written files in this folder, listed in HAND_WRITTEN with their expected
outcome. Every case says what must happen: `ok` (generated, compiles, imports, passes tsc, and no
planted code became code) or `refused` (one or more located `SPEC:LINE:COL: error:` lines, exit 1).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

HERE = Path(__file__).resolve().parent
SPEC_NAME = "openapi.yaml"

# Planted code: if either ever runs, it creates a file named CANARY in the working directory.
PY_CANARY = "__import__('os').system('touch CANARY')"
TS_CANARY = "require('child_process').execSync('touch CANARY')"

# Strings that end or escape a literal, comment or docstring in Python or TypeScript.
PAYLOADS: dict[str, str] = {
    "py_triple_double": f'x"""; {PY_CANARY}; """',
    "py_triple_single": f"x'''; {PY_CANARY}; '''",
    "py_backslash_quote": f'x\\", {PY_CANARY}, "\\',
    "py_newline_hash": f"x\n{PY_CANARY}\n# \n  {PY_CANARY}",
    "py_fstring": f"x{{{PY_CANARY}}} {{0}} {{}} \\N{{DIGIT ONE}} \\N{{BOGUS}} %s %(a)s",
    "py_trailing_backslash": "x \\",
    "ts_comment_end": f"x */ {TS_CANARY}; /* // ",
    "ts_template": f"x `${{{TS_CANARY}}}` ${{x}} \\` \\u{{41}}",
    "ts_script": f"x </script><script>{TS_CANARY}</script> <!-- -->",
    "ts_line_separators": f"x\u2028{TS_CANARY}\u2029{TS_CANARY}\u0085\r\rx",
    "ts_nul": f"x\x00{TS_CANARY}\x00\x1b[2J\x7f",
    "jinja": "x {{ 7*7 }} {% raw %} {# c #} ${7*7} <%= 7 %>",
}
# A few payload groups per site keep the corpus large but its runtime reasonable.
PAYLOAD_GROUPS: dict[str, tuple[str, ...]] = {
    "py_quotes": ("py_triple_double", "py_triple_single", "py_backslash_quote"),
    "py_lines": ("py_newline_hash", "py_fstring", "py_trailing_backslash", "jinja"),
    "ts_comments": ("ts_comment_end", "ts_template", "ts_script"),
    "ts_chars": ("ts_line_separators", "ts_nul"),
}


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, bytes]  # relative path -> bytes; SPEC_NAME is the spec
    expect: Literal["ok", "refused"]
    message: str = ""  # when refused: a substring of some diagnostic
    spec: str = SPEC_NAME
    outside: dict[str, bytes] = field(default_factory=dict)  # files next to (outside) the spec's folder


def base_spec() -> dict[str, Any]:
    """A small 3.1 spec that sends strings to every kind of place the templates write them."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1", "description": "Base."},
        "servers": [{"url": "http://127.0.0.1:8000/api"}],
        "tags": [{"name": "items", "description": "Items."}],
        "paths": {
            "/items/{itemId}": {
                "get": {
                    "operationId": "getItem",
                    "tags": ["items"],
                    "summary": "Get an item",
                    "description": "One item.",
                    "parameters": [
                        {"name": "itemId", "in": "path", "required": True, "schema": {"type": "integer"}},
                        {
                            "name": "mode",
                            "in": "query",
                            "description": "Mode.",
                            "schema": {"type": "string", "enum": ["a", "b"], "default": "a"},
                        },
                        {
                            "name": "q",
                            "in": "query",
                            "schema": {"type": "string", "pattern": "^[a-z]+$", "default": "abc", "example": "abc"},
                        },
                        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "The item.",
                            "headers": {"X-Rate": {"description": "Rate.", "schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                        },
                        "400": {
                            "description": "Bad.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                    },
                },
                "put": {
                    "operationId": "putItem",
                    "tags": ["items"],
                    "security": [{"apiKey": []}],
                    "parameters": [
                        {"name": "itemId", "in": "path", "required": True, "schema": {"type": "integer"}},
                    ],
                    "requestBody": {
                        "required": True,
                        "description": "The new item.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "Stored.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                        },
                    },
                },
            }
        },
        "components": {
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-Key", "description": "Key."},
            },
            "schemas": {
                "Item": {
                    "type": "object",
                    "title": "Item",
                    "description": "An item.",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "integer", "format": "int64"},
                        "name": {
                            "type": "string",
                            "description": "Name.",
                            "default": "n",
                            "examples": ["n"],
                            "pattern": "^.+$",
                        },
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "note": {"type": "string", "const": "fixed"},
                    },
                },
                "Kind": {"type": "string", "enum": ["small", "large"], "description": "Kind."},
                "Error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    }


Spec = dict[str, Any]
Site = Callable[[Spec, str], None]


def _get(spec: Spec) -> dict[str, Any]:
    result: dict[str, Any] = spec["paths"]["/items/{itemId}"]["get"]
    return result


def _item(spec: Spec) -> dict[str, Any]:
    result: dict[str, Any] = spec["components"]["schemas"]["Item"]
    return result


def _rename_key(mapping: dict[str, Any], old: str, new: str) -> None:
    items = list(mapping.items())
    mapping.clear()
    mapping.update((new if k == old else k, v) for k, v in items)


def _set_operation_id(spec: Spec, text: str) -> None:
    _get(spec)["operationId"] = "get" + text


def _set_tag(spec: Spec, text: str) -> None:
    spec["tags"][0]["name"] = "items" + text
    for method in ("get", "put"):
        spec["paths"]["/items/{itemId}"][method]["tags"] = ["items" + text]


def _set_schema_name(spec: Spec, text: str) -> None:
    name = "Item" + text
    _rename_key(spec["components"]["schemas"], "Item", name)
    ref = "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")
    raw = json.dumps(spec).replace(json.dumps("#/components/schemas/Item"), json.dumps(ref))
    spec.clear()
    spec.update(json.loads(raw))


def _set_property_name(spec: Spec, text: str) -> None:
    _rename_key(_item(spec)["properties"], "name", "name" + text)
    _item(spec)["required"] = ["id", "name" + text]


def _set_query_name(spec: Spec, text: str) -> None:
    _get(spec)["parameters"][1]["name"] = "mode" + text


def _set_header_param_name(spec: Spec, text: str) -> None:
    _get(spec)["parameters"][3]["name"] = "X-Trace" + text


def _set_enum_value(spec: Spec, text: str) -> None:
    spec["components"]["schemas"]["Kind"]["enum"] = ["small", "large" + text, text]


def _set_param_enum(spec: Spec, text: str) -> None:
    _get(spec)["parameters"][1]["schema"]["enum"] = ["a", "b" + text]


def _set_description(spec: Spec, text: str) -> None:
    _get(spec)["description"] = text
    spec["paths"]["/items/{itemId}"]["put"]["requestBody"]["description"] = text
    _get(spec)["parameters"][1]["description"] = text
    spec["components"]["securitySchemes"]["apiKey"]["description"] = text


def _set_schema_description(spec: Spec, text: str) -> None:
    _item(spec)["description"] = text
    _item(spec)["properties"]["name"]["description"] = text
    spec["components"]["schemas"]["Kind"]["description"] = text


def _set_summary(spec: Spec, text: str) -> None:
    _get(spec)["summary"] = text


def _set_defaults(spec: Spec, text: str) -> None:
    _get(spec)["parameters"][2]["schema"]["default"] = text
    _get(spec)["parameters"][2]["schema"]["pattern"] = "^[\\s\\S]*$"
    _item(spec)["properties"]["name"]["default"] = text
    _item(spec)["properties"]["name"]["pattern"] = "^[\\s\\S]*$"
    _item(spec)["properties"]["note"]["const"] = text


def _set_examples(spec: Spec, text: str) -> None:
    _get(spec)["parameters"][2]["schema"]["example"] = text
    _item(spec)["properties"]["name"]["examples"] = [text, {"k": text}]
    _item(spec)["example"] = {"id": 1, "name": text}


def _set_pattern(spec: Spec, text: str) -> None:
    # Regex-escaped, so that the pattern is valid and only its spelling is hostile.
    escaped = "".join("\\" + c if c in ".^$*+?()[]{}|\\/" else c for c in text)
    _get(spec)["parameters"][2]["schema"].update(pattern=escaped, default=None, example=None)
    del _get(spec)["parameters"][2]["schema"]["default"], _get(spec)["parameters"][2]["schema"]["example"]
    _item(spec)["properties"]["name"].update(pattern=escaped)
    del _item(spec)["properties"]["name"]["default"]


def _set_server_url(spec: Spec, text: str) -> None:
    spec["servers"] = [{"url": "http://127.0.0.1/" + text, "description": text}]


def _set_titles(spec: Spec, text: str) -> None:
    spec["info"]["title"] = text
    spec["info"]["version"] = text
    spec["info"]["description"] = text
    _item(spec)["title"] = text
    spec["tags"][0]["description"] = text


def _set_response_texts(spec: Spec, text: str) -> None:
    responses = _get(spec)["responses"]
    responses["200"]["description"] = text
    responses["400"]["description"] = text
    responses["200"]["headers"]["X-Rate"]["description"] = text


def _set_response_header_name(spec: Spec, text: str) -> None:
    _rename_key(_get(spec)["responses"]["200"]["headers"], "X-Rate", "X-Rate" + text)


def _set_security_names(spec: Spec, text: str) -> None:
    schemes = spec["components"]["securitySchemes"]
    schemes["apiKey"]["name"] = "X-Key" + text


SITES: dict[str, Site] = {
    "operation_id": _set_operation_id,
    "tag": _set_tag,
    "schema_name": _set_schema_name,
    "property_name": _set_property_name,
    "query_param_name": _set_query_name,
    "header_param_name": _set_header_param_name,
    "enum_value": _set_enum_value,
    "param_enum": _set_param_enum,
    "description": _set_description,
    "schema_description": _set_schema_description,
    "summary": _set_summary,
    "defaults": _set_defaults,
    "examples": _set_examples,
    "pattern": _set_pattern,
    "server_url": _set_server_url,
    "titles": _set_titles,
    "response_texts": _set_response_texts,
    "response_header_name": _set_response_header_name,
    "security_key_name": _set_security_names,
}

# Sites whose strings the standard restricts: openapi-spec-validator refuses them with a location.
REFUSED_SITES: dict[str, str] = {
    "schema_name": "[#/components/schemas]",
}


def dump(spec: Spec) -> bytes:
    """JSON is YAML; escapes keep NUL and U+2028 intact through the YAML reader."""
    return json.dumps(spec, indent=2, ensure_ascii=True).encode()


def injection_cases() -> Iterator[Case]:
    for site, apply in SITES.items():
        for group, members in PAYLOAD_GROUPS.items():
            spec = copy.deepcopy(base_spec())
            apply(spec, " ".join(PAYLOADS[m] for m in members))
            refused = site in REFUSED_SITES
            yield Case(
                f"inject-{site}-{group}",
                {SPEC_NAME: dump(spec)},
                "refused" if refused else "ok",
                REFUSED_SITES.get(site, ""),
            )


def _with(mutate: Callable[[Spec], None]) -> bytes:
    spec = copy.deepcopy(base_spec())
    mutate(spec)
    return dump(spec)


def _tag_named(name: str) -> Callable[[Spec], None]:
    return lambda spec: _retag(spec, name)


def _retag(spec: Spec, name: str) -> None:
    spec["tags"][0]["name"] = name
    for method in ("get", "put"):
        spec["paths"]["/items/{itemId}"][method]["tags"] = [name]


def _two_tags(first: str, second: str) -> Callable[[Spec], None]:
    def mutate(spec: Spec) -> None:
        spec["tags"] = [{"name": first}, {"name": second}]
        spec["paths"]["/items/{itemId}"]["get"]["tags"] = [first]
        spec["paths"]["/items/{itemId}"]["put"]["tags"] = [second]

    return mutate


def _schemas_named(*names: str) -> Callable[[Spec], None]:
    def mutate(spec: Spec) -> None:
        for index, name in enumerate(names):
            spec["components"]["schemas"][name] = {
                "type": "object",
                "properties": {"v": {"type": "integer", "default": index}},
            }
        get = _get(spec)
        get["responses"]["200"]["content"]["application/json"]["schema"] = {
            "type": "object",
            "properties": {f"p{i}": {"$ref": "#/components/schemas/" + n} for i, n in enumerate(names)},
        }

    return mutate


def _properties_named(*names: str) -> Callable[[Spec], None]:
    def mutate(spec: Spec) -> None:
        _item(spec)["properties"].update({n: {"type": "string", "description": n} for n in names})
        _item(spec)["required"] = ["id", "name", *names]

    return mutate


def _params_named(*names: str) -> Callable[[Spec], None]:
    def mutate(spec: Spec) -> None:
        _get(spec)["parameters"].extend({"name": n, "in": "query", "schema": {"type": "string"}} for n in names)

    return mutate


def _operation_ids(first: str, second: str) -> Callable[[Spec], None]:
    def mutate(spec: Spec) -> None:
        spec["paths"]["/items/{itemId}"]["get"]["operationId"] = first
        spec["paths"]["/items/{itemId}"]["put"]["operationId"] = second

    return mutate


LONG = "a" * 300

# Names that become files (service/<tag>.py, routers/<tag>.py) or identifiers, and their collisions.
NAMING: list[tuple[str, Callable[[Spec], None], Literal["ok", "refused"], str]] = [
    ("tag-dotdot", _tag_named("../../../../tmp/evil"), "ok", ""),
    ("tag-absolute", _tag_named("/etc/passwd"), "ok", ""),
    ("tag-slashes", _tag_named("a/b\\c/d"), "ok", ""),
    ("tag-nul", _tag_named("ev\x00il"), "ok", ""),
    ("tag-con", _tag_named("con"), "ok", ""),
    ("tag-aux-nul-prn", _two_tags("aux", "NUL.txt"), "ok", ""),
    ("tag-long", _tag_named(LONG), "ok", ""),
    ("tag-only-punctuation", _tag_named("../.."), "ok", ""),
    ("tag-empty", _tag_named(""), "ok", ""),
    ("tag-init", _tag_named("__init__"), "ok", ""),
    ("tag-keyword", _tag_named("class"), "ok", ""),
    ("tag-models-module", _two_tags("models", "runtime"), "ok", ""),
    ("tag-collision-case", _two_tags("Items", "items"), "ok", ""),
    ("tag-collision-dash", _two_tags("user-id", "user_id"), "ok", ""),
    ("tag-unicode", _tag_named("ïtems ✓ 項目"), "ok", ""),
    ("schema-collision-case", _schemas_named("Address", "address"), "ok", ""),
    ("schema-collision-dash", _schemas_named("user-id", "user_id", "UserId"), "ok", ""),
    ("schema-keywords", _schemas_named("class", "None", "True", "def"), "ok", ""),
    ("schema-builtins", _schemas_named("str", "int", "list", "dict", "object", "type"), "ok", ""),
    ("schema-typing-names", _schemas_named("Annotated", "Literal", "Any", "BaseModel", "Field", "JsonInt"), "ok", ""),
    ("schema-model-names", _schemas_named("Models", "Runtime", "Client", "ApiError", "Operation"), "ok", ""),
    ("schema-digits", _schemas_named("1", "2Fast", "_"), "ok", ""),
    ("schema-long", _schemas_named("A" * 250), "ok", ""),
    ("property-collision", _properties_named("user-id", "user_id", "userId", "UserId"), "ok", ""),
    ("property-keywords", _properties_named("class", "def", "import", "None", "from", "async"), "ok", ""),
    (
        "property-pydantic",
        _properties_named(
            "model_config",
            "model_fields",
            "model_dump",
            "schema",
            "dict",
            "copy",
            "json",
            "validate",
            "construct",
            "fields",
        ),
        "ok",
        "",
    ),
    ("property-dunder", _properties_named("__class__", "__init__", "__dict__", "_private", "__"), "ok", ""),
    ("property-odd", _properties_named("", " ", "a b", "a.b", "@type", "1st", "ünï", "$id"), "ok", ""),
    ("param-collision", _params_named("user-id", "user_id", "userId", "handlers", "credentials"), "ok", ""),
    ("param-keywords", _params_named("class", "from", "body", "client", "signal", "headers"), "ok", ""),
    ("param-builtins", _params_named("list", "str", "response", "request", "self", "Annotated", "models"), "ok", ""),
    ("operation-id-collision", _operation_ids("get-item", "get_item"), "refused", "both become the function name"),
    ("operation-id-keyword", _operation_ids("class", "import"), "ok", ""),
    ("operation-id-builtins", _operation_ids("list", "build_items_router"), "ok", ""),
    ("operation-id-long", _operation_ids(LONG, LONG + "b"), "ok", ""),
    ("operation-id-punctuation", _operation_ids("../..", "x"), "refused", "has no letter or digit"),
    ("operation-id-create-app", _operation_ids("create_app", "CONTRACT"), "ok", ""),
]


def naming_cases() -> Iterator[Case]:
    for name, mutate, expect, message in NAMING:
        yield Case(f"naming-{name}", {SPEC_NAME: _with(mutate)}, expect, message)


def _nested(depth: int) -> bytes:
    return b"openapi: 3.1.0\ninfo: " + b"[" * depth + b"]" * depth + b"\n"


def _alias_bomb() -> bytes:
    lines = ["openapi: 3.1.0", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    return ("\n".join(lines) + "\n").encode()


def _huge() -> bytes:
    """About 3 MB: long texts and a large extension (openapi-spec-validator and datamodel-code-generator
    take ~0.1 s per schema, so size in schemas is exercised by the github.json kill test instead)."""
    spec = base_spec()
    spec["info"]["description"] = "word " * 400_000
    _item(spec)["properties"]["name"]["description"] = "x" * 1_000_000
    spec["x-blob"] = [{"k": i, "v": ["a", "b", None, 1.5]} for i in range(25_000)]
    return json.dumps(spec).encode()


def _odd_security_scheme_key(spec: Spec) -> None:
    # OpenAPI 3.0's schema leaves the values of keys outside its name pattern unchecked.
    spec["openapi"] = "3.0.3"
    del _item(spec)["properties"]["name"]["examples"], _item(spec)["properties"]["note"]
    spec["components"]["securitySchemes"]["../x"] = "x"


def _wrong_types() -> Iterator[tuple[str, bytes]]:
    """Every object of the base spec replaced, one at a time, by a value of the wrong type."""
    targets: list[tuple[str, Callable[[Spec], object]]] = [
        ("info", lambda s: s.__setitem__("info", [])),
        ("paths", lambda s: s.__setitem__("paths", "x")),
        ("path-item", lambda s: s["paths"].__setitem__("/items/{itemId}", 3)),
        ("operation", lambda s: s["paths"]["/items/{itemId}"].__setitem__("get", [1])),
        ("parameters", lambda s: _get(s).__setitem__("parameters", {"a": 1})),
        ("parameter", lambda s: _get(s)["parameters"].append("x")),
        ("parameter-name", lambda s: _get(s)["parameters"][1].__setitem__("name", 5)),
        ("parameter-in", lambda s: _get(s)["parameters"][1].__setitem__("in", ["query"])),
        ("responses", lambda s: _get(s).__setitem__("responses", [])),
        ("response", lambda s: _get(s)["responses"].__setitem__("200", None)),
        ("content", lambda s: _get(s)["responses"]["200"].__setitem__("content", "json")),
        ("media", lambda s: _get(s)["responses"]["200"]["content"].__setitem__("application/json", 1)),
        ("schema", lambda s: _item(s).__setitem__("properties", [])),
        ("schema-type", lambda s: _item(s).__setitem__("type", 7)),
        ("required", lambda s: _item(s).__setitem__("required", "id")),
        ("enum", lambda s: s["components"]["schemas"]["Kind"].__setitem__("enum", "small")),
        ("components", lambda s: s.__setitem__("components", [])),
        ("schemas", lambda s: s["components"].__setitem__("schemas", "x")),
        ("security", lambda s: s.__setitem__("security", {"apiKey": []})),
        ("security-scheme", lambda s: s["components"]["securitySchemes"].__setitem__("apiKey", "x")),
        ("tags", lambda s: s.__setitem__("tags", {"name": "x"})),
        ("tag-list", lambda s: _get(s).__setitem__("tags", "items")),
        ("operation-id", lambda s: _get(s).__setitem__("operationId", {"a": 1})),
        ("request-body", lambda s: s["paths"]["/items/{itemId}"]["put"].__setitem__("requestBody", [])),
        ("servers", lambda s: s.__setitem__("servers", "http://x")),
        ("openapi-number", lambda s: s.__setitem__("openapi", 3.1)),
        (
            "ref-number",
            lambda s: _get(s)["responses"]["200"]["content"]["application/json"].__setitem__("schema", {"$ref": 1}),
        ),
        # Found by the fuzzer: a key outside the standard's name pattern escapes the validator's check of
        # its value, so lower() met a string where a security scheme belongs.
        ("fuzz-security-scheme-odd-key", _odd_security_scheme_key),
        ("status-code-key", lambda s: _get(s)["responses"].__setitem__("20x", {"description": "x"})),
    ]
    for name, mutate in targets:
        spec = copy.deepcopy(base_spec())
        mutate(spec)
        yield name, json.dumps(spec).encode()


# Wrong types the standard's schema does not catch: generation must cope (and not crash).
WRONG_TYPES_ACCEPTED = frozenset({"fuzz-security-scheme-odd-key"})


def malformed_cases() -> Iterator[Case]:
    simple: list[tuple[str, bytes, str]] = [
        ("empty", b"", "spec is empty"),
        ("whitespace", b"   \n\n", "spec is empty"),
        ("comment-only", b"# nothing\n", "spec is empty"),
        ("invalid-yaml", b"openapi: 3.1.0\ninfo: {title: [\n", "invalid YAML"),
        ("invalid-yaml-indent", b"openapi: 3.1.0\n info: x\n  - y\n", "invalid YAML"),
        ("tabs", b"openapi: 3.1.0\ninfo:\n\ttitle: x\n", "invalid YAML"),
        ("duplicate-keys", b"openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths: {}\npaths: {}\n", "duplicate key"),
        (
            "duplicate-nested",
            b'{"openapi": "3.1.0", "info": {"title": "a", "title": "b", "version": "1"}, "paths": {}}',
            "duplicate key",
        ),
        ("alias-bomb", _alias_bomb(), "alias bomb"),
        ("deep-flow", _nested(10000), "nested too deeply"),
        ("deep-block", b"openapi: 3.1.0\ninfo:\n" + b"".join(b"  " * i + b"a:\n" for i in range(1, 3000)), ""),
        ("deep-json", b'{"openapi": "3.1.0", "info": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5000 + b"}", ""),
        ("non-utf8", b"openapi: 3.1.0\ninfo:\n  title: caf\xe9\n", "not UTF-8"),
        ("utf16", "openapi: 3.1.0\n".encode("utf-16"), "not UTF-8"),
        ("json-array", b'[{"openapi": "3.1.0"}]', "must be a mapping"),
        ("scalar", b"42\n", "must be a mapping"),
        ("string", b'"openapi"\n', "must be a mapping"),
        ("null-document", b"null\n", ""),
        ("multi-document", b"openapi: 3.1.0\n---\nopenapi: 3.0.0\n", "invalid YAML"),
        ("python-tag", b"openapi: !!python/object/apply:os.system ['touch CANARY']\n", "unsupported YAML tag"),
        ("python-name", b"openapi: 3.1.0\ninfo: !!python/name:os.system\n", "unsupported YAML tag"),
        ("custom-tag", b"openapi: !custom 3.1.0\n", "unsupported YAML tag"),
        ("binary-tag", b"openapi: 3.1.0\ninfo: {title: !!binary aGVsbG8=}\n", "unsupported YAML tag"),
        ("timestamp-tag", b"openapi: 3.1.0\ninfo: {title: !!timestamp 2001-01-01}\n", "unsupported YAML tag"),
        ("set-tag", b"openapi: 3.1.0\ninfo: !!set {a, b}\n", "unsupported YAML tag"),
        ("complex-key", b"openapi: 3.1.0\n? [a, b]\n: c\n", "plain string"),
        (
            "merge-key",
            b"openapi: 3.1.0\nbase: &b {title: x}\ninfo:\n  <<: *b\n  version: '1'\npaths: {}\n",
            "merge keys",
        ),
        ("infinity", b"openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths: {}\nx-n: .inf\n", "not a JSON number"),
        ("nan", b"openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths: {}\nx-n: [.NaN]\n", "not a JSON number"),
        ("nul-raw", b'openapi: 3.1.0\ninfo: {title: "a\x00b"}\n', "invalid YAML"),
        ("control-chars", b"openapi: 3.1.0\ninfo: {title: a\x07b}\n", "invalid YAML"),
        ("no-version", b"info: {title: a, version: '1'}\npaths: {}\n", "unsupported OpenAPI version"),
        ("swagger-2", b"swagger: '2.0'\ninfo: {title: a, version: '1'}\npaths: {}\n", "unsupported OpenAPI version"),
        ("version-4", b"openapi: 4.0.0\ninfo: {title: a, version: '1'}\npaths: {}\n", "unsupported OpenAPI version"),
        (
            "huge-int",
            b"openapi: 3.1.0\ninfo: {title: a, version: 1" + b"9" * 5000 + b"}\npaths: {}\n",
            "invalid YAML value",
        ),
    ]
    for name, raw, message in simple:
        yield Case(f"malformed-{name}", {SPEC_NAME: raw}, "refused", message)
    yield Case("malformed-bom-ok", {SPEC_NAME: b"\xef\xbb\xbf" + dump(base_spec())}, "ok")
    yield Case("malformed-huge", {SPEC_NAME: _huge()}, "ok")
    yield Case(
        "malformed-no-paths",
        {SPEC_NAME: b"openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths: {}\nx-n: 1e99999\n"},
        "ok",
    )
    for name, raw in _wrong_types():
        yield Case(f"wrong-type-{name}", {SPEC_NAME: raw}, "ok" if name in WRONG_TYPES_ACCEPTED else "refused")


def _ref_to(ref: str) -> bytes:
    def mutate(spec: Spec) -> None:
        _get(spec)["responses"]["200"]["content"]["application/json"]["schema"] = {"$ref": ref}

    return _with(mutate)


def ref_cases() -> Iterator[Case]:
    outside = {"secret.yaml": b"Secret:\n  type: object\n"}
    refs: list[tuple[str, str, str]] = [
        ("dangling", "#/components/schemas/Nope", "unresolvable $ref"),
        ("dangling-deep", "#/components/schemas/Item/properties/zzz", "unresolvable $ref"),
        ("bad-pointer", "#components/schemas/Item", "unresolvable $ref"),
        ("pointer-escape", "#/components/schemas/~2", "unresolvable $ref"),
        ("parent-file", "../secret.yaml#/Secret", "external $ref"),
        ("absolute-file", "/etc/passwd", "external $ref"),
        ("file-url", "file:///etc/passwd", "external $ref"),
        ("http", "http://127.0.0.1:9/schema.json", "external $ref"),
        ("https", "https://example.invalid/schema.json#/X", "external $ref"),
        ("sibling-file", "other.yaml#/Other", "external $ref"),
        ("empty", "", "external $ref"),
    ]
    for name, ref, message in refs:
        yield Case(
            f"ref-{name}",
            {SPEC_NAME: _ref_to(ref), "other.yaml": b"Other: {type: string}\n"},
            "refused",
            message,
            outside=outside,
        )

    def self_cycle(spec: Spec) -> None:
        spec["components"]["schemas"]["Loop"] = {"$ref": "#/components/schemas/Loop"}

    def mutual_cycle(spec: Spec) -> None:
        spec["components"]["schemas"]["A"] = {"$ref": "#/components/schemas/B"}
        spec["components"]["schemas"]["B"] = {"$ref": "#/components/schemas/A"}

    def recursive_schema(spec: Spec) -> None:
        spec["components"]["schemas"]["Tree"] = {
            "type": "object",
            "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}},
        }
        _get(spec)["responses"]["200"]["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/Tree"}

    def param_cycle(spec: Spec) -> None:
        spec["components"]["parameters"] = {
            "P": {"$ref": "#/components/parameters/Q"},
            "Q": {"$ref": "#/components/parameters/P"},
        }
        _get(spec)["parameters"].append({"$ref": "#/components/parameters/P"})

    def to_root(spec: Spec) -> None:
        _get(spec)["responses"]["200"]["content"]["application/json"]["schema"] = {"$ref": "#"}

    def path_item_cycle(spec: Spec) -> None:
        spec["paths"]["/loop"] = {"$ref": "#/paths/~1loop"}

    def response_cycle(spec: Spec) -> None:
        spec["components"]["responses"] = {"R": {"$ref": "#/components/responses/R"}}
        _get(spec)["responses"]["404"] = {"$ref": "#/components/responses/R"}

    for name, mutate, expect, message in [
        ("cycle-self", self_cycle, "refused", "cycle"),
        ("cycle-mutual", mutual_cycle, "refused", "cycle"),
        ("cycle-parameter", param_cycle, "refused", "cycle"),
        ("cycle-path-item", path_item_cycle, "refused", "cycle"),
        ("cycle-response", response_cycle, "refused", "cycle"),
        ("recursive-schema", recursive_schema, "ok", ""),
        (
            "to-document-root",
            lambda spec: _get(spec)["responses"]["200"]["content"]["application/json"].update(schema={"$ref": "#"}),
            "ok",
            "",
        ),
    ]:
        yield Case(f"ref-{name}", {SPEC_NAME: _with(mutate)}, expect, message)  # type: ignore[arg-type]


# Hand-written files in this folder: name -> (expected outcome, message substring).
HAND_WRITTEN: dict[str, tuple[Literal["ok", "refused"], str]] = {}


def hand_written_cases() -> Iterator[Case]:
    for path in sorted(HERE.glob("*.yaml")) + sorted(HERE.glob("*.json")):
        expect, message = HAND_WRITTEN.get(path.name, ("refused", ""))
        yield Case(f"file-{path.stem}", {SPEC_NAME: path.read_bytes()}, expect, message)


def all_cases() -> list[Case]:
    cases = [
        *injection_cases(),
        *naming_cases(),
        *malformed_cases(),
        *ref_cases(),
        *hand_written_cases(),
    ]
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    return cases
