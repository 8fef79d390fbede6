"""Handlers of the `system` tag.

Created once by apigen as a starting point: this file is yours and is never regenerated.
Wire it into create_app(system=SystemService, ...)."""

from __future__ import annotations

from team_api import handlers, models


class SystemService:
    async def get_health(self) -> models.Health:
        raise NotImplementedError("getHealth is not implemented yet")


def _conforms(service: SystemService) -> handlers.SystemHandlers:
    """mypy checks here that the class implements every method of the Protocol."""
    return service
