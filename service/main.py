"""The example service: `make serve` (`python -m service.serve`), or
`uvicorn service.main:app --log-config service/logging.json`.

Environment: APIGEN_DB (see service.db), APIGEN_BOOTSTRAP_TOKEN (an administrator's bearer
token, for bootstrapping and tests), APIGEN_CORS_ORIGINS (comma-separated allowed origins),
APIGEN_CHAT_TOKEN_DELAY_MS (see service.chat)."""

from __future__ import annotations

import os

from fastapi import FastAPI
from team_api import models
from team_api.app import create_app

from service.auth import AuthService
from service.chat import ChatService
from service.db import database
from service.posts import PostsService
from service.system import SystemService
from service.users import UsersService


def error_body(status_code: int, code: str, message: str) -> models.Error:
    """Errors detected by the generated code, in the spec's Error schema."""
    return models.Error(code=code, message=message)


def cors_origins() -> list[str]:
    raw = os.environ.get("APIGEN_CORS_ORIGINS", "")
    return [origin.strip() for origin in raw.split(",") if origin.strip()]


def build_app() -> FastAPI:
    database()  # schema created (and the in-memory database anchored) at start-up
    return create_app(
        auth=AuthService,
        users=UsersService,
        posts=PostsService,
        chat=ChatService,
        system=SystemService,
        error_body=error_body,
        cors_origins=cors_origins(),
    )


app = build_app()
