"""Server-Sent Events in the generated runtime and the example service: framing, keep-alive,
disconnect (the handler's iterator is closed, no task left), invalid events, Last-Event-ID, and
content negotiation by Accept."""

from __future__ import annotations

import asyncio
import json
import warnings
from collections.abc import AsyncIterator, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from team_api import models, runtime

import service.db
from service.main import build_app

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient

TOKEN = "sse-test-admin"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
STREAM = {**ADMIN, "Accept": "text/event-stream"}

TEXT = runtime.event_kinds(("", str, True))
CHAT = runtime.event_kinds(("token", models.ChatToken, False), ("usage", models.ChatUsage, False))


def settings(keepalive: float | None = None) -> runtime.StreamSettings:
    return runtime.StreamSettings(keepalive, runtime.default_error_body)


def token(index: int) -> models.ChatToken:
    return models.ChatToken(completion_id="cmp_1", index=index, text=f"t{index}")


class Harness:
    """Drives a response as an ASGI server would; `disconnect()` makes the client go away."""

    def __init__(self, disconnect_after_frames: int | None = None) -> None:
        self.messages: list[MutableMapping[str, Any]] = []
        self.gone = asyncio.Event()
        self.disconnect_after = disconnect_after_frames

    async def receive(self) -> dict[str, Any]:
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: MutableMapping[str, Any]) -> None:
        self.messages.append(message)
        if self.disconnect_after is not None and len(self.frames()) >= self.disconnect_after:
            self.gone.set()

    def frames(self) -> list[bytes]:
        return [m["body"] for m in self.messages if m["type"] == "http.response.body" and m["body"]]

    def text(self) -> str:
        return b"".join(self.frames()).decode()

    async def run(self, response: runtime.EventStreamResponse) -> None:
        await response({"type": "http"}, self.receive, self.send)


def stream(events: AsyncIterator[object], kinds: tuple[runtime.EventKind, ...], keepalive: float | None = None) -> str:
    harness = Harness()
    asyncio.run(harness.run(runtime.EventStreamResponse(events, kinds, settings(keepalive), "op")))
    assert harness.messages[0]["type"] == "http.response.start"
    assert harness.messages[-1] == {"type": "http.response.body", "body": b"", "more_body": False}
    return harness.text()


async def iterate(*items: object, pause: float = 0.0) -> AsyncIterator[object]:
    for item in items:
        if pause:
            await asyncio.sleep(pause)
        yield item


# -- framing ---------------------------------------------------------------------------------------


def test_text_payload_with_line_breaks_becomes_several_data_lines() -> None:
    assert runtime.frame_event("one\ntwo\r\nthree", TEXT) == b"data: one\ndata: two\ndata: three\n\n"


def test_id_event_name_and_retry_are_framed() -> None:
    framed = runtime.frame_event(runtime.ServerSentEvent(token(3), event="token", id="cmp_1:3", retry=2500), CHAT)
    assert framed == (
        b'event: token\ndata: {"completionId":"cmp_1","index":3,"text":"t3"}\nid: cmp_1:3\nretry: 2500\n\n'
    )


def test_a_bare_payload_is_named_after_the_kind_it_matches() -> None:
    usage = models.ChatUsage(
        completion_id="c", prompt_tokens=1, completion_tokens=2, finish_reason=models.FinishReason.LENGTH
    )
    assert runtime.frame_event(usage, CHAT).startswith(b"event: usage\ndata: {")
    assert runtime.frame_event(token(0), CHAT).startswith(b"event: token\n")


def test_whole_stream_is_framed_in_order() -> None:
    text = stream(iterate("a", runtime.ServerSentEvent("b\nc", id="2"), "d"), TEXT)
    assert text == "data: a\n\ndata: b\ndata: c\nid: 2\n\ndata: d\n\n"


def test_keepalive_comment_while_the_handler_is_quiet() -> None:
    text = stream(iterate("first", "second", pause=0.25), TEXT, keepalive=0.05)
    assert text.startswith(": keep-alive\n\n")
    assert text.count(": keep-alive\n\n") >= 4
    assert text.replace(": keep-alive\n\n", "") == "data: first\n\ndata: second\n\n"


def test_no_keepalive_when_disabled() -> None:
    assert stream(iterate("x", pause=0.1), TEXT, keepalive=None) == "data: x\n\n"


# -- invalid events and failing handlers ---------------------------------------------------------


def error_event(text: str) -> dict[str, Any]:
    last = text.strip().split("\n\n")[-1].split("\n")
    assert last[0] == "event: error", text
    body: dict[str, Any] = json.loads(last[1].removeprefix("data: "))
    return body


def test_invalid_payload_ends_the_stream_with_an_error_event() -> None:
    bad = models.ChatToken.model_construct(completion_id="cmp_1", index=-1, text="x")  # index minimum 0
    text = stream(iterate(token(0), bad, token(2)), CHAT)
    assert text.startswith("event: token\n")
    assert error_event(text) == {"code": "invalid_event", "message": "the server produced an invalid event"}
    assert "t2" not in text and '"index":-1' not in text


@pytest.mark.parametrize(
    "item",
    [
        runtime.ServerSentEvent("x", event="undeclared"),
        runtime.ServerSentEvent("x", id="two\nlines"),
        42,
    ],
    ids=["undeclared event name", "id with a line break", "not a string"],
)
def test_undeclared_or_malformed_events_are_refused(item: object) -> None:
    text = stream(iterate("ok", item, "after"), TEXT)
    assert text.startswith("data: ok\n\n")
    assert error_event(text)["code"] == "invalid_event"
    assert "after" not in text


def test_a_failing_handler_ends_the_stream_with_an_error_event() -> None:
    async def failing() -> AsyncIterator[object]:
        yield "fine"
        raise RuntimeError("boom")

    text = stream(failing(), TEXT)
    assert text.startswith("data: fine\n\n")
    assert error_event(text) == {"code": "internal_error", "message": "internal server error"}
    assert "boom" not in text


# -- disconnect -------------------------------------------------------------------------------------


def test_disconnect_cancels_and_closes_the_handler_iterator() -> None:
    state: dict[str, Any] = {"produced": 0, "closed": False}

    async def endless() -> AsyncIterator[object]:
        try:
            while True:
                state["produced"] += 1
                yield f"event {state['produced']}"
                await asyncio.sleep(0.01)
        finally:
            state["closed"] = True

    async def scenario() -> set[asyncio.Task[Any]]:
        harness = Harness(disconnect_after_frames=3)
        response = runtime.EventStreamResponse(endless(), TEXT, settings(0.05), "op")
        await asyncio.wait_for(harness.run(response), timeout=5)
        assert response.disconnected
        # No end-of-body after a disconnect: the client is gone.
        assert harness.messages[-1]["more_body"] is True
        await asyncio.sleep(0)
        return {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}

    pending = asyncio.run(scenario())
    assert pending == set()
    assert state["closed"] is True
    assert 3 <= state["produced"] <= 5


def test_disconnect_while_the_handler_waits_closes_it_at_once() -> None:
    state = {"closed": False}

    async def slow() -> AsyncIterator[object]:
        try:
            yield "first"
            await asyncio.sleep(60)
            yield "never"
        finally:
            state["closed"] = True

    async def scenario() -> None:
        harness = Harness(disconnect_after_frames=1)
        await asyncio.wait_for(harness.run(runtime.EventStreamResponse(slow(), TEXT, settings(None), "op")), timeout=5)
        assert harness.text() == "data: first\n\n"

    asyncio.run(scenario())
    assert state["closed"] is True


# -- the example service: negotiation, Last-Event-ID, disconnect ---------------------------------


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("APIGEN_BOOTSTRAP_TOKEN", TOKEN)
    monkeypatch.setenv("APIGEN_CORS_ORIGINS", "")
    monkeypatch.setattr(service.db, "_database", service.db.Database(str(tmp_path / "team.db")))
    with TestClient(build_app()) as test_client:
        yield test_client


def parse(text: str) -> list[dict[str, str]]:
    """The events of a stream (comments dropped), each as its fields."""
    events = []
    for block in text.strip().split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if line.startswith(":"):
                continue
            name, _, value = line.partition(": ")
            fields[name] = fields[name] + "\n" + value if name in fields else value
        if fields:
            events.append(fields)
    return events


def test_accept_chooses_json_or_events(client: TestClient) -> None:
    body = {"prompt": "hi there", "maxTokens": 3}
    for accept in (None, "application/json", "*/*", "application/json, text/event-stream;q=0.5"):
        headers = ADMIN if accept is None else {**ADMIN, "Accept": accept}
        response = client.post("/chat/completions", json=body, headers=headers)
        assert response.headers["content-type"] == "application/json", accept
        assert response.json()["text"] == "hi there hi "
    for accept in ("text/event-stream", "text/event-stream, application/json", "application/json;q=0.1, text/*"):
        response = client.post("/chat/completions", json=body, headers={**ADMIN, "Accept": accept})
        assert response.headers["content-type"].startswith("text/event-stream"), accept
        assert response.headers["cache-control"] == "no-cache"
        assert [e["event"] for e in parse(response.text)] == ["token", "token", "token", "usage"]


def test_stream_events_follow_the_spec(client: TestClient) -> None:
    response = client.post("/chat/completions", json={"prompt": "a b", "maxTokens": 3}, headers=STREAM)
    events = parse(response.text)
    completion = json.loads(events[0]["data"])["completionId"]
    assert [e.get("id") for e in events] == [f"{completion}:0", f"{completion}:1", f"{completion}:2", None]
    assert [json.loads(e["data"])["text"] for e in events[:3]] == ["a ", "b ", "a "]
    assert json.loads(events[3]["data"]) == {
        "completionId": completion,
        "promptTokens": 2,
        "completionTokens": 3,
        "finishReason": "length",
    }
    state = client.get(f"/chat/completions/{completion}", headers=ADMIN).json()
    assert state["status"] == "completed"


def test_last_event_id_round_trip(client: TestClient) -> None:
    first = parse(client.post("/chat/completions", json={"prompt": "x y z", "maxTokens": 5}, headers=STREAM).text)
    resume_from = first[1]["id"]
    resumed = client.post(
        "/chat/completions",
        json={"prompt": "ignored when resuming"},
        headers={**STREAM, "Last-Event-ID": resume_from},
    )
    events = parse(resumed.text)
    assert [e.get("id") for e in events[:-1]] == [e["id"] for e in first[2:-1]]
    assert [json.loads(e["data"])["text"] for e in events[:-1]] == ["z ", "x ", "y "]
    # An id naming no completion starts a new one.
    fresh = parse(
        client.post("/chat/completions", json={"prompt": "q"}, headers={**STREAM, "Last-Event-ID": "nope"}).text
    )
    assert json.loads(fresh[0]["data"])["index"] == 0


def test_handler_receives_last_event_id_and_representation() -> None:
    seen: list[tuple[str | None, str]] = []

    class Recording:
        async def create_chat_completion(
            self,
            *,
            body: models.ChatRequest,
            credentials: runtime.Credentials,
            last_event_id: str | None,
            media_type: str,
        ) -> Any:
            seen.append((last_event_id, media_type))
            return iterate(token(0)) if media_type == "text/event-stream" else None

        async def get_chat_completion(self, *, completion_id: str, credentials: runtime.Credentials) -> Any:
            raise NotImplementedError

    from team_api.app import create_app

    from service.auth import AuthService
    from service.posts import PostsService
    from service.system import SystemService
    from service.users import UsersService

    app = create_app(auth=AuthService, users=UsersService, posts=PostsService, chat=Recording, system=SystemService)
    with TestClient(app) as raw:
        headers = {"Authorization": "Bearer whatever", "Accept": "text/event-stream", "Last-Event-ID": "cmp_1:7"}
        response = raw.post("/chat/completions", json={"prompt": "p"}, headers=headers)
    # The bearer token is not checked by the route (only its presence): the handler decides.
    assert response.status_code == 200, response.text
    assert seen == [("cmp_1:7", "text/event-stream")]
