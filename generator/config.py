"""Frozen configuration: `[tool.apigen]` in pyproject.toml, overridden by command-line flags."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Config:
    spec: Path | None = None
    out: Path | None = None
    package: str = "api"
    service: Path | None = None


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path) -> Config:
    pyproject = find_pyproject(start)
    if pyproject is None:
        return Config()
    try:
        table: dict[str, Any] = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("apigen", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read [tool.apigen]: {exc}") from None
    root = pyproject.parent

    def path(key: str) -> Path | None:
        value = table.get(key)
        return root / value if isinstance(value, str) else None

    package = table.get("package", "api")
    return Config(spec=path("spec"), out=path("out"), package=str(package), service=path("service"))


class ConfigError(Exception):
    pass


def check_package_name(name: str) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ConfigError(f"package name {name!r} must be a lower-case Python identifier")
