"""Run the example service in a real uvicorn subprocess for black-box tests.

    with running_server() as base_url:
        httpx.get(f"{base_url}/health")

Each call starts a fresh process on a free 127.0.0.1 port with an in-memory database
(APIGEN_DB=":memory:") and the bootstrap admin token BOOTSTRAP_TOKEN.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOTSTRAP_TOKEN = "test-admin-token"
STARTUP_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _server_env(extra: dict[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(ROOT / "generated" / "python"), str(ROOT)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["APIGEN_DB"] = ":memory:"
    env["APIGEN_BOOTSTRAP_TOKEN"] = BOOTSTRAP_TOKEN
    env["PYTHONUNBUFFERED"] = "1"
    if extra:
        env.update(extra)
    return env


def _health_ok(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/health", timeout=1.0) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


@contextlib.contextmanager
def running_server(env: dict[str, str] | None = None, workers: int = 1) -> Iterator[str]:
    """Start the service as `make serve` does (`python -m service.serve`: uvicorn) on a free port, yield
    its base URL, stop it on exit.

    `env` overrides/extends the server's environment (e.g. {"APIGEN_CORS_ORIGINS": "..."}); `workers` is
    the number of uvicorn worker processes.
    Raises RuntimeError with the server's stderr when /health does not answer in 20 s.
    """
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "service.serve", "--port", str(port), "--workers", str(workers)]
    # stderr goes to a file, not a pipe: a chatty server must never block on a full pipe.
    with tempfile.TemporaryFile() as stderr_file:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=_server_env(env),
            stdin=subprocess.DEVNULL,
            stdout=stderr_file,
            stderr=stderr_file,
        )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while not _health_ok(base_url):
                if process.poll() is not None or time.monotonic() > deadline:
                    _stop(process)
                    stderr_file.seek(0)
                    output = stderr_file.read().decode(errors="replace")
                    reason = (
                        f"exited with code {process.returncode}"
                        if process.returncode is not None
                        else f"did not answer GET /health within {STARTUP_TIMEOUT:.0f} s"
                    )
                    raise RuntimeError(f"service {reason} ({' '.join(command)})\n--- server output ---\n{output}")
                time.sleep(0.1)
            yield base_url
        finally:
            _stop(process)


def accepted_connection_nodelay(sock: socket.socket) -> int:
    """TCP_NODELAY of a connection accepted by asyncio on the bound socket `sock` (closed after):
    asyncio turns Nagle off only on connections of a socket created as IPPROTO_TCP, and with Nagle on
    every response body waited ~40 ms for the client's delayed ACK."""

    async def accept_one() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.set_result(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", sock.getsockname()[1])
            value = await asyncio.wait_for(seen, 10)
            writer.close()
        return value

    return asyncio.run(accept_one())
