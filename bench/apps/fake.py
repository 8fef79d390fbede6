"""The in-memory fake behind every app of the runtime benchmark: the same data and the same work
for the generated app, the hand-written app and Connexion, so that only the framework layer differs.

Seeded with one user (id 1). TOKEN is the only valid bearer token."""

from __future__ import annotations

import hmac
import itertools
from datetime import UTC, datetime
from typing import Any

TOKEN = "bench-token"
CREATED = datetime(2026, 1, 1, tzinfo=UTC)

USERS: dict[int, dict[str, Any]] = {
    1: {
        "id": 1,
        "username": "ada",
        "email": "ada@example.com",
        "role": "admin",
        "display_name": "Ada",
        "created_at": CREATED,
        "has_avatar": False,
    }
}
POSTS: dict[int, dict[str, Any]] = {}
_ids = itertools.count(1)


def token_ok(token: str | None) -> bool:
    return token is not None and hmac.compare_digest(token.encode(), TOKEN.encode())


def user(user_id: int) -> dict[str, Any] | None:
    return USERS.get(user_id)


def add_post(author_id: int, content: object) -> dict[str, Any] | None:
    """The stored post, or None when the author does not exist. Posts are kept (a bounded run)."""
    if author_id not in USERS:
        return None
    post_id = next(_ids)
    post = {"id": post_id, "author_id": author_id, "content": content, "created_at": datetime.now(UTC)}
    POSTS[post_id] = post
    return post
