"""The intermediate representation: everything a template needs, decided and sorted in lower.py.

Frozen, slotted dataclasses holding tuples only. Each object keeps the spec's own name (`wire_name`,
`operation_id`, `path`) beside the names the targets use (`py_name`, `ts_name`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Constraint:
    """One keyword argument of FastAPI's Query()/Path()/Header()/Cookie(), as Python source."""

    name: str
    py_value: str


@dataclass(frozen=True, slots=True)
class Parameter:
    wire_name: str
    location: str  # path | query | header | cookie
    py_name: str
    ts_name: str
    required: bool
    py_type: str  # the value type, without Optional
    py_annotation: str  # what the handler receives: py_type, `| None` when optional without default
    py_default: str | None  # Python source of the default; "None" when optional without one
    fastapi_marker: str  # Path | Query | Header | Cookie
    marker_options: str  # extra keyword arguments of the marker, as source (", convert_underscores=False")
    validator: str | None  # strict scalar parsing (runtime.STRICT_INT ...), placed after constraints
    ts_type: str
    constraints: tuple[Constraint, ...]
    description: str
    ts_style: str  # form | spaceDelimited | pipeDelimited | deepObject | simple | label | matrix
    ts_explode: bool
    is_array: bool
    # Python source of the runtime.Styled(...) that takes a label/matrix value, a path/header array or
    # object, or a non-exploded query one, apart before it is validated; None when FastAPI reads the
    # value as it comes.
    styled: str | None = None
    # The annotation of the route's argument: `Any` for a styled array/object (FastAPI reads only
    # scalars in paths and headers; runtime.Styled validates the real type), else py_annotation.
    route_annotation: str = ""
    # Python source of the runtime.QueryObject(...) the route depends on for an exploded or deepObject
    # query object, whose properties come as query parameters of their own; None otherwise.
    dependency: str | None = None


@dataclass(frozen=True, slots=True)
class Header:
    wire_name: str
    py_name: str
    ts_name: str
    required: bool
    description: str
    schema_literal: str  # Python source of the header's schema, for the served document


@dataclass(frozen=True, slots=True)
class RequestBody:
    media_type: str
    kind: str  # json | form | multipart | binary | text
    py_type: str  # the model (or Python type) the handler receives
    ts_type: str
    required: bool
    description: str
    file_fields: tuple[str, ...]  # multipart: wire names of binary fields (UploadFile)
    form_fields: tuple[FormField, ...]
    py_arg: str  # the handler's keyword for the body (multipart: one per form field instead)
    py_annotation: str  # py_type, `| None` when the body is optional
    extra_media_types: tuple[str, ...] = ()  # declared in the served document, not accepted
    # Python source of a runtime.ModelBody dependency that decodes the body by its Content-Type (forms,
    # or several media types), or None when FastAPI reads it; `decoded` lists the media types it takes.
    decoder: str | None = None
    decoded: tuple[str, ...] = ()
    model_class: str = ""  # the body model's class name (for the served document's $ref)
    reader: str = ""  # binary/text bodies: the runtime dependency that reads them (runtime.required_raw_body ...)


@dataclass(frozen=True, slots=True)
class FormField:
    wire_name: str
    py_name: str  # also the handler's keyword: clear of the operation's parameter names
    py_type: str
    required: bool
    is_file: bool
    py_annotation: str


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "404", "default", "4XX"
    status_code: int | None  # None for default/ranges
    description: str
    media_type: str | None
    kind: str  # json | binary | text | empty
    py_type: str | None  # model of the body; None when empty
    ts_type: str
    headers: tuple[Header, ...]
    is_success: bool
    # Python source of the `content` FastAPI merges into the served response (media types the route
    # does not derive from its model: binary/text, vendor JSON types, alternatives), or None.
    doc_content: str | None = None
    media_types: tuple[str, ...] = ()  # every media type the spec declares, the answered one first
    # The headers a handler returns and the route sends: all but the message framing the server
    # computes (Content-Length, Transfer-Encoding), which are declared only.
    set_headers: tuple[Header, ...] = ()


@dataclass(frozen=True, slots=True)
class EventType:
    """One kind of Server-Sent Event an operation streams."""

    name: str  # the `event:` field; "" when sent without one (clients see the default "message")
    py_type: str  # the payload (the event's `data`): models.X, or str for text
    ts_type: str
    text: bool  # the payload is sent as is, not as JSON
    schema_pointer: str  # `#/...` of the payload's schema in the spec ("" when it declares none)


@dataclass(frozen=True, slots=True)
class EventStream:
    """A `text/event-stream` success response: what the handler yields and the client receives."""

    media_type: str  # as the spec spells it
    types: tuple[EventType, ...]  # spec order; named ones first matched by payload type
    py_item: str  # what the handler yields (alone or in runtime.ServerSentEvent): the payloads' union
    ts_event: str  # the TS union of event objects, discriminated on `event`
    ts_events_meta: str  # the event table the TS runtime reads (generator/tsmeta.py)
    negotiated: bool  # the response also offers JSON: the request's Accept header chooses
    py_constant: str  # router module constant holding the runtime.EventKind table


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    name: str  # key in components.securitySchemes
    py_name: str
    kind: str  # bearer | basic | apiKey-header | apiKey-query | apiKey-cookie | oauth2 | openIdConnect
    parameter_name: str  # apiKey: the header/query/cookie name; otherwise ""
    description: str


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str  # verbatim from the spec
    py_name: str
    ts_name: str
    pascal_name: str
    method: str  # lower case
    path: str  # the spec key, verbatim (or the webhook name)
    tag: str
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    responses: tuple[Response, ...]
    success: Response
    security: tuple[tuple[str, ...], ...]  # alternatives, each a tuple of scheme names (AND)
    security_required: bool  # False when any alternative is empty (anonymous allowed)
    validation_status: int | None  # status used for request validation errors, None: FastAPI's 422
    result_class: str | None  # name of the generated success wrapper when headers must be set
    security_dependency: str | None  # security.<name> that enforces the requirement
    handler_args: tuple[HandlerArg, ...]
    handler_return: str
    openapi_extra: str | None  # Python source merged into the served operation, or None
    # (status, media type) of error responses not sent as application/json; the runtime answers and
    # publishes them in that type
    error_media_types: tuple[tuple[str, tuple[str, ...]], ...]
    is_webhook: bool
    # TypeScript client: type names unique among the schema types, and the body type of statuses the
    # operation does not list by code (`default`, `4XX`; "unknown" when there is none).
    ts_params_type: str = ""
    ts_result_type: str = ""
    ts_fallback_error: str = "unknown"
    ts_meta: str = ""  # the compact wire description the TS runtime reads (generator/tsmeta.py)
    # Server-Sent Events of the success response, or None. The handler then also receives
    # `last_event_id_arg` (and for a negotiated response `media_type_arg`, naming the representation).
    events: EventStream | None = None
    last_event_id_arg: str = ""
    reads_last_event_id: bool = False  # the route reads the header itself (the spec does not declare it)
    media_type_arg: str = ""
    ts_events_type: str = ""  # TS name of the event union type
    # (in, wire name, style, explode) of each parameter not in its location's default style: FastAPI
    # cannot say them, the runtime publishes them in the served document
    parameter_styles: tuple[tuple[str, str, str, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class HandlerArg:
    py_name: str
    annotation: str
    source: str  # the router-local expression passed for it


@dataclass(frozen=True, slots=True)
class SecurityRequirement:
    """One generated dependency: any one of `schemes` authenticates the request."""

    py_name: str
    schemes: tuple[SecurityScheme, ...]
    challenge: str  # the WWW-Authenticate scheme of its 401 ("Basic" or "Bearer")


@dataclass(frozen=True, slots=True)
class TagGroup:
    wire_name: str
    module: str  # routers/<module>.py, service/<module>.py
    protocol: str  # UsersHandlers
    service_class: str  # UsersService
    argument: str  # create_app(users=...)
    description: str
    operations: tuple[Operation, ...]  # routes only, spec order
    webhooks: tuple[Operation, ...]


@dataclass(frozen=True, slots=True)
class PathMethods:
    path: str
    methods: tuple[str, ...]  # upper case, sorted


@dataclass(frozen=True, slots=True)
class Api:
    title: str
    version: str
    description: str
    openapi_version: str
    spec_name: str
    package: str
    tags: tuple[TagGroup, ...]
    security_schemes: tuple[SecurityScheme, ...]
    security_requirements: tuple[SecurityRequirement, ...]
    has_global_security: bool
    paths: tuple[PathMethods, ...]  # sorted by routing precedence
    model_names: tuple[str, ...]  # classes of models.py that handlers/routers import
    ts_schema_types: tuple[TsType, ...]
    # TS runtime: per security scheme, its code in operations and (name, parameter token[, prefix]).
    ts_security_table: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # TS runtime: wire names of parameters are the snake case of their TS names (else the TS names).
    ts_snake_query: bool = False
    # TS runtime: GET and the methods the operations use; an operation names its method by a prefix.
    ts_methods: tuple[str, ...] = ("GET",)
    has_event_streams: bool = False  # some operation streams Server-Sent Events (emit src/sse.ts)


@dataclass(frozen=True, slots=True)
class TsType:
    name: str
    declaration: str  # the right-hand side of `export type Name = ...`
    doc: str
