"""Handlers of the `chat` tag: a toy completion model that echoes the prompt's words, token by token.

A completion is answered whole as JSON, or streamed as Server-Sent Events (`token` events, then a
`usage` event) when the client asks for `text/event-stream`. Each token event's id is
`<completionId>:<index>`: a client reconnecting with that `Last-Event-ID` resumes after it. A stream
whose client goes away is marked `cancelled` (its iterator is closed by the generated route).

Environment: APIGEN_CHAT_TOKEN_DELAY_MS, a pause before each streamed token (default 0).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated, Literal

from fastapi import Depends
from team_api import handlers, models, runtime

from service.auth import authenticate
from service.db import get_db

DEFAULT_MAX_TOKENS = 16


@dataclass
class Completion:
    id: str
    prompt_tokens: int
    tokens: list[str]  # every token the completion will have
    sent: int = 0  # tokens streamed (or answered) so far
    status: models.ChatStatus = models.ChatStatus.STREAMING


@dataclass
class CompletionStore:
    completions: dict[str, Completion] = field(default_factory=dict)

    def create(self, request: models.ChatRequest) -> Completion:
        words = request.prompt.split() or [request.prompt]
        count = request.max_tokens if isinstance(request.max_tokens, int) else DEFAULT_MAX_TOKENS
        tokens = [words[i % len(words)] + " " for i in range(count)]
        completion = Completion(f"cmp_{secrets.token_hex(6)}", len(words), tokens)
        self.completions[completion.id] = completion
        return completion

    def resume(self, last_event_id: str | None) -> tuple[Completion, int] | None:
        """The completion and the next token index a `Last-Event-ID` names, if it names one."""
        completion_id, _, index = (last_event_id or "").partition(":")
        completion = self.completions.get(completion_id)
        if completion is None or not index.isdigit() or int(index) >= len(completion.tokens):
            return None
        return completion, int(index) + 1


_store = CompletionStore()


def store() -> CompletionStore:
    return _store


def _delay() -> float:
    raw = os.environ.get("APIGEN_CHAT_TOKEN_DELAY_MS", "0")
    return int(raw) / 1000 if raw.isdigit() else 0.0


def _view(completion: Completion) -> models.ChatCompletion:
    return models.ChatCompletion(
        id=completion.id,
        status=completion.status,
        text="".join(completion.tokens[: completion.sent]),
        usage=_usage(completion),
    )


def _usage(completion: Completion) -> models.ChatUsage:
    reason = models.FinishReason.CANCELLED
    if completion.status is not models.ChatStatus.CANCELLED:
        reason = models.FinishReason.LENGTH
    return models.ChatUsage(
        completion_id=completion.id,
        prompt_tokens=completion.prompt_tokens,
        completion_tokens=completion.sent,
        finish_reason=reason,
    )


async def _events(
    completion: Completion, start: int
) -> AsyncIterator[runtime.ServerSentEvent[models.ChatToken | models.ChatUsage]]:
    delay = _delay()
    try:
        for index in range(start, len(completion.tokens)):
            if delay:
                await asyncio.sleep(delay)
            completion.sent = max(completion.sent, index + 1)
            token = models.ChatToken(completion_id=completion.id, index=index, text=completion.tokens[index])
            yield runtime.ServerSentEvent(token, id=f"{completion.id}:{index}")
        completion.status = models.ChatStatus.COMPLETED
        yield runtime.ServerSentEvent(_usage(completion), event="usage")
    finally:
        # Reached when the stream ends and when the client goes away (the route closes the iterator).
        if completion.status is models.ChatStatus.STREAMING:
            completion.status = models.ChatStatus.CANCELLED


class ChatService:
    def __init__(self, db: Annotated[sqlite3.Connection, Depends(get_db)]) -> None:
        self.db = db
        self.store = store()

    async def create_chat_completion(
        self,
        *,
        body: models.ChatRequest,
        credentials: runtime.Credentials,
        last_event_id: str | None,
        media_type: Literal["application/json", "text/event-stream"],
    ) -> models.ChatCompletion | runtime.Events[models.ChatToken | models.ChatUsage]:
        authenticate(self.db, credentials)
        if media_type == "application/json":
            completion = self.store.create(body)
            completion.sent, completion.status = len(completion.tokens), models.ChatStatus.COMPLETED
            return _view(completion)
        resumed = self.store.resume(last_event_id)
        if resumed is not None:
            completion, start = resumed
            completion.status = models.ChatStatus.STREAMING
        else:
            completion, start = self.store.create(body), 0
        return _events(completion, start)

    async def get_chat_completion(
        self, *, completion_id: str, credentials: runtime.Credentials
    ) -> models.ChatCompletion:
        authenticate(self.db, credentials)
        completion = self.store.completions.get(completion_id)
        if completion is None:
            raise runtime.ApiError(404, models.Error(code="not_found", message="no such completion"))
        return _view(completion)


def _conforms(service: ChatService) -> handlers.ChatHandlers:
    """mypy checks here that the class implements every method of the Protocol."""
    return service
