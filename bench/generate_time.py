"""Time `apigen generate` on one spec: from scratch, no-op rerun, and fresh output with a warm cache.

    python bench/generate_time.py SPEC [--runs N] [--package NAME]

Prints one JSON object. For each scenario, the median over N runs of: wall seconds, CPU seconds
(user + system of apigen and every process it waited for: the models worker, ruff), the peak RSS
of the largest single process, and the peak of the summed RSS of the whole process tree (sampled
every 20 ms). Scenarios:
  scratch  - empty output folder, empty cache (a fresh APIGEN_CACHE_DIR)
  noop     - the same command again: output and cache already there
  warm     - empty output folder, cache from the scratch run (e.g. a second checkout)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry))
    return tree


def _tree_rss(root: int) -> int:
    tree, total, stack = _children(), 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(tree.get(pid, ()))
    return total


def run(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stderr is not None
    stderr = proc.stderr.read()  # the pipe must be drained while waiting
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode != 0:
        sys.stderr.write(stderr.decode(errors="replace")[-2000:])
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "peak_tree_rss_mib": round(peak / 2**20, 1),
        "exit": proc.returncode,
    }


def median(samples: list[dict[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {key: statistics.median(s[key] for s in samples) for key in samples[0] if key != "exit"}
    result["exit"] = max(s["exit"] for s in samples)
    result["runs"] = len(samples)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("spec", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--package", default="api")
    args = parser.parse_args()
    spec = args.spec.resolve()
    scenarios: dict[str, list[dict[str, Any]]] = {"scratch": [], "noop": [], "warm": []}
    with tempfile.TemporaryDirectory(prefix="apigen-bench-") as tmp:
        for index in range(args.runs):
            cache, out = Path(tmp) / f"cache{index}", Path(tmp) / f"out{index}"
            env = {**os.environ, "APIGEN_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
            command = [sys.executable, "-m", "generator", "generate", str(spec), "--out", str(out)]
            command += ["--package", args.package]
            scenarios["scratch"].append(run(command, env))
            scenarios["noop"].append(run(command, env))
            shutil.rmtree(out)
            scenarios["warm"].append(run(command, env))
            shutil.rmtree(out)
            shutil.rmtree(cache, ignore_errors=True)
    report: dict[str, Any] = {"spec": str(args.spec), "cpus": os.cpu_count()}
    report.update((k, median(v)) for k, v in scenarios.items())
    print(json.dumps(report, indent=2))
    return 0 if all(report[k]["exit"] == 0 for k in scenarios) else 1


if __name__ == "__main__":
    sys.exit(main())
