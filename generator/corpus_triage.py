"""Which schemathesis failures come from the spec itself, and which are apigen's.

A failure is blamed on the spec only when no correct server could avoid it:
- the server rejected a request (4xx) and the operation documents no client error at all (no 4xx code,
  no `4XX`, no `default`): every rejection of invalid input is then "undocumented";
- it rejected an invalid request with 400 (or FastAPI's 422) and the operation documents neither 400 nor
  422 (nor `4XX`/`default`): there is no documented status for invalid input;
- a secured operation answered 401/403 to a request without the mock's credential (none, or one
  schemathesis generated) and documents neither that code nor `4XX`/`default`;
- the operation documents no response at all (allowed in 3.1), so every answer is "undocumented";
- a discriminator without `mapping` whose schemas restrict its property to values other than their
  own names (Spotify's `type: track` for `TrackObject`): no response satisfies both;
- an operation schemathesis cannot read because one of the spec's references does not resolve (only
  under --lenient is such a spec generated at all); an "accepts requests without authentication" on an
  operation with alternative security requirements when the request still carried an accepted one;
- a disagreement on the spec's meaning: a body whose discriminator value names no schema was rejected
  (OpenAPI: the discriminator decides the schema), which plain JSON Schema `oneOf` accepts;
- an event of a `text/event-stream` response "violates" a `schema` (before OpenAPI 3.2, no
  `itemSchema`) that requires properties an event cannot have: schemathesis validates each event
  object ({data, event, id, retry}) against it, while the spec meant the payload in `data`
  (Hugging Face TGI's StreamResponse requires `index` and `token`): no stream with an event passes;
- not a failure at all: schemathesis sent, in a form body, a JSON value of the wrong type for a string
  (or array of strings) field, but form encoding makes every value text: "{}" is a valid string; or, as a
  path/header array of strings, a value of another type whose text is a valid one-item array;
- a path/header object whose additional properties may be anything: OpenAPI leaves the `simple`, `label`
  and `matrix` text of nested objects and arrays undefined (3.0.3 §4.7.12.4), so schemathesis' text for
  such a valid value cannot be taken apart, and its rejection names only that parameter.
- not a failure either: a whole body of a non-JSON media type (`text/plain`, `text/x-markdown`,
  `image/jpeg`) whose schema is a string, sent with a value meant as another JSON type: what is sent
  is its text, judged against the string schema (length, pattern, enum, base64) and valid.
- a urlencoded form body property that is an array of objects (or arrays), or an object holding one
  or an object: OpenAPI's default `form` style (explode) spells an object as its properties' pairs
  and an array as repeated pairs, but defines no text for values nested deeper (RFC 6570 knows
  strings, lists and maps of strings), so schemathesis' pairs for a valid value (an object's key names,
  Python's repr) cannot be taken apart, and the rejection names only such properties;
- a required form body property whose valid empty value (`[]`; in a urlencoded form also `{}`) the
  form encoding drops: `form` style with explode omits an empty list or map (RFC 6570 §3.2.1), and
  schemathesis sends an empty list as no multipart part at all, so the request arrives without the
  property and its rejection as missing names only such properties;
- the spec breaks the standard so that schemathesis cannot generate cases for an operation: a numeric
  `exclusiveMinimum`/`exclusiveMaximum` in OpenAPI 3.0/Swagger 2 (a boolean there; Hugging Face TGI's
  GenerateParameters) reachable from the operation's parameters or body; the operation is untested,
  and that is the spec's doing;
- the spec breaks the standard: two path templates that differ only in parameter names (OpenAPI 3.0.3
  Paths Object: they are identical and MUST NOT exist); a URL matches both, so the `Allow` of one
  lists the other's methods too;
Everything else is apigen's to fix.
"""

from __future__ import annotations

import base64
import dataclasses
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator.mock import MOCK_CREDENTIAL
from generator.regex import ecma_pattern
from generator.validate import deref, iter_operations, resolve_local, walk

# The credential as schemathesis sends it: bearer/api key as is, basic as base64("mock:mock").
_MOCK_CREDENTIALS = (MOCK_CREDENTIAL, base64.b64encode(f"{MOCK_CREDENTIAL}:{MOCK_CREDENTIAL}".encode()).decode())


# schemathesis' own limit: "Failed to generate test cases ... does not support this part of it".
CANNOT_GENERATE = "schemathesis cannot generate cases"


@dataclass(frozen=True)
class Failure:
    operation: str  # "GET /pets/{id}"
    check: str  # "ST103"
    status: int | None
    request: str  # schemathesis' curl line ("" when it printed none)
    spec_reason: str | None  # why the spec causes it; None when apigen must fix it
    invalid_field: str = ""  # ST201: the body property schemathesis made invalid ("in body - NAME: ...")
    tag_mismatch: bool = False  # the answer was pydantic's union_tag_invalid (a discriminator value)
    known_values: tuple[str, ...] = ()  # ST111: the discriminator values schemathesis knows
    # ST201: "in:name" of the path/header parameter schemathesis gave a value of the wrong type
    invalid_parameter: str = ""
    # ST202: "in:name" of each path/header parameter the answer names as invalid
    rejected_parameters: tuple[str, ...] = ()
    sse_event: bool = False  # ST108: an SSE event (not a whole body) violated the schema
    # ST201: the whole body was of the wrong type ("in body - incorrect type" / "violates `type`")
    body_type_invalid: bool = False
    # ST202: the body properties the answer names as invalid
    rejected_body_fields: tuple[str, ...] = ()
    # ST202: those of them it names as missing ("body.NAME: Field required")
    missing_body_fields: tuple[str, ...] = ()

    @property
    def spec_caused(self) -> bool:
        return self.spec_reason is not None


def parse_failures(operation: str, text: str) -> list[Failure]:
    """The individual failures of one operation in a schemathesis JUnit failure text."""
    found: list[Failure] = []
    for block in re.split(r"\n(?=\d+\. Test Case ID)", text):
        status_match = re.search(r"^\[(\d{3})\]", block, re.MULTILINE)
        status = int(status_match.group(1)) if status_match else None
        curl = re.search(r"^\s*(curl .*)$", block, re.MULTILINE)
        request = curl.group(1) if curl else ""
        invalid = re.search(r"Invalid component: in body - ([^:\n]+): Incorrect type", block)
        field = invalid.group(1).strip() if invalid else ""
        tag = "union_tag_invalid" in block
        known = re.search(r"known schema values:\s*((?:'[^']*'(?:,\s*)?)+)", block)
        values = tuple(re.findall(r"'([^']*)'", known.group(1))) if known else ()
        wrong = re.search(
            r"Invalid component: parameter `([^`]+)` in (path|header) - (?:incorrect type|violates `type`)", block
        )
        parameter = f"{wrong.group(2)}:{wrong.group(1)}" if wrong else ""
        # where the answer locates the problem: FastAPI's ["header","x"] or the spec's "header.x: ..."
        rejected = re.findall(r'\["(path|header)","([^"]+)"\]|\b(path|header)\.([^:;\s]+):', block)
        named = tuple(sorted({f"{a or c}:{b or d}" for a, b, c, d in rejected}))
        sse = "SSE event violates schema" in block
        whole_body = re.search(
            r"Invalid component: in body - (?:incorrect type|violates `type`[^\n]*)\s*$", block, re.MULTILINE
        )
        fields = re.findall(r'\["body","([^"]+)"|\bbody\.([^.:;\s]+)', block)
        body_fields = tuple(sorted({a or b for a, b in fields}))
        missing = tuple(sorted(set(re.findall(r'\bbody\.([^.:;\s"]+): Field required', block))))
        found.extend(
            Failure(
                operation,
                code,
                status,
                request,
                None,
                field,
                tag,
                values,
                parameter,
                named,
                sse,
                whole_body is not None,
                body_fields,
                missing,
            )
            for code in re.findall(r"^- (ST\d+)", block, re.MULTILINE)
        )
    if not found:  # a schema error or crash: no check code
        unresolved = re.search(r"Unresolvable reference.*?Reference:\s*(\S+)", text, re.DOTALL)
        check = f"Unresolvable reference {unresolved.group(1)}" if unresolved else text.strip().split("\n", 1)[0][:60]
        if "Failed to generate test cases" in text:
            check = CANNOT_GENERATE
        found.append(Failure(operation, check or "error", None, "", None))
    return found


class SpecFacts:
    """Declared responses and security per "METHOD /path", read from the spec."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.responses: dict[str, set[str]] = {}
        self.secured: dict[str, bool] = {}
        self.form_text_fields: dict[str, set[str]] = {}
        self.form_nested_fields: dict[str, set[str]] = {}
        # operation -> form media type -> required properties whose valid empty value the encoding drops
        self.form_dropped_empty: dict[str, dict[str, set[str]]] = {}
        # operation -> non-JSON media type of its body -> the body's string schema
        self.string_bodies: dict[str, dict[str, dict[str, Any]]] = {}
        # operation -> pointer of a 3.0 numeric exclusive bound its request schemas reach
        self.nonstandard_bounds: dict[str, str] = {}
        boolean_bounds = not str(data.get("openapi", "")).startswith("3.1")
        self.alternatives: dict[str, int] = {}  # how many security requirements (OR) an operation has
        self.data = data
        self.unsatisfiable = _unsatisfiable_discriminator_targets(data)
        # (operation, status) -> properties its event stream `schema` requires that no event object has.
        self.event_only_required: dict[tuple[str, str], list[str]] = {}
        root_security = data.get("security")
        self.text_arrays: dict[str, set[str]] = {}
        self.open_objects: dict[str, set[str]] = {}
        paths = data.get("paths")
        shapes = Counter(_template_shape(key) for key in (paths if isinstance(paths, dict) else {}))
        # Path templates another template of the same shape shadows ("/a/{x}" and "/a/{y}").
        self.identical_templates = {key for key in (paths or {}) if shapes[_template_shape(key)] > 1}
        for _, key, method, item, operation in iter_operations(data):
            name = f"{method.upper()} {key}"
            responses = deref(data, operation.get("responses"))
            self.responses[name] = {str(code).upper() for code in responses} if isinstance(responses, dict) else set()
            security = operation.get("security", root_security)
            self.secured[name] = isinstance(security, list) and bool(security) and {} not in security
            self.alternatives[name] = len(security) if isinstance(security, list) else 0
            self.form_text_fields[name] = _form_text_fields(data, operation)
            self.form_nested_fields[name] = _form_nested_fields(data, operation)
            self.form_dropped_empty[name] = _form_dropped_empty(data, operation)
            self.text_arrays[name], self.open_objects[name] = _styled_parameters(data, item, operation)
            if not str(data.get("openapi", "")).startswith("3.2"):
                for code, response in (responses if isinstance(responses, dict) else {}).items():
                    required = _event_payload_required(data, deref(data, response))
                    if required:
                        self.event_only_required[(name, str(code))] = required
            self.string_bodies[name] = _string_bodies(data, operation)
            bound = _numeric_exclusive_bound(data, item, operation) if boolean_bounds else None
            if bound:
                self.nonstandard_bounds[name] = bound

    def blame(self, failure: Failure) -> Failure:
        reason = self._spec_reason(failure)
        return dataclasses.replace(failure, spec_reason=reason)

    def _spec_reason(self, failure: Failure) -> str | None:
        bound = self.nonstandard_bounds.get(failure.operation)
        if failure.check == CANNOT_GENERATE and bound:
            return (
                "a schema the operation reaches breaks the standard"
                f" ({bound}: a number where OpenAPI {self.data.get('openapi') or self.data.get('swagger')}"
                " requires a boolean)"
            )
        if failure.check == "ST205" and failure.operation.split(" ", 1)[-1] in self.identical_templates:
            return (
                "the spec has another path template identical but for parameter names (3.0.3 Paths Object:"
                " MUST NOT exist); a URL matches both, so `Allow` lists the methods of both"
            )
        if failure.check.startswith("Unresolvable reference "):
            ref = failure.check.removeprefix("Unresolvable reference ")
            if not resolve_local(self.data, ref if ref.startswith("#") else "#" + ref)[0]:
                return f"schemathesis could not read the operation: the spec's reference {ref} does not resolve"
        sent_credential = any(c in failure.request for c in _MOCK_CREDENTIALS)
        if failure.check == "ST401" and self.alternatives.get(failure.operation, 0) > 1 and sent_credential:
            return (
                "schemathesis dropped one of the operation's alternative credentials; the request still carried"
                " another the spec accepts (security requirements are alternatives)"
            )
        if failure.check == "ST111" and failure.known_values and set(failure.known_values) <= self.unsatisfiable:
            return (
                "the discriminator has no mapping, so its values must be the schema names"
                f" ({', '.join(failure.known_values)}), yet those schemas restrict the property to other values:"
                " no response can satisfy both"
            )
        required = self.event_only_required.get((failure.operation, str(failure.status)))
        if failure.check == "ST108" and failure.sse_event and required:
            return (
                "schemathesis validates each event object ({data, event, id, retry}) against the event stream's"
                f" `schema`, which describes the payload: it requires {', '.join(map(repr, required))},"
                " which no event can carry"
            )
        if failure.check == "ST202" and failure.tag_mismatch:
            return (
                "the body's discriminator value names no schema of its mapping: schemathesis validates the oneOf"
                " as plain JSON Schema, OpenAPI lets the discriminator decide (and reject)"
            )
        if failure.check == "ST201" and failure.invalid_field in self.form_text_fields.get(failure.operation, ()):
            media = "multipart" if "multipart/form-data" in failure.request else "urlencoded"
            return (
                f"not a failure: the value schemathesis meant as another JSON type is, once {media}-encoded,"
                f" valid text for the string/array field {failure.invalid_field!r}"
            )
        if failure.check == "ST201" and failure.invalid_parameter in self.text_arrays.get(failure.operation, ()):
            return (
                "not a failure: the value schemathesis meant as another JSON type is, as text, a valid one-item"
                f" array of strings for the parameter {failure.invalid_parameter!r}"
            )
        nested = self.form_nested_fields.get(failure.operation, set())
        urlencoded = "application/x-www-form-urlencoded" in failure.request
        rejected = set(failure.rejected_body_fields)
        if failure.check == "ST202" and urlencoded and rejected and rejected <= nested:
            return (
                "OpenAPI's form style defines no text for values nested in an object or array, so schemathesis'"
                f" pairs for the properties {', '.join(failure.rejected_body_fields)} cannot be taken apart"
            )
        if failure.check == "ST202" and failure.missing_body_fields:
            reason = self._dropped_empty(failure)
            if reason:
                return reason
        opened = self.open_objects.get(failure.operation, set())
        if failure.check == "ST202" and failure.rejected_parameters and set(failure.rejected_parameters) <= opened:
            return (
                "the object parameter takes additional properties of any type: OpenAPI leaves the style's text"
                " of nested objects and arrays undefined, so schemathesis' text for them cannot be taken apart"
                f" ({', '.join(failure.rejected_parameters)})"
            )
        if failure.check == "ST201" and failure.body_type_invalid:
            reason = self._valid_text_body(failure)
            if reason:
                return reason
        declared = self.responses.get(failure.operation)
        if declared is None or failure.check != "ST103" or failure.status is None:
            return None
        if not declared:
            return "the operation documents no response at all"
        status = failure.status
        if not 400 <= status < 500 or str(status) in declared or {"4XX", "DEFAULT"} & declared:
            return None
        if not any(code.startswith("4") for code in declared):
            return f"answered {status} to an invalid request; the operation documents no client error"
        if status in (400, 422) and not {"400", "422"} & declared:
            return f"answered {status} to an invalid request; the operation documents neither 400 nor 422"
        # Only when the request did not carry the credential the mock accepts (run unsanitised, so
        # schemathesis prints it; a generated wrong credential is rightly refused).
        credentialless = not any(c in failure.request for c in ("[Filtered]", *_MOCK_CREDENTIALS))
        if status in (401, 403) and self.secured.get(failure.operation, False) and credentialless:
            return f"answered {status} to a request without credentials; the secured operation documents no {status}"
        return None

    def _valid_text_body(self, failure: Failure) -> str | None:
        """Why a whole body "of the wrong type" was rightly accepted: sent as a non-JSON media type, it
        is text, and that text is valid for the body's string schema."""
        sent_type = re.search(r"Content-Type: ([^'\";]+)", failure.request)
        media_type = sent_type.group(1).strip().lower() if sent_type else ""
        schema = self.string_bodies.get(failure.operation, {}).get(media_type)
        text = _sent_data(failure.request)
        if schema is None or text is None or not _valid_string(text, schema):
            return None
        return (
            f"not a failure: the body schemathesis meant as another JSON type is, sent as {media_type}, the"
            f" text {text[:40]!r}, which is valid for the body's schema (a string"
            + (f", format {schema['format']}" if "format" in schema else "")
            + ")"
        )

    def _dropped_empty(self, failure: Failure) -> str | None:
        """Why a required form property was missing, when its valid empty value has no form text."""
        sent_type = re.search(r"Content-Type: ([^'\";]+)", failure.request)
        media_type = sent_type.group(1).strip().lower() if sent_type else ""
        droppable = self.form_dropped_empty.get(failure.operation, {}).get(media_type, set())
        missing = set(failure.missing_body_fields)
        if not missing or missing != set(failure.rejected_body_fields) or not missing <= droppable:
            return None
        for name in missing:  # the request really lacks it
            quoted = re.escape(urllib.parse.quote(name, safe=""))
            if re.search(rf'name="{re.escape(name)}"|(?:^|[&\'])(?:{re.escape(name)}|{quoted})=', failure.request):
                return None
        return (
            f"the request lacks the required {', '.join(sorted(missing))}: a valid empty value of it (`[]`"
            f"{' or `{}`' if media_type == 'application/x-www-form-urlencoded' else ''}) has no {media_type} text"
            " (form style omits an empty list or map, RFC 6570; schemathesis sends an empty list as no part),"
            " so what schemathesis meant as valid cannot be told from a missing property"
        )


def _styled_parameters(data: dict[str, Any], item: Any, operation: dict[str, Any]) -> tuple[set[str], set[str]]:
    """("in:name" of path/header arrays of unconstrained strings, of path/header objects whose
    additional properties may be of any type)."""
    arrays: set[str] = set()
    objects: set[str] = set()
    for source in (item.get("parameters") if isinstance(item, dict) else None, operation.get("parameters")):
        for raw in source if isinstance(source, list) else []:
            param = deref(data, raw)
            if not isinstance(param, dict) or param.get("in") not in ("path", "header"):
                continue
            schema = deref(data, param.get("schema"))
            schema = schema if isinstance(schema, dict) else {}
            where = f"{param['in']}:{param.get('name')}"
            items = deref(data, schema.get("items"))
            items = items if isinstance(items, dict) else {}
            plain = items.get("type") == "string" and not {"format", "enum", "pattern", "minLength"} & set(items)
            if schema.get("type") == "array" and plain and int(schema.get("minItems", 0)) <= 1:
                arrays.add(where)
            extra = schema.get("additionalProperties", True)
            if schema.get("type") == "object" and (extra is True or extra == {}):
                objects.add(where)
    return arrays, objects


def _numeric_exclusive_bound(data: dict[str, Any], item: Any, operation: dict[str, Any]) -> str | None:
    """The first `exclusiveMinimum`/`exclusiveMaximum` that is a number (OpenAPI 3.0 and Swagger 2 want
    a boolean) among the schemas an operation's parameters and request body reach, as a JSON pointer."""
    roots: list[tuple[str, Any]] = []
    for source in (item.get("parameters") if isinstance(item, dict) else None, operation.get("parameters")):
        roots += [("parameter", p) for p in (source if isinstance(source, list) else [])]
    roots.append(("requestBody", operation.get("requestBody")))
    seen: set[str] = set()
    pending = [(where, node) for where, node in roots]
    while pending:
        where, node = pending.pop(0)
        if isinstance(node, list):
            pending += [(f"{where}/{i}", sub) for i, sub in enumerate(node)]
            continue
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref not in seen:
                seen.add(ref)
                pending.append((ref, deref(data, node)))
            continue
        for key in ("exclusiveMinimum", "exclusiveMaximum"):
            if key in node and not isinstance(node[key], bool) and isinstance(node[key], (int, float)):
                return f"{where}/{key}"
        pending += [(f"{where}/{key}", sub) for key, sub in sorted(node.items()) if isinstance(sub, (dict, list))]
    return None


def _template_shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _form_nested_fields(data: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    """Properties of a urlencoded form body whose valid values may have no form text: arrays of
    objects or arrays, and objects (or unions of objects) with an object or such an array inside.
    (`form` style, explode: an object is its properties' pairs, an array repeated pairs, of strings.)"""
    fields: set[str] = set()
    for name, prop in _form_properties(data, operation, ("application/x-www-form-urlencoded",)):
        if _array_of_structures(data, prop) or any(
            _is_structured(data, sub) for option in _options(data, prop) for sub in _properties(data, option)
        ):
            fields.add(name)
    return fields


def _form_dropped_empty(data: dict[str, Any], operation: dict[str, Any]) -> dict[str, set[str]]:
    """Form media type -> its body's required properties with a valid empty value the encoding drops:
    an array without minItems (or a schema allowing any value); in a urlencoded body also an object
    without required properties."""
    found: dict[str, set[str]] = {}
    for media_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        schema = _form_schema(data, operation, media_type)
        required = set(schema.get("required") or ()) if isinstance(schema, dict) else set()
        for name, prop in _form_properties(data, operation, (media_type,)):
            options = _options(data, prop)
            empty_array = any(
                o.get("type") in ("array", None) and not o.get("minItems") and not _is_object(o) for o in options
            )
            empty_object = media_type == "application/x-www-form-urlencoded" and any(
                _is_object(o) and not o.get("required") and not o.get("minProperties") for o in options
            )
            if name in required and (empty_array or empty_object):
                found.setdefault(media_type, set()).add(name)
    return found


def _form_schema(data: dict[str, Any], operation: dict[str, Any], media_type: str) -> Any:
    body = deref(data, operation.get("requestBody"))
    content = body.get("content") if isinstance(body, dict) else None
    for key, media in (content if isinstance(content, dict) else {}).items():
        if key.split(";")[0].strip().lower() == media_type and isinstance(media, dict):
            return deref(data, media.get("schema"))
    return None


def _form_properties(
    data: dict[str, Any], operation: dict[str, Any], media_types: tuple[str, ...]
) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for media_type in media_types:
        schema = _form_schema(data, operation, media_type)
        properties = schema.get("properties") if isinstance(schema, dict) else None
        found.extend(
            (name, deref(data, prop)) for name, prop in (properties if isinstance(properties, dict) else {}).items()
        )
    return found


def _options(data: dict[str, Any], schema: Any) -> list[dict[str, Any]]:
    """A schema's alternatives (anyOf/oneOf), or the schema itself."""
    schema = deref(data, schema)
    if not isinstance(schema, dict):
        return []
    union = [deref(data, o) for o in (*(schema.get("anyOf") or ()), *(schema.get("oneOf") or ()))]
    return [o for o in union if isinstance(o, dict)] or [schema]


def _properties(data: dict[str, Any], schema: dict[str, Any]) -> list[Any]:
    properties = schema.get("properties") if _is_object(schema) else None
    return [deref(data, p) for p in (properties if isinstance(properties, dict) else {}).values()]


def _is_structured(data: dict[str, Any], schema: Any) -> bool:
    """An object or array (or a union with one): no primitive text in a form."""
    return any(_is_object(o) or o.get("type") == "array" for o in _options(data, schema))


def _array_of_structures(data: dict[str, Any], schema: Any) -> bool:
    return any(o.get("type") == "array" and _is_structured(data, o.get("items")) for o in _options(data, schema))


def _is_object(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("type") == "object" or "properties" in schema)


def _form_text_fields(data: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    """Properties of a form body whose text form is valid whatever JSON value it was meant to be: strings
    (any text is one) and arrays (one value is a one-element array)."""
    body = deref(data, operation.get("requestBody"))
    content = body.get("content") if isinstance(body, dict) else None
    fields: set[str] = set()
    for media_type, media in (content or {}).items():
        if media_type.split(";")[0].strip() not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            continue
        schema = deref(data, media.get("schema")) if isinstance(media, dict) else None
        properties = schema.get("properties") if isinstance(schema, dict) else None
        for name, prop in (properties or {}).items():
            prop = deref(data, prop)
            kinds = prop.get("type") if isinstance(prop, dict) else None
            kinds = [kinds] if isinstance(kinds, str) else kinds or []
            if "string" in kinds and not (isinstance(prop, dict) and ("format" in prop or "enum" in prop)):
                fields.add(name)
            elif "array" in kinds:
                items = deref(data, prop.get("items")) if isinstance(prop, dict) else None
                item_kinds = items.get("type") if isinstance(items, dict) else None
                if item_kinds in ("string", None) or (isinstance(item_kinds, list) and "string" in item_kinds):
                    fields.add(name)
    return fields


_EVENT_FIELDS = frozenset(("data", "event", "id", "retry"))


def _event_payload_required(data: dict[str, Any], response: Any) -> list[str]:
    """Properties the `schema` (no `itemSchema`) of a response's event stream requires that an event
    object, as schemathesis reads it, never has."""
    content = response.get("content") if isinstance(response, dict) else None
    for media_type, media in (content if isinstance(content, dict) else {}).items():
        if media_type.split(";")[0].strip().lower() != "text/event-stream" or not isinstance(media, dict):
            continue
        if "itemSchema" in media or "schema" not in media:
            continue
        required: list[str] = []
        pending, seen = [media["schema"]], 0
        while pending and seen < 32:
            schema, seen = deref(data, pending.pop()), seen + 1
            if isinstance(schema, dict):
                names = schema.get("required")
                required += [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
                parts = schema.get("allOf")
                pending += parts if isinstance(parts, list) else []
        return sorted(set(required) - _EVENT_FIELDS)
    return []


def _string_bodies(data: dict[str, Any], operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Media types of the request body that are neither JSON nor a form, whose schema is a string: the
    body is its text as sent."""
    body = deref(data, operation.get("requestBody"))
    content = body.get("content") if isinstance(body, dict) else None
    found: dict[str, dict[str, Any]] = {}
    for media_type, media in (content if isinstance(content, dict) else {}).items():
        base = media_type.split(";")[0].strip().lower()
        schema = deref(data, media.get("schema")) if isinstance(media, dict) else None
        structured = base.endswith(("/json", "+json")) or base in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
        if not structured and isinstance(schema, dict) and schema.get("type") == "string":
            found[base] = schema
    return found


def _sent_data(curl: str) -> str | None:
    """The body of schemathesis' curl line (`-d TEXT` or `-d 'TEXT'`); None when absent or spelt in a
    way not taken apart here (`$'...'` escapes)."""
    match = re.search(r" -d ('(?:[^']|'\"'\"')*'|[^\s'$][^\s]*)(?: |$)", curl)
    if match is None:
        return None
    value = match.group(1)
    return value[1:-1].replace("'\"'\"'", "'") if value.startswith("'") else value


_ANNOTATION_FORMATS = ("base64", "binary")  # assert nothing (not JSON Schema formats; schemathesis agrees)


def _valid_string(text: str, schema: dict[str, Any]) -> bool:
    """Whether `text` satisfies a string schema's constraints: `byte` is base64 characters; other
    formats than those and the annotations above are not judged here (False)."""
    checks = [
        len(text) >= int(schema.get("minLength", 0)),
        "maxLength" not in schema or len(text) <= int(schema["maxLength"]),
        "enum" not in schema or text in schema["enum"],
        "const" not in schema or text == schema["const"],
        "pattern" not in schema or re.search(ecma_pattern(str(schema["pattern"])), text) is not None,
    ]
    if "format" in schema and schema["format"] not in _ANNOTATION_FORMATS:
        if schema["format"] != "byte":
            return False
        try:
            base64.b64decode(text, validate=True)
        except ValueError:
            return False
    return all(checks)


def _unsatisfiable_discriminator_targets(data: dict[str, Any]) -> set[str]:
    """Schema names that a discriminator without `mapping` must see as its property's value, while
    that schema's own property allows only other values (an enum or const without its name)."""
    found: set[str] = set()
    for _, node in walk(data):
        if not isinstance(node, dict) or not isinstance(node.get("discriminator"), dict):
            continue
        discriminator = node["discriminator"]
        name = discriminator.get("propertyName")
        if discriminator.get("mapping") or not isinstance(name, str):
            continue
        for branch in (node.get("oneOf") or []) + (node.get("anyOf") or []):
            ref = branch.get("$ref") if isinstance(branch, dict) else None
            if not isinstance(ref, str):
                continue
            target = ref.rsplit("/", 1)[-1]
            prop = _property(data, deref(data, branch), name, 0)
            allowed = prop.get("enum") if isinstance(prop, dict) else None
            allowed = [prop["const"]] if isinstance(prop, dict) and "const" in prop else allowed
            if isinstance(allowed, list) and target not in allowed:
                found.add(target)
    return found


def _property(data: dict[str, Any], schema: Any, name: str, depth: int) -> Any:
    """The schema of property `name`, declared directly or in an `allOf` part."""
    if not isinstance(schema, dict) or depth > 16:
        return None
    properties = schema.get("properties")
    if isinstance(properties, dict) and name in properties:
        return deref(data, properties[name])
    for part in schema.get("allOf") or []:
        found = _property(data, deref(data, part), name, depth + 1)
        if found is not None:
            return found
    return None
