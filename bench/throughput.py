"""Runtime throughput: the generated app vs a hand-written FastAPI app (and Connexion as a second
reference), same in-memory fake, one uvicorn worker each (--loop asyncio --http h11 for all three),
loaded in turn by wrk on 127.0.0.1 with a bounded duration; medians over repetitions."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from bench import envs
from bench.apps.fake import TOKEN
from bench.servers import free_port, serving

POST_BODY = {"authorId": 1, "content": {"kind": "link", "url": "https://example.com/a", "title": "A link"}}
WORK = {
    "GET /users/{userId}": "bearer token check, strict int64 path parameter, user looked up in an in-memory dict, "
    "response validated and serialised through the User model (optional fields omitted)",
    "POST /posts": "bearer token check, 10 MiB body limit, JSON body validated (PostCreate: int64 authorId, "
    "discriminated content union with patterns and lengths), author checked, post stored in memory, "
    "201 with Location, response serialised through the Post model",
}
APPS = {
    "generated": "apigen's generated app: create_app() with handlers over the fake (bench/apps/generated_app.py)",
    "hand-written": "idiomatic FastAPI app with the same models, checks and error bodies "
    "(bench/apps/handwritten_app.py)",
    "connexion": "Connexion 3.3 validating requests against the spec's JSON Schemas, dict handlers over the fake "
    "(bench/apps/connexion_app.py)",
}


@dataclass(frozen=True)
class Endpoint:
    key: str
    path: str
    lua: str


ENDPOINTS = (
    Endpoint("GET /users/{userId}", "/users/1", f'wrk.headers["Authorization"] = "Bearer {TOKEN}"\n'),
    Endpoint(
        "POST /posts",
        "/posts",
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(json.dumps(POST_BODY))}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {TOKEN}"\n',
    ),
)


def _request(url: str, method: str = "GET", body: object = None, token: str | None = TOKEN) -> tuple[int, str]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def smoke(base: str) -> list[str]:
    """Problems found when each app is asked to do the measured work (empty when it does)."""
    problems = []
    checks: list[tuple[str, tuple[int, str], int, Callable[[str], bool]]] = [
        ("GET user", _request(f"{base}/users/1"), 200, lambda b: json.loads(b).get("username") == "ada"),
        ("GET user, no token", _request(f"{base}/users/1", token=None), 401, lambda b: True),
        ("GET user, '+1' id", _request(f"{base}/users/+1"), 400, lambda b: True),
        ("POST post", _request(f"{base}/posts", "POST", POST_BODY), 201, lambda b: json.loads(b).get("id", 0) > 0),
        (
            "POST post, bad url",
            _request(f"{base}/posts", "POST", {"authorId": 1, "content": {"kind": "link", "url": "ftp://x"}}),
            400,
            lambda b: True,
        ),
    ]
    for name, (status, body), want, body_ok in checks:
        if status != want or not body_ok(body):
            problems.append(f"{name}: {status} (want {want}) {body[:80]}")
    return problems


_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_ERRORS = re.compile(r"Socket errors:.*")
_P99 = re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def wrk(binary: str, url: str, script: Path, seconds: int, connections: int) -> dict[str, float]:
    text = subprocess.run(
        [binary, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = _RPS.search(text)
    if rps is None:
        raise RuntimeError(f"wrk printed no Requests/sec: {text[-300:]}")
    p99 = _P99.search(text)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    non_2xx = _NON_2XX.search(text)
    return {
        "rps": float(rps.group(1)),
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
        "non_2xx": float(non_2xx.group(1)) if non_2xx else 0.0,
        "socket_errors": 1.0 if _ERRORS.search(text) else 0.0,
    }


def bench(work: Path, log: Callable[[str], None]) -> dict[str, object]:
    binary = envs.wrk()
    connexion_bin = envs.python_env("connexion")
    seconds = int(os.environ.get("BENCH_HTTP_SECONDS", "5"))
    # Five: one disturbed 5 s sample (a p99 of a second is seen) must not decide the median.
    reps = int(os.environ.get("BENCH_HTTP_REPS", "5"))
    connections = 16
    python = envs.ROOT / ".venv" / "bin" / "python"
    env = {**os.environ, "PYTHONPATH": f"{envs.ROOT / 'generated' / 'python'}:{envs.ROOT}"}
    uvicorn_args = ["--host", "127.0.0.1", "--workers", "1", "--loop", "asyncio", "--http", "h11"]
    uvicorn_args += ["--no-access-log", "--log-level", "warning"]
    commands: dict[str, list[str | os.PathLike[str]]] = {
        "generated": [python, "-m", "uvicorn", "bench.apps.generated_app:app"],
        "hand-written": [python, "-m", "uvicorn", "bench.apps.handwritten_app:app"],
        "connexion": [connexion_bin / "python", "-W", "ignore", "-m", "uvicorn", "bench.apps.connexion_app:app"],
    }
    scripts = {}
    for endpoint in ENDPOINTS:
        scripts[endpoint.key] = work / f"wrk-{endpoint.path.strip('/').replace('/', '-')}.lua"
        scripts[endpoint.key].write_text(endpoint.lua)
    samples: dict[str, dict[str, list[dict[str, float]]]] = {a: {e.key: [] for e in ENDPOINTS} for a in commands}
    problems: dict[str, list[str]] = {}
    with ExitStack() as stack:
        bases = {}
        for name, argv in commands.items():
            port = free_port()
            stack.enter_context(
                serving([*argv, *uvicorn_args, "--port", str(port)], port, work / f"{name}.log", cwd=envs.ROOT, env=env)
            )
            bases[name] = f"http://127.0.0.1:{port}"
            problems[name] = smoke(bases[name])
            log(f"  {name:12} {'answers as expected' if not problems[name] else '; '.join(problems[name])}")
        for base in bases.values():  # warm-up, not recorded
            for endpoint in ENDPOINTS:
                wrk(binary, base + endpoint.path, scripts[endpoint.key], 1, connections)
        for rep in range(reps):
            order = list(bases) if rep % 2 == 0 else list(reversed(bases))
            for endpoint in ENDPOINTS:
                for name in order:
                    sample = wrk(binary, bases[name] + endpoint.path, scripts[endpoint.key], seconds, connections)
                    samples[name][endpoint.key].append(sample)
                    log(
                        f"  {endpoint.key:19} {name:12} rep {rep + 1}/{reps}: {sample['rps']:8.0f} req/s"
                        f"  p99 {sample['p99_ms']:.1f} ms  non-2xx {sample['non_2xx']:.0f}"
                    )
    results: dict[str, object] = {
        "load": f"wrk -t1 -c{connections} -d{seconds:g}s, {reps} repetitions alternating apps, medians, "
        "ratio = median of each repetition's generated/hand-written; "
        "one uvicorn worker per app (--loop asyncio --http h11)",
        "work": WORK,
        "apps": APPS,
        "smoke_problems": problems,
        "results": {},
    }
    table: dict[str, dict[str, dict[str, float]]] = {}
    for name, per_endpoint in samples.items():
        table[name] = {}
        for key, runs in per_endpoint.items():
            table[name][key] = {
                "rps": statistics.median(r["rps"] for r in runs),
                "p99_ms": statistics.median(r["p99_ms"] for r in runs),
                "non_2xx": sum(r["non_2xx"] for r in runs),
                "samples_rps": [r["rps"] for r in runs],  # type: ignore[dict-item]
            }
    results["results"] = table
    results["ratios"] = {
        endpoint.key: paired_ratios(samples["generated"][endpoint.key], samples["hand-written"][endpoint.key])
        for endpoint in ENDPOINTS
    }
    return results


def paired_ratios(generated: list[dict[str, float]], hand_written: list[dict[str, float]]) -> list[float]:
    """generated/hand-written req/s of each repetition: the two apps run back to back in one, so a
    slow spell of the machine weighs on both sides of a ratio rather than on one app's median."""
    return [g["rps"] / h["rps"] for g, h in zip(generated, hand_written, strict=True)]
