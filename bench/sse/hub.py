"""Fan-out of SSE events to every open stream, shared by the FastAPI SSE servers of the benchmark.

A server under test exposes GET <stream path> (an SSE stream: first an `event: ready`, then every
broadcast event) and POST /broadcast?count=N&interval_ms=M (202; sends N events M ms apart to every
open stream, each carrying `{"i": n, "t": <send time, ms since the epoch>}`). The generated SSE
route can be plugged in by implementing its handler over `Hub.subscribe()` and adding a target in
bench/sse_bench.py."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator


class Hub:
    def __init__(self) -> None:
        self.queues: set[asyncio.Queue[str]] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def subscribe(self) -> AsyncIterator[str]:
        """The data of every event broadcast while the caller iterates."""
        queue: asyncio.Queue[str] = asyncio.Queue()
        self.queues.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self.queues.discard(queue)

    def broadcast(self, count: int, interval_ms: int) -> int:
        """Start sending; returns the number of streams open now."""

        async def send() -> None:
            for i in range(count):
                data = json.dumps({"i": i, "t": time.time() * 1000})
                for queue in list(self.queues):
                    queue.put_nowait(data)
                await asyncio.sleep(interval_ms / 1000)

        task = asyncio.get_running_loop().create_task(send())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return len(self.queues)
