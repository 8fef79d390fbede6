"""Handlers of the `system` tag."""

from __future__ import annotations

import logging
import sqlite3
from typing import Annotated

from fastapi import Depends
from team_api import handlers, models

from service.db import get_db, now

logger = logging.getLogger(__name__)


class SystemService:
    def __init__(self, db: Annotated[sqlite3.Connection, Depends(get_db)]) -> None:
        self.db = db

    async def get_health(self) -> models.Health:
        try:
            self.db.execute("SELECT 1").fetchone()
            status = models.Status.OK
        except sqlite3.Error:
            logger.exception("database check failed")
            status = models.Status.DEGRADED
        return models.Health(status=status, time=now())


def _conforms(service: SystemService) -> handlers.SystemHandlers:
    """mypy checks here that the class implements every method of the Protocol."""
    return service
