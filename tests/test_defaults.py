"""A `default` that breaks its own schema (Hugging Face TGI: `default: 'null'` on an object, `'1024'` on an
integer; refused by default, generated under --lenient) is reported and left out of the models, instead of
failing every request that omits the field."""

from __future__ import annotations

from pathlib import Path

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
