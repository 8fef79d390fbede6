"""How the generated app places its routes: a request meets the real routes before the 405
fallbacks that cannot change its answer, and is answered as the spec says whatever the order
(a concrete path before a templated one, 405 with every method of the path)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.routing import Route

from generator.lower import route_precedence
from tests.generated_apps import TestClient, recording_client

SPEC = """
openapi: 3.0.3
info: {title: routing, version: "1"}
paths:
  /pets:
    get: {operationId: listPets, responses: {"204": {description: Listed}}}
    post: {operationId: addPet, responses: {"204": {description: Added}}}
  /pets/findByStatus:
    get: {operationId: findPets, responses: {"204": {description: Found}}}
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    get: {operationId: getPet, responses: {"204": {description: Found}}}
    post: {operationId: updatePet, responses: {"204": {description: Updated}}}
    delete: {operationId: deletePet, responses: {"204": {description: Deleted}}}
  /stores/{storeId}/orders:
    parameters:
      - {name: storeId, in: path, required: true, schema: {type: string}}
    get: {operationId: listOrders, responses: {"204": {description: Listed}}}
"""


@pytest.fixture(scope="module")
def routing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, list[dict[str, Any]]]]:
    with recording_client(SPEC, tmp_path_factory.mktemp("routing")) as recording:
        yield recording


@pytest.mark.parametrize(
    ("given", "want"),
    [
        # the spec's order where paths cannot match one same URL
        (["/users", "/users/{id}", "/posts", "/auth"], ["/users", "/users/{id}", "/posts", "/auth"]),
        # a literal segment before a templated one, wherever the spec has it
        (["/users/{id}", "/users/me", "/users"], ["/users", "/users/me", "/users/{id}"]),
        (["/{a}/b", "/a/{b}"], ["/a/{b}", "/{a}/b"]),
        (["/pets/{id}/x", "/pets/{id}", "/pets/mine/x"], ["/pets/mine/x", "/pets/{id}", "/pets/{id}/x"]),
        # literal siblings in the order their prefix first appears in the spec
        (["/b/x", "/a", "/b", "/b/{id}", "/a/y"], ["/b", "/b/x", "/b/{id}", "/a", "/a/y"]),
    ],
)
def test_route_precedence(given: list[str], want: list[str]) -> None:
    assert route_precedence(given) == want


def _fallback(route: object) -> bool:
    return isinstance(route, Route) and getattr(route.endpoint, "__name__", "") == "not_allowed"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/pets/findByStatus", "GET"),  # not the templated POST /pets/{petId}
        ("PUT", "/pets/7", "DELETE, GET, POST"),
        ("DELETE", "/pets", "GET, POST"),
        ("PATCH", "/stores/1/orders", "GET"),
        ("PUT", "/pets/a%2Fb", "DELETE, GET, POST"),  # routed on its segments
    ],
)
def test_a_method_the_path_lacks_is_405_with_every_method_of_the_path(
    routing: tuple[TestClient, list[dict[str, Any]]], method: str, path: str, allow: str
) -> None:
    client, _ = routing
    refused = client.request(method, path)
    assert refused.status_code == 405
    assert refused.headers["Allow"] == allow


def test_the_methods_a_path_has_reach_their_handlers(routing: tuple[TestClient, list[dict[str, Any]]]) -> None:
    client, received = routing
    received.clear()
    assert client.get("/pets/findByStatus").status_code == 204
    assert client.post("/pets/findByStatus%2Fx").status_code == 204  # one segment: a petId
    assert client.delete("/pets/7").status_code == 204
    assert client.get("/stores/s1/orders").status_code == 204
    assert received == [{}, {"pet_id": "findByStatus/x"}, {"pet_id": "7"}, {"store_id": "s1"}]


def test_fallbacks_come_after_the_routes_unless_a_later_route_may_match_their_path(
    routing: tuple[TestClient, list[dict[str, Any]]],
) -> None:
    client, _ = routing
    routes = [r for r in client.app.router.routes if isinstance(r, Route)]  # type: ignore[attr-defined]
    fallbacks = [r.path for r in routes if _fallback(r)]
    first_fallback = next(i for i, r in enumerate(routes) if _fallback(r))
    # /pets/findByStatus keeps its fallback before /pets/{petId}: POST must not reach updatePet.
    later = [r.path for r in routes[first_fallback:] if not _fallback(r)]
    assert later == ["/pets/{petId}"] * 3 + ["/stores/{storeId}/orders"]
    assert fallbacks == ["/pets/findByStatus", "/pets", "/pets/{petId}", "/stores/{storeId}/orders"]


def test_a_route_added_after_create_app_is_routed_on_segments_too(tmp_path: Any) -> None:
    with recording_client(SPEC, tmp_path) as (client, _):
        names: list[str] = []

        async def extra(name: str) -> dict[str, str]:
            names.append(name)
            return {}

        client.app.add_api_route("/extra/{name}", extra)  # type: ignore[attr-defined]
        assert client.get("/extra/a%2Fb").status_code == 200
        assert client.get("/extra/plain").status_code == 200
        assert client.get("/extra/a/b").status_code == 404
        assert names == ["a/b", "plain"]
