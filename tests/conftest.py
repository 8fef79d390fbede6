"""The generation cache (generator/cache.py) is off in tests unless a test sets APIGEN_CACHE_DIR itself:
every test exercises the generator, and nothing is written to the user's cache folder."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    os.environ["APIGEN_CACHE_DIR"] = "off"
