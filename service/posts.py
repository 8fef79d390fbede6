"""Handlers of the `posts` tag."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Literal

from fastapi import Depends
from team_api import handlers, models, runtime
from team_api.handlers import CreatePostResult

from service.auth import authenticate
from service.db import from_text, get_db, now, to_text, transaction


def _not_found(what: str) -> runtime.ApiError:
    return runtime.ApiError(404, models.Error(code="not_found", message=f"no such {what}"))


def post_from_row(row: sqlite3.Row) -> models.Post:
    return models.Post(
        id=row["id"],
        author_id=row["author_id"],
        content=models.PostContent.model_validate_json(row["content"]),
        created_at=from_text(row["created_at"]),
    )


class PostsService:
    def __init__(self, db: Annotated[sqlite3.Connection, Depends(get_db)]) -> None:
        self.db = db

    async def list_posts(self, *, limit: int, offset: int, lang: Literal["en", "fr", "de"] | None) -> models.PostPage:
        # `lang` is the reader's preference; posts carry no language, so every post is listed.
        total = self.db.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
        rows = self.db.execute(
            "SELECT id, author_id, content, created_at FROM posts ORDER BY id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return models.PostPage(items=[post_from_row(row) for row in rows], total=total, limit=limit, offset=offset)

    async def create_post(self, *, body: models.PostCreate, credentials: runtime.Credentials) -> CreatePostResult:
        authenticate(self.db, credentials)
        content = body.content.model_dump_json(by_alias=True)
        with transaction(self.db):
            author = self.db.execute("SELECT 1 FROM users WHERE id = ?", (body.author_id,)).fetchone()
            if author is None:
                raise _not_found("author")
            cursor = self.db.execute(
                "INSERT INTO posts (author_id, content, created_at) VALUES (?, ?, ?)",
                (body.author_id, content, to_text(now())),
            )
        post_id = cursor.lastrowid
        assert post_id is not None
        return CreatePostResult(body=self._fetch(post_id), location=f"/posts/{post_id}")

    def _fetch(self, post_id: int) -> models.Post:
        row = self.db.execute(
            "SELECT id, author_id, content, created_at FROM posts WHERE id = ?", (post_id,)
        ).fetchone()
        if row is None:
            raise _not_found("post")
        return post_from_row(row)

    async def get_post(self, *, post_id: int) -> models.Post:
        return self._fetch(post_id)

    async def delete_post(self, *, post_id: int, credentials: runtime.Credentials) -> None:
        authenticate(self.db, credentials)
        with transaction(self.db):
            deleted = self.db.execute("DELETE FROM posts WHERE id = ?", (post_id,)).rowcount
        if not deleted:
            raise _not_found("post")


def _conforms(service: PostsService) -> handlers.PostsHandlers:
    """mypy checks here that the class implements every method of the Protocol."""
    return service
