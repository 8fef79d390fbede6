"""Handlers of the `posts` tag.

Created once by apigen as a starting point: this file is yours and is never regenerated.
Wire it into create_app(posts=PostsService, ...)."""

from __future__ import annotations

from typing import Literal

from team_api import handlers, models, runtime
from team_api.handlers import CreatePostResult


class PostsService:
    async def list_posts(
        self, *, limit: int, offset: int, lang: Literal["en", "fr", "de"] | None
    ) -> models.PostPage:
        raise NotImplementedError("listPosts is not implemented yet")

    async def create_post(
        self, *, body: models.PostCreate, credentials: runtime.Credentials
    ) -> CreatePostResult:
        raise NotImplementedError("createPost is not implemented yet")

    async def get_post(self, *, post_id: int) -> models.Post:
        raise NotImplementedError("getPost is not implemented yet")

    async def delete_post(self, *, post_id: int, credentials: runtime.Credentials) -> None:
        raise NotImplementedError("deletePost is not implemented yet")


def _conforms(service: PostsService) -> handlers.PostsHandlers:
    """mypy checks here that the class implements every method of the Protocol."""
    return service
