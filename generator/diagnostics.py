"""Located problems: every message the user sees names a file, a line, a column and a JSON pointer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


def escape_pointer_token(token: str | int) -> str:
    """RFC 6901: '~' and '/' are escaped inside one reference token."""
    text = str(token)
    if "~" not in text and "/" not in text:
        return text
    return text.replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + escape_pointer_token(t) for t in tokens)


def split_pointer(pointer: str) -> list[str]:
    if pointer in ("", "#"):
        return []
    body = pointer[2:] if pointer.startswith("#/") else pointer.lstrip("/")
    return [t.replace("~1", "/").replace("~0", "~") for t in body.split("/")]


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    file: str
    line: int
    col: int
    message: str
    pointer: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        # One line, always: messages from libraries may contain newlines.
        message = " ".join(self.message.split())
        where = f" [#{self.pointer}]" if self.pointer else ""
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {message}{where}"


class SpecError(Exception):
    """Raised with the full list of problems; the CLI prints them and exits 1."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = sorted(diagnostics)
