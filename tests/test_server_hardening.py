"""The generated server under hostile requests: bodies over the size limit get 413 in the error_body
shape (declared in the served document), a crash answers 500 without internal detail, and validation
messages never echo the (unbounded) input."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning
from team_api.app import create_app

import service.db
from service.auth import AuthService
from service.chat import ChatService
from service.main import error_body
from service.posts import PostsService
from service.system import SystemService
from service.users import UsersService

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

TOKEN = "hardening-admin"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
LIMIT = 4096


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("APIGEN_BOOTSTRAP_TOKEN", TOKEN)
    monkeypatch.setattr(service.db, "_database", service.db.Database(str(tmp_path / "team.db")))
    service.db.database()
    app = create_app(
        auth=AuthService,
        users=UsersService,
        posts=PostsService,
        chat=ChatService,
        system=SystemService,
        error_body=error_body,
        max_body_bytes=LIMIT,
    )
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _user(**fields: Any) -> dict[str, Any]:
    return {"username": "ann", "email": "ann@example.com", "role": "member", "password": "s3cret-pw", **fields}


def test_a_body_over_the_limit_is_413_in_the_error_shape(client: TestClient) -> None:
    response = client.post("/users", json=_user(username="a" * (LIMIT * 2)), headers=ADMIN)
    assert response.status_code == 413
    assert set(response.json()) == {"code", "message"}


def test_a_streamed_body_over_the_limit_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"username": "'
        for _ in range(10):
            yield b"a" * 1024
        yield b'"}'

    response = client.post("/users", content=chunks(), headers={**ADMIN, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert set(response.json()) == {"code", "message"}


def test_a_body_within_the_limit_is_served(client: TestClient) -> None:
    assert client.post("/users", json=_user(), headers=ADMIN).status_code == 201


def test_413_is_declared_for_operations_with_a_body(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    create = document["paths"]["/users"]["post"]
    assert "413" in create["responses"]
    assert create["responses"]["413"].get("content") == create["responses"]["400"].get("content")
    assert "413" not in document["paths"]["/users"]["get"]["responses"]


def test_validation_messages_do_not_echo_the_input(client: TestClient) -> None:
    marker = "ECHO" * 200
    response = client.post("/users", json=_user(email=marker, role=marker), headers=ADMIN)
    assert response.status_code == 400
    assert "ECHO" not in response.text
    assert len(response.json()["message"]) <= 300


def test_a_crash_answers_500_without_internal_detail(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def explode(self: object, **kwargs: object) -> object:
        raise RuntimeError("secret internal detail /etc/passwd")

    monkeypatch.setattr(UsersService, "list_users", explode)
    with caplog.at_level("ERROR"):
        response = client.get("/users", headers=ADMIN)
    assert response.status_code == 500
    assert set(response.json()) == {"code", "message"}
    assert "secret" not in response.text and "Traceback" not in response.text and "RuntimeError" not in response.text
