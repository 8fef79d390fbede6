"""The generated client in a real browser: headless Chromium, the page on one 127.0.0.1 origin, the
live service on another (so every call is a CORS request the service must allow).

Needs /usr/bin/chromium (`make chromium` installs it; `make test` depends on that) and the npm dev
tools (playwright-core, esbuild). tests/browser/run.mjs bundles tests/browser/page.ts with esbuild,
serves it, drives Chromium and prints the page's results.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

from tests.live_server import BOOTSTRAP_TOKEN, running_server
from tests.test_typescript import _node

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_client_in_headless_chromium_across_origins() -> None:
    node = _node()
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    page_port = _free_port()
    origin = f"http://127.0.0.1:{page_port}"
    with running_server(env={"APIGEN_CORS_ORIGINS": origin}) as base_url:
        assert base_url != origin
        run = subprocess.run(
            [node, str(ROOT / "tests" / "browser" / "run.mjs"), base_url, BOOTSTRAP_TOKEN],
            cwd=ROOT,
            env=dict(os.environ, PAGE_PORT=str(page_port)),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    results = report["results"]
    assert results == {
        "origin": origin,
        "health": "ok",
        "created": 201,
        "location": results.get("location"),
        "login": 200,
        "getUser": True,
        "missing": "not_found",
        "listUsers": 5,
        "upload": 204,
        "download": [137, 80, 78, 71, 1, 2, 3, 250],
        "aborted": "aborted",
        "timeout": "timeout",
        "networkError": "network-error",
        "deleted": 204,
        "stream": ["browser ", "stream ", "browser ", "usage:3"],
    }, report
    # Location is readable cross-origin only because the service exposes it (CORS expose_headers).
    assert "/users/" in str(results["location"]), report
