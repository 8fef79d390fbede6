"""Render the manifest, format it, and write it atomically; or compare it with what is on disk.

The output folder is owned by apigen: a marker file lists what apigen wrote, stale files are removed
with the folder swap, and a folder without the marker is never replaced.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.cache import Cache

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


@functools.cache
def _ruff() -> tuple[str, ...]:
    """The ruff binary of the pinned package, run directly (`python -m ruff` adds an interpreter start)."""
    try:
        from ruff import find_ruff_bin  # type: ignore[import-untyped]

        return (str(find_ruff_bin()),)
    except (ImportError, FileNotFoundError):
        return (sys.executable, "-m", "ruff")


def format_python(
    files: Mapping[str, str], cache: Cache | None = None, formatted: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Run `ruff format` over all Python files at once (one process, deterministic settings).

    With a cache, a file whose path and unformatted text were formatted before is read back and only
    the others are given to ruff (every file is still written, so that ruff sees the same packages).
    `formatted`: files already formatted by an earlier call, with the same unformatted text."""
    result = dict(files)
    python = sorted(p for p in files if p.endswith(".py"))
    if not python:
        return result
    keys = {rel: cache.key("format", rel, files[rel]) for rel in python} if cache else {}
    todo = []
    for rel in python:
        hit = formatted.get(rel) if formatted else None
        if hit is None and cache:
            hit = cache.get("format", keys[rel])
        if isinstance(hit, str):
            result[rel] = hit
        else:
            todo.append(rel)
    if not todo:
        return result
    with tempfile.TemporaryDirectory(prefix="apigen-fmt-") as tmp:
        root = Path(tmp)
        for rel in python:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[rel], encoding="utf-8")
        # Fixes first, formatting last (ruff's own order). A second round of fixes after formatting
        # changed no file of the 27 corpus specs' output, and each round is a process on the path
        # of every run.
        for step in (["check", "--fix-only", *LINT_FIXES, "--exit-zero"], ["format"]):
            proc = subprocess.run(
                [*_ruff(), *step, *RUFF_ARGS, "--", *todo],
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                # A template produced invalid Python: that is apigen's bug, so say where.
                detail = " ".join((proc.stderr.strip() or proc.stdout.strip()).split())[:500]
                raise EmitError(f"internal error: generated code does not parse ({detail})")
        for rel in todo:
            result[rel] = (root / rel).read_text(encoding="utf-8")
            if cache:
                cache.put("format", keys[rel], result[rel], prune=False)
    if cache:
        cache.prune("format")
    return result


def _manifest(files: Mapping[str, str]) -> str:
    return "".join(f"{rel}\n" for rel in sorted(files))


def write_atomic(out: Path, files: Mapping[str, str]) -> bool:
    """Write everything into a sibling temp folder, then swap it in with renames; False when `out`
    already holds exactly these files (then nothing is touched).

    An exception or a kill at any point leaves the previous output in place (or, in the instant
    between the two renames, in `.<out>.old-<pid>`, from where the next run puts it back)."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover_leftovers(out)
    if up_to_date(out, files):
        return False
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise EmitError(f"refusing to replace {out}: it exists and was not written by apigen (no {MARKER})")
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    moved = False
    try:
        for rel, content in sorted({**files, MARKER: _manifest(files)}.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
        if out.exists():
            os.replace(out, old)
            moved = True
        os.replace(staging, out)
    except BaseException:
        if moved and not out.exists():
            os.replace(old, out)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if moved:
        shutil.rmtree(old, ignore_errors=True)
    return True


def _on_disk(out: Path) -> set[str]:
    return {
        p.relative_to(out).as_posix()
        for p in (out.rglob("*") if out.is_dir() else [])
        if p.is_file() and "__pycache__" not in p.parts and p.name != MARKER and "node_modules" not in p.parts
    }


def up_to_date(out: Path, files: Mapping[str, str]) -> bool:
    """`out` holds exactly `files`, byte for byte, and apigen's marker listing them."""
    try:
        if (out / MARKER).read_bytes() != _manifest(files).encode("utf-8") or _on_disk(out) != set(files):
            return False
        return all((out / rel).read_bytes() == content.encode("utf-8") for rel, content in files.items())
    except OSError:
        return False


_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<kind>new|old)-(?P<pid>\d+)(-.*)?")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but belongs to someone else
    return True


def recover_leftovers(out: Path) -> None:
    """Folders a killed run left beside `out`: a staging folder is deleted; a previous output moved
    aside in the instant before the swap is put back when `out` itself is missing."""
    if not out.parent.is_dir():
        return
    for entry in sorted(out.parent.iterdir()):
        match = _LEFTOVER.fullmatch(entry.name)
        if not match or match["name"] != out.name or not entry.is_dir() or _alive(int(match["pid"])):
            continue
        if match["kind"] == "old" and not out.exists() and (entry / MARKER).is_file():
            os.replace(entry, out)
        else:
            shutil.rmtree(entry, ignore_errors=True)


def diff(out: Path, files: Mapping[str, str]) -> list[str]:
    """Human-readable differences between `out` and what would be written (empty when equal)."""
    problems = []
    on_disk = _on_disk(out)
    for rel in sorted(set(files) | on_disk):
        if rel not in on_disk:
            problems.append(f"missing: {out / rel}")
        elif rel not in files:
            problems.append(f"stale: {out / rel} (generate would remove it)")
        elif (out / rel).read_text(encoding="utf-8") != files[rel]:
            problems.append(f"changed: {out / rel}")
    return problems
