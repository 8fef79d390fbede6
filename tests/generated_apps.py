"""Test plumbing shared by the tests that drive a generated app in-process (no fixtures here)."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from starlette.exceptions import StarletteDeprecationWarning

from generator.mock import generated_package

# Starlette warns at import that its TestClient still uses httpx; that and nothing else is ignored.
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore",
        message="Using `httpx` with `starlette.testclient` is deprecated",
        category=StarletteDeprecationWarning,
    )
    from fastapi.testclient import TestClient

__all__ = ["TestClient", "generated_modules", "recording_app", "recording_client"]


@contextlib.contextmanager
def generated_modules(spec_text: str, folder: Path) -> Iterator[tuple[ModuleType, ModuleType, ModuleType]]:
    """(app module, handlers module, runtime module) generated from `spec_text`."""
    spec = folder / "spec.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    with generated_package(spec) as (_, app_module, handlers_module):
        # handlers.py imports the runtime only when its signatures use it
        runtime = importlib.import_module(handlers_module.__name__.rpartition(".")[0] + ".runtime")
        yield app_module, handlers_module, runtime


@contextlib.contextmanager
def recording_app(
    app_module: ModuleType, handlers_module: ModuleType
) -> Iterator[tuple[TestClient, list[dict[str, Any]]]]:
    """The generated app with handlers (of the one tag, `default`) that record what they receive."""
    received: list[dict[str, Any]] = []
    protocol = handlers_module.DefaultHandlers

    def method(name: str) -> Any:
        async def record(self: object, **kwargs: Any) -> None:
            received.append(kwargs)

        record.__name__ = record.__qualname__ = name
        record.__signature__ = inspect.signature(getattr(protocol, name))  # type: ignore[attr-defined]
        return record

    names = [n for n in vars(protocol) if not n.startswith("_")]
    implementation = type("Recording", (), {n: method(n) for n in names})
    with TestClient(app_module.create_app(default=implementation)) as client:
        yield client, received


@contextlib.contextmanager
def recording_client(spec_text: str, folder: Path) -> Iterator[tuple[TestClient, list[dict[str, Any]]]]:
    """The app generated from `spec_text` with recording handlers (see recording_app)."""
    with (
        generated_modules(spec_text, folder) as (app_module, handlers_module, _),
        recording_app(app_module, handlers_module) as recording,
    ):
        yield recording
