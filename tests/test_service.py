"""In-process behaviour tests of the example service (service/) through the generated app."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

import service.db
from service.main import build_app

# Starlette warns at import that its TestClient still uses httpx; that and nothing else is ignored.
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore",
        message="Using `httpx` with `starlette.testclient` is deprecated",
        category=StarletteDeprecationWarning,
    )
    from fastapi.testclient import TestClient

TOKEN = "service-test-admin"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A fresh app on a fresh database file for every test."""
    monkeypatch.setenv("APIGEN_BOOTSTRAP_TOKEN", TOKEN)
    monkeypatch.setenv("APIGEN_CORS_ORIGINS", "")
    monkeypatch.setattr(service.db, "_database", service.db.Database(str(tmp_path / "team.db")))
    with TestClient(build_app()) as test_client:
        yield test_client


def new_user(client: TestClient, **fields: Any) -> dict[str, Any]:
    body = {"username": "ann", "email": "ann@example.com", "role": "member", "password": "s3cret-pw"}
    body.update(fields)
    response = client.post("/users", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()
    return user


def assert_error(response: Any, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message"}
    if code is not None:
        assert body["code"] == code


# -- system and auth ----------------------------------------------------------------------------


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["time"].endswith(("Z", "+00:00"))


def test_login_gives_a_token_that_authenticates(client: TestClient) -> None:
    new_user(client, username="bob", email="bob@example.com", password="correct-horse")
    response = client.post("/auth/token", data={"username": "bob", "password": "correct-horse"})
    assert response.status_code == 200, response.text
    token = response.json()
    assert token["tokenType"] == "bearer"
    assert token["expiresIn"] == 3600
    me = client.get("/users", headers={"Authorization": f"Bearer {token['accessToken']}"})
    assert me.status_code == 200


@pytest.mark.parametrize(("username", "password"), [("bob", "wrong-password"), ("nobody", "correct-horse")])
def test_login_refuses_bad_credentials(client: TestClient, username: str, password: str) -> None:
    new_user(client, username="bob", email="bob@example.com", password="correct-horse")
    response = client.post("/auth/token", data={"username": username, "password": password})
    assert_error(response, 401, "unauthorized")


def test_login_form_validation_is_400(client: TestClient) -> None:
    assert_error(client.post("/auth/token", data={"username": "bob"}), 400, "validation_error")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}])
def test_secured_operations_need_a_valid_token(client: TestClient, headers: dict[str, str]) -> None:
    assert_error(client.get("/users", headers=headers), 401, "unauthorized")
    assert_error(client.get("/users/1", headers=headers), 401)
    assert_error(client.delete("/posts/1", headers=headers), 401)


# -- users --------------------------------------------------------------------------------------


def test_create_user(client: TestClient) -> None:
    response = client.post(
        "/users",
        json={
            "username": "ann",
            "email": "ann@example.com",
            "role": "admin",
            "password": "s3cret-pw",
            "displayName": "Ann",
            "nickname": "annie",
            "labels": {"team": "core"},
        },
        headers=ADMIN,
    )
    assert response.status_code == 201
    user = response.json()
    assert response.headers["Location"] == f"/users/{user['id']}"
    assert user["displayName"] == "Ann"
    assert user["nickname"] == "annie"
    assert user["labels"] == {"team": "core"}
    assert user["hasAvatar"] is False
    assert "password" not in user


def test_optional_fields_are_omitted_never_null(client: TestClient) -> None:
    user = new_user(client)
    assert "displayName" not in user
    assert "labels" not in user
    assert "nickname" not in user
    fetched = client.get(f"/users/{user['id']}", headers=ADMIN).json()
    assert "displayName" not in fetched


def test_explicit_null_for_an_optional_non_nullable_field_is_400(client: TestClient) -> None:
    body = {
        "username": "ann",
        "email": "ann@example.com",
        "role": "member",
        "password": "s3cret-pw",
        "displayName": None,
    }
    assert_error(client.post("/users", json=body, headers=ADMIN), 400, "validation_error")
    user = new_user(client)
    patch = client.patch(f"/users/{user['id']}", json={"displayName": None}, headers=ADMIN)
    assert_error(patch, 400, "validation_error")


@pytest.mark.parametrize(
    "fields",
    [
        {"username": "ann", "email": "other@example.com"},
        {"username": "other", "email": "ann@example.com"},
    ],
)
def test_create_user_conflicts(client: TestClient, fields: dict[str, str]) -> None:
    new_user(client)
    body = {"role": "member", "password": "s3cret-pw", **fields}
    assert_error(client.post("/users", json=body, headers=ADMIN), 409, "conflict")


@pytest.mark.parametrize(
    "body",
    [
        {"username": "Ann", "email": "a@b", "role": "member", "password": "s3cret-pw"},
        {"username": "ann", "email": "no-at", "role": "member", "password": "s3cret-pw"},
        {"username": "ann", "email": "a@b", "role": "boss", "password": "s3cret-pw"},
        {"username": "ann", "email": "a@b", "role": "member", "password": "short"},
        {"username": "ann", "email": "a@b", "role": "member"},
    ],
)
def test_create_user_validation_is_400(client: TestClient, body: dict[str, str]) -> None:
    assert_error(client.post("/users", json=body, headers=ADMIN), 400, "validation_error")


def test_list_users_newest_first_with_paging_and_role(client: TestClient) -> None:
    for index, role in enumerate(["member", "admin", "member"]):
        new_user(client, username=f"u{index}", email=f"u{index}@example.com", role=role)
    page = client.get("/users", headers=ADMIN).json()
    assert [u["username"] for u in page["items"]] == ["u2", "u1", "u0"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 20, 0)
    page = client.get("/users", params={"limit": 1, "offset": 1}, headers=ADMIN).json()
    assert [u["username"] for u in page["items"]] == ["u1"]
    assert page["total"] == 3
    page = client.get("/users", params={"role": "member"}, headers=ADMIN).json()
    assert [u["username"] for u in page["items"]] == ["u2", "u0"]
    assert page["total"] == 2


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "+1"}, {"role": "boss"}])
def test_list_users_parameter_validation_is_400(client: TestClient, params: dict[str, object]) -> None:
    assert_error(client.get("/users", params=params, headers=ADMIN), 400, "validation_error")


def test_get_user_and_404(client: TestClient) -> None:
    user = new_user(client)
    assert client.get(f"/users/{user['id']}", headers=ADMIN).json() == user
    assert_error(client.get("/users/999", headers=ADMIN), 404, "not_found")
    assert_error(client.get("/users/0", headers=ADMIN), 400, "validation_error")


def test_update_user(client: TestClient) -> None:
    user = new_user(client, nickname="annie", displayName="Ann")
    response = client.patch(f"/users/{user['id']}", json={"role": "admin", "nickname": None}, headers=ADMIN)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["role"] == "admin"
    assert "nickname" not in updated  # null cleared it
    assert updated["displayName"] == "Ann"  # absent: unchanged
    assert updated["email"] == user["email"]
    response = client.patch(f"/users/{user['id']}", json={"labels": {"a": "b"}}, headers=ADMIN)
    assert response.json()["labels"] == {"a": "b"}


def test_update_user_errors(client: TestClient) -> None:
    user = new_user(client)
    new_user(client, username="bob", email="bob@example.com")
    url = f"/users/{user['id']}"
    assert_error(client.patch(url, json={}, headers=ADMIN), 400)
    assert_error(client.patch(url, json={"email": "bob@example.com"}, headers=ADMIN), 409)
    assert_error(client.patch("/users/999", json={"role": "guest"}, headers=ADMIN), 404)


def test_avatar_round_trip_and_delete(client: TestClient) -> None:
    user = new_user(client)
    url = f"/users/{user['id']}/avatar"
    placeholder = client.get(url, headers=ADMIN)
    assert placeholder.status_code == 200
    assert placeholder.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert client.get(f"/users/{user['id']}", headers=ADMIN).json()["hasAvatar"] is False
    image = b"\x89PNG\r\n\x1a\n\x00binary"
    response = client.put(url, files={"file": ("a.png", image, "image/png")}, headers=ADMIN)
    assert response.status_code == 204, response.text
    download = client.get(url, headers=ADMIN)
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.content == image
    assert client.get(f"/users/{user['id']}", headers=ADMIN).json()["hasAvatar"] is True

    assert client.delete(f"/users/{user['id']}", headers=ADMIN).status_code == 204
    assert_error(client.get(f"/users/{user['id']}", headers=ADMIN), 404)
    assert_error(client.get(url, headers=ADMIN), 404)
    assert_error(client.delete(f"/users/{user['id']}", headers=ADMIN), 404)


def test_avatar_of_missing_user(client: TestClient) -> None:
    files = {"file": ("a.png", b"x", "image/png")}
    assert_error(client.put("/users/999/avatar", files=files, headers=ADMIN), 404)
    assert_error(client.get("/users/999/avatar", headers=ADMIN), 404)
    assert_error(client.put("/users/999/avatar", headers=ADMIN), 400, "validation_error")


# -- posts --------------------------------------------------------------------------------------

CONTENTS = [
    {"kind": "text", "text": "hello"},
    {"kind": "link", "url": "https://example.com", "title": "Example"},
    {"kind": "image", "imageUrl": "https://example.com/a.png", "width": 10, "height": 20},
]


def test_posts_lifecycle(client: TestClient) -> None:
    author = new_user(client)
    ids = []
    for content in CONTENTS:
        response = client.post("/posts", json={"authorId": author["id"], "content": content}, headers=ADMIN)
        assert response.status_code == 201, response.text
        post = response.json()
        assert response.headers["Location"] == f"/posts/{post['id']}"
        assert post["content"] == content
        assert post["authorId"] == author["id"]
        ids.append(post["id"])
    page = client.get("/posts").json()  # public
    assert [p["id"] for p in page["items"]] == ids[::-1]
    assert page["total"] == 3
    assert client.get("/posts", params={"limit": 2, "offset": 2}).json()["items"][0]["id"] == ids[0]
    assert client.get("/posts", headers={"Cookie": "lang=fr"}).status_code == 200
    assert_error(client.get("/posts", headers={"Cookie": "lang=xx"}), 400, "validation_error")
    assert client.get(f"/posts/{ids[0]}").json()["content"] == CONTENTS[0]
    assert client.delete(f"/posts/{ids[0]}", headers=ADMIN).status_code == 204
    assert_error(client.get(f"/posts/{ids[0]}"), 404, "not_found")
    assert_error(client.delete(f"/posts/{ids[0]}", headers=ADMIN), 404)


def test_create_post_errors(client: TestClient) -> None:
    body = {"authorId": 999, "content": CONTENTS[0]}
    assert_error(client.post("/posts", json=body, headers=ADMIN), 404, "not_found")
    assert_error(client.post("/posts", json=body), 401)
    author = new_user(client)
    for content in (
        {"kind": "video", "url": "https://x"},
        {"kind": "text", "text": ""},
        {"kind": "link", "url": "ftp://x"},
        {"kind": "link", "url": "https://x", "title": None},
    ):
        response = client.post("/posts", json={"authorId": author["id"], "content": content}, headers=ADMIN)
        assert_error(response, 400, "validation_error")


def test_json_integers_accept_integral_floats_only(client: TestClient) -> None:
    author = new_user(client)
    image = {"kind": "image", "imageUrl": "https://x/a.png", "width": 10.0, "height": 2}
    response = client.post("/posts", json={"authorId": author["id"], "content": image}, headers=ADMIN)
    assert response.status_code == 201, response.text
    assert response.json()["content"]["width"] == 10
    for width in (10.5, "10", True):
        image["width"] = width
        response = client.post("/posts", json={"authorId": author["id"], "content": image}, headers=ADMIN)
        assert_error(response, 400, "validation_error")


# -- the HTTP surface ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/users", {"GET", "POST"}),
        ("POST", "/users/1", {"GET", "PATCH", "DELETE"}),
        ("DELETE", "/users/1/avatar", {"GET", "PUT"}),
        ("PATCH", "/posts/1", {"GET", "DELETE"}),
        ("GET", "/auth/token", {"POST"}),
    ],
)
def test_405_lists_every_method_of_the_path(client: TestClient, method: str, path: str, allow: set[str]) -> None:
    response = client.request(method, path, headers=ADMIN)
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allow


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(
        "/users",
        content=b"{not json",
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert_error(response, 400, "validation_error")
