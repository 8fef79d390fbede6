"""Locations shared by the tests (no fixtures with side effects here)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "spec" / "openapi.yaml"
GENERATED = REPO / "generated"
SERVICE = REPO / "service"
PACKAGE = "team_api"


def apigen_env(**extra: str) -> dict[str, str]:
    """Environment for running `python -m generator` (and the generated code) in a subprocess."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "generated" / "python"), str(REPO)])
    env.update(extra)
    return env


def apigen_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]
