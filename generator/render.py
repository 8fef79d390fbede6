"""The Jinja2 environment: strict undefined, and the few filters that turn values into literals."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def py_str(value: object) -> str:
    """A Python string literal; repr() escapes quotes, backslashes, newlines and control characters."""
    return repr(str(value))


def py_doc(value: object) -> str:
    """A docstring literal. Triple quotes only when nothing inside can end or escape them."""
    text = str(value).strip()
    plain = all(ch.isprintable() or ch == "\n" for ch in text)
    if text and plain and '"""' not in text and "\\" not in text and not text.endswith('"'):
        return f'"""{text}"""'
    return repr(text)


def ts_str(value: object) -> str:
    # JSON string syntax is valid TS; ensure_ascii also escapes U+2028/U+2029, which break JS parsers.
    return json.dumps(str(value), ensure_ascii=True).replace("</", "<\\/")


def doc_comment(value: object, indent: str = "") -> str:
    """A JSDoc block; `*/` cannot close it early and no line can start a new statement."""
    text = str(value).strip().replace("*/", "*\\/").replace("\u2028", " ").replace("\u2029", " ").replace("\x00", "")
    if not text:
        return ""
    lines = text.splitlines()
    if len(lines) == 1:
        return f"/** {lines[0]} */\n{indent}"
    body = "".join(f"{indent} * {line}".rstrip() + "\n" for line in lines)
    return f"/**\n{body}{indent} */\n{indent}"


def _escape_unprintable(text: str) -> str:
    # NUL and other control or format characters are not allowed (or not visible) in source text.
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def comment(value: object) -> str:
    """A single-line `#` comment body: every line break folded (including the ones Python's tokenizer
    counts, such as form feed, U+0085 and U+2028) and control characters escaped."""
    return _escape_unprintable(" ".join(str(value).split()))


def doc_text(value: object) -> str:
    """Text inside a template's own triple-quoted docstring: one line, with quotes and backslashes
    escaped (nothing can end the string or start an escape) and control characters spelt out."""
    text = " ".join(str(value).split()).replace("\\", "\\\\").replace('"', '\\"')
    return _escape_unprintable(text)


def environment(root: Path = TEMPLATES, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """Compiled templates are kept between runs (Jinja2 checks each against its template's source):
    compiling them was a fifth of the time on a small spec. apigen's own are kept beside them, in
    templates/__pycache__, as Python keeps its modules' bytecode (so a spec never generated before
    does not pay for it either); `bytecode_dir` (the user cache) is used where that folder cannot be
    written, or for another `root`."""
    folders = [root / "__pycache__"] if root == TEMPLATES else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        bytecode_cache=_bytecode_cache(folders + ([bytecode_dir] if bytecode_dir is not None else [])),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(
        py_str=py_str,
        py_doc=py_doc,
        ts_str=ts_str,
        doc_comment=doc_comment,
        comment=comment,
        doc_text=doc_text,
        tojson=json.dumps,
    )
    return env


def _bytecode_cache(folders: list[Path]) -> jinja2.BytecodeCache | None:
    """A cache in the first of `folders` that can be written (Jinja2 fails on one it cannot write)."""
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            continue
        if os.access(folder, os.W_OK | os.X_OK):
            return jinja2.FileSystemBytecodeCache(str(folder))
    return None
