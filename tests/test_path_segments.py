"""Routing by path segments as sent: a percent-encoded `/` inside a segment (GitHub's `{ref}`,
`refs%2Fheads%2FfeatureA`) belongs to that segment's parameter (RFC 3986 §2.2: reserved characters
encoded in a segment are data)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.generated_apps import TestClient, recording_client

ROUTING_SPEC = """
openapi: 3.0.3
info: {title: refs, version: "1"}
paths:
  /repos/{owner}/git/refs/{ref}:
    parameters:
      - {name: owner, in: path, required: true, schema: {type: string}}
      - {name: ref, in: path, required: true, schema: {type: string}}
    patch:
      operationId: git/update-ref
      responses:
        "204": {description: Updated}
    delete:
      operationId: git/delete-ref
      responses:
        "204": {description: Deleted}
  /repos/{owner}/git/refs:
    parameters:
      - {name: owner, in: path, required: true, schema: {type: string}}
    get:
      operationId: git/list-refs
      responses:
        "204": {description: Listed}
  /teams/{enterprise-team}/refs/{ref}:
    get:
      operationId: teams/get-ref
      parameters:
        - {name: enterprise-team, in: path, required: true, schema: {type: string}}
        - {name: ref, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: Found}
"""


@pytest.fixture(scope="module")
def routing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, list[dict[str, Any]]]]:
    with recording_client(ROUTING_SPEC, tmp_path_factory.mktemp("routing")) as recording:
        yield recording


def test_an_encoded_slash_stays_inside_its_path_segment(routing: tuple[TestClient, list[dict[str, Any]]]) -> None:
    # GitHub's `{ref}` is `refs/heads/featureA`, sent as one segment: Starlette routed the decoded
    # path, in which it had become three segments (a 404).
    client, received = routing
    received.clear()
    assert client.patch("/repos/octo/git/refs/refs%2Fheads%2FfeatureA").status_code == 204
    assert client.delete("/repos/oc%2fto/git/refs/heads%2Fa%20b").status_code == 204
    assert client.get("/teams/the%2Fteam/refs/refs%2Ftags%2Fv1").status_code == 204
    assert [(r.get("owner", r.get("enterprise_team")), r["ref"]) for r in received] == [
        ("octo", "refs/heads/featureA"),
        ("oc/to", "heads/a b"),
        ("the/team", "refs/tags/v1"),
    ]


def test_a_real_slash_still_separates_segments(routing: tuple[TestClient, list[dict[str, Any]]]) -> None:
    client, received = routing
    received.clear()
    assert client.patch("/repos/octo/git/refs/refs/heads").status_code == 404
    assert client.get("/repos/octo%2Fgit/refs").status_code == 404  # not `/repos/{owner}/git/refs`
    assert client.get("/repos/octo/git/refs").status_code == 204
    refused = client.get("/repos/octo/git/refs/refs%2Fheads")
    assert refused.status_code == 405
    assert refused.headers["Allow"] == "DELETE, PATCH"
    assert received == [{"owner": "octo"}]
