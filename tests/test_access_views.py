"""readOnly / writeOnly (found on Bump's Train Travel API: a card's `cvc` is writeOnly and required, yet the
mock answered with it). A request carries no readOnly property and need not; a response carries no
writeOnly property. The response model keeps the schema's name; `XInput` is the request model of a schema
whose views differ."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from generator import pipeline
from generator.contract import compare
from generator.mock import to_json_schema
from generator.views import REQUEST, RESPONSE, view
from tests.test_defaults import _models_module
from tests.test_mock import AUTH
from tests.test_request_bodies import mock_of

SPEC = """
openapi: 3.1.0
info: {title: Accounts, version: "1"}
paths:
  /accounts:
    post:
      operationId: createAccount
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Account"}}}
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Account"}
              example: {id: 7, name: ann, password: secret, card: {number: "4242", cvc: "123"}}
  /accounts/{id}:
    put:
      operationId: replaceAccount
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {allOf: [{$ref: "#/components/schemas/Account"}, {properties: {note: {type: string}}}]}
      responses:
        "200":
          description: Replaced.
          content:
            application/json:
              schema: {allOf: [{$ref: "#/components/schemas/Account"}, {properties: {etag: {type: string}}}]}
components:
  schemas:
    Account:
      type: object
      required: [id, name, password]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        password: {type: string, writeOnly: true}
        card:
          type: object
          required: [number, cvc]
          properties:
            number: {type: string}
            cvc: {type: string, writeOnly: true}
        owner: {$ref: "#/components/schemas/Stamp"}
    Stamp:
      type: object
      readOnly: true
      properties: {at: {type: string}}
"""


def test_view_leaves_out_the_hidden_properties_at_every_depth() -> None:
    schemas = yaml.safe_load(SPEC)["components"]["schemas"]
    prefix = "#/components/schemas/"
    response = view(schemas["Account"], RESPONSE, schemas, prefix)
    assert list(response["properties"]) == ["id", "name", "card", "owner"]
    assert response["required"] == ["id", "name"]
    assert response["properties"]["card"]["required"] == ["number"]
    assert list(response["properties"]["card"]["properties"]) == ["number"]
    request = view(schemas["Account"], REQUEST, schemas, prefix, {prefix + "X": prefix + "XInput"})
    # `owner` refers to a schema that is readOnly as a whole.
    assert list(request["properties"]) == ["name", "password", "card"]
    assert request["required"] == ["name", "password"]
    wrapped = {
        "oneOf": [{"$ref": prefix + "X"}],
        "discriminator": {"propertyName": "k", "mapping": {"x": prefix + "X"}},
    }
    renamed = view(wrapped, REQUEST, schemas, prefix, {prefix + "X": prefix + "XInput"})
    assert renamed == {
        "oneOf": [{"$ref": prefix + "XInput"}],
        "discriminator": {"propertyName": "k", "mapping": {"x": prefix + "XInput"}},
    }
    assert schemas["Account"]["required"] == ["id", "name", "password"]  # the input is not changed


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    spec = tmp_path_factory.mktemp("views") / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    return pipeline.generate(spec, "views").files


def test_request_and_response_models_each_validate_their_view(generated: dict[str, str]) -> None:
    models: Any = _models_module(generated["python/views/models.py"], "apigen_views_models")
    account, account_input = models.Account, models.AccountInput
    assert set(account.model_fields) == {"id", "name", "card", "owner"}
    assert set(account_input.model_fields) == {"name", "password", "card"}
    # A request needs no readOnly id; a response needs no writeOnly password (nor card cvc).
    assert account_input.model_validate({"name": "a", "password": "p", "card": {"number": "1", "cvc": "123"}})
    with pytest.raises(ValidationError):
        account_input.model_validate({"name": "a", "card": {"number": "1", "cvc": "123"}})
    with pytest.raises(ValidationError):
        account_input.model_validate({"name": "a", "password": "p", "card": {"number": "1"}})
    sent = account.model_validate({"id": 1, "name": "a", "password": "p", "card": {"number": "1", "cvc": "123"}})
    assert sent.model_dump(mode="json", exclude_unset=True) == {"id": 1, "name": "a", "card": {"number": "1"}}
    with pytest.raises(ValidationError):
        account.model_validate({"name": "a"})  # the readOnly id is required in responses
    # Inline bodies: the request one refers to the request model, the response one to the response model.
    assert issubclass(models.ReplaceAccountRequest, account_input)
    assert issubclass(models.ReplaceAccountResponse, account)
    router = generated["python/views/routers/default.py"]
    assert "models.AccountInput" in router and "response_model=models.Account," in router


def test_the_mock_never_answers_with_a_writeonly_property(tmp_path: Path) -> None:
    with mock_of(SPEC, tmp_path) as client:
        created = client.post("/accounts", json={"name": "ann", "password": "pw"}, headers=AUTH)
        assert created.status_code == 201, created.text
        assert "password" not in created.json()
        assert "cvc" not in created.json().get("card", {})
        for key in range(5):
            replaced = client.put(f"/accounts/{key}", json={"name": f"n{key}", "password": "pw"}, headers=AUTH)
            assert replaced.status_code == 200, replaced.text
            assert "password" not in replaced.json() and "cvc" not in replaced.json().get("card", {})
        assert client.post("/accounts", json={"name": "ann"}, headers=AUTH).status_code == 422
        assert compare(yaml.safe_load(SPEC), client.get("/openapi.json").json()) == []


def test_the_mock_checks_responses_in_their_view() -> None:
    root = yaml.safe_load(SPEC)
    schema = to_json_schema(root, {"$ref": "#/components/schemas/Account"}, False, hidden=RESPONSE)
    assert schema["properties"]["password"] is False and schema["required"] == ["id", "name"]
    schema = to_json_schema(root, {"$ref": "#/components/schemas/Account"}, False, hidden=REQUEST)
    assert schema["properties"]["id"] is False and schema["required"] == ["name", "password"]
