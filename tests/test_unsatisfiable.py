"""A schema no value satisfies (Readme's `allOf: [{type: string}, {type: integer}]`, whose generated
model took `{}`) gives a model that refuses every value, and a located warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from generator import pipeline
from generator.unsatisfiable import reason
from tests.test_defaults import _models_module

COMPONENTS = {
    "Text": {"type": "string"},
    "Count": {"type": "integer"},
    "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
}


def _deref(node: Any) -> Any:
    return COMPONENTS[node["$ref"].rsplit("/", 1)[-1]]


REF_COUNT = {"$ref": "#/components/schemas/Count"}
REF_PET = {"$ref": "#/components/schemas/Pet"}


NO_COMMON = "its allOf admits no common JSON type"
NULL_OR_TEXT = {"type": ["string", "null"]}


@pytest.mark.parametrize(
    ("schema", "want"),
    [
        ({"allOf": [{"type": "string"}, {"type": "integer"}]}, f"{NO_COMMON} (string and integer)"),
        ({"type": "string", "allOf": [REF_COUNT]}, f"{NO_COMMON} (string and integer)"),
        ({"allOf": [{"allOf": [{"type": "boolean"}]}, NULL_OR_TEXT]}, f"{NO_COMMON} (boolean and null or string)"),
        ({"type": "string", "enum": []}, "its enum is empty"),
        # Satisfiable: integers are numbers; nullable beside a $ref; members without a type.
        ({"allOf": [{"type": "number"}, REF_COUNT]}, None),
        ({"nullable": True, "allOf": [REF_PET]}, None),
        ({"allOf": [{"type": "object", "nullable": True}, {"type": "null"}]}, None),
        ({"allOf": [REF_PET, {"properties": {"age": {"type": "integer"}}}]}, None),
        ({"allOf": [{"type": "string"}, {"minLength": 2}]}, None),
        ({"type": "string"}, None),
    ],
)  # fmt: skip
def test_reason(schema: dict[str, Any], want: str | None) -> None:
    assert reason(schema, _deref) == want


SPEC = """
openapi: 3.1.0
info: {title: Quirks, version: "1"}
paths:
  /quirks:
    put:
      operationId: entirelyIncompatible
      requestBody:
        required: true
        content:
          application/json:
            schema: {description: Nothing fits., allOf: [{type: string}, {type: integer}]}
      responses:
        "204": {description: Never.}
    post:
      operationId: nestedIncompatible
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                incompatible: {allOf: [{type: string}, {$ref: "#/components/schemas/Count"}]}
                name: {type: string}
      responses:
        "204": {description: Stored.}
components:
  schemas:
    Count: {type: integer}
"""


def test_the_model_refuses_every_value_and_the_spec_is_told(tmp_path: Path) -> None:
    spec = tmp_path / "quirks.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    generated = pipeline.generate(spec, "quirks")
    warnings = [(w.line, w.pointer, w.message) for w in generated.warnings if "no value satisfies" in w.message]
    ending = "its allOf admits no common JSON type (string and integer); the generated model refuses every value"
    body = "/paths/~1quirks/{}/requestBody/content/application~1json/schema"
    assert warnings == [
        (12, body.format("put"), f"no value satisfies this schema: {ending}"),
        (24, body.format("post") + "/properties/incompatible", f"no value satisfies this schema: {ending}"),
    ]
    models: Any = _models_module(generated.files["python/quirks/models.py"], "apigen_quirks_models")
    values: tuple[Any, ...] = ({}, "a", 1, None, [], {"incompatible": 1})
    for value in values:
        with pytest.raises(ValidationError, match="no value satisfies this schema"):
            models.EntirelyIncompatibleRequest.model_validate(value)
    nested = models.NestedIncompatibleRequest
    assert nested.model_validate({"name": "a"}).name == "a"  # an optional property may be left out
    for value in ("a", 1, {}, None):
        with pytest.raises(ValidationError):
            nested.model_validate({"incompatible": value})
