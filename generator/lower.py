"""Spec -> IR. All naming, typing and ordering decisions are made here, one lower_* per OpenAPI object.

`lower()` also returns the normalised copy of the spec that models.py hands to
datamodel-code-generator: schema names already turned into class names, inline body and response
schemas hoisted into components, int32/int64 ranges made explicit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from generator import naming, unsatisfiable
from generator.contract import effective_style
from generator.diagnostics import Diagnostic, SpecError, join_pointer
from generator.ir import (
    Api,
    Constraint,
    EventStream,
    EventType,
    FormField,
    HandlerArg,
    Header,
    Operation,
    Parameter,
    PathMethods,
    RequestBody,
    Response,
    SecurityRequirement,
    SecurityScheme,
    TagGroup,
    TsType,
)
from generator.loader import Document
from generator.models import ONE_OF_MARK
from generator.regex import ecma_pattern
from generator.tsmeta import methods_used, operation_meta, prefers_snake, security_table
from generator.typemap import (
    INT32,
    INT64,
    TsTypes,
    has_access_marker,
    parameter_py_type,
    py_literal,
    refs_in,
    schema_types,
    ts_access_variants,
    ts_property_key,
)
from generator.validate import (
    deref,
    effective_operation_ids,
    is_extension,
    iter_operations,
    pointer_of,
    resolve_local,
    walk_paths,
)
from generator.views import REQUEST, RESPONSE, view

SCHEMAS = "#/components/schemas/"
# The styles runtime.Styled decodes, per location of a parameter whose schema is an array or object.
_DECODED_STYLES = {"path": ("simple", "label", "matrix"), "header": ("simple",)}
DEFAULT_TAG = "default"
_PARAM_ORDER = {"path": 0, "query": 1, "header": 2, "cookie": 3}
# Keys of a TS operation's single argument object that parameters must not take.
TS_ARG_RESERVED = ("client", "body", "signal", "headers", "timeout")
# Names the TS runtime exports beside the schema and operation types.
# The served document's description of one event (as FastAPI publishes it; payload schemas are in the spec).
SSE_ITEM_SCHEMA = {
    "type": "object",
    "properties": {
        "data": {"type": "string"},
        "event": {"type": "string"},
        "id": {"type": "string"},
        "retry": {"type": "integer", "minimum": 0},
    },
    "required": ["data"],
}
TS_RUNTIME_NAMES = (
    "ApiError",
    "EventStream",
    "ServerSentEvent",
    "StreamOptions",
    "Client",
    "ClientOptions",
    "Failure",
    "Operation",
    "RequestOptions",
    "UnexpectedStatus",
)


@dataclass(frozen=True)
class Lowered:
    api: Api
    model_spec: dict[str, Any]  # the normalised spec for datamodel-code-generator
    doc: Document = field(repr=False)
    pending_warnings: tuple[tuple[str, str], ...]  # (pointer, message)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """Located when asked: a JSON spec computes its positions only then (see loader), which the
        pipeline does while datamodel-code-generator runs."""
        return tuple(self.doc.diagnostic(pointer, message, "warning") for pointer, message in self.pending_warnings)


ModelsReady = Callable[[dict[str, Any], tuple[str, ...]], None]
"""Told the finished model spec and the class names models.py must define, as soon as they are known
(the pipeline starts datamodel-code-generator then, while lowering finishes)."""


def lower(doc: Document, package: str, on_models: ModelsReady | None = None) -> Lowered:
    return _Lowerer(doc, package).run(on_models)


class _Lowerer:
    def __init__(self, doc: Document, package: str) -> None:
        self.doc = doc
        self.data = doc.data
        self.package = package
        self.warnings: list[tuple[str, str]] = []
        self.errors: list[Diagnostic] = []
        self.model_spec = _copy(self.data)
        schemas = self.model_spec.setdefault("components", {}).setdefault("schemas", {})
        if not isinstance(schemas, dict):
            schemas = self.model_spec["components"]["schemas"] = {}
        self.hoisted: dict[str, Any] = {}
        # Class names for component schemas: decided once, in spec order, collisions numbered.
        py_names = naming.dedupe((naming.py_model_name(name) for name in schemas), sep="")
        ts_names = naming.dedupe(naming.ts_type_name(name) for name in schemas)
        self.py_class = dict(zip((SCHEMAS + _esc(n) for n in schemas), py_names, strict=True))
        self.ts_class = dict(zip((SCHEMAS + _esc(n) for n in schemas), ts_names, strict=True))
        # TS request variants (`XInput`, no readOnly members) of schemas whose request view differs.
        self.ts_input: dict[str, str] = {}
        # Python request models (`XInput`) of the same schemas, emitted when a request uses them.
        self.py_input: dict[str, str] = {}
        self.inputs_used: set[str] = set()
        self.hoisted_requests: set[str] = set()
        taken_ts, taken_py = set(ts_names), set(py_names)
        for ref in ts_access_variants({SCHEMAS + _esc(n): s for n, s in schemas.items()}):
            self.ts_input[ref] = self._ts_unique(self.ts_class[ref] + "Input", taken_ts)
            self.py_input[ref] = self._ts_unique(self.py_class[ref] + "Input", taken_py)

    # -- helpers ---------------------------------------------------------------------------------

    def deref(self, node: Any) -> Any:
        return deref(self.data, node)

    def ts_spell(self, schema: Any, *, write: bool) -> str:
        """The TS type of a schema: `write` for what the client sends (readOnly members left out)."""
        return TsTypes(self.ts_class, self.ts_input, write).spell(schema)

    def _warn(self, pointer: str, message: str) -> None:
        self.warnings.append((pointer, message))

    def _ref_class(self, schema: Any, *, write: bool = False) -> str | None:
        """The class of a `$ref`'d schema; `write`: its request model (readOnly members left out)."""
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if write and ref in self.py_input:
                self.inputs_used.add(ref)
                return self.py_input[ref]
            return self.py_class.get(ref)
        return None

    def _hoist(self, schema: dict[str, Any], name: str, *, write: bool = False) -> str:
        """Give an inline schema a component name so that models.py has a class for it (`write`:
        a request body's, whose model is the request view)."""
        class_name = naming.py_model_name(name)
        taken = set(self.py_class.values()) | set(self.hoisted) | set(self.py_input.values())
        base, count = class_name, 1
        while class_name in taken:
            count += 1
            class_name = f"{base}{count}"
        self.hoisted[class_name] = _copy(schema)
        if write:
            self.hoisted_requests.add(class_name)
        ref = SCHEMAS + class_name
        self.py_class[ref] = class_name
        self.ts_class[ref] = naming.ts_type_name(class_name)
        return class_name

    # -- the document -----------------------------------------------------------------------------

    def run(self, on_models: ModelsReady | None = None) -> Lowered:
        schemes = self.schemes = self.lower_security_schemes()
        self.requirements: dict[tuple[str, ...], SecurityRequirement] = {}
        self.operation_ids = effective_operation_ids(self.data)
        operations: list[Operation] = []
        for pointer, key, method, item, operation in iter_operations(self.data):
            operations.append(self.lower_operation(pointer, key, method, item, operation))
        if self.errors:
            raise SpecError(self.errors)
        operations = self.lower_ts_operation_names(operations)
        tags = self.lower_tags(operations)
        paths = self.lower_paths(operations)
        self._finish_model_spec()
        model_names = tuple(sorted({*self.py_class.values(), *self.inputs_emitted}))
        if on_models is not None:
            on_models(self.model_spec, model_names)
        self._check_schemas()  # only warns: after the model spec is given away
        ts_types = self.lower_ts_types()
        info = _obj(self.data.get("info"))
        api = Api(
            title=str(info.get("title", "API")),
            version=str(info.get("version", "0")),
            description=str(info.get("description", "")),
            openapi_version=str(self.data.get("openapi")),
            spec_name=self.doc.display_name,
            package=self.package,
            tags=tags,
            security_schemes=schemes,
            security_requirements=tuple(self.requirements[k] for k in sorted(self.requirements)),
            has_global_security=bool(self.data.get("security")),
            paths=paths,
            model_names=model_names,
            ts_schema_types=ts_types,
            ts_security_table=security_table(schemes),
            has_event_streams=any(op.events is not None and not op.is_webhook for op in operations),
            ts_snake_query=self.ts_snake_query,
            ts_methods=self.ts_methods,
        )
        return Lowered(api, self.model_spec, self.doc, tuple(self.warnings))

    def lower_security_schemes(self) -> tuple[SecurityScheme, ...]:
        components = _obj(self.data.get("components"))
        raw = _obj(components.get("securitySchemes"))
        result = []
        py_names = naming.dedupe(naming.py_function_name(n) for n in raw)
        for (name, scheme_raw), py_name in zip(raw.items(), py_names, strict=True):
            # A key outside the standard's name pattern escapes the validator's checks of its value.
            scheme = _obj(self.deref(scheme_raw))
            kind, parameter = _scheme_kind(scheme)
            if kind == "unsupported":
                self._warn(
                    join_pointer("/components/securitySchemes", name),
                    f"security scheme {name!r} of type {scheme.get('type')!r} is not enforced by the generated app",
                )
            result.append(SecurityScheme(name, py_name, kind, parameter, str(scheme.get("description", ""))))
        return tuple(result)

    def security_requirement(self, alternatives: tuple[tuple[str, ...], ...]) -> str:
        """Name of the dependency enforcing `alternatives`; one per distinct set of schemes."""
        names = tuple(sorted({name for alternative in alternatives for name in alternative}))
        if names not in self.requirements:
            known = {s.name: s for s in self.schemes}
            schemes = tuple(known[n] for n in names if n in known)
            py_name = "require_" + "_or_".join(s.py_name for s in schemes)
            challenge = "Basic" if schemes and schemes[0].kind == "basic" else "Bearer"
            self.requirements[names] = SecurityRequirement(py_name, schemes, challenge)
        return self.requirements[names].py_name

    def lower_tags(self, operations: list[Operation]) -> tuple[TagGroup, ...]:
        declared = [
            t.get("name") for t in self.data.get("tags") or [] if isinstance(t, dict) and isinstance(t.get("name"), str)
        ]
        descriptions = {
            t["name"]: str(t.get("description", ""))
            for t in self.data.get("tags") or []
            if isinstance(t, dict) and isinstance(t.get("name"), str)
        }
        used = [op.tag for op in operations]
        order = [t for t in declared if t in used] + sorted({t for t in used if t not in declared})
        modules = naming.dedupe(naming.module_name(t) for t in order)
        groups = []
        for tag, module in zip(order, modules, strict=True):
            pascal = naming.pascal(module) or "Default"
            ops = tuple(op for op in operations if op.tag == tag and not op.is_webhook)
            hooks = tuple(op for op in operations if op.tag == tag and op.is_webhook)
            groups.append(
                TagGroup(
                    tag,
                    module,
                    f"{pascal}Handlers",
                    f"{pascal}Service",
                    module,
                    descriptions.get(tag, ""),
                    ops,
                    hooks,
                )
            )
        return tuple(groups)

    def lower_paths(self, operations: list[Operation]) -> tuple[PathMethods, ...]:
        methods: dict[str, set[str]] = {}
        for op in operations:
            if not op.is_webhook:
                methods.setdefault(op.path, set()).add(op.method.upper())
        return tuple(PathMethods(p, tuple(sorted(methods[p]))) for p in route_precedence(list(methods)))

    # -- operations -------------------------------------------------------------------------------

    def lower_operation(
        self, pointer: str, key: str, method: str, item: dict[str, Any], op: dict[str, Any]
    ) -> Operation:
        op_id = self.operation_ids[pointer]
        pascal = naming.py_class_name(op_id)
        tags = op.get("tags")
        tag = str(tags[0]) if isinstance(tags, list) and tags else DEFAULT_TAG
        parameters = self.lower_parameters(pointer, item, op, pascal)
        taken = {p.py_name for p in parameters}
        body = self.lower_request_body(join_pointer(pointer, "requestBody"), op.get("requestBody"), pascal, taken)
        responses = self.lower_responses(join_pointer(pointer, "responses"), op.get("responses"), pascal)
        success = _pick_success(responses)
        if success is None:
            success = Response("200", 200, "Successful Response", None, "empty", None, "undefined", (), True)
            self._warn(
                join_pointer(pointer, "responses"),
                f"{op_id} declares no 2XX response; the generated route answers 200 with no body",
            )
        elif not success.is_success:
            answered = success.status_code or 200
            self._warn(
                join_pointer(pointer, "responses"),
                f"{op_id} declares no 2XX response; the generated route answers {answered} with the"
                f" declared {success.status!r} response when the handler returns",
            )
        security = self.lower_security(pointer, op)
        validation = _validation_status(responses)
        py_name = naming.py_function_name(op_id)
        events = self.lower_event_stream(join_pointer(pointer, "responses"), op.get("responses"), success, pascal)
        if events is not None:
            events = replace(events, py_constant="_EVENTS_" + py_name.upper())
        if events is not None and success.set_headers:
            self._warn(
                join_pointer(pointer, "responses", success.status, "headers"),
                "headers of a response that streams events are declared, not set by the generated route",
            )
        result_class = f"{pascal}Result" if success.set_headers and events is None else None
        requirement = self.security_requirement(security) if security and all(security) else None
        args = _handler_args(parameters, body, requirement)
        last_event_id, media_type_arg, handler_return = "", "", result_class or success.py_type or "None"
        if events is not None:
            args, last_event_id, media_type_arg = _stream_handler_args(args, parameters, events.negotiated)
            stream_type = f"runtime.Events[{events.py_item}]"
            handler_return = f"{success.py_type} | {stream_type}" if events.negotiated else stream_type
        return Operation(
            operation_id=op_id,
            py_name=py_name,
            ts_name=naming.ts_function_name(op_id),
            pascal_name=pascal,
            method=method,
            path=key,
            tag=tag,
            summary=str(op.get("summary", "")),
            description=str(op.get("description", "")),
            deprecated=op.get("deprecated") is True,
            parameters=parameters,
            body=body,
            responses=responses,
            success=success,
            security=security,
            security_required=bool(security) and all(security),
            validation_status=validation,
            result_class=result_class,
            security_dependency=requirement,
            handler_args=args,
            handler_return=handler_return,
            openapi_extra=_openapi_extra(
                security, bool(self.data.get("security")), body, pointer.startswith("/webhooks/")
            ),
            error_media_types=tuple(
                (r.status.upper() if r.status != "default" else r.status, r.media_types)
                for r in responses
                if not r.is_success
                and r.media_type
                and (r.media_types != ("application/json",) or success.kind not in ("json", "empty"))
            ),
            is_webhook=pointer.startswith("/webhooks/"),
            parameter_styles=tuple(
                (p.location, p.wire_name, p.ts_style, p.ts_explode)
                for p in parameters
                if (p.ts_style, p.ts_explode) != effective_style({"in": p.location})
            ),
            events=events,
            last_event_id_arg=last_event_id,
            reads_last_event_id=events is not None and last_event_id not in {p.py_name for p in parameters},
            media_type_arg=media_type_arg,
        )

    def lower_event_stream(self, pointer: str, raw: Any, success: Response, pascal: str) -> EventStream | None:
        """Server-Sent Events of the success response (`text/event-stream`): the payload of each event
        from `itemSchema` (OpenAPI 3.2, as FastAPI publishes it: objects with `data`, optionally a
        `oneOf` naming each `event`) or from `schema` (the payload itself, often a string)."""
        response = self.deref(_obj(raw).get(success.status))
        content = _obj(_obj(response).get("content"))
        media_type = next((m for m in content if _is_event_stream(m)), None)
        if media_type is None or success.kind not in ("json", "events"):
            return None
        where = join_pointer(pointer, success.status, "content", media_type)
        media = _obj(content[media_type])
        if "itemSchema" in media:
            item = self.deref(media["itemSchema"])
            item = item if isinstance(item, dict) else {}
            key = next((k for k in ("oneOf", "anyOf") if isinstance(item.get(k), list) and item[k]), None)
            if key is None:
                types = [self._event_from_item(join_pointer(where, "itemSchema"), item, pascal)]
            else:
                types = [
                    self._event_from_item(join_pointer(where, "itemSchema", key, index), self.deref(branch), pascal)
                    for index, branch in enumerate(item[key])
                ]
        elif "schema" in media:
            types = [self._event_payload(join_pointer(where, "schema"), "", media["schema"], pascal)]
        else:
            self._warn(where, "an event stream without `itemSchema` or `schema`: each event's data is passed as text")
            types = [EventType("", "str", "string", True, "")]
        unnamed = [t for t in types if not t.name]
        if len(unnamed) > 1:
            self._warn(
                where,
                "several event kinds without an `event` name: the route tells their payloads apart by schema, in order",
            )
        ts_events = " | ".join(
            f"{{ event: {_ts_literal(t.name or 'message')}; data: {t.ts_type}; id?: string; retry?: number }}"
            for t in types
        )
        return EventStream(
            media_type=media_type,
            types=tuple(types),
            py_item=" | ".join(dict.fromkeys(t.py_type for t in types)),
            ts_event=ts_events,
            ts_events_meta=" ".join(("~" if t.text else "") + (t.name or "message") for t in types),
            negotiated=success.kind == "json",
            py_constant="",
        )

    def _event_from_item(self, pointer: str, item: Any, pascal: str) -> EventType:
        """One `itemSchema` object: its `event` name (a `const` or one-value `enum`) and `data` payload."""
        item = item if isinstance(item, dict) else {}
        props = _obj(item.get("properties"))
        event = self.deref(props.get("event", {}))
        event = event if isinstance(event, dict) else {}
        values = [event["const"]] if "const" in event else event.get("enum") or []
        name = values[0] if len(values) == 1 and isinstance(values[0], str) else ""
        if "data" not in props:
            self._warn(pointer, "an event schema without a `data` property: its data is passed as text")
            return EventType(name, "str", "string", True, "")
        data_pointer = join_pointer(pointer, "properties", "data")
        data = self.deref(props["data"])
        data = data if isinstance(data, dict) else {}
        if "contentSchema" in data:
            encoding = str(data.get("contentMediaType", "application/json")).split(";")[0].strip().lower()
            if encoding == "application/json" or encoding.endswith("+json"):
                return self._event_payload(
                    join_pointer(data_pointer, "contentSchema"), name, data["contentSchema"], pascal, json=True
                )
            self._warn(pointer, f"event data of media type {encoding!r} is passed as text")
            return EventType(name, "str", "string", True, "#" + data_pointer)
        return self._event_payload(data_pointer, name, props["data"], pascal)

    def _event_payload(self, pointer: str, name: str, raw_schema: Any, pascal: str, *, json: bool = False) -> EventType:
        """A payload schema: JSON (a model) unless it is a plain string, which is sent as is."""
        schema = self.deref(raw_schema)
        schema = schema if isinstance(schema, dict) else {}
        structured = any(k in schema for k in ("properties", "items", "oneOf", "anyOf", "allOf", "enum", "const"))
        if not json and (schema_types(schema) == ["string"] or (not schema_types(schema) and not structured)):
            return EventType(name, "str", "string", True, "#" + pointer)
        suffix = (naming.py_class_name(name) if name else "") + "Event"
        class_name = self._ref_class(raw_schema) or self._hoist(
            raw_schema if isinstance(raw_schema, dict) else {}, f"{pascal}{suffix}"
        )
        return EventType(name, f"models.{class_name}", self.ts_spell(raw_schema, write=False), False, "#" + pointer)

    def lower_ts_operation_names(self, operations: list[Operation]) -> list[Operation]:
        """TS `<Op>Params`/`<Op>Result` names, kept clear of the schema types, the fallback body type and
        the wire string of each route (generator/tsmeta.py)."""
        taken = set(self.ts_class.values()) | set(self.ts_input.values()) | set(TS_RUNTIME_NAMES)
        result = []
        routes = [op for op in operations if not op.is_webhook]
        snake = self.ts_snake_query = prefers_snake(routes)
        methods = self.ts_methods = methods_used(routes)
        for op in operations:
            params, result_type = (self._ts_unique(f"{op.pascal_name}{s}", taken) for s in ("Params", "Result"))
            others = [r.ts_type for r in op.responses if r.status_code is None]
            fallback = " | ".join(dict.fromkeys(others)) if others and "unknown" not in others else "unknown"
            # webhooks are not client calls: the TS client has no function for them
            meta = "" if op.is_webhook else operation_meta(op, self.schemes, snake=snake, methods=methods)
            events = self._ts_unique(f"{op.pascal_name}Event", taken) if op.events else ""
            result.append(
                replace(
                    op,
                    ts_params_type=params,
                    ts_result_type=result_type,
                    ts_fallback_error=fallback,
                    ts_meta=meta,
                    ts_events_type=events,
                )
            )
        return result

    @staticmethod
    def _ts_unique(name: str, taken: set[str]) -> str:
        candidate, count = name, 1
        while candidate in taken:
            count += 1
            candidate = f"{name}{count}"
        taken.add(candidate)
        return candidate

    def lower_parameters(
        self, pointer: str, item: dict[str, Any], op: dict[str, Any], pascal: str
    ) -> tuple[Parameter, ...]:
        merged: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
        item_pointer = pointer.rsplit("/", 1)[0]
        for where, params in (
            (item_pointer, item.get("parameters")),
            (pointer, op.get("parameters")),
        ):
            for index, raw in enumerate(params if isinstance(params, list) else []):
                param = self.deref(raw)
                if isinstance(param, dict) and isinstance(param.get("name"), str) and param.get("in") in _PARAM_ORDER:
                    merged[(param["in"], param["name"])] = (
                        join_pointer(where, "parameters", index),
                        param,
                    )
        ordered = sorted(merged.values(), key=lambda pp: _PARAM_ORDER[pp[1]["in"]])
        py_names = naming.dedupe(naming.py_function_name(p["name"]) for _, p in ordered)
        ts_names = naming.dedupe([*TS_ARG_RESERVED, *(naming.ts_function_name(p["name"]) for _, p in ordered)])
        ts_names = ts_names[len(TS_ARG_RESERVED) :]
        # What an exploded query object must leave to others: query parameters, API keys in the query.
        query = {p["name"] for _, p in ordered if p["in"] == "query"}
        query |= {s.parameter_name for s in self.schemes if s.kind == "apiKey-query"}
        return tuple(
            self.lower_parameter(where, param, py_name, ts_name, pascal, frozenset(query))
            for (where, param), py_name, ts_name in zip(ordered, py_names, ts_names, strict=True)
        )

    def lower_parameter(
        self, pointer: str, param: dict[str, Any], py_name: str, ts_name: str, pascal: str, query: frozenset[str]
    ) -> Parameter:
        """OpenAPI 3.0.3 §4.7.12 Parameter Object. Path and header values in the `simple`, `label` and
        `matrix` styles (§4.7.12.4) are taken apart by runtime.Styled and validated as their array or
        object type; FastAPI itself reads only scalars there. So are query arrays and objects in the
        `form`, `spaceDelimited` and `pipeDelimited` styles that are not exploded (one `id=3,4,5`);
        exploded query objects and `deepObject` ones (`role=admin&...`, `id[role]=admin&...`) are
        picked out of the whole query by a runtime.QueryObject dependency; `query` holds the names
        they must leave to others."""
        location = param["in"]
        raw_schema = param.get("schema")
        if raw_schema is None and isinstance(param.get("content"), dict):
            self._warn(
                pointer,
                f"parameter {param['name']!r} uses `content`; it is passed through as a string",
            )
        schema = self.deref(raw_schema) if raw_schema is not None else {}
        schema = schema if isinstance(schema, dict) else {}
        py_type, constraints, is_array, validator = parameter_py_type(
            schema, self._enum_ref_class(raw_schema), self.deref
        )
        union = self._scalar_union(schema)
        if union is not None:
            # Each member validated as it would be alone; the handler gets the value of the first that
            # takes the text (pydantic's smart union).
            py_type, constraints, is_array, validator = union[0], (), False, None
        style, explode = effective_style(param)
        is_object = "object" in schema_types(schema) or (not schema_types(schema) and "properties" in schema)
        styled, route_type, dependency = None, None, None
        required = location == "path" or param.get("required") is True
        if location in ("path", "header", "cookie") and (is_array or is_object):
            shape = self._styled_shape(raw_schema, schema, py_type, is_object, pascal, param["name"])
            if shape is None or style not in _DECODED_STYLES.get(location, ()):
                # FastAPI parses only scalar path/header/cookie values; the handler gets the raw text.
                self._warn(
                    pointer,
                    f"{location} parameter {param['name']!r} is an array or object in the {style!r} style"
                    + (" with arrays or objects inside" if shape is None else "")
                    + ", which the generated app does not decode: the handler gets its raw text",
                )
                py_type, constraints, is_array, validator = "str", (), False, None
            else:
                limits = "".join(f", {c.name}={c.py_value}" for c in constraints)
                styled = f"runtime.Styled({py_literal(style)}, {explode}, {py_literal(param['name'])}, {shape}{limits})"
                py_type, constraints, is_array, validator, route_type = shape, (), False, None, "Any"
        elif location == "query" and (is_object or (is_array and not explode and style != "deepObject")):
            # Exploded arrays (and deepObject ones, sent alike) stay FastAPI's: repeated names.
            shape = self._styled_shape(raw_schema, schema, py_type, is_object, pascal, param["name"])
            if shape is None:
                self._warn(
                    pointer,
                    f"query parameter {param['name']!r} is an array in the {style!r} style with arrays or objects"
                    " inside, which the generated app does not decode: the handler gets its raw text",
                )
                py_type, constraints, is_array, validator = "str", (), False, None
            else:
                if is_object:
                    self._warn_nested_properties(pointer, param["name"], style, schema)
                limits = "".join(f", {c.name}={c.py_value}" for c in constraints)
                styled = f"runtime.Styled({py_literal(style)}, {explode}, {py_literal(param['name'])}, {shape}{limits})"
                if is_object and (explode or style == "deepObject"):
                    # Its properties are query parameters of their own: read from the whole query.
                    dependency, styled = styled, None
                py_type, constraints, is_array, validator, route_type = shape, (), False, None, "Any"
        elif location == "path" and style in ("label", "matrix"):
            styled = f"runtime.Styled({py_literal(style)}, {explode}, {py_literal(param['name'])})"
        default = schema.get("default")
        if required:
            py_default, annotation = None, py_type
        elif default is None:
            py_default, annotation = "None", f"{py_type} | None"
        else:
            py_default, annotation = _default_source(py_type, default), py_type
        if dependency is not None:
            described = f", description={py_literal(param['description'])}" if param.get("description") else ""
            dependency = (
                f"runtime.QueryObject({dependency}, required={required}"
                + (f", default={py_default}" if py_default not in (None, "None") else "")
                + f"{described}, reserved=({''.join(py_literal(n) + ', ' for n in sorted(query - {param['name']}))}))"
            )
            py_default = None  # the dependency gives it
        if union is not None:
            route_type = union[1] if annotation == py_type else f"{union[1]} | None"
        return Parameter(
            wire_name=param["name"],
            location=location,
            py_name=py_name,
            ts_name=ts_name,
            required=required,
            py_type=py_type,
            py_annotation=annotation,
            fastapi_marker=location.capitalize(),
            marker_options=", convert_underscores=False" if location == "header" else "",
            validator=validator,
            ts_type=self.ts_spell(raw_schema if raw_schema is not None else {"type": "string"}, write=True),
            py_default=py_default,
            constraints=constraints,
            description=str(param.get("description", "")),
            ts_style=style,
            ts_explode=explode,
            is_array=is_array,
            styled=styled,
            route_annotation=route_type or annotation,
            dependency=dependency,
        )

    def _scalar_union(self, schema: dict[str, Any]) -> tuple[str, str] | None:
        """(handler type, route type) of a parameter whose schema is an anyOf/oneOf of scalars (Qdrant's
        ExtendedPointId: an integer >= 0 or a uuid; ReadConsistency: an integer >= 1 or an enum), each
        member with its own strict parsing and limits; None when the schema is no such union, or when a
        member is an array or object or admits anything (the handler then gets the raw text)."""
        key = next((k for k in ("anyOf", "oneOf") if isinstance(schema.get(k), list) and schema[k]), None)
        if key is None or schema_types(schema) or "enum" in schema:
            return None
        plain: list[str] = []
        routed: list[str] = []
        for raw in schema[key]:
            member = self.deref(raw)
            if not isinstance(member, dict):
                return None
            types = [t for t in schema_types(member) if t != "null"]
            if member.get("type") == "null" or member.get("type") == ["null"]:
                continue  # a `null` member: no query or path text means null
            if (
                len(types) != 1
                or types[0] in ("array", "object")
                or any(k in member for k in ("anyOf", "oneOf", "allOf"))
            ):
                return None
            py_type, constraints, _, validator = parameter_py_type(member, self._enum_ref_class(raw), self.deref)
            limits = ", ".join(f"{c.name}={c.py_value}" for c in constraints)
            extras = ([validator] if validator else []) + ([f"runtime.limits({limits})"] if limits else [])
            plain.append(py_type)
            routed.append(f"Annotated[{', '.join([py_type, *extras])}]" if extras else py_type)
        if not plain:
            return None
        return " | ".join(dict.fromkeys(plain)), " | ".join(dict.fromkeys(routed))

    def _styled_shape(
        self, raw_schema: Any, schema: dict[str, Any], py_type: str, is_object: bool, pascal: str, name: str
    ) -> str | None:
        """The type a styled array or object is validated as: the list type, or the object's model
        (hoisted when inline); None when the values inside are themselves arrays or objects."""
        if is_object:
            return "models." + (
                self._ref_class(raw_schema) or self._hoist(schema, f"{pascal}{naming.py_class_name(name)}Param")
            )
        items = self.deref(schema.get("items", {}))
        items = items if isinstance(items, dict) else {}
        nested = {"array", "object"} & set(schema_types(items)) or "properties" in items
        return None if nested else py_type

    def _warn_nested_properties(self, pointer: str, name: str, style: str, schema: dict[str, Any]) -> None:
        """Query objects carry scalar properties; OpenAPI defines no text for arrays or objects inside."""
        properties = schema.get("properties")
        nested = [
            key
            for key, prop in (properties.items() if isinstance(properties, dict) else ())
            if isinstance(resolved := self.deref(prop), dict)
            and ({"array", "object"} & set(schema_types(resolved)) or "properties" in resolved)
        ]
        if nested:
            self._warn(
                pointer,
                f"query parameter {name!r} in the {style!r} style has array or object properties"
                f" ({', '.join(map(repr, nested))}), which OpenAPI gives no query text: the generated app reads"
                " an object property from JSON text and an array property from repeated names"
                + (f", never from nested `{name}[a][b]` keys" if style == "deepObject" else ""),
            )

    def _enum_ref_class(self, raw_schema: Any) -> str | None:
        """A parameter that refers to a component enum uses that enum's class."""
        class_name = self._ref_class(raw_schema)
        if class_name is None:
            return None
        target = self.deref(raw_schema)
        return class_name if isinstance(target, dict) and "enum" in target else None

    def lower_request_body(self, pointer: str, raw: Any, pascal: str, taken: set[str]) -> RequestBody | None:
        if raw is None:
            return None
        body = self.deref(raw)
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or not content:
            return None
        media_type, media = _pick_media(content)
        kind = _body_kind(media_type, {})
        # A JSON or form body may also come as any other structured type the spec offers: the route
        # decodes each by its Content-Type into the same model.
        decodable = {m: _DECODERS[_base(m)] for m in content if kind in ("json", "form") and _base(m) in _DECODERS}
        # An optional JSON body too: FastAPI would read the JSON `null` as "no body" and accept it.
        optional_json = kind == "json" and _obj(self.deref(raw)).get("required") is not True
        # A nullable JSON body (GitHub's `PATCH /gists/{gist_id}`), or one whose schema sets no type
        # (`properties` and `required` constrain objects only): `null` is a value, which FastAPI
        # would also read as "no body" and refuse; ModelBody tells the two apart.
        body_schema = _obj(self.deref(_obj(media).get("schema")))
        nullable_json = kind == "json" and _admits_null(body_schema, self.deref, 0)
        # Such a schema without any type lets every other non-object value through too (`properties`
        # and `required` constrain objects only): the handler receives it as sent, and is told so.
        any_json = nullable_json and _admits_any_scalar_or_array(body_schema, self.deref, 0)
        if any_json:
            self._warn(
                join_pointer(pointer, "content", media_type, "schema"),
                "the request body schema sets no `type` and constrains objects only, so JSON Schema accepts"
                " any other JSON value too: the handler receives such a value as sent (`runtime.NonObject`);"
                " add `type: object` to accept objects only",
            )
        if kind == "form" or len(decodable) > 1 or optional_json or nullable_json:
            decodable.setdefault(media_type, "form" if kind == "form" else "json")
        else:
            decodable = {}
        others = tuple(m for m in content if m != media_type and m not in decodable)
        if others:
            self._warn(
                join_pointer(pointer, "content"),
                f"request body offers {len(content)} media types; the generated route does not accept"
                f" {', '.join(repr(m) for m in others)}"
                " (declared in the served document, answered with a validation error)",
            )
        raw_schema = media.get("schema", {}) if isinstance(media, dict) else {}
        schema = self.deref(raw_schema)
        kind = _body_kind(media_type, schema if isinstance(schema, dict) else {})
        self._warn_binary_parts(pointer, decodable, schema)
        required = body.get("required") is True
        ts_type = self.ts_spell(raw_schema, write=True)
        description = str(body.get("description", ""))
        py_arg = "body" if "body" not in taken else "request_body"
        if kind in ("binary", "text"):
            py_type = "bytes" if kind == "binary" else "str"
            annotation = py_type if required else f"{py_type} | None"
            reader = _string_body_reader(schema, binary=kind == "binary", required=required) or (
                f"runtime.{'required_' if required else ''}{'raw_body' if kind == 'binary' else 'text_body'}"
            )
            return RequestBody(
                media_type, kind, py_type, ts_type, required, description, (), (), py_arg, annotation, others,
                reader=reader,
            )  # fmt: skip
        class_name = self._ref_class(raw_schema, write=True) or self._hoist(
            raw_schema if isinstance(raw_schema, dict) else {}, f"{pascal}Request", write=True
        )
        fields: tuple[FormField, ...] = ()
        if kind == "multipart":
            fields = self._form_fields(schema if isinstance(schema, dict) else {}, taken)
        py_type = f"models.{class_name}"
        files = tuple(f.wire_name for f in fields if f.is_file)
        annotation = py_type if required and not nullable_json else f"{py_type} | None"
        if any_json:
            annotation = f"{py_type} | runtime.NonObject"
        decoder = None
        if kind == "multipart":
            # FastAPI's Form() reads fields as text and empty ones as missing: the runtime decodes the
            # form and validates its text fields with the model; uploads are handed over as they came.
            decodable = {media_type: "multipart"}
            annotation = "runtime.FormFields"
        if decodable:
            kinds = py_literal({m.split(";")[0].strip().lower(): decodable[m] for m in sorted(decodable)})
            uploads = f", files=({''.join(py_literal(f) + ', ' for f in files)})" if files else ""
            nullable = ", nullable=True" if nullable_json else ""
            nullable += ", non_objects=True" if any_json else ""
            decoder = f"runtime.ModelBody({py_type}, required={required}, media_types={kinds}{uploads}{nullable})"
        return RequestBody(
            media_type, kind, py_type, ts_type, required, description, files, fields, py_arg, annotation, others,
            decoder, tuple(sorted(decodable)), class_name,
        )  # fmt: skip

    def _warn_binary_parts(self, pointer: str, decodable: dict[str, str], schema: Any) -> None:
        """A multipart alternative of a model is decoded into the model: an upload becomes the text of
        its part, so a binary property takes UTF-8 text only."""
        multipart = [m for m in decodable if decodable[m] == "form-data"]
        properties = _obj(schema.get("properties")) if isinstance(schema, dict) else {}
        subs = {name: _obj(self.deref(sub)) for name, sub in properties.items()}
        binary = [name for name, sub in subs.items() if sub.get("format") == "binary" or "contentMediaType" in sub]
        if multipart and binary:
            self._warn(
                join_pointer(pointer, "content", multipart[0]),
                f"multipart parts of the binary properties {', '.join(repr(n) for n in binary)} are decoded"
                " into the body model as UTF-8 text; other bytes are answered with a validation error",
            )

    def _form_fields(self, schema: dict[str, Any], taken: set[str]) -> tuple[FormField, ...]:
        props = _obj(schema.get("properties"))
        required = set(schema.get("required") or [])
        names = naming.dedupe(
            name if name not in taken else f"{name}_field" for name in (naming.py_function_name(n) for n in props)
        )
        result = []
        for (wire, sub_raw), py_name in zip(props.items(), names, strict=True):
            sub = self.deref(sub_raw)
            sub_schema = sub if isinstance(sub, dict) else {}
            # An array of files is one part per file under the same name (readme's file-uploads spec).
            many = "array" in schema_types(sub_schema) and _is_file_schema(self.deref(sub_schema.get("items")))
            is_file = _is_file_schema(sub) or many
            if is_file:
                py_type = "list[UploadFile]" if many else "UploadFile"
            elif "object" in schema_types(sub_schema) or "properties" in sub_schema:
                ref_class = self._ref_class(sub_raw, write=True)
                py_type = f"models.{ref_class}" if ref_class else "Any"
            else:
                py_type = parameter_py_type(sub_schema, self._enum_ref_class(sub_raw), self.deref)[0]
                # The values come validated by the model: the handler's annotation needs no validators.
                py_type = re.sub(r"Annotated\[([^,\[\]]+), [^\[\]]+\]", r"\1", py_type)
            annotation = py_type if wire in required or py_type == "Any" else f"{py_type} | None"
            result.append(FormField(wire, py_name, py_type, wire in required, is_file, annotation))
        return tuple(result)

    def lower_responses(self, pointer: str, raw: Any, pascal: str) -> tuple[Response, ...]:
        responses = raw if isinstance(raw, dict) else {}
        result = []
        for status, raw_response in responses.items():
            response = self.deref(raw_response)
            if not isinstance(response, dict):
                continue
            code = int(status) if re.fullmatch(r"[1-5]\d\d", status) else None
            success = code is not None and 200 <= code < 300
            content = _obj(response.get("content"))
            where = join_pointer(pointer, status)
            headers = self._response_headers(response)
            if not content:
                result.append(
                    Response(
                        status,
                        code,
                        str(response.get("description", "")),
                        None,
                        "empty",
                        None,
                        "undefined",
                        headers,
                        success,
                        set_headers=_set_headers(headers),
                    )
                )
                continue
            media_type, media = _pick_media(content)
            streams = success and any(_is_event_stream(m) for m in content)
            negotiated = streams and len(content) == 2 and not _is_event_stream(media_type)
            if len(content) > 1 and not negotiated and not (streams and _is_event_stream(media_type)):
                self._warn(
                    join_pointer(where, "content"),
                    f"response {status} offers {len(content)} media types; the generated route answers with"
                    f" {media_type!r} (all are declared in the served document)",
                )
            raw_schema = media.get("schema", {}) if isinstance(media, dict) else {}
            schema = self.deref(raw_schema)
            kind = _response_kind(media_type, schema if isinstance(schema, dict) else {})
            ts_type = self.ts_spell(raw_schema, write=False)
            if streams and not negotiated:
                # Only events (other media types besides them are declared, never answered).
                media_type = next(m for m in content if _is_event_stream(m))
                kind = "events"
            if kind == "events":
                py_type, ts_type = None, "never"  # the events are lowered by lower_event_stream
            elif kind == "json":
                suffix = "Response" if success else f"Response{status}"
                py_type = self._ref_class(raw_schema) or self._hoist(
                    raw_schema if isinstance(raw_schema, dict) else {}, f"{pascal}{suffix}"
                )
                py_type = f"models.{py_type}"
            else:
                py_type = "bytes" if kind == "binary" else "str"
                ts_type = "Blob" if kind == "binary" else "string"
            result.append(
                Response(
                    status,
                    code,
                    str(response.get("description", "")),
                    media_type,
                    kind,
                    py_type,
                    ts_type,
                    headers,
                    success,
                    _doc_content(media_type, kind, content),
                    (media_type, *(m for m in content if m != media_type)),
                    _set_headers(headers),
                )
            )
        return tuple(result)

    def _response_headers(self, response: dict[str, Any]) -> tuple[Header, ...]:
        raw = _obj(response.get("headers"))
        names = [n for n in raw if n.lower() != "content-type"]
        py_names = naming.dedupe(naming.py_function_name(n) for n in names)
        result = []
        for name, py_name in zip(names, py_names, strict=True):
            header = self.deref(raw[name])
            header = header if isinstance(header, dict) else {}
            schema = self.deref(header.get("schema", {"type": "string"}))
            result.append(
                Header(
                    name, py_name, ts_property_key(name.lower()), header.get("required") is True,
                    str(header.get("description", "")), py_literal(schema if isinstance(schema, dict) else {}),
                )
            )  # fmt: skip
        return tuple(result)

    def lower_security(self, pointer: str, op: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
        raw = op.get("security", self.data.get("security", []))
        result = []
        for requirement in raw if isinstance(raw, list) else []:
            if isinstance(requirement, dict):
                result.append(tuple(sorted(str(k) for k in requirement)))
        if any(len(r) > 1 for r in result):
            self._warn(
                join_pointer(pointer, "security"),
                "a requirement combining several schemes (AND) is enforced as: any one of them",
            )
        return tuple(result)

    # -- models -----------------------------------------------------------------------------------

    def _finish_model_spec(self) -> None:
        """Rename component schemas to their class names, add hoisted schemas, make int ranges explicit."""
        components = self.model_spec["components"]
        old = components.get("schemas") or {}
        renamed = {self.py_class[SCHEMAS + _esc(name)]: schema for name, schema in old.items()}
        renamed.update(self.hoisted)
        components["schemas"] = renamed
        ref_map = {ref: SCHEMAS + name for ref, name in self.py_class.items()}
        for _, node in walk_paths(self.model_spec):
            if not isinstance(node, dict):
                continue
            ref = node.get("$ref")
            if isinstance(ref, str) and ref in ref_map:
                node["$ref"] = ref_map[ref]
            elif isinstance(ref, str) and ref.startswith(SCHEMAS):
                # A ref into a schema (e.g. #/components/schemas/A/properties/b): rename its first part.
                head, _, rest = ref[len(SCHEMAS) :].partition("/")
                mapped = self.py_class.get(SCHEMAS + head)
                if mapped:
                    node["$ref"] = SCHEMAS + mapped + ("/" + rest if rest else "")
            if node.get("nullable") is True and _enum_refuses_null(node):
                del node["nullable"]
            types = node.get("type")
            if isinstance(types, list) and "null" in types and _enum_refuses_null(node):
                types = node["type"] = [t for t in types if t != "null"]
            is_integer = types == "integer" or (isinstance(types, list) and "integer" in types)
            # Only a format bounds an integer: without one it is unbounded in JSON Schema (GitHub's
            # `alert_numbers` refused values above int64).
            if is_integer and node.get("format") in ("int32", "int64"):
                low, high = INT32 if node.get("format") == "int32" else INT64
                # Not beside a 3.1 numeric exclusive bound: pydantic would get both ge and gt, and
                # data generators (the mock's polyfactory) honour only one of them.
                if not _is_number(node.get("exclusiveMinimum")):
                    node.setdefault("minimum", low)
                if not _is_number(node.get("exclusiveMaximum")):
                    node.setdefault("maximum", high)
            mapping = (
                node.get("discriminator", {}).get("mapping") if isinstance(node.get("discriminator"), dict) else None
            )
            if isinstance(mapping, dict):
                for value, target in list(mapping.items()):
                    if isinstance(target, str) and target in ref_map:
                        mapping[value] = ref_map[target]
        self.inputs_emitted = self._access_views(renamed)
        # Only --lenient gets here with references that do not resolve: they mean "any value".
        models_only = {"components": {"schemas": renamed}}
        for path, node in walk_paths(self.model_spec):
            pointer = pointer_of(path) if _needs_pointer(node) else ""  # else neither test below holds
            if _is_schema(pointer, node) and "default" in node and not self._default_fits(node, self.model_spec):
                del node["default"]  # pydantic would apply (and reject) it for every request without the field
            if _may_contradict(pointer, node) and unsatisfiable.reason(node, lambda n: deref(self.model_spec, n)):
                replacement = unsatisfiable.stand_in(node)  # in place: every use of the node sees it
                node.clear()
                node.update(replacement)
            if isinstance(node, dict) and isinstance(node.get("properties"), dict):
                _declare_required(node)
            if isinstance(node, dict) and "$ref" in node:
                ref = node["$ref"]
                if not isinstance(ref, str) or not ref.startswith("#") or not resolve_local(models_only, ref)[0]:
                    del node["$ref"]
        for name in sorted(self.hoisted_requests):
            _mark_one_of(renamed.get(name))

    def _check_schemas(self) -> None:
        """Warn about defaults that do not fit their schema and schemas no value satisfies (what
        _finish_model_spec removes or replaces in the model spec). Reads the spec only."""
        contradictions: dict[str, str] = {}
        # Pointers are built only for the few nodes that may need one (see walk_paths).
        for path, node in walk_paths(self.data):
            if not _needs_pointer(node):
                continue
            pointer = pointer_of(path)
            if _is_schema(pointer, node) and "default" in node and not self._default_fits(node, self.data):
                self._warn(
                    join_pointer(pointer, "default"),
                    f"default {node['default']!r} does not match the schema's type; the generated code ignores it",
                )
            if _may_contradict(pointer, node) and (why := unsatisfiable.reason(node, self.deref)):
                contradictions[pointer] = why
        for pointer, why in contradictions.items():
            if not any(other.startswith(pointer + "/") for other in contradictions):  # the innermost only
                self._warn(pointer, f"no value satisfies this schema: {why}; the generated model refuses every value")

    def _access_views(self, schemas: dict[str, Any]) -> list[str]:
        """Each model as its direction reads it (views.py): the response models (component schemas,
        hoisted responses) without writeOnly members; the request models (hoisted request bodies, and
        `XInput` beside each component schema with readOnly/writeOnly members that a request uses)
        without readOnly members. Returns the `XInput` classes it added."""
        originals = dict(schemas)
        inputs = {SCHEMAS + self.py_class[ref]: name for ref, name in self.py_input.items()}
        requests = [self.py_class[ref] for ref in sorted(self.inputs_used)]
        requests += [name for name in sorted(self.hoisted_requests) if refs_in(originals[name], set()) & inputs.keys()]
        wanted: dict[str, str] = {}  # component class -> its request class, for those emitted
        while requests:
            name = requests.pop()
            for ref in refs_in(originals[name], set()):
                if ref in inputs and ref not in wanted:
                    wanted[ref] = inputs[ref]
                    requests.append(ref[len(SCHEMAS) :])
        for ref in sorted(self.inputs_used):
            wanted[SCHEMAS + self.py_class[ref]] = self.py_input[ref]
        to_input = {ref: SCHEMAS + name for ref, name in wanted.items()}
        for ref, name in sorted(wanted.items()):
            schemas[name] = view(originals[ref[len(SCHEMAS) :]], REQUEST, originals, SCHEMAS, to_input)
        for name in self.hoisted_requests:
            if has_access_marker(originals[name]) or refs_in(originals[name], set()) & to_input.keys():
                schemas[name] = view(originals[name], REQUEST, originals, SCHEMAS, to_input)
        for ref in self.py_input:
            name = self.py_class[ref]
            schemas[name] = view(originals[name], RESPONSE, originals, SCHEMAS)
        for name in self.hoisted:
            if name not in self.hoisted_requests and has_access_marker(originals[name]):
                schemas[name] = view(originals[name], RESPONSE, originals, SCHEMAS)
        return sorted(wanted.values())

    @staticmethod
    def _default_fits(schema: dict[str, Any], root: dict[str, Any]) -> bool:
        """Whether a schema's `default` has one of the JSON types the schema allows (enums too)."""
        return _value_fits(schema["default"], schema, root, 0)

    def lower_ts_types(self) -> tuple[TsType, ...]:
        spell = TsTypes(self.ts_class, self.ts_input)
        result = []
        components = _obj(self.data.get("components"))
        schemas = _obj(components.get("schemas"))
        for name, schema in schemas.items():
            ref = SCHEMAS + _esc(name)
            doc = str(schema.get("description", "")) if isinstance(schema, dict) else ""
            result.append(TsType(self.ts_class[ref], spell.spell(schema), doc))
            if ref in self.ts_input:
                write = TsTypes(self.ts_class, self.ts_input, write=True)
                note = f"`{self.ts_class[ref]}` as the client sends it: without its readOnly members."
                result.append(TsType(self.ts_input[ref], write.spell(schema), "\n\n".join(filter(None, (doc, note)))))
        for class_name, schema in self.hoisted.items():
            result.append(TsType(self.ts_class[SCHEMAS + class_name], spell.spell(schema), ""))
        return tuple(result)


def _validation_status(responses: tuple[Response, ...]) -> int | None:
    """The status answering a request that breaks the contract: 400 or 422 when declared, else 400
    when a `4XX` or `default` response covers it; None leaves FastAPI's own 422 (then published)."""
    statuses = {r.status_code for r in responses}
    explicit = next((s for s in (400, 422) if s in statuses), None)
    if explicit is not None:
        return explicit
    return 400 if any(r.status.upper() == "4XX" or r.status == "default" for r in responses) else None


def _openapi_extra(
    security: tuple[tuple[str, ...], ...], global_security: bool, body: RequestBody | None, is_webhook: bool
) -> str | None:
    """What FastAPI cannot say by itself: an explicitly public operation, a webhook's security (the
    app sends webhooks, so no dependency enforces it), other body media types."""
    extra: dict[str, Any] = {}
    if not security and global_security:
        extra["security"] = []
    if security and (is_webhook or not all(security)):
        # Webhooks (the app sends them) and optional authentication have no enforcing dependency.
        extra["security"] = [{name: [] for name in alternative} for alternative in security]
    content: dict[str, Any] = {}
    if body is not None and body.kind in ("binary", "text"):
        # Read from the request by a dependency, so FastAPI cannot publish it by itself.
        schema = {"type": "string", "format": "binary"} if body.kind == "binary" else {"type": "string"}
        content[body.media_type] = {"schema": schema}
    if body is not None and body.decoder is not None:
        # Read by runtime.ModelBody, so FastAPI cannot publish it by itself.
        content.update({m: {"schema": {"$ref": f"#/components/schemas/{body.model_class}"}} for m in body.decoded})
    if body is not None:
        content.update({m: {} for m in body.extra_media_types})
    if content and body is not None:
        read_by_dependency = body.kind in ("binary", "text") or body.decoder is not None
        extra["requestBody"] = (
            {"content": content, "required": body.required} if read_by_dependency else {"content": content}
        )
    return py_literal(extra) if extra else None


def _doc_content(media_type: str, kind: str, content: dict[str, Any]) -> str | None:
    """The media types FastAPI would not publish by itself for this response."""
    declared: dict[str, Any] = {}
    if kind == "binary":
        declared[media_type] = {"schema": {"type": "string", "format": "binary"}}
    elif kind == "text":
        declared[media_type] = {"schema": {"type": "string"}}
    elif kind == "events":
        declared[media_type] = {"itemSchema": SSE_ITEM_SCHEMA}
    elif media_type != "application/json":
        declared[media_type] = {}
    declared.update(
        {
            other: {"itemSchema": SSE_ITEM_SCHEMA} if _is_event_stream(other) else {}
            for other in content
            if other != media_type
        }
    )
    return py_literal(declared) if declared else None


def _default_source(py_type: str, default: Any) -> str:
    if py_type.startswith("models.") and isinstance(default, str):
        return f"{py_type}({py_literal(default)})"
    if py_type.startswith("models.") and isinstance(default, dict):
        return f"{py_type}.model_validate({py_literal(default)})"  # a styled object parameter's default
    return py_literal(default)


def _is_file_schema(schema: Any) -> bool:
    """A multipart part that is a file: binary content."""
    return isinstance(schema, dict) and (schema.get("format") == "binary" or "contentMediaType" in schema)


def _handler_args(
    parameters: tuple[Parameter, ...], body: RequestBody | None, requirement: str | None
) -> tuple[HandlerArg, ...]:
    """Keyword arguments of the handler method, in a fixed order: parameters, body, credentials."""
    args = [HandlerArg(p.py_name, p.py_annotation, p.py_name) for p in parameters]
    if body is not None and body.kind == "multipart":
        args += [
            HandlerArg(
                f.py_name,
                f.py_annotation,
                f"{body.py_arg}.get({py_literal(f.wire_name)}{', many=True' if f.py_type.startswith('list[') else ''})",
            )
            for f in body.form_fields
        ]
    elif body is not None:
        args.append(HandlerArg(body.py_arg, body.py_annotation, body.py_arg))
    if requirement is not None:
        args.append(HandlerArg("credentials", "runtime.Credentials", "credentials"))
    return tuple(args)


_JSON_TYPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def _value_fits(value: Any, schema: Any, root: dict[str, Any], depth: int) -> bool:
    """A shallow type check: $ref, allOf (every part), oneOf/anyOf (some option), enum, type, nullable.
    Anything it cannot judge fits."""
    if not isinstance(schema, dict) or depth > 16:
        return True
    if value is None and schema.get("nullable") is True:
        return True
    ref = schema.get("$ref")
    if isinstance(ref, str):
        found, target = resolve_local(root, ref)
        if found and not _value_fits(value, target, root, depth + 1):
            return False
    for part in schema.get("allOf") or ():
        if not _value_fits(value, part, root, depth + 1):
            return False
    for key in ("oneOf", "anyOf"):
        options = schema.get(key)
        if isinstance(options, list) and options and not any(_value_fits(value, o, root, depth + 1) for o in options):
            return False
    enum = schema.get("enum")
    if isinstance(enum, list) and value not in enum:
        return False
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else None
    if kinds is None:
        return True
    return any(_JSON_TYPE_CHECKS.get(str(kind), lambda _: True)(value) for kind in kinds)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _needs_pointer(node: Any) -> bool:
    """Whether finishing the model spec looks at this node's pointer (a default, or _may_contradict's
    cheap test): the only nodes whose pointer is built."""
    return isinstance(node, dict) and ("default" in node or "allOf" in node or node.get("enum") == [])


def _may_contradict(pointer: str, node: Any) -> bool:
    """A schema that unsatisfiable.reason() should look at (cheap test first: most have no allOf)."""
    return isinstance(node, dict) and ("allOf" in node or node.get("enum") == []) and _is_schema(pointer, node)


def _is_schema(pointer: str, node: Any) -> bool:
    """A Schema Object (not a `properties` map, a responses map or an extension) under a `schema`."""
    if not isinstance(node, dict) or is_extension(pointer) or pointer.endswith(("/properties", "/responses")):
        return False
    return "/schema" in pointer and any(k in node for k in ("type", "$ref", "allOf", "enum"))


def _stream_handler_args(
    args: tuple[HandlerArg, ...], parameters: tuple[Parameter, ...], negotiated: bool
) -> tuple[tuple[HandlerArg, ...], str, str]:
    """A streaming handler also receives the `Last-Event-ID` the client resumes from (the spec's own
    header parameter when it declares one) and, for a negotiated response, the media type asked for."""
    taken = {a.py_name for a in args} | {"handlers", "http_request"}
    declared = next((p for p in parameters if p.location == "header" and p.wire_name.lower() == "last-event-id"), None)
    extra = []
    if declared is not None:
        last_event_id = declared.py_name
    else:
        last_event_id = naming.dedupe([*taken, "last_event_id"])[-1]
        extra.append(HandlerArg(last_event_id, "str | None", last_event_id))
        taken.add(last_event_id)
    media_type = ""
    if negotiated:
        media_type = naming.dedupe([*taken, "media_type"])[-1]
        extra.append(HandlerArg(media_type, 'Literal["application/json", "text/event-stream"]', media_type))
    return args + tuple(extra), last_event_id, media_type


def _ts_literal(value: str) -> str:
    return json.dumps(value, ensure_ascii=True)


def _copy(value: Any) -> Any:
    """A deep copy of loaded spec data (JSON values only, no shared nodes): much faster than deepcopy."""
    return json.loads(json.dumps(value))


def _obj(value: Any) -> dict[str, Any]:
    """The value when it is a mapping, else an empty one: lowering tolerates odd specs."""
    return value if isinstance(value, dict) else {}


_DATA_KEYWORDS = frozenset({"const", "default", "enum", "example", "examples"})


def _mark_one_of(schema: Any) -> None:
    """Each `oneOf` without a discriminator in an inline request body schema gets one more option,
    `const: ONE_OF_MARK`: models.py finds the union it becomes and makes it refuse a value valid
    against more than one option (pydantic's unions take the first or best match). Only inline
    request schemas: a component is shared with responses, which the mock generates by option."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        options = node.get("oneOf")
        if isinstance(options, list) and len(options) > 1 and "discriminator" not in node:
            node["oneOf"] = [*options, {"type": "string", "const": ONE_OF_MARK}]
        stack.extend(v for k, v in node.items() if k not in _DATA_KEYWORDS)


def _declare_required(schema: dict[str, Any]) -> None:
    """A name in `required` but not in `properties` is a member of any value (or of the
    `additionalProperties` schema); datamodel-code-generator drops it, so the model neither requires
    nor keeps it. GitHub's `PUT /repos/{owner}/{repo}/pages` body is `anyOf: [{required: [public]}, ...]`
    beside `properties` without `public`: `{"public": null}` lost `public` and failed the `anyOf`.
    Such names become properties: of the schema itself, or of the `anyOf`/`oneOf` option naming them."""
    extra = schema.get("additionalProperties", {})
    if extra is False:
        return
    value = extra if isinstance(extra, dict) else {}
    properties = schema["properties"]
    options = [o for key in ("anyOf", "oneOf") if isinstance(schema.get(key), list) for o in schema[key]]
    for holder in (schema, *options):
        if not isinstance(holder, dict):
            continue
        required = holder.get("required")
        own = holder.get("properties")
        if not isinstance(required, list) or (holder is not schema and not (own is None or isinstance(own, dict))):
            continue
        missing = [n for n in required if isinstance(n, str) and n not in properties and n not in (own or {})]
        if missing and holder.get("type", "object") == "object":
            holder.setdefault("properties", {}).update({n: dict(value) for n in missing})


def _admits_null(schema: Any, deref: Callable[[Any], Any], depth: int) -> bool:
    """Whether JSON `null` is valid for a schema: its type says so (a 3.1 list, 3.0 `nullable`, an
    enum listing null), or it has no type, and so no keyword of it constrains null, unless its
    `allOf` parts, `anyOf` options or `oneOf` options (exactly one) say otherwise."""
    schema = deref(schema)
    if not isinstance(schema, dict) or depth > 20:
        return False
    if "type" in schema or "enum" in schema or "const" in schema:
        return "null" in schema_types(schema)
    if "not" in schema:
        return False  # not worked out: kept as before, refused
    return _composition_admits(schema, lambda part: _admits_null(part, deref, depth + 1))


def _composition_admits(schema: dict[str, Any], admits: Callable[[Any], bool]) -> bool:
    """A value a schema's own keywords allow is valid when `admits` holds for all its `allOf` parts,
    at least one `anyOf` option and exactly one `oneOf` option (each absent keyword allows it)."""
    verdicts = {
        key: [admits(part) for part in schema[key]]
        for key in ("allOf", "anyOf", "oneOf")
        if isinstance(schema.get(key), list)
    }
    return (
        all(verdicts.get("allOf", [True]))
        and any(verdicts.get("anyOf", [True]))
        and verdicts.get("oneOf", [True]).count(True) == 1
    )


# `format: byte` (base64 characters, OpenAPI 3.0 Data Types) is checked, as the models check it
# (datamodel-code-generator's Base64Str); `base64` is an annotation there and here, as in schemathesis.
_BASE64_FORMATS = frozenset({"byte"})


def _string_body_reader(schema: Any, *, binary: bool, required: bool) -> str | None:
    """The runtime.StringBody that checks a text/binary body against its string schema's constraints;
    None when the schema constrains nothing a text could break (`format: binary` included)."""
    schema = schema if isinstance(schema, dict) and schema.get("type") == "string" else {}
    if schema.get("format") == "binary":
        return None  # bytes, not text: the string keywords do not apply
    options: list[str] = []
    if isinstance(schema.get("minLength"), int) and schema["minLength"] > 0:
        options.append(f"min_length={schema['minLength']}")
    if isinstance(schema.get("maxLength"), int):
        options.append(f"max_length={schema['maxLength']}")
    if isinstance(schema.get("pattern"), str):
        options.append(f"pattern={py_literal(ecma_pattern(schema['pattern']))}")
    values = [v for v in schema.get("enum", ()) if isinstance(v, str)] if isinstance(schema.get("enum"), list) else []
    if isinstance(schema.get("const"), str):
        values = [schema["const"]]
    if values:
        options.append(f"enum=({''.join(py_literal(v) + ', ' for v in values)})")
    if schema.get("format") in _BASE64_FORMATS:
        options.append("base64=True")
    if not options:
        return None
    return f"runtime.StringBody(binary={binary}, required={required}, {', '.join(options)})"


# Keywords that constrain a non-object JSON value (JSON Schema validation vocabulary).
_NON_OBJECT_KEYWORDS = frozenset(
    {
        "type", "enum", "const", "not", "format", "minLength", "maxLength", "pattern", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "items", "prefixItems", "additionalItems",
        "minItems", "maxItems", "uniqueItems", "contains", "minContains", "maxContains", "unevaluatedItems",
    }
)  # fmt: skip


def _admits_any_scalar_or_array(schema: Any, deref: Callable[[Any], Any], depth: int) -> bool:
    """Whether every JSON value that is not an object is valid for a schema: none of its keywords,
    nor those of its `allOf` parts and at least one `anyOf` option (exactly one `oneOf` option),
    constrains such a value."""
    schema = deref(schema)
    if not isinstance(schema, dict) or depth > 20:
        return schema is True  # the `true` schema; anything else unknown is taken as constraining
    if _NON_OBJECT_KEYWORDS & set(schema):
        return False
    return _composition_admits(schema, lambda part: _admits_any_scalar_or_array(part, deref, depth + 1))


# Message framing: the server computes these from the body it sends. A handler's value (an example's
# `Content-Length: 279` for a shorter body) would break the response (GitHub's `POST /markdown`).
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding"})


def _set_headers(headers: tuple[Header, ...]) -> tuple[Header, ...]:
    """The response headers a handler returns and the route sends: all but the framing ones."""
    return tuple(h for h in headers if h.wire_name.lower() not in _FRAMING_HEADERS)


def _enum_refuses_null(schema: dict[str, Any]) -> bool:
    """OpenAPI 3.0.3: `nullable: true` adds null to the `type` only; an `enum` without null still
    refuses it (the clarification answers "No" for `nullable: true, enum: [1, 2, 3]`)."""
    return isinstance(schema.get("enum"), list) and None not in schema["enum"]


def _esc(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def route_precedence(paths: list[str]) -> list[str]:
    """The paths in matching order: at the first segment where two differ, a literal one before a
    templated one, so `/users/me` is matched before `/users/{id}`. Literal segments otherwise keep
    the spec's order (first appearance under the same prefix; they never match one same URL), and
    templated ones sort by their text. The served app tries routes in this order, so the spec's
    first paths are the quickest to reach, as in an app written by hand in that order."""
    rank: dict[tuple[str, ...], int] = {}
    for path in paths:
        segments = path.strip("/").split("/")
        for end in range(1, len(segments) + 1):
            rank.setdefault(tuple(segments[:end]), len(rank))

    def key(path: str) -> tuple[tuple[int, int, str], ...]:
        segments = path.strip("/").split("/")
        return tuple(
            (1, 0, seg) if "{" in seg else (0, rank[tuple(segments[: i + 1])], "") for i, seg in enumerate(segments)
        )

    return sorted(paths, key=key)


def _scheme_kind(scheme: Any) -> tuple[str, str]:
    if not isinstance(scheme, dict):
        return "unsupported", ""
    kind = scheme.get("type")
    if kind == "http" and str(scheme.get("scheme", "")).lower() in ("bearer", "basic"):
        return str(scheme["scheme"]).lower(), ""
    if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
        return f"apiKey-{scheme['in']}", str(scheme.get("name", ""))
    if kind in ("oauth2", "openIdConnect"):
        return "bearer-" + kind, ""
    return "unsupported", ""


def _pick_media(content: dict[str, Any]) -> tuple[str, Any]:
    """JSON first (what both clients speak best), then the spec's first entry."""
    for media_type in content:
        if media_type.split(";")[0].strip().lower() in ("application/json",) or media_type.endswith("+json"):
            return media_type, content[media_type]
    first = next(iter(content))
    return first, content[first]


_DECODERS = {
    "application/json": "json",
    "application/x-www-form-urlencoded": "form",
    # multipart as another encoding of a JSON or form model: its parts decoded into that model. A body
    # offered only as multipart is not decoded this way (its uploads are handed over: `multipart`).
    "multipart/form-data": "form-data",
    "application/xml": "xml",
    "text/xml": "xml",
}


def _base(media_type: str) -> str:
    base = media_type.split(";")[0].strip().lower()
    return "application/json" if base.endswith("+json") else ("application/xml" if base.endswith("+xml") else base)


def _body_kind(media_type: str, schema: dict[str, Any]) -> str:
    base = media_type.split(";")[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base == "multipart/form-data":
        return "multipart"
    if base.startswith("text/"):
        return "text"
    return "binary"


def _is_event_stream(media_type: str) -> bool:
    return media_type.split(";")[0].strip().lower() == "text/event-stream"


def _response_kind(media_type: str, schema: dict[str, Any]) -> str:
    base = media_type.split(";")[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        return "json"
    if base.startswith("text/") and "binary" not in (schema.get("format"),):
        return "text"
    return "binary"


def _pick_success(responses: tuple[Response, ...]) -> Response | None:
    """The response a route answers with when its handler returns: the first declared 2xx; else a
    declared one, in this order: `2XX` (answered 200), the lowest 3xx, `default` (answered 200), the
    lowest 4xx/5xx (an operation documented only to fail, e.g. with 401). None when none is declared."""
    found = next((r for r in responses if r.is_success), None)
    found = found or next((r for r in responses if r.status.upper() == "2XX"), None)
    codes = sorted((r for r in responses if r.status_code is not None and r.status_code >= 300), key=_code)
    found = found or next((r for r in codes if _code(r) < 400), None)
    found = found or next((r for r in responses if r.status == "default"), None)
    return found or next(iter(codes), None)


def _code(response: Response) -> int:
    return response.status_code or 0


__all__ = ["Constraint", "Lowered", "lower", "route_precedence", "schema_types"]
