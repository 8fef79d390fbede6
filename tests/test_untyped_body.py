"""A request body schema that sets no `type` and constrains objects only (`properties`, `required`):
JSON Schema accepts any other JSON value for it, and so does the generated app (GitHub's
`PATCH /orgs/{org}/secret-scanning/custom-patterns/{pattern_id}`, where schemathesis sent numbers).
The mock's answers to such bodies are in tests/test_github_shapes.py."""

from __future__ import annotations

from pathlib import Path

from generator import pipeline
from tests.generated_apps import recording_client

UNTYPED = """
openapi: 3.0.3
info: {title: untyped, version: "1"}
paths:
  /patterns:
    patch:
      operationId: updatePattern
      requestBody:
        required: true
        content:
          application/json:
            schema: {required: [name], properties: {name: {type: string}}}
      responses:
        "204": {description: Updated}
"""


def test_a_non_object_body_reaches_the_handler_as_sent_and_is_warned_about(tmp_path: Path) -> None:
    with recording_client(UNTYPED, tmp_path) as (client, received):
        for value in (b"1.5", b'[1, "a"]', b'"text"', b"null"):
            sent = client.patch("/patterns", content=value, headers={"Content-Type": "application/json"})
            assert sent.status_code == 204
        assert client.patch("/patterns", json={"name": "n"}).status_code == 204
        assert client.patch("/patterns", json={}).status_code == 422
    assert [r["body"] for r in received[:4]] == [1.5, [1, "a"], "text", None]
    assert received[4]["body"].name == "n"
    warned = [(w.pointer, w.message) for w in pipeline.generate(tmp_path / "spec.yaml", "untyped_api").warnings]
    located = [p for p, m in warned if "sets no `type`" in m and "add `type: object`" in m]
    assert located == ["/paths/~1patterns/patch/requestBody/content/application~1json/schema"], warned
