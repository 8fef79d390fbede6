"""Atomic output: an exception or a kill at any point leaves the previous output intact, nothing is
written outside the output folder except new stubs in service/, and leftovers of a killed run do not
break the next one."""

from __future__ import annotations

import builtins
import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import emit
from generator.__main__ import main

from .paths import REPO, apigen_env

MINI = REPO / "tests" / "specs" / "mini.yaml"
CORPUS = REPO.parent / "shared" / "corpus"
# Large enough to still be running 3 s in and to write for a while (174 operations); GitHub took 85 s.
LARGE = CORPUS / "slack-web.json"


def checksums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def previous(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str], dict[str, str]]:
    """A project folder with a previous output in out/ and a hand-written service/ file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "service").mkdir()
    (tmp_path / "service" / "mine.py").write_text("# my own code\n", encoding="utf-8")
    assert main(["generate", str(MINI), "--out", "out", "--package", "mini"]) == 0
    return tmp_path, checksums(tmp_path / "out"), checksums(tmp_path / "service")


def _siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".out."))


def test_failure_in_the_last_file_write_keeps_the_previous_output(
    previous: tuple[Path, dict[str, str], dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, before, _ = previous
    files = {"python/x.py": "x = 1\n", "typescript/src/types.ts": "export {};\n"}
    written: list[str] = []

    def failing_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            written.append(Path(file).name)
            if Path(file).name == "types.ts":
                raise OSError(28, "No space left on device")
        return builtins.open(file, mode, *args, **kwargs)

    monkeypatch.setattr(emit, "open", failing_open, raising=False)
    with pytest.raises(OSError, match="No space left"):
        emit.write_atomic(root / "out", files)
    assert written == [emit.MARKER, "x.py", "types.ts"]  # the failure was in the last write
    assert checksums(root / "out") == before
    assert _siblings(root) == []


def test_failure_in_the_swap_puts_the_previous_output_back(
    previous: tuple[Path, dict[str, str], dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, before, _ = previous
    real_replace = os.replace

    def failing_replace(src: Any, dst: Any) -> None:
        if ".new-" in str(src):
            raise OSError(5, "I/O error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="I/O error"):
        emit.write_atomic(root / "out", {"python/x.py": "x = 1\n"})
    monkeypatch.undo()
    assert checksums(root / "out") == before
    assert _siblings(root) == []


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(proc.stdout)


def test_leftovers_of_a_killed_run_are_cleaned_up(previous: tuple[Path, dict[str, str], dict[str, str]]) -> None:
    root, _, _ = previous
    pid = _dead_pid()
    (root / f".out.new-{pid}-abc" / "python").mkdir(parents=True)
    (root / f".out.old-{pid}").mkdir()
    (root / f".out.new-{os.getpid()}-live").mkdir()  # a live run's staging folder is left alone
    assert main(["generate", str(MINI), "--out", "out", "--package", "mini"]) == 0
    assert _siblings(root) == [f".out.new-{os.getpid()}-live"]


def test_output_moved_aside_by_a_killed_run_is_put_back(
    previous: tuple[Path, dict[str, str], dict[str, str]],
) -> None:
    root, before, _ = previous
    pid = _dead_pid()
    os.replace(root / "out", root / f".out.old-{pid}")  # killed between the two renames
    emit.recover_leftovers((root / "out").resolve())
    assert checksums(root / "out") == before
    assert _siblings(root) == []


# Runs `apigen generate` in a subprocess that SIGKILLs itself at a chosen point, so the kill lands
# exactly there however fast or loaded the machine is: "parse" = while the spec is being read,
# a number N = right after the N-th file was written into the staging folder.
KILLER = """
import builtins, os, signal, sys
from generator import emit, loader
from generator.__main__ import main

point, args = sys.argv[1], sys.argv[2:]

def die(*_: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)

if point == "parse":
    loader.parse_document = die
else:
    written = 0

    def open_then_die(file, mode="r", *rest, **kwargs):
        global written
        if "w" in mode and ".new-" in str(file):
            if written == int(point):  # the previous files are written and closed
                die()
            written += 1
        return builtins.open(file, mode, *rest, **kwargs)

    emit.open = open_then_die
sys.exit(main(args))
"""


def _killed_run(root: Path, point: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", KILLER, point, "generate", str(LARGE), "--out", "out", "--package", "big"]
    command += ["--service", "service"]
    return subprocess.run(command, cwd=root, env=apigen_env(), capture_output=True, text=True, timeout=600)


def test_kill_9_mid_run_leaves_the_previous_output(
    previous: tuple[Path, dict[str, str], dict[str, str]],
) -> None:
    """`kill -9` while a large spec is being read, and while its output is being written."""
    if not LARGE.is_file():
        pytest.fail(f"{LARGE} is missing: the shared corpus (../shared/corpus) is needed for this test")
    root, before, service_before = previous
    early = _killed_run(root, "parse")
    assert early.returncode == -signal.SIGKILL, early.stderr[-2000:]
    assert checksums(root / "out") == before
    # Late: 3 files are in the staging folder when the kill comes.
    late = _killed_run(root, "3")
    assert late.returncode == -signal.SIGKILL, late.stderr[-2000:]
    assert checksums(root / "out") == before
    assert checksums(root / "service") == service_before
    staged = [p for p in root.glob(".out.new-*") if p.is_dir()]
    assert len(staged) == 1 and sum(1 for p in staged[0].rglob("*") if p.is_file()) == 3
    # The next run is not disturbed by the leftovers, and removes them.
    assert main(["generate", str(MINI), "--out", "out", "--package", "mini", "--service", "service"]) == 0
    assert checksums(root / "out") == before
    assert _siblings(root) == []
    service_after = checksums(root / "service")
    assert {k: v for k, v in service_after.items() if k in service_before} == service_before
