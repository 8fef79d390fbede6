"""Render the manifest, format it, and write it atomically; or compare it with what is on disk.

The output folder is owned by apigen: a marker file lists what apigen wrote, stale files are removed
with the folder swap, and a folder without the marker is never replaced.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MARKER = ".apigen-manifest"
RUFF_ARGS = ("--isolated", "--line-length", "100", "--target-version", "py311")
# Safe autofixes of the house lint set, so generated code passes `ruff check` in a user's project
# too (sorted imports and __all__, unused imports and noqa comments dropped). Fixed settings keep
# the output independent of whatever configuration surrounds the output folder.
LINT_FIXES = ("--select", "E,F,W,I,B,UP,SIM,RUF,N,C4,PIE,RET", "--ignore", "RUF001")


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative, with forward slashes
    content: str


class EmitError(Exception):
    pass


def format_python(files: Mapping[str, str]) -> dict[str, str]:
    """Run `ruff format` over all Python files at once (one process, deterministic settings)."""
    result = dict(files)
    python = sorted(p for p in files if p.endswith(".py"))
    if not python:
        return result
    with tempfile.TemporaryDirectory(prefix="apigen-fmt-") as tmp:
        root = Path(tmp)
        for rel in python:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[rel], encoding="utf-8")
        for step in (
            ["check", "--fix-only", *LINT_FIXES, "--exit-zero"],
            ["format"],
            ["check", "--fix-only", *LINT_FIXES, "--exit-zero"],
        ):
            proc = subprocess.run(
                [sys.executable, "-m", "ruff", *step, *RUFF_ARGS, "."],
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                # A template produced invalid Python: that is apigen's bug, so say where.
                detail = " ".join((proc.stderr.strip() or proc.stdout.strip()).split())[:500]
                raise EmitError(f"internal error: generated code does not parse ({detail})")
        for rel in python:
            result[rel] = (root / rel).read_text(encoding="utf-8")
    return result


def _manifest(files: Mapping[str, str]) -> str:
    return "".join(f"{rel}\n" for rel in sorted(files))


def write_atomic(out: Path, files: Mapping[str, str]) -> None:
    """Write everything into a sibling temp folder, then swap it in with renames."""
    out = out.resolve()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise EmitError(f"refusing to replace {out}: it exists and was not written by apigen (no {MARKER})")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel, content in sorted({**files, MARKER: _manifest(files)}.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
        old = None
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            os.replace(out, old)
        os.replace(staging, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def diff(out: Path, files: Mapping[str, str]) -> list[str]:
    """Human-readable differences between `out` and what would be written (empty when equal)."""
    problems = []
    on_disk = {
        p.relative_to(out).as_posix()
        for p in (out.rglob("*") if out.is_dir() else [])
        if p.is_file() and "__pycache__" not in p.parts and p.name != MARKER and "node_modules" not in p.parts
    }
    for rel in sorted(set(files) | on_disk):
        if rel not in on_disk:
            problems.append(f"missing: {out / rel}")
        elif rel not in files:
            problems.append(f"stale: {out / rel} (generate would remove it)")
        elif (out / rel).read_text(encoding="utf-8") != files[rel]:
            problems.append(f"changed: {out / rel}")
    return problems
