"""Shapes of Qdrant's spec (OpenAPI 3.0.1) that the generated app got wrong, each cut down to a few lines:
parameters whose schema is an anyOf of scalars, and OpenAPI 3.0's integers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.generated_apps import TestClient, generated_modules, recording_app

SPEC = """
openapi: 3.0.1
info: {title: qdrant shapes, version: "1"}
paths:
  /points/{id}:
    get:
      operationId: get_point
      parameters:
        - {name: id, in: path, required: true, schema: {$ref: "#/components/schemas/ExtendedPointId"}}
        - {name: consistency, in: query, schema: {$ref: "#/components/schemas/ReadConsistency"}}
        - name: shard
          in: query
          schema: {anyOf: [{type: string}, {type: integer, minimum: 0}]}
      responses:
        "200": {description: OK}
        4XX: {description: error, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /shards/delete:
    post:
      operationId: delete_shard_key
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/DropShardingKey"}
      responses:
        "200": {description: OK}
        4XX: {description: error, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
components:
  schemas:
    ExtendedPointId:
      anyOf:
        - {type: integer, format: uint64, minimum: 0}
        - {type: string, format: uuid}
    ReadConsistency:
      anyOf:
        - {type: integer, format: uint, minimum: 1}
        - {$ref: "#/components/schemas/ReadConsistencyType"}
    ReadConsistencyType: {type: string, enum: [majority, quorum, all]}
    ShardKey:
      anyOf:
        - {type: string}
        - {type: integer, format: uint64, minimum: 0}
    DropShardingKey:
      type: object
      required: [shard_key]
      properties:
        shard_key: {$ref: "#/components/schemas/ShardKey"}
    Error:
      type: object
      properties:
        status: {type: string}
"""

_UUID = "550e8400-e29b-41d4-a716-446655440000"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType, ModuleType]]:
    with generated_modules(SPEC, tmp_path_factory.mktemp("qdrant")) as modules:
        yield modules


@pytest.fixture
def app(package: tuple[ModuleType, ModuleType, ModuleType]) -> Iterator[tuple[TestClient, list[dict[str, Any]]]]:
    app_module, handlers_module, _ = package
    with recording_app(app_module, handlers_module) as recorded:
        yield recorded


@pytest.mark.parametrize(
    ("path", "want"),
    [
        ("/points/0", 0),
        ("/points/42", 42),
        (f"/points/{_UUID}", uuid.UUID(_UUID)),
        ("/points/-1", None),  # below the integer member's minimum, and no uuid
        ("/points/1.0", None),
        ("/points/abc", None),
        ("/points/18446744073709551615", 18446744073709551615),  # uint64 is no format apigen bounds
    ],
)
def test_a_path_parameter_that_is_an_integer_or_a_uuid(
    app: tuple[TestClient, list[dict[str, Any]]], path: str, want: object
) -> None:
    client, received = app
    response = client.get(path)
    if want is None:
        assert response.status_code == 400, response.text
        assert not received
    else:
        assert response.status_code == 200, response.text
        assert received == [{"id_": want, "consistency": None, "shard": None}]


@pytest.mark.parametrize(
    ("query", "want"),
    [
        ("consistency=1", 1),
        ("consistency=majority", "majority"),
        ("consistency=0", None),  # below the minimum of the integer member
        ("consistency=most", None),  # not in the enum
        ("consistency=2&consistency=%C2%B5", None),  # the last of repeated values counts
        ("shard=0", "0"),  # both members (a string, an integer >= 0) take the text: the string is exact
        ("shard=region_1", "region_1"),
    ],
)
def test_query_parameters_that_are_unions_of_scalars(
    app: tuple[TestClient, list[dict[str, Any]]], query: str, want: object
) -> None:
    client, received = app
    response = client.get(f"/points/7?{query}")
    if want is None:
        assert response.status_code == 400, response.text
        assert "consistency" in response.text
        return
    assert response.status_code == 200, response.text
    [args] = received
    assert args[query.split("=")[0]] == want


def test_handlers_receive_the_union_type(package: tuple[ModuleType, ModuleType, ModuleType]) -> None:
    _, handlers_module, _ = package
    source = Path(str(handlers_module.__file__)).read_text(encoding="utf-8")
    assert "id_: int | uuid.UUID" in source
    assert "consistency: int | models.ReadConsistencyType | None" in source


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ('{"shard_key": "region_1"}', 200),
        ('{"shard_key": 12}', 200),
        # OpenAPI 3.0.3 (Data Types): an integer is "a JSON number without a fraction or exponent part".
        ('{"shard_key": 12.0}', 400),
        ('{"shard_key": 3.8780451391324776e+16}', 400),
        ('{"shard_key": 1e2}', 400),
        ('{"shard_key": -1}', 400),
    ],
)
def test_openapi_30_integers_have_no_fraction_or_exponent(
    app: tuple[TestClient, list[dict[str, Any]]], body: str, status: int
) -> None:
    client, _ = app
    response = client.post("/shards/delete", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status, response.text
