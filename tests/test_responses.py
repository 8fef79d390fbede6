"""Every declared response is published with its content (focused cases found on real specs)."""

from __future__ import annotations

from pathlib import Path

from generator import pipeline

SPEC = """
openapi: 3.0.3
info: {title: Jobs, version: "1"}
paths:
  /jobs:
    post:
      operationId: startJob
      responses:
        "200":
          description: Done at once.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
        "202":
          description: Accepted, still running.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Ticket"}
components:
  schemas:
    Job: {type: object, properties: {id: {type: string}}}
    Ticket: {type: object, properties: {ticket: {type: string}}}
"""


def test_a_second_success_response_publishes_its_model(tmp_path: Path) -> None:
    spec = tmp_path / "jobs.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    router = pipeline.generate(spec, "jobs").files["python/jobs/routers/default.py"]
    accepted = router[router.index("202: {") :]
    assert '"model": models.Ticket' in accepted[: accepted.index("},")]
    assert "response_model=models.Job" in router
