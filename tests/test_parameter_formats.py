"""Formats of string parameters that the app checks (the models check the same formats in bodies)."""

from __future__ import annotations

from pathlib import Path

from tests.test_request_bodies import mock_of

URI_SPEC = """
openapi: 3.0.3
info: {title: Callbacks, version: "1"}
paths:
  /streams:
    post:
      operationId: subscribe
      parameters:
        - {name: callbackUrl, in: query, required: true, schema: {type: string, format: uri, maxLength: 40}}
      responses:
        "201": {description: Subscribed.}
        "422": {description: Invalid.}
"""


def test_a_uri_parameter_must_be_an_absolute_uri(tmp_path: Path) -> None:
    # The OAI callback example: `callbackUrl` (format: uri) was accepted empty.
    with mock_of(URI_SPEC, tmp_path) as mock:
        for good in ("https://example.com/hook?x=1", "urn:isbn:0451450523"):
            assert mock.post("/streams", params={"callbackUrl": good}).status_code == 201, good
        for bad in ("", "not a uri", "/relative/path", "https://example.com/" + "x" * 40):
            response = mock.post("/streams", params={"callbackUrl": bad})
            assert response.status_code == 422, (bad, response.text)
