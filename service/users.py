"""Handlers of the `users` tag."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import struct
import zlib
from typing import Annotated, Any

from fastapi import Depends, UploadFile
from pydantic import MISSING
from team_api import handlers, models, runtime
from team_api.handlers import CreateUserResult

from service.auth import authenticate, hash_password
from service.db import from_text, get_db, now, to_text, transaction

logger = logging.getLogger(__name__)

_USER_COLUMNS = (
    "u.id, u.username, u.email, u.role, u.display_name, u.nickname, u.labels, u.created_at,"
    " EXISTS (SELECT 1 FROM avatars a WHERE a.user_id = u.id) AS has_avatar"
)


def not_found(what: str) -> runtime.ApiError:
    return runtime.ApiError(404, models.Error(code="not_found", message=f"no such {what}"))


def conflict(message: str) -> runtime.ApiError:
    return runtime.ApiError(409, models.Error(code="conflict", message=message))


def user_from_row(row: sqlite3.Row) -> models.User:
    """Optional fields that were never set stay absent (MISSING), never `null`."""
    fields: dict[str, Any] = {
        "id": row["id"],
        "username": row["username"],
        "email": row["email"],
        "role": models.Role(row["role"]),
        "created_at": from_text(row["created_at"]),
        "has_avatar": bool(row["has_avatar"]),
    }
    if row["display_name"] is not None:
        fields["display_name"] = row["display_name"]
    if row["nickname"] is not None:
        fields["nickname"] = row["nickname"]
    if row["labels"] is not None:
        fields["labels"] = json.loads(row["labels"])
    return models.User.model_validate(fields)


def _optional(value: object) -> object:
    """A model field's value for a nullable column: None when absent or null."""
    return None if value is MISSING else value


def _conflict_message(db: sqlite3.Connection, username: str | None, email: str | None) -> str:
    if username is not None and db.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
        return "username already taken"
    if email is not None and db.execute("SELECT 1 FROM users WHERE email = ?", (email,)).fetchone():
        return "email already in use"
    return "conflicts with an existing user"


def _png(width: int, height: int, grey: int) -> bytes:
    """A minimal grey PNG, built rather than pasted so that it is clear what it is."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = b"".join(b"\x00" + bytes([grey]) * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b"")


PLACEHOLDER_AVATAR = _png(16, 16, 0xC0)


class UsersService:
    def __init__(self, db: Annotated[sqlite3.Connection, Depends(get_db)]) -> None:
        self.db = db

    def _fetch(self, user_id: int) -> models.User:
        row = self.db.execute(f"SELECT {_USER_COLUMNS} FROM users u WHERE u.id = ?", (user_id,)).fetchone()
        if row is None:
            raise not_found("user")
        return user_from_row(row)

    async def list_users(
        self,
        *,
        limit: int,
        offset: int,
        role: models.Role | None,
        x_request_id: str | None,
        credentials: runtime.Credentials,
    ) -> models.UserPage:
        authenticate(self.db, credentials)
        if x_request_id is not None:
            logger.info("listUsers request_id=%s", x_request_id)
        where, params = ("WHERE u.role = ?", [role.value]) if role is not None else ("", [])
        total = self.db.execute(f"SELECT COUNT(*) FROM users u {where}", params).fetchone()[0]
        rows = self.db.execute(
            f"SELECT {_USER_COLUMNS} FROM users u {where} ORDER BY u.id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return models.UserPage(items=[user_from_row(row) for row in rows], total=total, limit=limit, offset=offset)

    async def create_user(self, *, body: models.UserCreate, credentials: runtime.Credentials) -> CreateUserResult:
        authenticate(self.db, credentials)
        password_hash = await asyncio.to_thread(hash_password, body.password)
        labels = _optional(body.labels)
        try:
            with transaction(self.db):
                cursor = self.db.execute(
                    "INSERT INTO users (username, email, role, display_name, nickname, labels,"
                    " password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        body.username,
                        body.email,
                        body.role.value,
                        _optional(body.display_name),
                        _optional(body.nickname),
                        json.dumps(labels) if labels is not None else None,
                        password_hash,
                        to_text(now()),
                    ),
                )
        except sqlite3.IntegrityError:
            raise conflict(_conflict_message(self.db, body.username, body.email)) from None
        user_id = cursor.lastrowid
        assert user_id is not None
        logger.info("created user %d", user_id)
        return CreateUserResult(body=self._fetch(user_id), location=f"/users/{user_id}")

    async def get_user(self, *, user_id: int, credentials: runtime.Credentials) -> models.User:
        authenticate(self.db, credentials)
        return self._fetch(user_id)

    async def delete_user(self, *, user_id: int, credentials: runtime.Credentials) -> None:
        authenticate(self.db, credentials)
        with transaction(self.db):
            self.db.execute("DELETE FROM avatars WHERE user_id = ?", (user_id,))
            self.db.execute("DELETE FROM tokens WHERE user_id = ?", (user_id,))
            deleted = self.db.execute("DELETE FROM users WHERE id = ?", (user_id,)).rowcount
        if not deleted:
            raise not_found("user")

    async def update_user(
        self, *, user_id: int, body: models.UserUpdate, credentials: runtime.Credentials
    ) -> models.User:
        authenticate(self.db, credentials)
        present = body.model_fields_set
        if not present:
            # The spec's `minProperties: 1`: an empty patch breaks the contract.
            raise runtime.ApiError(400, models.Error(code="validation_error", message="body: at least one field"))
        changes: dict[str, object] = {}
        if "email" in present and body.email is not MISSING:
            changes["email"] = body.email
        if "role" in present and body.role is not MISSING:
            changes["role"] = body.role.value
        if "display_name" in present and body.display_name is not MISSING:
            changes["display_name"] = body.display_name
        if "nickname" in present and body.nickname is not MISSING:
            changes["nickname"] = body.nickname  # None clears it
        if "labels" in present and body.labels is not MISSING:
            changes["labels"] = json.dumps(body.labels)
        try:
            with transaction(self.db):
                if self.db.execute("SELECT 1 FROM users WHERE id = ?", (user_id,)).fetchone() is None:
                    raise not_found("user")
                if changes:
                    assignments = ", ".join(f"{column} = ?" for column in changes)
                    self.db.execute(f"UPDATE users SET {assignments} WHERE id = ?", [*changes.values(), user_id])
        except sqlite3.IntegrityError:
            email = changes.get("email")
            raise conflict(_conflict_message(self.db, None, email if isinstance(email, str) else None)) from None
        return self._fetch(user_id)

    async def download_avatar(self, *, user_id: int, credentials: runtime.Credentials) -> bytes:
        authenticate(self.db, credentials)
        row = self.db.execute(
            "SELECT u.id, a.data FROM users u LEFT JOIN avatars a ON a.user_id = u.id WHERE u.id = ?",
            (user_id,),
        ).fetchone()
        if row is None:
            raise not_found("user")
        if row["data"] is None:
            return PLACEHOLDER_AVATAR  # every user has an avatar; hasAvatar says whether it was uploaded
        return bytes(row["data"])

    async def upload_avatar(self, *, user_id: int, file: UploadFile, credentials: runtime.Credentials) -> None:
        authenticate(self.db, credentials)
        data = await file.read()  # before any transaction: no awaits while one is open
        with transaction(self.db):
            if self.db.execute("SELECT 1 FROM users WHERE id = ?", (user_id,)).fetchone() is None:
                raise not_found("user")
            self.db.execute(
                "INSERT INTO avatars (user_id, data) VALUES (?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data",
                (user_id, data),
            )


def _conforms(service: UsersService) -> handlers.UsersHandlers:
    """mypy checks here that the class implements every method of the Protocol."""
    return service
