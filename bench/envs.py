"""Isolated, pinned installs of the competitors under var/bench/ (never in git, never in .venv).

Python tools: one venv each, installed with --no-deps from a complete lock in bench/locks/ (every
transitive package at an exact version). Node tools: bench/node/package.json + package-lock.json
copied to var/bench/node and installed with `npm ci`. An install is redone only when its lock changes.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VAR = ROOT / "var" / "bench"
ENVS = VAR / "envs"
NODE = VAR / "node"

# name -> the pinned top-level requirement (the lock file holds the full set)
PYTHON_TOOLS = {
    "fcg": "fastapi-code-generator==0.8.1",
    "oag": "openapi-generator-cli==7.26.0",
    "connexion": "connexion[uvicorn]==3.3.0",
}


def _digest(*files: Path) -> str:
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


def _fresh(stamp: Path, digest: str) -> bool:
    return stamp.exists() and stamp.read_text() == digest


def python_env(name: str) -> Path:
    """The venv of one Python tool (installed when missing or stale); returns its bin/ folder."""
    lock = BENCH / "locks" / f"{name}.txt"
    env = ENVS / name
    stamp = env / ".installed"
    digest = _digest(lock)
    if not _fresh(stamp, digest):
        print(f"bench: installing {PYTHON_TOOLS[name]} into {env.relative_to(ROOT)}", flush=True)
        shutil.rmtree(env, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", env], check=True)
        pip: list[str | Path] = [
            env / "bin" / "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "-r",
            lock,
        ]
        done = subprocess.run(pip, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"pip install -r {lock.name} failed: {done.stderr.strip()[-400:]}")
        stamp.write_text(digest)
    return env / "bin"


def node_env() -> Path:
    """var/bench/node with the pinned npm packages; returns its node_modules/.bin folder."""
    sources = [BENCH / "node" / "package.json", BENCH / "node" / "package-lock.json"]
    stamp = NODE / ".installed"
    digest = _digest(*sources)
    if not _fresh(stamp, digest):
        print(f"bench: npm ci in {NODE.relative_to(ROOT)}", flush=True)
        shutil.rmtree(NODE, ignore_errors=True)
        NODE.mkdir(parents=True)
        for source in sources:
            shutil.copy(source, NODE / source.name)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE, check=True)
        stamp.write_text(digest)
    return NODE / "node_modules" / ".bin"


def wrk() -> str:
    """The wrk load generator (Debian package; installed when missing, as `make chromium` does)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("bench: installing wrk (apt-get)", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env={"DEBIAN_FRONTEND": "noninteractive"})
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed and apt-get could not install it")
    return found
