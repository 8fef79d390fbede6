"""Handlers of the `users` tag.

Created once by apigen as a starting point: this file is yours and is never regenerated.
Wire it into create_app(users=UsersService, ...)."""

from __future__ import annotations

from fastapi import UploadFile
from team_api import handlers, models, runtime
from team_api.handlers import CreateUserResult


class UsersService:
    async def list_users(
        self,
        *,
        limit: int,
        offset: int,
        role: models.Role | None,
        x_request_id: str | None,
        credentials: runtime.Credentials,
    ) -> models.UserPage:
        raise NotImplementedError("listUsers is not implemented yet")

    async def create_user(
        self, *, body: models.UserCreate, credentials: runtime.Credentials
    ) -> CreateUserResult:
        raise NotImplementedError("createUser is not implemented yet")

    async def get_user(self, *, user_id: int, credentials: runtime.Credentials) -> models.User:
        raise NotImplementedError("getUser is not implemented yet")

    async def delete_user(self, *, user_id: int, credentials: runtime.Credentials) -> None:
        raise NotImplementedError("deleteUser is not implemented yet")

    async def update_user(
        self, *, user_id: int, body: models.UserUpdate, credentials: runtime.Credentials
    ) -> models.User:
        raise NotImplementedError("updateUser is not implemented yet")

    async def download_avatar(self, *, user_id: int, credentials: runtime.Credentials) -> bytes:
        raise NotImplementedError("downloadAvatar is not implemented yet")

    async def upload_avatar(
        self, *, user_id: int, file: UploadFile, credentials: runtime.Credentials
    ) -> None:
        raise NotImplementedError("uploadAvatar is not implemented yet")


def _conforms(service: UsersService) -> handlers.UsersHandlers:
    """mypy checks here that the class implements every method of the Protocol."""
    return service
