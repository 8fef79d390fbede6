"""Connexion 3 (spec-driven runtime validation) serving spec/openapi.yaml with getUser and createPost
over the same in-memory fake. Connexion validates requests against the spec's JSON Schemas;
responses are plain dicts (no models). Runs in its own pinned venv (var/bench/envs/connexion).
Operations the benchmark does not call answer 501.

Connexion 3.3 reads OpenAPI 3.0 only: the spec (3.1) is handed to it mechanically downgraded --
`openapi: 3.0.3`, `type: [X, "null"]` as `nullable: true`, `const` as a one-value `enum`, webhooks
dropped, an event stream's `itemSchema` (OpenAPI 3.2's, which 3.0 refuses) as a plain text `schema`.
The validation rules of getUser and createPost are unchanged by that."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import connexion
import yaml
from connexion.resolver import Resolver

from bench.apps import fake

SPEC = Path(__file__).resolve().parents[2] / "spec" / "openapi.yaml"


def bearer_info(token: str) -> dict[str, Any] | None:
    return {"sub": "bench"} if fake.token_ok(token) else None


def _wire(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        head, *rest = key.split("_")
        name = head + "".join(part.title() for part in rest)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


async def get_user(user_id: int) -> Any:
    found = fake.user(user_id)
    if found is None:
        return {"code": "not_found", "message": "no such user"}, 404
    return _wire(found)


async def create_post(body: dict[str, Any]) -> Any:
    post = fake.add_post(body["authorId"], body["content"])
    if post is None:
        return {"code": "not_found", "message": "no such author"}, 404
    return _wire(post), 201, {"Location": f"/posts/{post['id']}"}


def downgrade(node: Any) -> Any:
    """A 3.1 schema tree as 3.0 spells it (only the constructs spec/openapi.yaml uses)."""
    if isinstance(node, list):
        return [downgrade(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: downgrade(value) for key, value in node.items()}
    kind = out.get("type")
    if isinstance(kind, list):
        rest = [k for k in kind if k != "null"]
        out["type"] = rest[0]
        if "null" in kind:
            out["nullable"] = True
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if "itemSchema" in out:  # a media type of text/event-stream; the benchmark calls no stream
        del out["itemSchema"]
        out["schema"] = {"type": "string"}
    return out


def _not_implemented(*args: object, **kwargs: object) -> Any:
    return {"code": "not_implemented", "message": "not part of the benchmark"}, 501


HANDLERS = {"getUser": get_user, "createPost": create_post}

os.environ.setdefault("BEARERINFO_FUNC", f"{__name__}.bearer_info")
document = downgrade(yaml.safe_load(SPEC.read_text()))
document["openapi"] = "3.0.3"
document.pop("webhooks", None)
app = connexion.AsyncApp(__name__)
app.add_api(
    document,
    resolver=Resolver(
        function_resolver=lambda operation_id: HANDLERS.get(operation_id.rsplit(".", 1)[-1], _not_implemented)
    ),
    pythonic_params=True,
)
