"""The spec file's bytes and display name: all that a cached run reads (no YAML library imported)."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostic, SpecError


def display_path(path: Path) -> str:
    """The path as the user typed it relative to the working directory, when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_spec(path: Path) -> tuple[bytes, str]:
    """The spec's bytes and its display name."""
    name = display_path(path)
    try:
        return path.read_bytes(), name
    except OSError as exc:
        raise SpecError([Diagnostic(name, 1, 1, f"cannot read spec: {exc.strerror or exc}")]) from None
