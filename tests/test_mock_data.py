"""The mock's data generation on schemas found in real specs (Swagger petstore 3.1)."""

from __future__ import annotations

from typing import Annotated

from pydantic import MISSING, BaseModel, Field

from generator.mock import _Body, to_json_schema


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
