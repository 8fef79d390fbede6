"""Server-Sent Events from specs: how each documented form is lowered (given/want), located warnings
for what is not understood, the mock server's streams, and the SSE corpus spec (Hugging Face TGI,
`schema` form, needs --lenient) generating streaming routes and a streaming client."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from team_api import models

from generator import pipeline
from generator.ir import EventType, Operation
from generator.loader import load_document
from generator.lower import lower
from generator.mock import to_json_schema
from tests.paths import REPO, SPEC
from tests.test_mock import AUTH, CORPUS, running_mock

TGI = CORPUS / "hf-tgi.json"


def lowered(tmp_path: Path, content: dict[str, Any]) -> tuple[Operation, list[str]]:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/s": {
                "get": {
                    "operationId": "streamThings",
                    "responses": {"200": {"description": "events", "content": content}},
                }
            }
        },
        "components": {"schemas": {"Tick": {"type": "object", "properties": {"n": {"type": "integer"}}}}},
    }
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    result = lower(load_document(path), "pkg")
    op = result.api.tags[0].operations[0]
    return op, [w.message for w in result.warnings]


def kinds(op: Operation) -> list[tuple[str, str, bool]]:
    assert op.events is not None
    return [(t.name, t.py_type, t.text) for t in op.events.types]


JSON_DATA = {
    "type": "string",
    "contentMediaType": "application/json",
    "contentSchema": {"$ref": "#/components/schemas/Tick"},
}


@pytest.mark.parametrize(
    ("content", "want"),
    [
        ({"text/event-stream": {"schema": {"type": "string"}}}, [("", "str", True)]),
        ({"text/event-stream": {"schema": {"$ref": "#/components/schemas/Tick"}}}, [("", "models.Tick", False)]),
        (
            {"text/event-stream": {"itemSchema": {"type": "object", "properties": {"data": JSON_DATA}}}},
            [("", "models.Tick", False)],
        ),
        (
            {
                "text/event-stream": {
                    "itemSchema": {
                        "oneOf": [
                            {"properties": {"event": {"const": "tick"}, "data": JSON_DATA}},
                            {"properties": {"event": {"enum": ["note"]}, "data": {"type": "string"}}},
                        ]
                    }
                }
            },
            [("tick", "models.Tick", False), ("note", "str", True)],
        ),
    ],
    ids=["schema string", "schema model", "itemSchema", "itemSchema oneOf named"],
)
def test_event_stream_forms(tmp_path: Path, content: dict[str, Any], want: list[tuple[str, str, bool]]) -> None:
    op, warnings = lowered(tmp_path, content)
    assert kinds(op) == want
    assert op.success.kind == "events"
    assert op.events is not None and not op.events.negotiated
    assert op.handler_return == f"runtime.Events[{' | '.join(dict.fromkeys(k[1] for k in want))}]"
    assert [a.py_name for a in op.handler_args] == ["last_event_id"]
    assert warnings == []


def test_json_beside_events_is_negotiated(tmp_path: Path) -> None:
    op, warnings = lowered(
        tmp_path,
        {
            "application/json": {"schema": {"$ref": "#/components/schemas/Tick"}},
            "text/event-stream": {"schema": {"$ref": "#/components/schemas/Tick"}},
        },
    )
    assert op.events is not None and op.events.negotiated
    assert op.success.kind == "json"
    assert op.handler_return == "models.Tick | runtime.Events[models.Tick]"
    assert [a.py_name for a in op.handler_args] == ["last_event_id", "media_type"]
    assert warnings == []


def test_what_is_not_understood_gets_a_located_warning(tmp_path: Path) -> None:
    op, warnings = lowered(
        tmp_path,
        {
            "text/event-stream": {
                "itemSchema": {"oneOf": [{"properties": {"event": {"const": "x"}}}, {"properties": {}}]}
            }
        },
    )
    assert kinds(op) == [("x", "str", True), ("", "str", True)]
    assert len(warnings) == 2 and all("without a `data` property" in w for w in warnings)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(tmp_path / "spec.yaml")],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr  # itemSchema is accepted in a 3.1 document


def test_event_type_tables_are_plain_ir() -> None:
    op = next(o for g in lower(load_document(SPEC), "team_api").api.tags for o in g.operations if o.events)
    assert op.events is not None
    assert op.events.types[0] == EventType(
        "token",
        "models.ChatToken",
        "ChatToken",
        False,
        "#/paths/~1chat~1completions/post/responses/200/content/text~1event-stream/itemSchema/oneOf/0/properties/data/contentSchema",
    )


# -- the mock server ----------------------------------------------------------------------------------


def parse(text: str) -> list[dict[str, str]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n") if not line.startswith(":"))
        if fields:
            events.append(fields)
    return events


def test_mock_streams_schema_valid_events_and_negotiates() -> None:
    with running_mock(SPEC) as url, httpx.Client(base_url=url, timeout=10.0) as client:
        body = {"prompt": "hi"}
        streamed = client.post("/chat/completions", json=body, headers={**AUTH, "Accept": "text/event-stream"})
        assert streamed.status_code == 200, streamed.text
        assert streamed.headers["content-type"].startswith("text/event-stream")
        events = parse(streamed.text)
        assert [e["event"] for e in events] == ["token", "usage", "token"]
        assert [e["id"] for e in events] == ["0", "1", "2"]
        models.ChatToken.model_validate_json(events[0]["data"])
        models.ChatUsage.model_validate_json(events[1]["data"])
        answered = client.post("/chat/completions", json=body, headers=AUTH)
        assert answered.headers["content-type"] == "application/json"
        models.ChatCompletion.model_validate(answered.json())


# -- the SSE corpus spec ------------------------------------------------------------------------------


def test_tgi_generates_streaming_routes_and_client() -> None:
    if not TGI.is_file():
        pytest.fail(f"corpus spec {TGI} is missing")
    generated = pipeline.generate(TGI, "tgi", lenient=True)
    ops = {op.operation_id: op for group in generated.api.tags for op in group.operations}
    stream = ops["generate_stream"]
    assert stream.events is not None and not stream.events.negotiated
    assert [(t.name, t.py_type, t.text) for t in stream.events.types] == [("", "models.StreamResponse", False)]
    negotiated = [name for name, op in ops.items() if op.events is not None and op.events.negotiated]
    assert sorted(negotiated) == ["chat_completions", "compat_generate", "completions", "sagemaker_compatibility"]
    routers = "".join(text for path, text in generated.files.items() if "/routers/" in path)
    assert "runtime.event_stream(" in routers and "runtime.negotiate(" in routers
    operations = generated.files["typescript/src/operations.ts"]
    assert (
        "export const generateStream = /* @__PURE__ */ $sse.stream<GenerateStreamParams, GenerateStreamEvent>("
        in operations
    )
    assert "$sse.negotiated<ChatCompletionsParams, ChatCompletionsResult, ChatCompletionsEvent>(" in operations
    assert "typescript/src/sse.ts" in generated.files


def test_tgi_mock_streams_events_valid_for_the_spec() -> None:
    document = json.loads(TGI.read_text(encoding="utf-8"))
    # OpenAPI 3.0 (`nullable`) as JSON Schema, the way the mock reads the spec.
    validator = jsonschema.Draft202012Validator(
        to_json_schema(document, {"$ref": "#/components/schemas/StreamResponse"}, openapi_30=True)
    )
    with running_mock(TGI, lenient=True) as url, httpx.Client(base_url=url, timeout=10.0) as client:
        response = client.post("/generate_stream", json={"inputs": "Hello"})
        assert response.status_code == 200, response.text
        events = parse(response.text)
        assert len(events) == 3
        for event in events:
            assert "event" not in event
            validator.validate(json.loads(event["data"]))


def test_a_client_without_streaming_operations_has_no_sse_module(tmp_path: Path) -> None:
    spec = tmp_path / "plain.yaml"
    spec.write_text(
        textwrap.dedent(
            """\
            openapi: 3.1.0
            info: {title: plain, version: "1"}
            paths:
              /x:
                get:
                  operationId: getX
                  responses:
                    "200": {description: ok, content: {application/json: {schema: {type: string}}}}
            """
        ),
        encoding="utf-8",
    )
    files = pipeline.generate(spec, "plain").files
    assert "typescript/src/sse.ts" not in files
    assert "sse" not in files["typescript/src/operations.ts"] + files["typescript/src/index.ts"]
    assert "keepalive_seconds" not in files["python/plain/app.py"]
