"""Run one command and measure it: wall time, CPU time (user + system of the whole process tree)
and peak memory.

Peak memory is the larger of two figures: the kernel's maximum resident set of the largest single
process of the tree (wait4's ru_maxrss), and the largest sum of resident sets over the live tree,
sampled every 50 ms from /proc. The first misses trees of several big processes (a Python wrapper
starting a JVM, a process pool); the second can miss a spike shorter than 50 ms; together they bound
what the command needs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Run:
    ok: bool
    wall_s: float
    cpu_s: float
    peak_mb: float
    reason: str  # why it failed: the last meaningful line of its output ("" when ok)
    output: str  # stdout + stderr, for the record


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MiB (0 when it is gone)."""
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, ()))
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total / 2**20


def last_line(text: str) -> str:
    """The most telling line of a failing tool's output: the last error-looking one, else the last."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines):
        if any(word in line.lower() for word in ("error", "exception", "failed", "invalid")):
            return line[:200]
    return lines[-1][:200] if lines else "no output"


def run(
    argv: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout_s: float = 600,
) -> Run:
    out_path = Path(os.environ.get("TMPDIR", "/tmp"), f"apigen-bench-{os.getpid()}.log")
    with out_path.open("w+b") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(a) for a in argv],
            cwd=cwd,
            env=None if env is None else dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        peak = 0.0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.05):
                peak = max(peak, tree_rss_mb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timed_out = False
        deadline = start + timeout_s
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
            time.sleep(0.01)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    out_path.unlink(missing_ok=True)
    peak = max(peak, usage.ru_maxrss / 1024)
    ok = proc.returncode == 0 and not timed_out
    reason = ""
    if timed_out:
        reason = f"timed out after {timeout_s:.0f} s"
    elif not ok:
        reason = f"exit {proc.returncode}: {last_line(text)}"
    return Run(ok, wall, usage.ru_utime + usage.ru_stime, peak, reason, text)
