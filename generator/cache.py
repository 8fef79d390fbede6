"""Content-addressed cache of generation results, so that regenerating an unchanged spec is instant.

A result is stored under a key that hashes everything the output depends on: the spec's bytes and
display name, the package name, --lenient, apigen's own source and templates, the Python version and
the versions of the libraries that shape the output. Anything else changing gives another key. Three
stages are cached: the whole result (no-op regeneration imports no heavy library at all; its IR is a
separate entry, read only for scaffolding), the models module (datamodel-code-generator is most of
the time on large specs; editing only paths keeps it) and each Python file as ruff formats it
(keyed by its path and unformatted text: after a small edit only the files that changed are
formatted again; GitHub's models.py alone takes ruff ~1.5 CPU-s).

Location: $APIGEN_CACHE_DIR, else $XDG_CACHE_HOME/apigen, else ~/.cache/apigen.
APIGEN_CACHE_DIR=off (or empty) disables it. A broken or unreadable entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

PACKAGE_ROOT = Path(__file__).resolve().parent
TEMPLATES = PACKAGE_ROOT.parent / "templates"
# Libraries whose version can change what is written.
LIBRARIES = ("datamodel-code-generator", "ruff", "jinja2", "openapi-spec-validator", "pyyaml", "pydantic")
FORMAT = b"apigen-cache-1"
MAX_ENTRIES = 64  # per kind; the oldest are removed beyond that
# Per kind when more than MAX_ENTRIES: one entry per Python file (GitHub's spec gives 50).
KIND_MAX_ENTRIES = {"format": 1024}


def _source_digest() -> str:
    """apigen's own code and templates: editing either invalidates every entry."""
    digest = hashlib.sha256(FORMAT)
    digest.update(repr(sys.version_info[:2]).encode())
    versions = library_versions()
    for name in LIBRARIES:
        digest.update(f"{name}={versions.get(_normal(name), '-')}\n".encode())
    for root in (PACKAGE_ROOT, TEMPLATES):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def library_versions() -> dict[str, str]:
    """Normalised name -> version of LIBRARIES, as importlib.metadata.version finds them (the first
    `<name>-<version>.dist-info` on sys.path), without importing importlib.metadata: a third of a
    cached run's time."""
    wanted = {_normal(name) for name in LIBRARIES}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            folders = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in sorted(folders):
            stem, dot, kind = folder.rpartition(".")
            if dot and kind in ("dist-info", "egg-info"):
                name, _, version = stem.partition("-")
                if _normal(name) in wanted:
                    found.setdefault(_normal(name), version)
    return found


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._source: str | None = None

    def key(self, *parts: bytes | str) -> str:
        """A key over the source digest and `parts` (each length-prefixed: no ambiguous joins)."""
        if self._source is None:
            self._source = _source_digest()
        # BLAKE2b: GitHub's 13 MB spec hashes in 21 ms against SHA-256's 34 (no SHA instructions here).
        digest = hashlib.blake2b(self._source.encode(), digest_size=32)
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            digest.update(f"{len(data)}:".encode() + data)
        return digest.hexdigest()

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / f"{key}.pickle"

    def get(self, kind: str, key: str) -> Any | None:
        try:
            with open(self._path(kind, key), "rb") as handle:
                return pickle.load(handle)  # only the user's own private cache folder is read
        except Exception:  # missing, truncated, written by another version: a miss
            return None

    def put(self, kind: str, key: str, value: Any, *, prune: bool = True) -> None:
        """Store atomically; failing to cache never fails the run. `prune=False` leaves removing the
        oldest entries to a later `prune(kind)` (one scan of the folder for many entries)."""
        folder = self.root / kind
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self._path(kind, key))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            if prune:
                self.prune(kind)
        except OSError:
            return

    def prune(self, kind: str) -> None:
        """Remove the oldest entries of `kind` beyond its limit; failing never fails the run."""
        try:
            entries = sorted((self.root / kind).glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
            for stale in entries[KIND_MAX_ENTRIES.get(kind, MAX_ENTRIES) :]:
                stale.unlink(missing_ok=True)
        except OSError:
            return


def default_cache() -> Cache | None:
    """The cache the command line uses (see the module docstring); None when disabled."""
    configured = os.environ.get("APIGEN_CACHE_DIR")
    if configured is not None:
        return None if configured.strip() in ("", "off") else Cache(Path(configured))
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Cache(Path(base) / "apigen")
