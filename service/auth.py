"""Handlers of the `auth` tag, password hashing and the one check every secured handler makes."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends
from team_api import handlers, models, runtime

from service.db import from_text, get_db, now, to_text, transaction

TOKEN_LIFETIME = 3600  # seconds
BOOTSTRAP_ENV = "APIGEN_BOOTSTRAP_TOKEN"

# scrypt with the interactive-login parameters of its paper (16 MiB, ~50 ms).
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
_SALT_BYTES = 16


def hash_password(password: str) -> str:
    salt = os.urandom(_SALT_BYTES)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode(),
            salt=bytes.fromhex(salt_hex),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(digest_hex) // 2,
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


# Compared against when the username is unknown, so that both failures take the same time.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a user who logged in, or the bootstrap administrator (user_id None)."""

    user_id: int | None
    role: models.Role


def unauthorized(message: str = "missing, invalid or expired bearer token") -> runtime.ApiError:
    return runtime.ApiError(
        401,
        models.Error(code="unauthorized", message=message),
        headers={"WWW-Authenticate": "Bearer"},
    )


def authenticate(db: sqlite3.Connection, credentials: runtime.Credentials) -> Principal:
    """The check of every secured handler: a token from `login` that has not expired, or the
    bootstrap token of APIGEN_BOOTSTRAP_TOKEN (an administrator). Else 401."""
    token = credentials.value
    bootstrap = os.environ.get(BOOTSTRAP_ENV, "")
    if bootstrap and hmac.compare_digest(token.encode(), bootstrap.encode()):
        return Principal(user_id=None, role=models.Role.ADMIN)
    row = db.execute(
        "SELECT t.expires_at, u.id, u.role FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
        (_token_hash(token),),
    ).fetchone()
    if row is None or from_text(row["expires_at"]) <= now():
        raise unauthorized()
    return Principal(user_id=int(row["id"]), role=models.Role(row["role"]))


class AuthService:
    def __init__(self, db: Annotated[sqlite3.Connection, Depends(get_db)]) -> None:
        self.db = db

    async def login(self, *, body: models.LoginForm) -> models.Token:
        row = self.db.execute("SELECT id, password_hash FROM users WHERE username = ?", (body.username,)).fetchone()
        stored = row["password_hash"] if row is not None else _DUMMY_HASH
        valid = await asyncio.to_thread(verify_password, body.password, stored)
        if row is None or not valid:
            raise unauthorized("wrong username or password")
        token = secrets.token_urlsafe(32)
        moment = now()
        with transaction(self.db):
            self.db.execute("DELETE FROM tokens WHERE expires_at <= ?", (to_text(moment),))
            self.db.execute(
                "INSERT INTO tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
                (
                    _token_hash(token),
                    row["id"],
                    to_text(moment + timedelta(seconds=TOKEN_LIFETIME)),
                ),
            )
        return models.Token(access_token=token, token_type="bearer", expires_in=TOKEN_LIFETIME)


def _conforms(service: AuthService) -> handlers.AuthHandlers:
    """mypy checks here that the class implements every method of the Protocol."""
    return service
