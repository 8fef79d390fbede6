"""The mock's data generation on schemas found in real specs (Swagger petstore 3.1)."""

from __future__ import annotations

import gc
import importlib
import time
from pathlib import Path
from typing import Annotated, Any

import jsonschema
import pytest
import yaml
from pydantic import MISSING, BaseModel, Field

from generator.mock import (
    PACKAGE,
    NoMockDataError,
    _Body,
    _ErrorBodies,
    build_mock_app,
    generated_package,
    minimal_instance,
    serve,
    to_json_schema,
)
from tests.generated_apps import TestClient


class Pet(BaseModel):
    available: Annotated[int | MISSING, Field(gt=1, lt=10)] = MISSING


PET_SCHEMA = {
    "type": "object",
    "properties": {"available": {"type": "integer", "exclusiveMinimum": 1, "exclusiveMaximum": 10}},
}


def test_bounds_of_an_optional_field_are_honoured() -> None:
    # polyfactory sees no constraints on `X | MISSING` fields unless the mock passes pydantic's own.
    body = _Body(PET_SCHEMA, Pet)
    values = [body.generate(seed)[0].get("available") for seed in range(20)]
    present = [v for v in values if v is not None]
    assert present and all(1 < v < 10 for v in present)


def test_a_ref_that_is_not_a_string_means_any_value() -> None:
    # `$ref: #/components/...` unquoted in YAML is a comment: the value is null (refused unless --lenient).
    schema = to_json_schema({}, {"type": "object", "properties": {"d": {"$ref": None}}}, openapi_30=False)
    assert schema == {"type": "object", "properties": {"d": {}}}


class Chat(BaseModel):
    id: int
    pinned_message: Message | MISSING = MISSING


class Message(BaseModel):
    message_id: int
    chat: Chat
    reply_to_message: Message | MISSING = MISSING


Chat.model_rebuild()

# Telegram's Chat: an optional Message whose required `chat` is a Chat again.
CHAT_SPEC = {
    "components": {
        "schemas": {
            "Chat": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}, "pinned_message": {"$ref": "#/components/schemas/Message"}},
            },
            "Message": {
                "type": "object",
                "required": ["message_id", "chat"],
                "properties": {
                    "message_id": {"type": "integer"},
                    "chat": {"$ref": "#/components/schemas/Chat"},
                    "reply_to_message": {"$ref": "#/components/schemas/Message"},
                },
            },
        }
    }
}


def test_a_recursive_schema_gets_a_valid_body_at_once() -> None:
    schema = to_json_schema(CHAT_SPEC, {"$ref": "#/components/schemas/Chat"}, openapi_30=True)
    body = _Body(schema, Chat)
    started = time.monotonic()
    first = [body.generate(seed, probe=0) for seed in range(8)]
    assert time.monotonic() - started < 2.0
    validator = jsonschema.Draft202012Validator(schema)
    assert all(validator.is_valid(data) and isinstance(value, Chat) for data, value in first)
    assert [body.generate(seed, probe=0)[0] for seed in range(8)] == [data for data, _ in first]


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"},
        {"type": "string", "minLength": 7, "maxLength": 9},
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "uuid"},
        {"type": "integer", "exclusiveMinimum": 5, "maximum": 9, "multipleOf": 4},
        {"type": "number", "minimum": 0.5},
        {"type": "integer", "enum": [3, 7]},
        {"anyOf": [{"type": "null"}, {"type": "string", "minLength": 2}]},
        {"oneOf": [{"type": "integer", "minimum": 1}, {"type": "integer", "maximum": 0}]},
        {"allOf": [{"required": ["a"], "properties": {"a": {"type": "boolean"}}}, {"required": ["b"]}]},
        {"type": "array", "minItems": 2, "uniqueItems": True, "items": {"type": "integer"}},
        {"type": "object", "minProperties": 1, "properties": {"x": {"const": "y"}}},
        {"type": ["null", "object"], "required": ["n"], "properties": {"n": {"type": "array", "items": False}}},
    ],
)
def test_the_minimal_instance_is_valid(schema: dict[str, Any]) -> None:
    value = minimal_instance(schema)
    assert jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).is_valid(value), value
    assert minimal_instance(schema) == value


def test_no_minimal_instance_of_an_unsatisfiable_schema() -> None:
    with pytest.raises(NoMockDataError):
        minimal_instance({"type": "object", "required": ["a"], "properties": {"a": False}})


ERROR_SPEC = """
openapi: 3.0.0
info: {title: Bot, version: "1"}
paths:
  /sendMessage:
    post:
      operationId: sendMessage
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [text], properties: {text: {type: string}}}
      responses:
        "200": {description: Sent., content: {application/json: {schema: {type: object}}}}
        default:
          description: Error.
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
components:
  schemas:
    Error:
      type: object
      required: [ok, error_code, description]
      properties: {ok: {type: boolean}, error_code: {type: integer}, description: {type: string}}
"""


def test_an_error_body_carries_the_message_where_its_schema_has_a_description(tmp_path: Path) -> None:
    # Telegram's Error: the located message is what tells a client (and the corpus triage) what was wrong.
    spec = tmp_path / "spec.yaml"
    spec.write_text(ERROR_SPEC, encoding="utf-8")
    with generated_package(spec) as (api, app_module, handlers_module):
        app = build_mock_app(api, app_module, handlers_module, spec, 0)
        with TestClient(app) as client:
            response = client.post("/sendMessage", json={})
    assert response.status_code == 400
    assert response.json()["description"] == "body.text: Field required"
    assert set(response.json()) >= {"ok", "error_code"}


CACHED_ERROR_SPEC = """
openapi: 3.0.1
info: {title: errors, version: "1"}
paths:
  /things:
    get:
      operationId: list_things
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200": {description: OK}
        4XX: {description: error, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
components:
  schemas:
    Error:
      type: object
      required: [status]
      properties:
        status: {type: string}
        message: {type: string}
        time: {type: number}
"""


def test_error_bodies_are_generated_once_per_status_and_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(CACHED_ERROR_SPEC, encoding="utf-8")
    calls: list[int] = []
    generate = _Body.generate

    def counted(self: _Body, seed: int) -> tuple[Any, Any]:
        calls.append(seed)
        return generate(self, seed)

    monkeypatch.setattr(_Body, "generate", counted)
    with generated_package(spec) as (api, _, _handlers):
        models = importlib.import_module(f"{PACKAGE}.models")
        runtime = importlib.import_module(f"{PACKAGE}.runtime")
        bodies = _ErrorBodies(api, models, yaml.safe_load(CACHED_ERROR_SPEC), True, 1, runtime)
        first = bodies(400, "invalid", "limit: expected an integer")
        again = bodies(400, "invalid", "limit: expected an integer")
        other = bodies(400, "invalid", "another message")
    assert len(calls) == 1  # one generation for (400, "invalid"), whatever the message
    assert first == again and isinstance(first, dict)
    assert other == {**first, "message": "another message"}


def test_the_served_app_is_out_of_the_garbage_collectors_sight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A full collection walking a big spec's mock (Qdrant: 2.6 million objects) stalled every request.
    import uvicorn

    spec = tmp_path / "spec.yaml"
    spec.write_text(CACHED_ERROR_SPEC, encoding="utf-8")
    frozen: list[int] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: frozen.append(gc.get_freeze_count()))
    try:
        serve(spec, "127.0.0.1", 0, 1, announce=lambda line: None)
    finally:
        gc.unfreeze()
    assert len(frozen) == 1 and frozen[0] > 0
