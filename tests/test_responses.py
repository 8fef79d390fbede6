"""Every declared response is published with its content (focused cases found on real specs)."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator import pipeline
from generator.contract import compare
from tests.test_request_bodies import mock_of

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


NO_SUCCESS = """
openapi: 3.0.3
info: {title: Failures, version: "1"}
paths:
  /status/401:
    post:
      operationId: alwaysUnauthorized
      responses:
        "401": {description: Unauthorized.}
  /teapot:
    get:
      operationId: teapot
      responses:
        "503": {description: Busy.}
        "418":
          description: A teapot.
          content: {application/json: {schema: {type: object, required: [short], properties: {short: {type: boolean}}}}}
  /login:
    get:
      operationId: login
      responses:
        "404": {description: Unknown.}
        "302": {description: To the provider., headers: {Location: {required: true, schema: {type: string}}}}
        default: {description: Error.}
  /anything:
    get:
      operationId: anything
      responses:
        "400": {description: Bad.}
        default:
          description: Any outcome.
          content: {application/json: {schema: {type: object, properties: {ok: {type: boolean}}}}}
"""


def test_an_operation_without_2xx_answers_a_declared_status(tmp_path: Path) -> None:
    # Readme's security spec: POST /status/401 documents only a 401; answering 200 broke its contract.
    spec = tmp_path / "failures.yaml"
    spec.write_text(NO_SUCCESS, encoding="utf-8")
    generated = pipeline.generate(spec, "failures")
    success = {op.operation_id: (op.success.status, op.success.status_code) for op in generated.api.tags[0].operations}
    assert success == {
        "alwaysUnauthorized": ("401", 401),
        "teapot": ("418", 418),  # the lowest declared status
        "login": ("302", 302),  # a redirect before a `default`
        "anything": ("default", None),  # answered 200 with the default response's body
    }
    warned = sorted(w.pointer for w in generated.warnings if "declares no 2XX" in w.message)
    assert warned == [
        f"/paths/{p}/{m}/responses"
        for p, m in (("~1anything", "get"), ("~1login", "get"), ("~1status~1401", "post"), ("~1teapot", "get"))
    ]
    with mock_of(NO_SUCCESS, tmp_path) as client:
        assert client.post("/status/401").status_code == 401
        teapot = client.get("/teapot")
        assert teapot.status_code == 418 and isinstance(teapot.json()["short"], bool)
        login = client.get("/login", follow_redirects=False)
        assert login.status_code == 302 and login.headers["location"]
        anything = client.get("/anything")
        assert anything.status_code == 200 and set(anything.json()) <= {"ok"}
        served = client.get("/openapi.json").json()
    assert compare(yaml.safe_load(NO_SUCCESS), served) == []
    # A header without a description is published without one (not with "").
    assert served["paths"]["/login"]["get"]["responses"]["302"]["headers"] == {
        "Location": {"required": True, "schema": {"type": "string"}}
    }
    # An invented 200 is a difference where the spec leaves the route another status to answer.
    served["paths"]["/status/401"]["post"]["responses"]["200"] = {"description": "OK"}
    served["paths"]["/anything"]["get"]["responses"]["200"] = {"description": "OK"}
    assert compare(yaml.safe_load(NO_SUCCESS), served) == [
        "POST /status/401: responses differs: spec {'401': []}, served {'200': [], '401': []}"
    ]
