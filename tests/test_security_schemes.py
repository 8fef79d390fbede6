"""Security requirements of each kind as the served app applies and publishes them: a requirement
of one scheme is one dependency (runtime.OneScheme), one of several schemes a function taking any."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from tests.generated_apps import TestClient, recording_client

SPEC = """
openapi: 3.0.3
info: {title: schemes, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, description: A token.}
    basic: {type: http, scheme: basic}
    queryKey: {type: apiKey, in: query, name: key}
    cookieKey: {type: apiKey, in: cookie, name: session}
    headerKey: {type: apiKey, in: header, name: X-Key}
paths:
  /bearer:
    get: {operationId: withBearer, security: [{bearer: []}], responses: {"204": {description: Ok}}}
  /basic:
    get: {operationId: withBasic, security: [{basic: []}], responses: {"204": {description: Ok}}}
  /query:
    get: {operationId: withQueryKey, security: [{queryKey: []}], responses: {"204": {description: Ok}}}
  /cookie:
    get: {operationId: withCookieKey, security: [{cookieKey: []}], responses: {"204": {description: Ok}}}
  /either:
    get:
      operationId: withEither
      security: [{headerKey: []}, {queryKey: []}]
      responses: {"204": {description: Ok}}
"""


@pytest.fixture(scope="module")
def schemes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, list[dict[str, Any]]]]:
    with recording_client(SPEC, tmp_path_factory.mktemp("schemes")) as recording:
        yield recording


def _credentials(received: list[dict[str, Any]]) -> tuple[str, str, str | None]:
    found = received.pop()["credentials"]
    return found.scheme, found.value, found.password


def test_each_kind_hands_its_credentials_to_the_handler(schemes: tuple[TestClient, list[dict[str, Any]]]) -> None:
    client, received = schemes
    basic = base64.b64encode(b"ada:s3cret").decode()
    assert client.get("/bearer", headers={"Authorization": "Bearer t0k"}).status_code == 204
    assert _credentials(received) == ("bearer", "t0k", None)
    assert client.get("/basic", headers={"Authorization": f"Basic {basic}"}).status_code == 204
    assert _credentials(received) == ("basic", "ada", "s3cret")
    assert client.get("/query?key=k1").status_code == 204
    assert _credentials(received) == ("queryKey", "k1", None)
    client.cookies.set("session", "c1")
    assert client.get("/cookie").status_code == 204
    client.cookies.clear()
    assert _credentials(received) == ("cookieKey", "c1", None)
    assert client.get("/either?key=k2").status_code == 204
    assert _credentials(received) == ("queryKey", "k2", None)
    assert client.get("/either", headers={"X-Key": "h1"}).status_code == 204
    assert _credentials(received) == ("headerKey", "h1", None)


@pytest.mark.parametrize(
    ("path", "headers", "challenge"),
    [
        ("/bearer", {}, "Bearer"),
        ("/bearer", {"Authorization": "Basic YTpi"}, "Bearer"),  # another scheme's credential
        ("/bearer", {"Authorization": "Bearer "}, "Bearer"),
        ("/basic", {}, "Basic"),
        ("/query?key=", {}, "Bearer"),
        ("/cookie", {}, "Bearer"),
        ("/either", {}, "Bearer"),
    ],
)
def test_a_request_without_the_credential_is_401_with_a_challenge(
    schemes: tuple[TestClient, list[dict[str, Any]]], path: str, headers: dict[str, str], challenge: str
) -> None:
    client, received = schemes
    received.clear()
    refused = client.get(path, headers=headers)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == challenge
    assert refused.json()["code"] == "unauthorized"
    assert received == []


def test_the_served_document_publishes_every_scheme_and_requirement(
    schemes: tuple[TestClient, list[dict[str, Any]]],
) -> None:
    client, _ = schemes
    served = client.get("/openapi.json").json()
    # A description only where the spec gives one (not "" for the others).
    assert served["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer", "description": "A token."},
        "basic": {"type": "http", "scheme": "basic"},
        "queryKey": {"type": "apiKey", "in": "query", "name": "key"},
        "cookieKey": {"type": "apiKey", "in": "cookie", "name": "session"},
        "headerKey": {"type": "apiKey", "in": "header", "name": "X-Key"},
    }
    security = {path: item["get"]["security"] for path, item in served["paths"].items()}
    assert security == {
        "/bearer": [{"bearer": []}],
        "/basic": [{"basic": []}],
        "/query": [{"queryKey": []}],
        "/cookie": [{"cookieKey": []}],
        "/either": [{"headerKey": []}, {"queryKey": []}],
    }
