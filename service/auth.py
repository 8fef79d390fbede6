"""Handlers of the `auth` tag.

Created once by apigen as a starting point: this file is yours and is never regenerated.
Wire it into create_app(auth=AuthService, ...)."""

from __future__ import annotations

from team_api import handlers, models


class AuthService:
    async def login(self, *, body: models.LoginForm) -> models.Token:
        raise NotImplementedError("login is not implemented yet")


def _conforms(service: AuthService) -> handlers.AuthHandlers:
    """mypy checks here that the class implements every method of the Protocol."""
    return service
