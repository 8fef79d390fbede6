"""A text or binary request body whose schema is a constrained string is checked as text before the
handler sees it: `format: byte` (base64 characters, as the models check it), length, pattern, enum.
`format: binary`, an unconstrained string and `format: base64` (an annotation, as for the models and
schemathesis: Spotify's `PUT /playlists/{playlist_id}/images`) take any bytes / any text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.generated_apps import TestClient, recording_client

SPEC = """
openapi: 3.0.3
info: {title: string bodies, version: "1"}
paths:
  /images:
    put:
      operationId: putImage
      requestBody:
        required: true
        content:
          image/jpeg: {schema: {type: string, format: byte, maxLength: 8}}
      responses:
        "202": {description: Accepted}
  /covers:
    put:
      operationId: putCover
      requestBody:
        required: true
        content:
          image/jpeg: {schema: {type: string, format: base64}}
      responses:
        "202": {description: Accepted}
  /codes:
    post:
      operationId: postCode
      requestBody:
        content:
          text/plain: {schema: {type: string, pattern: "^\\\\d+$", minLength: 2}}
      responses:
        "204": {description: Stored}
  /colours:
    post:
      operationId: postColour
      requestBody:
        required: true
        content:
          text/plain: {schema: {type: string, enum: [red, green]}}
      responses:
        "204": {description: Stored}
  /files:
    post:
      operationId: postFile
      requestBody:
        required: true
        content:
          application/octet-stream: {schema: {type: string, format: binary, maxLength: 2}}
      responses:
        "204": {description: Stored}
"""


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, list[dict[str, Any]]]]:
    with recording_client(SPEC, tmp_path_factory.mktemp("string_bodies")) as recording:
        yield recording


def _send(client: TestClient, method: str, path: str, body: bytes, media_type: str) -> tuple[int, str]:
    answer = client.request(method, path, content=body, headers={"Content-Type": media_type})
    return answer.status_code, answer.text


@pytest.mark.parametrize(
    ("method", "path", "media_type", "body", "status", "received"),
    [
        ("PUT", "/images", "image/jpeg", b"null", 202, b"null"),  # valid base64
        ("PUT", "/images", "image/jpeg", b"AA==", 202, b"AA=="),
        ("PUT", "/images", "image/jpeg", b"!!!!", 422, "body is not base64"),
        ("PUT", "/images", "image/jpeg", b"AAA", 422, "body is not base64"),  # padding
        ("PUT", "/images", "image/jpeg", b"AAAAAAAAAAAA", 422, "at most 8 characters"),
        ("PUT", "/images", "image/jpeg", b"\xff\xd8", 422, "not UTF-8"),
        ("PUT", "/covers", "image/jpeg", "ø£".encode(), 202, "ø£".encode()),  # base64: an annotation
        ("POST", "/codes", "text/plain", b"42", 204, "42"),
        ("POST", "/codes", "text/plain", b"4", 422, "at least 2 characters"),
        ("POST", "/codes", "text/plain", b"4x", 422, "should match pattern"),
        ("POST", "/codes", "text/plain", "٤٢".encode(), 422, "should match pattern"),  # ECMA \\d is ASCII
        ("POST", "/colours", "text/plain", b"red", 204, "red"),
        ("POST", "/colours", "text/plain", b"blue", 422, "one of 'red', 'green'"),
        ("POST", "/files", "application/octet-stream", b"\xff\xd8\x00", 204, b"\xff\xd8\x00"),  # binary: any bytes
    ],
)
def test_a_string_body_is_checked_as_text(
    recording: tuple[TestClient, list[dict[str, Any]]],
    method: str,
    path: str,
    media_type: str,
    body: bytes,
    status: int,
    received: bytes | str,
) -> None:
    client, calls = recording
    calls.clear()
    answered, text = _send(client, method, path, body, media_type)
    assert answered == status, text
    if status < 300:
        assert [call["body"] for call in calls] == [received]
    else:
        assert calls == [] and isinstance(received, str) and received in text


def test_an_optional_constrained_text_body_may_be_absent(recording: tuple[TestClient, list[dict[str, Any]]]) -> None:
    client, calls = recording
    calls.clear()
    assert client.post("/codes").status_code == 204
    assert [call["body"] for call in calls] == [None]
    assert client.put("/images").status_code == 422  # required
