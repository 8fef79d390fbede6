"""`apigen mock`: serve the generated app of a spec with handlers that answer from the spec itself.

The app is the one `apigen generate` writes (same pipeline, same templates), imported from a
temporary folder, so requests are validated exactly as by the real service. Each tag's Protocol gets
a class built at run time whose methods answer with the operation's declared success status and a
body that validates against the spec: a valid `example`/`examples` of the response media type when
there is one, otherwise an instance of the generated response model built by polyfactory (seeded), checked
against the spec's schema (jsonschema) and the model (pydantic) before it is sent.

Answers are a pure function of (seed, operationId, request arguments): the same requests give the
same bodies on every run with the same seed.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime
import functools
import gc
import hashlib
import importlib
import inspect
import logging
import math
import operator
import random
import socket
import sys
import tempfile
import typing
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pydantic
from fastapi.exceptions import RequestValidationError
from polyfactory.factories.pydantic_factory import ModelFactory
from polyfactory.field_meta import FieldMeta
from polyfactory.value_generators.regex import RegexFactory
from pydantic import MISSING, BaseModel, TypeAdapter, ValidationError, create_model

from generator import pipeline, views
from generator.diagnostics import split_pointer
from generator.ir import Api, Operation
from generator.loader import load_document
from generator.regex import ecma_pattern
from generator.validate import resolve_local

MOCK_CREDENTIAL = "mock"  # the bearer token / API key / basic user and password the mock accepts

# The generated package is imported under this name, so it never collides with a package of the
# same name on sys.path (e.g. this repository's own generated/python/team_api).
PACKAGE = "apigen_mock"
GENERATION_TRIES = 3  # polyfactory's candidates per response before the minimal instance is taken
BODY_POOL = 8  # distinct generated success bodies per operation
EVENTS_PER_STREAM = 3  # events a streaming operation sends (the declared kinds in turn)
RECURSION_DEPTH = 2  # how often a recursive $ref is expanded before the branch is cut off
_INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_SCHEMAS = "#/components/schemas/"
_OPENAPI_ONLY = ("discriminator", "xml", "externalDocs", "example", "nullable", "readOnly", "writeOnly")

logger = logging.getLogger("apigen.mock")


class MockError(Exception):
    """The mock server cannot start (the address is taken, the generated app does not import ...)."""


class NoMockDataError(Exception):
    """No valid body could be found or generated for an operation's success response."""


# -- spec access -----------------------------------------------------------------------------------


def _resolve(root: Mapping[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (`#/...`) until a node that is not a reference."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#") or ref in seen:
            return {}
        seen.add(ref)
        target: Any = root
        for token in split_pointer(ref):
            target = target.get(token) if isinstance(target, dict) else None
        node = target
    return node


def _media_object(root: Mapping[str, Any], op: Operation) -> dict[str, Any]:
    """The spec's media type object of the operation's success response ({} when there is none)."""
    section = root.get("webhooks" if op.is_webhook else "paths", {})
    operation = _resolve(root, _resolve(root, section.get(op.path, {})).get(op.method, {}))
    response = _resolve(root, operation.get("responses", {}).get(op.success.status, {}))
    media = (response.get("content") or {}).get(op.success.media_type or "", {})
    resolved = _resolve(root, media)
    return resolved if isinstance(resolved, dict) else {}


def _examples(root: Mapping[str, Any], media: Mapping[str, Any]) -> list[Any]:
    """`example`, then every `examples` value, in spec order (externalValue is not fetched)."""
    found = [media["example"]] if "example" in media else []
    for example in (media.get("examples") or {}).values():
        resolved = _resolve(root, example)
        if isinstance(resolved, dict) and "value" in resolved:
            found.append(resolved["value"])
    return found


def to_json_schema(
    root: Mapping[str, Any],
    schema: Any,
    openapi_30: bool,
    stack: tuple[str, ...] = (),
    *,
    hidden: views.Hidden | None = None,
) -> Any:
    """An OpenAPI schema object as a self-contained JSON Schema (2020-12): local `$ref`s inlined
    (a recursive one cut off after RECURSION_DEPTH expansions: `false`, so an optional property or
    array item simply does not occur), 3.0 `nullable` and boolean exclusive bounds translated,
    int32/int64 ranges made explicit, OpenAPI-only keywords dropped. `hidden` gives the view:
    `views.RESPONSE` forbids writeOnly properties (and does not require them), `views.REQUEST`
    readOnly ones."""
    if isinstance(schema, list):
        return [to_json_schema(root, item, openapi_30, stack, hidden=hidden) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if isinstance(schema.get("$ref"), str):
        ref = schema["$ref"]
        if stack.count(ref) >= RECURSION_DEPTH:
            return False
        target = to_json_schema(root, _resolve(root, {"$ref": ref}), openapi_30, (*stack, ref), hidden=hidden)
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        if openapi_30 or not siblings:
            return target
        return {"allOf": [target, to_json_schema(root, siblings, openapi_30, stack, hidden=hidden)]}
    out: dict[str, Any] = {}
    forbidden: set[str] = set()
    for key, value in schema.items():
        if key in _OPENAPI_ONLY or key == "$ref":  # a `$ref` that is not a string (--lenient): any value
            continue
        if key == "properties" and hidden is not None and isinstance(value, dict):
            components = _resolve(root, {"$ref": "#/components/schemas"})
            components = components if isinstance(components, dict) else {}
            forbidden = {n for n, sub in value.items() if views.marked(sub, hidden, components, _SCHEMAS)}
        if key in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"):
            out[key] = (
                {
                    name: False if name in forbidden else to_json_schema(root, sub, openapi_30, stack, hidden=hidden)
                    for name, sub in value.items()
                }
                if isinstance(value, dict)
                else value
            )
        elif key == "pattern" and isinstance(value, str):
            out[key] = ecma_pattern(value)  # checked with Python's `re`: keep ECMA-262's \\s, \\d, \\w
        elif key in ("enum", "const", "default", "examples", "required", "type", "format", "pattern"):
            out[key] = copy.deepcopy(value)
        else:
            out[key] = to_json_schema(root, value, openapi_30, stack, hidden=hidden)
    if forbidden and isinstance(out.get("required"), list):
        out["required"] = [name for name in out["required"] if name not in forbidden]
    if openapi_30:
        for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            flag = out.get(exclusive)
            if isinstance(flag, bool):  # 3.0: a flag on minimum/maximum; 3.1: the bound itself
                del out[exclusive]
                if flag and bound in out:
                    out[exclusive] = out.pop(bound)
    bounds = _INT_BOUNDS.get(str(out.get("format")))
    if bounds and out.get("type") == "integer":
        out.setdefault("minimum", bounds[0])
        out.setdefault("maximum", bounds[1])
    # An enum without null refuses it whatever `nullable` says (OpenAPI 3.0.3).
    refused_by_enum = isinstance(out.get("enum"), list) and None not in out["enum"]
    if openapi_30 and schema.get("nullable") is True and not refused_by_enum:
        return {"anyOf": [out, {"type": "null"}]}
    return out


# -- data ------------------------------------------------------------------------------------------


_EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
_SPAN_SECONDS = 10 * 365 * 24 * 3600


class _StableRandom(random.Random):
    """polyfactory's regex generator draws from `list(set(...))` for negated character classes, an
    order that depends on PYTHONHASHSEED; choosing from the sorted characters keeps a seed's output
    the same in every process (and the choice just as uniform)."""

    def choice(self, seq: Any) -> Any:
        if isinstance(seq, list) and seq and all(isinstance(item, str) for item in seq):
            seq = sorted(seq)
        return super().choice(seq)


class _MockFactory(ModelFactory[Any]):
    """polyfactory's pydantic factory, taught pydantic's MISSING sentinel: an optional field typed
    `X | MISSING` is either omitted (polyfactory's own choice for non-required fields) or an `X`."""

    __is_base_factory__ = True
    __randomize_collection_length__ = True
    __min_collection_length__ = 0
    __max_collection_length__ = 3

    @classmethod
    def get_provider_map(cls) -> dict[Any, Callable[[], Any]]:
        # polyfactory's (Faker's) dates are relative to today; the mock's must not depend on the clock.
        rng = cls.__random__

        def moment() -> datetime.datetime:
            return _EPOCH + datetime.timedelta(seconds=rng.randrange(_SPAN_SECONDS))

        mapping = super().get_provider_map()
        mapping.update(
            {
                datetime.datetime: lambda: moment().replace(tzinfo=None),
                pydantic.NaiveDatetime: lambda: moment().replace(tzinfo=None),
                pydantic.AwareDatetime: moment,
                pydantic.PastDatetime: moment,
                datetime.date: lambda: moment().date(),
                datetime.time: lambda: moment().time(),
            }
        )
        return mapping

    @classmethod
    def seed_random(cls, seed: int) -> None:
        super().seed_random(seed)
        cls.__random__ = _StableRandom(seed)

    @classmethod
    def get_field_value(
        cls, field_meta: FieldMeta, field_build_parameters: Any | None = None, build_context: Any | None = None
    ) -> Any:
        field = getattr(cls.__model__, "model_fields", {}).get(field_meta.name)
        constraints = field_meta.constraints or (_constraints(field.metadata) if field is not None else None)
        return super().get_field_value(_without_missing(field_meta, constraints), field_build_parameters, build_context)


_CONSTRAINT_NAMES = ("gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern")


def _constraints(metadata: list[Any]) -> Any:
    """polyfactory reads no constraints for an `X | MISSING` field: take them from pydantic's metadata
    (`Gt(1)`, `Lt(10)` ...), or a bounded integer is generated out of its range every time."""
    found = {
        name: getattr(item, name)
        for item in metadata
        for name in _CONSTRAINT_NAMES
        if getattr(item, name, None) is not None
    }
    return found or None


def _without_missing(field_meta: FieldMeta, constraints: Any = None) -> FieldMeta:
    annotation = field_meta.annotation
    args = typing.get_args(annotation)
    if not any(arg is MISSING for arg in args):
        return field_meta
    kept = tuple(arg for arg in args if arg is not MISSING)
    return type(field_meta).from_type(
        functools.reduce(operator.or_, kept) if kept else type(None),
        name=field_meta.name,
        default=field_meta.default,
        constraints=constraints or field_meta.constraints,
        required=field_meta.required,
        examples=field_meta.examples,
    )


class _Body:
    """How to make and check one operation's success body: the spec's schema and the Python type
    the handler returns (the generated model, `list[...]`, `str` ...)."""

    def __init__(self, schema: Any, py_type: Any) -> None:
        self.schema = schema
        self.validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        self.adapter: TypeAdapter[Any] = TypeAdapter(py_type)
        self.py_type = py_type
        self._factory: type[ModelFactory[Any]] | None = None
        self._wrapped = False
        self._built: dict[int, tuple[Any, Any] | None] = {}  # polyfactory's result per seed
        self._failure = "no attempt"

    def check(self, data: Any) -> Any | None:
        """The handler's return value for JSON data `data`, or None when the spec or the model refuses
        it. The model's own serialisation is checked again: that is what the client receives."""
        if not self.validator.is_valid(data):
            return None
        try:
            value = self.adapter.validate_python(data)
        except (ValidationError, ValueError, TypeError):
            return None
        if not self.validator.is_valid(self.adapter.dump_python(value, mode="json", by_alias=True)):
            return None
        return value

    def generate(self, seed: int, probe: int | None = None) -> tuple[Any, Any]:
        """(JSON data, handler value): built by polyfactory from the handler's type (the first of
        GENERATION_TRIES seeded attempts that the spec and the model accept), else the schema's
        minimal instance; deterministic for `seed`. With a `probe` seed (the first pool slot's),
        polyfactory is not tried at all when it found nothing valid for the probe: on a schema it
        cannot fill (a recursive required property) each attempt builds a deep tree in vain, which
        took the mock ~25 s per body while every other request waited."""
        usable = probe is None or probe == seed or self._polyfactory(probe) is not None
        built = self._polyfactory(seed) if usable else None
        if built is not None:
            return built
        data = minimal_instance(self.schema, seed)
        value = self.check(data)
        if value is None:
            raise NoMockDataError(f"no generated body was valid ({self._failure}); the minimal instance is not either")
        return data, value

    def _polyfactory(self, seed: int) -> tuple[Any, Any] | None:
        if seed in self._built:
            return self._built[seed]
        if self._factory is None:
            model = self.py_type
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                model = create_model("MockBody", value=(self.py_type, ...))
                self._wrapped = True
            self._factory = typing.cast(type[ModelFactory[Any]], _MockFactory.create_factory(model))
        factory = self._factory
        found: tuple[Any, Any] | None = None
        for attempt in range(GENERATION_TRIES):
            factory.seed_random(_stable_seed(seed, attempt))
            try:
                built = factory.build()
            except Exception as exc:  # polyfactory refuses a type or pydantic its output: try again
                self._failure = f"{type(exc).__name__}: {exc}"
                continue
            candidate = built.value if self._wrapped else built
            data = self.adapter.dump_python(candidate, mode="json", by_alias=True)
            value = self.check(data)
            if value is not None:
                found = (data, value)
                break
            self._failure = "polyfactory's values do not validate against the spec"
        if len(self._built) < BODY_POOL:  # the probe and pool slots; streams' events are not kept
            self._built[seed] = found
        return found


_FORMAT_SAMPLES = {
    "date-time": "2020-01-01T00:00:00Z",
    "date": "2020-01-01",
    "time": "00:00:00Z",
    "duration": "P1D",
    "email": "mock@example.com",
    "idn-email": "mock@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "uri": "https://example.com/mock",
    "iri": "https://example.com/mock",
    "uri-reference": "https://example.com/mock",
    "iri-reference": "https://example.com/mock",
    "url": "https://example.com/mock",
    "uri-template": "https://example.com/{mock}",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "json-pointer": "/mock",
    "relative-json-pointer": "0",
    "regex": "mock",
    "byte": "bW9jaw==",
}
MINIMAL_DEPTH = 64  # nesting of required properties the minimal instance follows before giving up


class _UnsatisfiableError(Exception):
    """The minimal-instance builder found no value for a (sub)schema."""


def minimal_instance(schema: Any, seed: int = 0) -> Any:
    """A small value valid for a self-contained JSON Schema (to_json_schema's output), built
    deterministically from the schema alone: only required properties, the fewest array items,
    the lowest number in range, a string of the least length (of the format or pattern). Recursion
    ends by itself where a schema's recursive properties are optional. Used when polyfactory cannot
    build a valid body (a required property whose type leads back to itself after an optional one:
    Telegram's Chat -> Message -> Chat). Raises NoMockDataError when no such value was found; the
    caller validates what it gets."""
    try:
        return _minimal(schema, random.Random(seed), 0)
    except (_UnsatisfiableError, RecursionError) as exc:
        raise NoMockDataError(f"no minimal valid value: {exc}") from None


def _valid(schema: Any, value: Any) -> bool:
    return bool(jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).is_valid(value))


def _minimal(schema: Any, rng: random.Random, depth: int) -> Any:
    if depth > MINIMAL_DEPTH:
        raise _UnsatisfiableError("nested too deeply")
    if schema is True or schema == {}:
        return None
    if not isinstance(schema, dict):
        raise _UnsatisfiableError("false schema")
    if "const" in schema:
        return copy.deepcopy(schema["const"])
    if isinstance(schema.get("enum"), list):
        for value in schema["enum"]:
            if _valid(schema, value):
                return copy.deepcopy(value)
        raise _UnsatisfiableError("no enum value fits")
    for keyword in ("anyOf", "oneOf"):
        options = schema.get(keyword)
        if isinstance(options, list):
            rest = {k: v for k, v in schema.items() if k != keyword}
            for option in sorted(options, key=lambda o: isinstance(o, dict) and o.get("type") == "null"):
                with contextlib.suppress(_UnsatisfiableError):
                    value = _minimal(_merge(rest, option), rng, depth + 1)
                    if _valid(schema, value):
                        return value
            raise _UnsatisfiableError(f"no option of {keyword} fits")
    if isinstance(schema.get("allOf"), list):
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            merged = _merge(merged, part)
        return _minimal(merged, rng, depth + 1)
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds) if isinstance(kinds, list) else []
    if not kinds:
        kinds = ["object"] if "properties" in schema or "required" in schema else ["string"]
    kind = next((k for k in kinds if k != "null"), "null")
    return _MINIMAL_OF[kind](schema, rng, depth)


def _merge(left: Any, right: Any) -> Any:
    """Two schemas that must both hold, as one (good enough for a candidate that is then checked)."""
    if not isinstance(right, dict) or not isinstance(left, dict):
        return right if isinstance(right, dict) else left
    merged = dict(left)
    for key, value in right.items():
        if key == "properties" and isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = {**merged[key], **value}
        elif key == "required" and isinstance(merged.get(key), list) and isinstance(value, list):
            merged[key] = [*merged[key], *(v for v in value if v not in merged[key])]
        else:
            merged[key] = value
    return merged


def _minimal_object(schema: dict[str, Any], rng: random.Random, depth: int) -> Any:
    found = schema.get("properties")
    properties: dict[str, Any] = found if isinstance(found, dict) else {}
    extra = schema.get("additionalProperties", True)
    out: dict[str, Any] = {}
    names = [n for n in schema.get("required", ()) if isinstance(n, str)]
    optional = [n for n in properties if n not in names and properties[n] is not False]
    wanted = int(schema.get("minProperties", 0))
    for name in [*names, *optional[: max(0, wanted - len(names))]]:
        out[name] = _minimal(properties.get(name, extra if isinstance(extra, dict) else True), rng, depth + 1)
    return out


def _minimal_array(schema: dict[str, Any], rng: random.Random, depth: int) -> Any:
    declared = schema.get("prefixItems")
    prefix: list[Any] = declared if isinstance(declared, list) else []
    count = int(schema.get("minItems", 0))
    items = [_minimal(prefix[i], rng, depth + 1) for i in range(min(count, len(prefix)))]
    item_schema = schema.get("items", True)
    for index in range(len(items), count):
        item = _minimal(item_schema, rng, depth + 1)
        # uniqueItems: numbers and strings can be told apart by their index
        if schema.get("uniqueItems") and isinstance(item, int | str) and not isinstance(item, bool):
            item = item + index if isinstance(item, int) else f"{item}{index}"
        items.append(item)
    return items


def _minimal_string(schema: dict[str, Any], rng: random.Random, depth: int) -> Any:
    pattern = schema.get("pattern")
    candidates = [_FORMAT_SAMPLES.get(str(schema.get("format")), "mock")]
    if isinstance(pattern, str):
        with contextlib.suppress(Exception):  # polyfactory's regex generator fails on some patterns
            generator = RegexFactory(random=rng)
            candidates = [generator(pattern) for _ in range(10)]
    low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
    for text in candidates:
        text = text + "m" * max(0, low - len(text))
        if isinstance(high, int):
            text = text[:high]
        if _valid({k: v for k, v in schema.items() if k != "type"} | {"type": "string"}, text):
            return text
    raise _UnsatisfiableError("no string fits")


def _minimal_number(schema: dict[str, Any], rng: random.Random, depth: int) -> Any:
    integer = schema.get("type") == "integer" or (
        isinstance(schema.get("type"), list) and "integer" in schema["type"] and "number" not in schema["type"]
    )
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    step = schema.get("multipleOf")
    start = 0 if low is None else math.ceil(low) if integer else low
    candidates = [start, start + 1, start + (step or 1), high, high - 1 if high is not None else None]
    if isinstance(step, int | float) and step:
        candidates.insert(0, math.ceil(start / step) * step)
        candidates.insert(1, (math.floor(start / step) + 1) * step)
    for value in candidates:
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = int(value) if integer and float(value).is_integer() else value
            if _valid(schema, value):
                return value
    raise _UnsatisfiableError("no number fits")


_MINIMAL_OF: dict[str, Callable[[dict[str, Any], random.Random, int], Any]] = {
    "object": _minimal_object,
    "array": _minimal_array,
    "string": _minimal_string,
    "integer": _minimal_number,
    "number": _minimal_number,
    "boolean": lambda schema, rng, depth: False,
    "null": lambda schema, rng, depth: None,
}


def _stable_seed(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256("\x00".join(map(str, parts)).encode()).digest()[:8], "big")


def _canonical(value: Any) -> str:
    """A run-independent spelling of a handler argument (for the per-request seed)."""
    if isinstance(value, BaseModel):
        return value.model_dump_json(by_alias=True)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k!r}:{_canonical(v)}" for k, v in sorted(value.items())) + "}"
    if hasattr(value, "filename") and hasattr(value, "file"):  # UploadFile: its identity is not stable
        return f"<file {value.filename!r}>"
    return repr(value)


class _Responder:
    """Answers for one operation."""

    def __init__(
        self,
        root: Mapping[str, Any],
        op: Operation,
        returns: Any,
        openapi_30: bool,
        seed: int,
        runtime: ModuleType | None = None,
        models: ModuleType | None = None,
    ) -> None:
        self.op = op
        self.runtime = runtime
        self.request_validator: jsonschema.Draft202012Validator | None = None
        if op.body is not None and op.body.kind == "json":
            request_schema = _request_schema(root, op)
            if request_schema is not None:
                self.request_validator = jsonschema.Draft202012Validator(
                    to_json_schema(root, request_schema, openapi_30, hidden=views.REQUEST)
                )
        self.seed = seed
        self.result_class: Callable[..., Any] | None = (
            returns if op.result_class and isinstance(returns, type) and dataclasses.is_dataclass(returns) else None
        )
        body_type = typing.get_type_hints(returns)["body"] if self.result_class else returns
        # Streaming: one generator per declared event kind, (event name, payload).
        self.events: list[tuple[str, _Body]] = []
        if op.events is not None and models is not None:
            if op.events.negotiated:  # the handler returns the JSON model or events
                body_type = getattr(models, str(op.success.py_type).removeprefix("models."))
            for kind in op.events.types:
                py_type = str if kind.text else getattr(models, kind.py_type.removeprefix("models."))
                found, schema = resolve_local(root, kind.schema_pointer) if kind.schema_pointer else (False, None)
                if not found:
                    schema = {"type": "string"} if kind.text else {}
                self.events.append(
                    (kind.name, _Body(to_json_schema(root, schema, openapi_30, hidden=views.RESPONSE), py_type))
                )
        media = _media_object(root, op)
        self.body: _Body | None = None
        self.examples: list[tuple[Any, Any]] = []
        if op.success.kind in ("json", "text"):
            raw_schema = media.get("schema", {} if op.success.kind == "json" else {"type": "string"})
            self.body = _Body(to_json_schema(root, raw_schema, openapi_30, hidden=views.RESPONSE), body_type)
            for example in _examples(root, media):
                value = self.body.check(example)
                if value is None:
                    logger.warning(
                        "%s: an example of the %s response does not validate; skipped",
                        op.operation_id,
                        op.success.status,
                    )
                else:
                    self.examples.append((example, value))
        self._pool: dict[int, tuple[Any, Any]] = {}
        self.headers = {
            h.py_name: (h.wire_name, to_json_schema(root, _header_schema(root, op, h.wire_name), openapi_30))
            for h in op.success.set_headers
        }

    async def __call__(self, **kwargs: Any) -> Any:
        self._check_credentials(kwargs.get("credentials"))
        self._check_request_body(kwargs)
        key = _stable_seed(
            self.seed, self.op.operation_id, *(f"{k}={_canonical(v)}" for k, v in sorted(kwargs.items()))
        )
        if self.events and kwargs.get(self.op.media_type_arg, "text/event-stream") == "text/event-stream":
            return self._stream(key)
        data, body = self._body(key)
        if self.result_class is None:
            return body
        fields: dict[str, Any] = {"body": body}
        for py_name, (wire_name, schema) in self.headers.items():
            fields[py_name] = self._header(wire_name, schema, key, data, kwargs)
        return self.result_class(**fields)

    async def _stream(self, key: int) -> AsyncIterator[Any]:
        """A few schema-valid events, the declared kinds in turn, each with an id."""
        assert self.runtime is not None
        for index in range(EVENTS_PER_STREAM):
            name, body = self.events[index % len(self.events)]
            try:
                _, value = body.generate(
                    _stable_seed(key, index), probe=_stable_seed(self.seed, name, index % len(self.events))
                )
            except NoMockDataError:
                if body.py_type is not str:
                    raise
                value = "mock"
            yield self.runtime.ServerSentEvent(value, event=name or None, id=str(index))

    def _check_credentials(self, credentials: Any) -> None:
        """Secured operations accept one credential, MOCK_CREDENTIAL, in every scheme (basic: as user
        and password): a client can test both its authenticated calls and its handling of a 401."""
        if credentials is None or self.runtime is None:
            return
        if credentials.value == MOCK_CREDENTIAL and credentials.password in (None, MOCK_CREDENTIAL):
            return
        raise self.runtime.UnauthorizedError(
            (credentials.scheme,), "Basic" if credentials.password is not None else "Bearer"
        )

    def _check_request_body(self, kwargs: Mapping[str, Any]) -> None:
        """The generated models cannot say everything a schema says (`minProperties` ...); the real
        service checks the rest in its handlers, and so does the mock: a JSON body the spec refuses
        gets the operation's validation status with the default error body."""
        body = self.op.body
        if self.request_validator is None or body is None or self.runtime is None:
            return
        value = kwargs.get(body.py_arg)
        if value is None:
            return
        data = value.model_dump(mode="json", by_alias=True) if isinstance(value, BaseModel) else value
        error = jsonschema.exceptions.best_match(self.request_validator.iter_errors(data))
        if error is None or self.op.validation_status is None:
            return
        where = ("body", *error.absolute_path)
        # Answered like every other invalid request: the app's handler picks the status and body.
        raise RequestValidationError(
            [{"loc": where, "msg": f"{error.validator} constraint not met", "type": "value_error"}]
        )

    def _body(self, key: int) -> tuple[Any, Any]:
        kind = self.op.success.kind
        if kind == "empty":
            return None, None
        if kind == "binary":
            rng = random.Random(key)
            return None, bytes(rng.randrange(256) for _ in range(rng.randrange(16, 64)))
        if self.examples:
            return self.examples[key % len(self.examples)]
        assert self.body is not None
        # A pool of BODY_POOL bodies per operation, picked by the request: generating (and checking)
        # a body for every request made the mock of a large spec too slow to fuzz.
        slot = key % BODY_POOL
        if slot in self._pool:
            return self._pool[slot]
        try:
            seed, probe = (_stable_seed(self.seed, self.op.operation_id, s) for s in (slot, 0))
            self._pool[slot] = self.body.generate(seed, probe=probe)
            return self._pool[slot]
        except NoMockDataError:
            if kind == "text":
                return "mock", "mock"
            raise

    def _header(self, wire_name: str, schema: Any, key: int, body: Any, kwargs: Mapping[str, Any]) -> str:
        if wire_name.lower() in ("location", "content-location"):
            path = self.op.path
            for param in self.op.parameters:
                if param.location == "path":
                    path = path.replace(
                        "{" + param.wire_name + "}", urllib.parse.quote(str(kwargs[param.py_name]), safe="")
                    )
            if isinstance(body, dict) and isinstance(body.get("id"), str | int) and not isinstance(body["id"], bool):
                path = f"{path.rstrip('/')}/{urllib.parse.quote(str(body['id']), safe='')}"
            return path
        return _header_value(schema, random.Random(_stable_seed(key, wire_name)))


def _header_value(schema: Any, rng: random.Random) -> str:
    """A plausible value for a response header from its (simple) schema; `mock` when nothing fits."""
    schema = schema if isinstance(schema, dict) else {}
    kind = schema.get("type")
    if schema.get("enum"):
        value: Any = rng.choice(schema["enum"])
    elif kind == "integer":
        value = rng.randint(int(schema.get("minimum", 0)), int(schema.get("maximum", 1000)))
    elif kind == "number":
        value = round(rng.uniform(float(schema.get("minimum", 0)), float(schema.get("maximum", 1000))), 2)
    elif kind == "boolean":
        value = rng.choice([True, False])
    elif schema.get("format") == "date-time":
        value = "2026-01-01T00:00:00Z"
    else:
        value = f"mock-{rng.getrandbits(32):08x}"
    if not jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).is_valid(value):
        return "mock"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _request_schema(root: Mapping[str, Any], op: Operation) -> Any | None:
    section = root.get("webhooks" if op.is_webhook else "paths", {})
    operation = _resolve(root, _resolve(root, section.get(op.path, {})).get(op.method, {}))
    request = _resolve(root, operation.get("requestBody", {}))
    media = _resolve(
        root,
        ((request.get("content") or {}) if isinstance(request, dict) else {}).get(
            op.body.media_type if op.body else "", {}
        ),
    )
    return media.get("schema") if isinstance(media, dict) else None


def _header_schema(root: Mapping[str, Any], op: Operation, wire_name: str) -> Any:
    section = root.get("webhooks" if op.is_webhook else "paths", {})
    operation = _resolve(root, _resolve(root, section.get(op.path, {})).get(op.method, {}))
    response = _resolve(root, operation.get("responses", {}).get(op.success.status, {}))
    for name, header in (response.get("headers") or {}).items():
        if name.lower() == wire_name.lower():
            return _resolve(root, header).get("schema", {"type": "string"})
    return {"type": "string"}


def _response_schema(root: Mapping[str, Any], op: Operation, status: str, media_type: str) -> Any:
    section = root.get("webhooks" if op.is_webhook else "paths", {})
    operation = _resolve(root, _resolve(root, section.get(op.path, {})).get(op.method, {}))
    response = _resolve(root, operation.get("responses", {}).get(status, {}))
    media = _resolve(root, (response.get("content") or {}).get(media_type, {}))
    return media.get("schema", {}) if isinstance(media, dict) else {}


def _error_body(root: Mapping[str, Any], schema: Any, openapi_30: bool, model: Any) -> _Body:
    return _Body(to_json_schema(root, schema, openapi_30, hidden=views.RESPONSE), model)


class _ErrorBodies:
    """create_app()'s `error_body` for the mock: errors the generated code detects (validation,
    missing credentials) answer with a body valid for the error schema the spec declares for that
    status (else its `4XX`, else `default`), carrying the message where the schema has a string for it."""

    def __init__(
        self, api: Api, models: ModuleType, root: Mapping[str, Any], openapi_30: bool, seed: int, runtime: ModuleType
    ) -> None:
        self.seed = seed
        self.runtime = runtime
        # (operationId, status key) -> body; (None, status key) -> the first operation's, for errors
        # outside any operation (404, 405).
        # Built on first use: GitHub declares thousands of error responses, few of which are ever sent.
        self.bodies: dict[tuple[str | None, str], Callable[[], _Body]] = {}
        # (body, status, code) -> the generated data: generating one took ~30 ms, and a fuzzer's
        # requests are invalid by the thousand.
        self.generated: dict[tuple[int, int, str], Any] = {}
        for group in api.tags:
            for op in group.operations:
                for response in op.responses:
                    key = response.status.upper() if response.status != "default" else "default"
                    if response.is_success or response.kind != "json":
                        continue
                    model = getattr(models, str(response.py_type).removeprefix("models."), None)
                    schema = _response_schema(root, op, response.status, str(response.media_type))
                    if model is not None:
                        body = functools.cache(functools.partial(_error_body, root, schema, openapi_30, model))
                        self.bodies[(op.operation_id, key)] = body
                        self.bodies.setdefault((None, key), body)

    def __call__(self, status_code: int, code: str, message: str) -> object:
        operation = self.runtime.error_operation()
        keys = (str(status_code), f"{status_code // 100}XX", "default")
        make = next(
            (self.bodies[(o, k)] for o in (operation, None) for k in keys if (o, k) in self.bodies),
            None,
        )
        body = make() if make is not None else None
        if body is None:
            return {"code": code, "message": message}
        slot = (id(body), status_code, code)
        if slot not in self.generated:
            try:
                self.generated[slot], _ = body.generate(_stable_seed(self.seed, status_code, code))
            except NoMockDataError:
                self.generated[slot] = None
        data = copy.deepcopy(self.generated[slot])
        if data is None:
            return {"code": code, "message": message}
        if isinstance(data, dict):
            # `description`, `detail`: other common names of the message (Telegram's Error, RFC 9457)
            for key, value in (("message", message), ("description", message), ("detail", message), ("code", code)):
                if isinstance(data.get(key), str) and body.check({**data, key: value}) is not None:
                    data = {**data, key: value}
        return data


# -- handlers and app --------------------------------------------------------------------------------


def _method(protocol: type, name: str, responder: _Responder) -> Callable[..., Any]:
    async def method(self: object, **kwargs: Any) -> Any:
        return await responder(**kwargs)

    method.__name__ = method.__qualname__ = name
    method.__signature__ = inspect.signature(getattr(protocol, name))  # type: ignore[attr-defined]
    return method


def mock_handlers(
    api: Api, handlers: ModuleType, root: Mapping[str, Any], seed: int, runtime: ModuleType | None = None
) -> dict[str, type]:
    """create_app() keyword -> a class implementing that tag's Protocol with mock answers."""
    openapi_30 = str(root.get("openapi", "")).startswith("3.0")
    providers: dict[str, type] = {}
    for group in api.tags:
        protocol = getattr(handlers, group.protocol)
        methods: dict[str, Any] = {"__doc__": f"Mock answers for {group.protocol}."}
        for op in group.operations:
            returns = typing.get_type_hints(getattr(protocol, op.py_name)).get("return")
            responder = _Responder(root, op, returns, openapi_30, seed, runtime, getattr(handlers, "models", None))
            methods[op.py_name] = _method(protocol, op.py_name, responder)
        providers[group.argument] = type(f"Mock{group.protocol}", (), methods)
    return providers


@contextlib.contextmanager
def generated_package(spec: Path, *, lenient: bool = False) -> Iterator[tuple[Api, ModuleType, ModuleType]]:
    """Generate the Python package for `spec` into a temporary folder and import it:
    (IR, the app module, the handlers module). The modules are forgotten on exit."""
    generated = pipeline.generate(spec, PACKAGE, lenient=lenient)
    with tempfile.TemporaryDirectory(prefix="apigen-mock-") as tmp:
        for rel, content in generated.files.items():
            if rel.startswith("python/"):
                target = Path(tmp, rel)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
        folder = str(Path(tmp, "python"))
        sys.path.insert(0, folder)
        try:
            importlib.invalidate_caches()
            app_module = importlib.import_module(f"{PACKAGE}.app")
            handlers_module = importlib.import_module(f"{PACKAGE}.handlers")
            yield generated.api, app_module, handlers_module
        finally:
            sys.path.remove(folder)
            for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
                del sys.modules[name]


def build_mock_app(api: Api, app_module: ModuleType, handlers_module: ModuleType, spec: Path, seed: int) -> Any:
    root = load_document(spec).data
    runtime = importlib.import_module(f"{PACKAGE}.runtime")
    providers = mock_handlers(api, handlers_module, root, seed, runtime)
    openapi_30 = str(root.get("openapi", "")).startswith("3.0")
    models = importlib.import_module(f"{PACKAGE}.models")
    error_body = _ErrorBodies(api, models, root, openapi_30, seed, runtime)
    return app_module.create_app(**providers, error_body=error_body)


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket for uvicorn. The protocol is named: asyncio sets TCP_NODELAY only on
    connections whose socket says IPPROTO_TCP, and without it each response body waited ~40 ms for the
    client's delayed ACK (schemathesis runs against the mock were 2-3x slower)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise MockError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def serve(
    spec: Path, host: str, port: int, seed: int, *, lenient: bool = False, announce: Callable[[str], None] = print
) -> None:
    """Build the mock app for `spec` and serve it with uvicorn until interrupted."""
    import uvicorn

    with generated_package(spec, lenient=lenient) as (api, app_module, handlers_module):
        try:
            app = build_mock_app(api, app_module, handlers_module, spec, seed)
        except Exception as exc:  # the generated app or a schema the mock cannot use
            raise MockError(f"cannot build the mock app: {type(exc).__name__}: {exc}") from exc
        # What was built lives as long as the server: out of the collector's sight, a full collection
        # no longer walks it. On Qdrant (2.6 million objects) each took ~5 s on a busy machine, during
        # which no request was answered (schemathesis: "Read timed out after 10 seconds").
        gc.collect()
        gc.freeze()
        sock = listening_socket(host, port)
        bound_port = sock.getsockname()[1]
        shown = f"[{host}]" if sock.family == socket.AF_INET6 else host
        url = f"http://{shown}:{bound_port}"
        announce(f"apigen mock: {api.title} {api.version} (seed {seed}) serving on {url}")
        announce(f"apigen mock: interactive docs at {url}/docs; Ctrl+C stops")
        announce(
            f"apigen mock: secured operations accept the credential {MOCK_CREDENTIAL!r} (basic: user and password)"
        )
        config = uvicorn.Config(app, log_level="info")
        with sock:
            uvicorn.Server(config).run(sockets=[sock])
