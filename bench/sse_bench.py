"""Streaming: N concurrent SSE streams on one server process -- memory per idle stream and p99 event
latency -- for each target, alternating, medians. Targets speak the protocol of bench/sse/hub.py.

Today: a hand-written FastAPI + sse-starlette endpoint (one uvicorn worker) and a minimal Express
server. The generated SSE route joins as one more Target (its app module and stream path)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import envs
from bench.servers import free_port, serving

SSE = envs.ROOT / "bench" / "sse"


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    argv: Callable[[int], list[str | os.PathLike[str]]]
    stream_path: str = "/events"


def targets() -> list[Target]:
    python = envs.ROOT / ".venv" / "bin" / "python"
    uvicorn = ["--host", "127.0.0.1", "--workers", "1", "--loop", "asyncio", "--http", "h11", "--no-access-log"]
    return [
        Target(
            "fastapi-sse",
            "FastAPI + sse-starlette (hand-written, 1 uvicorn worker)",
            lambda port: [python, "-m", "uvicorn", "bench.sse.fastapi_sse:app", *uvicorn, "--port", str(port)],
        ),
        Target(
            "express", "Express 5 (minimal, 1 Node process)", lambda port: ["node", SSE / "express_sse.mjs", str(port)]
        ),
    ]


def bench(work: Path, log: Callable[[str], None]) -> dict[str, object]:
    node_bin = envs.node_env()
    streams = int(os.environ.get("BENCH_SSE_STREAMS", "1000"))
    events = int(os.environ.get("BENCH_SSE_EVENTS", "20"))
    interval_ms = 100
    reps = int(os.environ.get("BENCH_SSE_REPS", "3"))
    env = {
        **os.environ,
        "PYTHONPATH": f"{envs.ROOT / 'generated' / 'python'}:{envs.ROOT}",
        "BENCH_NODE_MODULES": str(node_bin.parent),
    }
    samples: dict[str, list[dict[str, object]]] = {t.key: [] for t in targets()}
    for rep in range(reps):
        order = targets() if rep % 2 == 0 else list(reversed(targets()))
        for target in order:
            port = free_port()
            with serving(target.argv(port), port, work / f"sse-{target.key}.log", cwd=envs.ROOT, env=env) as proc:
                argv: list[str | os.PathLike[str]] = [
                    "node",
                    SSE / "client.mjs",
                    f"http://127.0.0.1:{port}",
                    str(proc.pid),
                    str(streams),
                ]
                argv += [str(events), str(interval_ms), target.stream_path]
                done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
            if done.returncode:
                sample: dict[str, object] = {"failed": (done.stderr.strip().splitlines() or ["no output"])[-1][:200]}
            else:
                sample = json.loads(done.stdout.strip().splitlines()[-1])
            samples[target.key].append(sample)
            if "failed" in sample:
                log(f"  {target.key:12} rep {rep + 1}/{reps}: FAILED {sample['failed']}")
            else:
                log(
                    f"  {target.key:12} rep {rep + 1}/{reps}: {sample['opened']}/{streams} open, "
                    f"{sample['kb_per_idle_stream']:.1f} KB/idle stream, p99 {sample['latency_p99_ms']:.1f} ms, "
                    f"{sample['events_received']}/{sample['events_expected']} events"
                )
    results: dict[str, object] = {}
    for target in targets():
        good = [s for s in samples[target.key] if "failed" not in s]
        if not good:
            results[target.key] = {"label": target.label, "failed": samples[target.key][0]["failed"]}
            continue

        def median(key: str, runs: list[dict[str, object]] = good) -> float:
            return float(statistics.median(float(r[key]) for r in runs))  # type: ignore[arg-type]

        results[target.key] = {
            "label": target.label,
            "kb_per_idle_stream": median("kb_per_idle_stream"),
            "latency_p99_ms": median("latency_p99_ms"),
            "latency_p50_ms": median("latency_p50_ms"),
            "opened": min(int(r["opened"]) for r in good),  # type: ignore[call-overload]
            "events_lost": max(int(r["events_expected"]) - int(r["events_received"]) for r in good),  # type: ignore[call-overload]
            "samples": good,
        }
    return {
        "setup": f"{streams} concurrent streams on 127.0.0.1, idle 1.5 s (memory = server RSS growth / streams), "
        f"then {events} events {interval_ms} ms apart to every stream; {reps} repetitions alternating, medians",
        "results": results,
    }
