"""Hand-written minimal FastAPI + sse-starlette SSE endpoint (the Python side of the SSE benchmark)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from sse_starlette import EventSourceResponse

from bench.sse.hub import Hub

hub = Hub()
app = FastAPI()


@app.get("/events")
async def events() -> EventSourceResponse:
    async def stream() -> AsyncIterator[dict[str, str]]:
        yield {"event": "ready", "data": ""}
        async for data in hub.subscribe():
            yield {"data": data}

    return EventSourceResponse(stream())


@app.post("/broadcast", status_code=202)
async def broadcast(count: int = 1, interval_ms: int = 100) -> dict[str, int]:
    return {"streams": hub.broadcast(count, interval_ms)}
