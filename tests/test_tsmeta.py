"""The TS client's per-operation wire strings (generator/tsmeta.py): given a spec, want the string.

The runtime in templates/typescript/src/client.ts.jinja decodes them; tests/ts/wire.test.ts checks
what then goes on the wire. Here: the grammar, and that nothing the runtime can infer is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator import tsmeta
from generator.ir import Api
from generator.loader import parse_document
from generator.lower import lower

OK = {"200": {"description": "ok"}}


def _api(paths: dict[str, Any], schemes: dict[str, Any] | None = None) -> Api:
    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths}
    if schemes:
        spec["components"] = {"securitySchemes": schemes}
    return lower(parse_document(json.dumps(spec).encode(), Path("t.json"), "t.json"), "api").api


def _metas(api: Api) -> dict[str, str]:
    return {op.operation_id: op.ts_meta for group in api.tags for op in group.operations}


def _q(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string"}, **extra}


@pytest.mark.parametrize(
    ("operation", "want"),
    [
        # GET is implied; a query parameter in the default style named like its argument is not listed.
        ({"parameters": [_q("limit"), _q("role")]}, "/things"),
        # Non-default styles and explode are listed; header and cookie parameters always are.
        ({"parameters": [_q("ids", explode=False)]}, "/things *ids"),
        ({"parameters": [_q("f", style="deepObject", explode=True)]}, "/things ^*f"),
        ({"parameters": [_q("w", style="spaceDelimited")]}, "/things !w"),
        ({"parameters": [_q("p", style="pipeDelimited")]}, "/things |p"),
        (
            {"parameters": [{"name": "X-Trace", "in": "header", "schema": {"type": "string"}}]},
            "/things :xTrace=X-Trace",
        ),
        ({"parameters": [{"name": "lang", "in": "cookie", "schema": {"type": "string"}}]}, "/things ;lang"),
        # A wire name the runtime cannot spell from the TS name is given, percent-encoded.
        ({"parameters": [_q("filter[name]")]}, "/things filterName=filter%5Bname%5D"),
        # Bodies: JSON is implied; others give their kind and media type (multipart: fetch writes it).
        (
            {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}},
            "/things",
        ),
        (
            {"requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}},
            "/things @fapplication/x-www-form-urlencoded",
        ),
        (
            {
                "requestBody": {
                    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
                }
            },
            "/things @rapplication/octet-stream",
        ),
        (
            {"responses": {"200": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}}},
            "/things <t",
        ),
    ],
)
def test_operation_meta(operation: dict[str, Any], want: str) -> None:
    op = {"operationId": "op", "responses": OK, **operation}
    assert _metas(_api({"/things": {"get": op}})) == {"op": want}


def test_methods_are_indices_into_the_list_of_methods_the_spec_uses() -> None:
    ops = {m: {"operationId": m, "responses": OK} for m in ("get", "delete", "patch", "post")}
    api = _api({"/a": ops})
    assert api.ts_methods == ("GET", "POST", "PATCH", "DELETE")
    assert _metas(api) == {"get": "/a", "post": "1/a", "patch": "2/a", "delete": "3/a"}


def test_path_parameters_and_a_path_without_leading_slash() -> None:
    label = {
        "name": "ids",
        "in": "path",
        "required": True,
        "style": "label",
        "explode": True,
        "schema": {"type": "array"},
    }
    matrix = {"name": "pet-id", "in": "path", "required": True, "style": "matrix", "schema": {"type": "string"}}
    api = _api(
        {
            "/a/{ids}/{pet-id}": {"get": {"operationId": "a", "parameters": [label, matrix], "responses": OK}},
            "b c": {"get": {"operationId": "b", "responses": OK}},
        }
    )
    assert _metas(api) == {"a": "/a/{.ids*}/{;petId:pet-id}", "b": "/b%20c"}


def test_snake_case_spelling_is_chosen_when_most_names_are_snake_case() -> None:
    params = [_q("per_page"), _q("since_id"), _q("q"), _q("pageToken")]
    api = _api({"/a": {"get": {"operationId": "a", "parameters": params, "responses": OK}}})
    assert api.ts_snake_query is True
    assert _metas(api) == {"a": "/a pageToken=pageToken"}
    camel = _api(
        {"/a": {"get": {"operationId": "a", "parameters": [_q("pageToken"), _q("per_page")], "responses": OK}}}
    )
    assert camel.ts_snake_query is False
    assert _metas(camel) == {"a": "/a perPage=per_page"}


def test_security_alternatives_and_scheme_table() -> None:
    schemes = {
        "bearer": {"type": "http", "scheme": "bearer"},
        "basic": {"type": "http", "scheme": "basic"},
        "key": {"type": "apiKey", "in": "query", "name": "api key"},
        "hdr": {"type": "apiKey", "in": "header", "name": "X-Key"},
    }
    op = {"operationId": "a", "responses": OK, "security": [{"bearer": [], "hdr": []}, {}, {"key": []}]}
    public = {"operationId": "b", "responses": OK, "security": [{}]}
    api = _api({"/a": {"get": op}, "/b": {"get": public}}, schemes)
    # The anonymous alternative is dropped (the runtime sends the first complete one, or nothing).
    assert _metas(api) == {"a": "/a #03,2", "b": "/b"}
    assert api.ts_security_table == (
        ("0", ("bearer", ":=authorization", "Bearer ")),
        ("1", ("basic", ":=authorization", "Basic ")),
        ("2", ("key", "=api%20key")),
        ("3", ("hdr", ":=X-Key")),
    )


@pytest.mark.parametrize(("ts_name", "snake", "want"), [("perPage", True, "per_page"), ("perPage", False, "perPage")])
def test_wire_spelling(ts_name: str, snake: bool, want: str) -> None:
    assert tsmeta.wire_spelling(ts_name, snake=snake) == want


def test_webhooks_need_no_method_of_their_own() -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"put": {"operationId": "a", "responses": OK}}},
        "webhooks": {"ping": {"post": {"operationId": "ping", "responses": OK}}},
    }
    api = lower(parse_document(json.dumps(spec).encode(), Path("t.json"), "t.json"), "api").api
    assert api.ts_methods == ("GET", "PUT")
    assert _metas(api) == {"a": "1/a"}
