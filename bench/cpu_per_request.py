"""CPU per request of the runtime benchmark's apps, in process: each ASGI app is called directly in a
loop (no server, no sockets), alternating apps in rounds, and the process CPU time per request is
the median over rounds. Much less noisy than wrk on a shared machine: it measures the framework
layer only, which is what differs between the apps.

    PYTHONPATH=generated/python:. .venv/bin/python -m bench.cpu_per_request [--requests N] [--rounds R]
        [--profile generated|hand-written] [--endpoint get|post] [--inline-sync] [--calls]

Both apps hand one sync dependency per request to the thread pool (the generated app its handler
class, the hand-written one its token check); that hop costs the same in both but is the noisiest
part on a loaded machine. `--inline-sync` runs sync dependencies inline instead, to compare the
rest more precisely (a diagnostic: the apps as served always use the thread pool). `--calls`
counts the Python function calls per request instead of timing them: the same on any load.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench.apps.fake import TOKEN

ASGIApp = Callable[[dict[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]

POST_BODY = json.dumps(
    {"authorId": 1, "content": {"kind": "link", "url": "https://example.com/a", "title": "A link"}}
).encode()

REQUESTS: dict[str, tuple[str, str, bytes, int]] = {
    "get": ("GET", "/users/1", b"", 200),
    "post": ("POST", "/posts", POST_BODY, 201),
}


def _scope(method: str, path: str, body: bytes) -> dict[str, Any]:
    headers = [(b"host", b"127.0.0.1:8000"), (b"authorization", f"Bearer {TOKEN}".encode())]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _serve(app: ASGIApp, endpoint: str, count: int) -> None:
    method, path, body, want = REQUESTS[endpoint]
    for _ in range(count):
        sent = False
        status = 0

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(_scope(method, path, body), receive, send)
        if status != want:
            raise RuntimeError(f"{method} {path}: {status}, want {want}")


def cpu_per_request(app: ASGIApp, endpoint: str, count: int) -> float:
    """Microseconds of process CPU per request over `count` requests."""
    start = time.process_time()
    asyncio.run(_serve(app, endpoint, count))
    return (time.process_time() - start) / count * 1e6


def calls_per_request(app: ASGIApp, endpoint: str, count: int) -> float:
    """Python function calls per request in this thread (a sync dependency's, run in the thread
    pool, are not seen: use with inline_sync_dependencies to count them)."""
    asyncio.run(_serve(app, endpoint, count // 10 or 1))  # first-request caches
    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(_serve(app, endpoint, count))
    profiler.disable()
    return pstats.Stats(profiler).total_calls / count  # type: ignore[attr-defined, no-any-return]


def inline_sync_dependencies() -> None:
    from fastapi.dependencies import utils

    async def inline(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    setattr(utils, "run_in_threadpool", inline)  # noqa: B010 -- not an exported name of fastapi


def apps() -> dict[str, ASGIApp]:
    from bench.apps import generated_app, handwritten_app

    return {"generated": generated_app.app, "hand-written": handwritten_app.app}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--endpoint", choices=sorted(REQUESTS), action="append")
    parser.add_argument("--profile", choices=("generated", "hand-written"))
    parser.add_argument("--inline-sync", action="store_true", help="run sync dependencies inline")
    parser.add_argument("--calls", action="store_true", help="count Python calls per request (main thread)")
    args = parser.parse_args()
    if args.inline_sync:
        inline_sync_dependencies()
    endpoints = args.endpoint or ["get", "post"]
    served = apps()
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        asyncio.run(_serve(served[args.profile], endpoints[0], args.requests))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
        return
    if args.calls:
        for endpoint in endpoints:
            counts = {name: calls_per_request(app, endpoint, args.requests) for name, app in served.items()}
            print(
                f"{REQUESTS[endpoint][0]} {REQUESTS[endpoint][1]}: "
                + "  ".join(f"{name} {n:.0f} Python calls/req" for name, n in counts.items())
            )
        return
    for endpoint in endpoints:
        samples: dict[str, list[float]] = {name: [] for name in served}
        for app in served.values():  # warm-up
            cpu_per_request(app, endpoint, args.requests // 10 or 1)
        for round_ in range(args.rounds):
            order = list(served) if round_ % 2 == 0 else list(reversed(served))
            for name in order:
                samples[name].append(cpu_per_request(served[name], endpoint, args.requests))
        medians = {name: statistics.median(s) for name, s in samples.items()}
        ratio = medians["hand-written"] / medians["generated"]
        print(
            f"{REQUESTS[endpoint][0]} {REQUESTS[endpoint][1]}: "
            + "  ".join(f"{name} {us:.1f} us/req" for name, us in medians.items())
            + f"  -> generated runs at {ratio:.2f}x the hand-written app's speed"
        )


if __name__ == "__main__":
    main()
