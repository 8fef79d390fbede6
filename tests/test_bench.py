"""The measuring parts of `make bench`: what they report for a command whose cost is known."""

from __future__ import annotations

import sys

from bench.measure import last_line, run
from bench.run import table

ALLOCATE = "import time; block = bytearray(200 * 2**20); block[::4096] = b'x' * len(block[::4096]); time.sleep(0.3)"


def test_peak_memory_and_cpu_of_a_child_are_measured() -> None:
    measured = run([sys.executable, "-c", ALLOCATE])
    assert measured.ok, measured.reason
    assert 200 <= measured.peak_mb < 400
    assert measured.wall_s >= 0.3
    assert 0 < measured.cpu_s < measured.wall_s


def test_peak_memory_counts_the_whole_process_tree() -> None:
    """Two children of 150 MB each at the same time: more than either alone (a wrapper + JVM case)."""
    child = "import time; b = bytearray(150 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1)"
    parent = (
        "import subprocess, sys; "
        f"ps = [subprocess.Popen([sys.executable, '-c', {child!r}]) for _ in range(2)]; "
        "[p.wait() for p in ps]"
    )
    measured = run([sys.executable, "-c", parent])
    assert measured.ok, measured.reason
    assert measured.peak_mb >= 300


def test_a_failing_command_is_reported_with_its_error_line() -> None:
    measured = run([sys.executable, "-c", "import sys; print('working'); sys.exit('Error: spec has no paths')"])
    assert not measured.ok
    assert measured.reason == "exit 1: Error: spec has no paths"


def test_a_command_over_its_time_limit_is_stopped_and_reported() -> None:
    measured = run([sys.executable, "-c", "import time; time.sleep(30)"], timeout_s=0.5)
    assert not measured.ok
    assert measured.reason.startswith("timed out after")
    assert measured.wall_s < 10


def test_last_line_prefers_the_error() -> None:
    assert last_line("Traceback\nValueError: bad name\n  at the end\n") == "ValueError: bad name"
    assert last_line("all\nquiet\n") == "quiet"
    assert last_line("") == "no output"


def test_table_pads_columns() -> None:
    assert table(["a", "bb"], [["ccc", "d"]]).splitlines() == ["| a   | bb |", "|-----|----|", "| ccc | d  |"]
