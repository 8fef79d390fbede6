"""Hand-written code in service/: create stubs for new tags, name what existing files lack.

Existing files are only read (parsed, never imported or executed) and never written.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from generator.emit import format_python
from generator.ir import Api, Operation, TagGroup


@dataclass(frozen=True)
class ScaffoldReport:
    created: tuple[Path, ...]
    missing: tuple[str, ...]  # one line per missing method, with its full signature


def signature(op: Operation) -> str:
    args = "".join(f", {a.py_name}: {a.annotation}" for a in op.handler_args)
    star = ", *" if op.handler_args else ""
    return f"async def {op.py_name}(self{star}{args}) -> {op.handler_return}"


def scaffold(api: Api, service_dir: Path) -> ScaffoldReport:
    env = None  # Jinja2 is imported only when a stub is written
    created, missing = [], []
    for group in api.tags:
        if not group.operations:
            continue
        target = service_dir / f"{group.module}.py"
        if not target.exists():
            service_dir.mkdir(parents=True, exist_ok=True)
            from generator.render import environment

            env = env or environment()
            content = env.get_template("python/service_stub.py.jinja").render(
                api=api, group=group, signatures=_signatures(group)
            )
            content = format_python({"stub.py": content})["stub.py"]
            # "x": never replace a file that appeared since the check above.
            with open(target, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
            created.append(target)
            continue
        missing.extend(_missing_methods(target, group))
    return ScaffoldReport(tuple(created), tuple(missing))


def _signatures(group: TagGroup) -> dict[str, str]:
    return {op.operation_id: signature(op) for op in group.operations}


def _missing_methods(path: Path, group: TagGroup) -> list[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError) as exc:
        return [f"{path}: cannot read it to check {group.service_class} ({exc})"]
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    cls = classes.get(group.service_class)
    if cls is None:
        return [f"{path}: no class {group.service_class} implementing {group.protocol} (checked by name only)"]
    defined = {node.name for node in cls.body if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)}
    return [
        f"{path}:{cls.lineno}: {group.service_class} is missing `{op.operation_id}`: {signature(op)}"
        for op in group.operations
        if op.py_name not in defined
    ]
