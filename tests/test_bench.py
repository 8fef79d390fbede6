"""The measuring parts of `make bench`: what they report for a command whose cost is known."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from bench import envs, gen
from bench.measure import Run, last_line, run
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


def test_apigen_runs_from_scratch_with_an_empty_cache_and_its_no_op_with_that_run_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without its own cache folder every apigen repetition after the first read its result from the
    user cache (0.3 s instead of a generation) and the from-scratch medians were wrong."""
    seen: list[tuple[str, bool]] = []

    def fake_run(argv: list[str], *, env: dict[str, str] | None = None, **_: object) -> Run:
        assert env is not None
        cache = Path(env["APIGEN_CACHE_DIR"])
        seen.append((str(cache), any(cache.iterdir())))
        (cache / "entry").write_text("x")  # what a real run leaves behind
        Path(argv[-1]).joinpath("out.txt").write_text("generated")
        return Run(True, 1.0, 1.0, 10.0, "", "")

    apigen = gen.Tool("apigen", "apigen", "", lambda s, o: ["apigen", s, o], cached=True)
    monkeypatch.setattr(gen, "tools", lambda: [apigen])
    monkeypatch.setattr(gen, "specs", lambda: [gen.Spec("small", tmp_path / "spec.yaml", "small", 3)])
    monkeypatch.setattr(gen, "run", fake_run)
    results, noop = gen.bench(tmp_path / "work", lambda line: None)
    # scratch, no-op, scratch, no-op, scratch (the last repetition has no no-op)
    assert len(results[0].runs) == 3 and len(noop[0].runs) == 2 and len(seen) == 5
    assert [used for _, used in seen[0::2]] == [False, False, False]  # every scratch run: an empty cache
    assert [used for _, used in seen[1::2]] == [True, True]  # each no-op: the cache its run filled
    assert seen[1][0] == seen[0][0] and seen[3][0] == seen[2][0]


def test_apigen_is_byte_compiled_before_it_is_timed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # As pip does for the competitors' packages; apigen's editable install has no bytecode otherwise
    # when PYTHONDONTWRITEBYTECODE is set.
    package = tmp_path / "generator"
    package.mkdir()
    (package / "stage.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.setattr(envs, "ROOT", tmp_path)
    gen.byte_compile_apigen()
    assert Path(importlib.util.cache_from_source(str(package / "stage.py"))).is_file()


def test_the_runtime_ratio_is_the_median_of_each_repetitions_ratio() -> None:
    from bench import throughput
    from bench.run import throughput_table

    # A slow spell in the first repetition hit the generated app's sample only; paired with the
    # hand-written sample taken right after it, it is one ratio of three, not the whole median.
    generated = [{"rps": 600.0, "p99_ms": 175.0}, {"rps": 850.0, "p99_ms": 80.0}, {"rps": 940.0, "p99_ms": 86.0}]
    hand = [{"rps": 900.0, "p99_ms": 59.0}, {"rps": 840.0, "p99_ms": 72.0}, {"rps": 980.0, "p99_ms": 85.0}]
    assert throughput.paired_ratios(generated, hand) == pytest.approx([600 / 900, 850 / 840, 940 / 980])
    endpoint = next(iter(throughput.WORK))

    def cell(rps: float) -> dict[str, dict[str, float]]:
        return {key: {"rps": rps, "p99_ms": 50.0} for key in throughput.WORK}

    data = {
        "load": "test",
        "work": {},
        "apps": {},
        "smoke_problems": {},
        "results": {"generated": cell(850), "hand-written": cell(900), "connexion": cell(700)},
        "ratios": {key: throughput.paired_ratios(generated, hand) for key in throughput.WORK},
    }
    row = next(line for line in throughput_table(data).splitlines() if line.startswith(f"| {endpoint}"))
    assert "0.96x (0.67 / 1.01 / 0.96)" in row and ">= 0.95x OK" in row
