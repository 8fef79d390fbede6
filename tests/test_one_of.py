"""`oneOf` in request bodies is exclusive (JSON Schema: valid against exactly one option), which
pydantic's unions are not: they take the first or best match. Readme's
`PATCH /nested-one-of-object-with-nested-one-of`, cut down."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.generated_apps import TestClient, recording_client

SPEC = """
openapi: 3.0.3
info: {title: one-of, version: "1"}
paths:
  /nested:
    patch:
      operationId: patchNested
      requestBody:
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                config:
                  oneOf:
                    - $ref: "#/components/schemas/object1"
                    - $ref: "#/components/schemas/strict"
                    - oneOf: [{type: string}, {type: integer}]
                many:
                  type: array
                  items:
                    oneOf: [{$ref: "#/components/schemas/strict"}, {$ref: "#/components/schemas/other"}]
                public:
                  oneOf: [{type: boolean}, {type: string, enum: ["true", "false"]}]
                pet:
                  oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
                  discriminator: {propertyName: pet_type}
      responses:
        "204": {description: OK}
        "400": {description: Invalid, content: {application/json: {schema: {$ref: "#/components/schemas/error"}}}}
components:
  schemas:
    error: {type: object, required: [message], properties: {message: {type: string}}}
    # Names the exclusivity check's own imports must not collide with (GitHub has `validation-error`).
    validation-error: {type: object, properties: {errors: {type: array, items: {type: string}}}}
    Any: {type: object, properties: {x: {$ref: "#/components/schemas/validation-error"}}}
    TypeAdapter: {type: string}
    object1: {type: object, properties: {a: {type: string}}}
    strict: {type: object, additionalProperties: false, required: [c], properties: {c: {type: string}}}
    other: {type: object, additionalProperties: false, required: [d], properties: {d: {type: string}}}
    Cat: {type: object, required: [pet_type], properties: {pet_type: {type: string}, hunts: {type: boolean}}}
    Dog: {type: object, required: [pet_type], properties: {pet_type: {type: string}, bark: {type: boolean}}}
"""


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, list[dict[str, Any]]]]:
    with recording_client(SPEC, tmp_path_factory.mktemp("one_of")) as recording:
        yield recording


@pytest.mark.parametrize(
    "body",
    [
        {"config": {"a": "x"}},  # object1 only (strict refuses `a`)
        {"config": {}},  # object1 only: `strict` requires c
        {"config": "text"},
        {"config": 3},
        {"many": [{"c": "x"}, {"d": "y"}]},
        {"public": False},
        {"public": "true"},
        {"pet": {"pet_type": "Cat", "hunts": True}},  # Cat and Dog both fit: the discriminator decides
        {},
    ],
)
def test_a_value_of_exactly_one_option_is_accepted(
    recording: tuple[TestClient, list[dict[str, Any]]], body: dict[str, Any]
) -> None:
    client, received = recording
    received.clear()
    answer = client.patch("/nested", json=body)
    assert answer.status_code == 204, answer.text
    assert received[0]["body"].model_dump(mode="json", exclude_unset=True) == body


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"config": {"c": "x"}}, "body.config"),  # object1 (any object) and strict: pydantic took object1
        ({"many": [{"c": "x"}, {"c": "y", "d": "z"}]}, "body.many.1"),  # neither option: refused as before
    ],
)
def test_a_value_of_several_options_is_refused(
    recording: tuple[TestClient, list[dict[str, Any]]], body: dict[str, Any], where: str
) -> None:
    client, _ = recording
    answer = client.patch("/nested", json=body)
    assert answer.status_code == 400, answer.text
    assert where in answer.json()["message"]
