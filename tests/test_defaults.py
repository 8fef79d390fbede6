"""A `default` that breaks its own schema (Hugging Face TGI: `default: 'null'` on an object, `'1024'` on an
integer; refused by default, generated under --lenient) is reported and left out of the models, instead of
failing every request that omits the field."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from generator import pipeline
from generator.loader import load_document
from generator.lower import lower

SPEC = """
openapi: 3.0.3
info: {title: Defaults, version: "1"}
paths: {}
components:
  schemas:
    Grammar:
      oneOf:
        - {type: object, properties: {type: {type: string}}}
    Params:
      type: object
      properties:
        grammar: {allOf: [{$ref: "#/components/schemas/Grammar"}], default: "null", nullable: true}
        max_tokens: {type: integer, default: "1024"}
        stream: {type: boolean, default: false}
        mode: {type: string, enum: [fast, slow], default: fast}
        level: {type: string, enum: [low, high], default: medium}
        seed: {type: integer, nullable: true, default: null}
"""


def _models_module(code: str, name: str) -> types.ModuleType:
    """Generated models.py run as a module (pydantic resolves annotations in the model's module)."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        exec(compile(code, "models.py", "exec"), module.__dict__)  # our own generated code
    finally:
        del sys.modules[name]
    return module


def test_defaults_that_break_their_schema_are_reported_and_dropped(tmp_path: Path) -> None:
    spec = tmp_path / "defaults.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    lowered = lower(load_document(spec), "defaults")
    reported = sorted(w.pointer.rsplit("/", 2)[-2] for w in lowered.warnings if "default" in w.message)
    assert reported == ["grammar", "level", "max_tokens"]
    kept = lowered.model_spec["components"]["schemas"]["Params"]["properties"]
    assert {name for name, schema in kept.items() if "default" in schema} == {"stream", "mode", "seed"}
    models = pipeline.generate(spec, "defaults", lenient=True).files["python/defaults/models.py"]
    assert '"null"' not in models and '"1024"' not in models


DATES = """
openapi: 3.0.3
info: {title: Dates, version: "1"}
paths: {}
components:
  schemas:
    Event:
      type: object
      properties:
        "on (format: date)": {type: string, format: date}
        at: {type: string, format: date-time}
        date: {type: string, format: date}
"""


def test_dates_are_strings_on_the_wire_never_numbers(tmp_path: Path) -> None:
    # Pydantic's lax mode reads 0 as 1970-01-01; JSON Schema's date and date-time are strings.
    spec = tmp_path / "dates.yaml"
    spec.write_text(DATES, encoding="utf-8")
    code = pipeline.generate(spec, "dates").files["python/dates/models.py"]
    assert '"on (format: date)"' in code  # aliases are strings, left alone
    event: Any = _models_module(code, "apigen_dates_models").Event
    assert event.model_validate({"at": "2024-01-02T03:04:05Z", "date": "2024-01-02"})
    for bad in ({"at": 0}, {"date": 0}, {"on (format: date)": 1.5}, {"at": "0"}, {"date": "1700000000"}):
        with pytest.raises(ValidationError):
            event.model_validate(bad)


BOUNDS = """
openapi: 3.1.0
info: {title: Bounds, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        available: {type: integer, format: int32, exclusiveMinimum: 1, exclusiveMaximum: 10}
        count: {type: integer, format: int32}
"""


def test_int32_bounds_are_not_added_beside_exclusive_ones(tmp_path: Path) -> None:
    spec = tmp_path / "bounds.yaml"
    spec.write_text(BOUNDS, encoding="utf-8")
    properties = lower(load_document(spec), "bounds").model_spec["components"]["schemas"]["Pet"]["properties"]
    assert "minimum" not in properties["available"] and "maximum" not in properties["available"]
    assert (properties["count"]["minimum"], properties["count"]["maximum"]) == (-(2**31), 2**31 - 1)


NULLS = """
openapi: 3.0.3
info: {title: Nulls, version: "1"}
paths: {}
components:
  schemas:
    Req:
      type: object
      properties:
        max: {type: integer, default: 5}
        note: {type: string, nullable: true, default: x}
"""


def test_a_default_does_not_make_a_field_nullable(tmp_path: Path) -> None:
    # datamodel-code-generator alone types `max` as `int | None = 5`, accepting a null the schema refuses.
    spec = tmp_path / "nulls.yaml"
    spec.write_text(NULLS, encoding="utf-8")
    code = pipeline.generate(spec, "nulls").files["python/nulls/models.py"]
    req: Any = _models_module(code, "apigen_nulls_models").Req
    assert req.model_validate({}).max == 5
    assert req.model_validate({"note": None}).note is None
    with pytest.raises(ValidationError):
        req.model_validate({"max": None})
