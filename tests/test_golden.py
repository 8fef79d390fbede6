"""Golden files: the whole output for tests/specs/mini.yaml, compared byte for byte.

Update with `make golden` (never by hand) and review the diff."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .paths import REPO, apigen_command, apigen_env

MINI = REPO / "tests" / "specs" / "mini.yaml"
GOLDEN = REPO / "tests" / "golden" / "mini"


def _generate(out: Path) -> None:
    result = subprocess.run(
        apigen_command("generate", "tests/specs/mini.yaml", "--out", str(out), "--package", "mini"),
        cwd=REPO,
        env=apigen_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_mini_spec_matches_golden_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _generate(out)
    if os.environ.get("APIGEN_UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    assert GOLDEN.is_dir(), "no golden files: run `make golden`"
    got, want = _files(out), _files(GOLDEN)
    assert sorted(got) == sorted(want)
    changed = [name for name in want if got[name] != want[name]]
    assert changed == [], f"differs from tests/golden/mini: {changed}; run `make golden` and review"


def test_mini_app_imports_and_its_document_keeps_the_operation_ids(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _generate(out)
    script = (
        "from mini import app, handlers, models\n"
        "assert hasattr(models, 'AddNoteRequest') and hasattr(models, 'ListNotesResponse')\n"
        "print(sorted(n for n in dir(handlers) if n.endswith('Handlers')))\n"
    )
    env = apigen_env()
    env["PYTHONPATH"] = str(out / "python")
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['DefaultHandlers', 'NotesHandlers']"
