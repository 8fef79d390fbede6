"""Read a YAML or JSON spec into plain Python data, remembering where every node came from.

PyYAML's composer gives each node a start mark; we build the data ourselves from the node graph so
that we can (a) record a line/column for every JSON pointer and (b) report duplicate mapping keys,
which YAML loaders otherwise overwrite silently.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from generator.diagnostics import Diagnostic, SpecError, join_pointer, split_pointer

# libyaml is several times faster on large specs; the pure-Python loader gives the same nodes.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """Safe loading, but `2024-01-01` stays a string: JSON has no dates and neither has OpenAPI."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {
        first: [r for r in resolvers if r[0] != _TIMESTAMP]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }


# An alias expands to a copy of its anchor's subtree; bound the total so "billion laughs" fails fast.
MAX_NODES = 2_000_000
MAX_ALIASED_NODES = 200_000  # anchors and aliases are rare in specs: a few hundred reuses at most
# The only tags whose values are JSON values (the implicit ones of plain YAML, or spelt out).
_JSON_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq"))
_MERGE = "tag:yaml.org,2002:merge"


@dataclass(frozen=True)
class Document:
    """A parsed spec: its data and the (line, column) of every node, keyed by JSON pointer."""

    path: Path
    display_name: str
    data: dict[str, Any]
    positions: Mapping[str, tuple[int, int]] = field(repr=False)

    def locate(self, pointer: str) -> tuple[int, int]:
        """Position of the node at `pointer`, or of its nearest located ancestor."""
        tokens = split_pointer(pointer)
        while True:
            found = self.positions.get(join_pointer("", *tokens))
            if found is not None:
                return found
            if not tokens:
                return (1, 1)
            tokens.pop()

    def diagnostic(self, pointer: str, message: str, severity: str = "error") -> Diagnostic:
        line, col = self.locate(pointer)
        return Diagnostic(self.display_name, line, col, message, pointer, severity)  # type: ignore[arg-type]


class _Builder:
    def __init__(self, display_name: str) -> None:
        self.display_name = display_name
        self.positions: dict[str, tuple[int, int]] = {}
        self.problems: list[Diagnostic] = []
        self.count = 0
        self.sizes: dict[int, int] = {}  # id(node) -> nodes its expansion made
        self.aliased = 0  # nodes made by expanding aliases
        self.replaying = False  # inside the expansion of an alias (counted once, at its top)
        self.constructor = yaml.SafeLoader("")

    def _at(self, node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def _fail(self, node: yaml.Node, pointer: str, message: str) -> SpecError:
        line, col = self._at(node)
        return SpecError([Diagnostic(self.display_name, line, col, message, pointer)])

    def build(self, node: yaml.Node, pointer: str) -> Any:
        # An alias is the same node object again: its size is known from the first expansion, so a
        # "billion laughs" document is refused before it is expanded, not after minutes of work.
        start = self.count
        known = self.sizes.get(id(node))
        replay = known is not None and not self.replaying
        if replay:
            self.aliased += known or 0
        if self.count + (known or 1) > MAX_NODES or self.aliased > MAX_ALIASED_NODES:
            raise self._fail(node, pointer, "document expands to too many nodes (alias bomb?)")
        self.count += 1
        self.positions.setdefault(pointer, self._at(node))
        if node.tag not in _JSON_TAGS:
            raise self._fail(node, pointer, f"unsupported YAML tag {node.tag!r}: a spec holds JSON values only")
        self.replaying |= replay
        try:
            result = self._build(node, pointer)
        finally:
            self.replaying &= not replay
        self.sizes[id(node)] = self.count - start
        return result

    def _scalar(self, node: yaml.Node, pointer: str) -> Any:
        try:
            value = self.constructor.construct_object(node)  # type: ignore[no-untyped-call]
        except (yaml.YAMLError, ValueError) as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            raise self._fail(node, pointer, f"invalid YAML value: {problem}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self._fail(node, pointer, f"{node.value!r} is not a JSON number (infinite or NaN)")
        return value

    def _build(self, node: yaml.Node, pointer: str) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    raise self._fail(key_node, pointer, "YAML merge keys (<<) are not supported: write the keys out")
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _JSON_TAGS:
                    raise self._fail(key_node, pointer, "a mapping key must be a plain string")
                key = self._scalar(key_node, pointer)
                if not isinstance(key, str):
                    # OpenAPI keys are strings; YAML turns `200:` into an int and `yes:` into a bool.
                    key = _yaml_key_to_str(key)
                child = join_pointer(pointer, key)
                if key in result:
                    line, col = self._at(key_node)
                    self.problems.append(
                        Diagnostic(
                            self.display_name,
                            line,
                            col,
                            f"duplicate key {key!r} (YAML would silently keep the last one)",
                            child,
                        )
                    )
                    continue
                self.positions[child] = self._at(key_node)
                result[key] = self.build(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, join_pointer(pointer, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, pointer)


def _yaml_key_to_str(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


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


def load_document(path: Path) -> Document:
    raw, name = read_spec(path)
    return parse_document(raw, path, name)


def parse_document(raw: bytes, path: Path, name: str) -> Document:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecError([Diagnostic(name, line, 1, f"spec is not UTF-8 text (byte {exc.start})")]) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise SpecError([Diagnostic(name, line, col, f"invalid YAML: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Diagnostic(name, 1, 1, f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise SpecError([Diagnostic(name, 1, 1, "document is nested too deeply")]) from None
    if node is None:
        raise SpecError([Diagnostic(name, 1, 1, "spec is empty")])
    builder = _Builder(name)
    try:
        data = builder.build(node, "")
    except RecursionError:
        raise SpecError([Diagnostic(name, 1, 1, "document is nested too deeply")]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Diagnostic(name, 1, 1, f"invalid YAML value: {exc}")]) from None
    if builder.problems:
        raise SpecError(builder.problems)
    if not isinstance(data, dict):
        line, col = builder._at(node)
        raise SpecError(
            [
                Diagnostic(
                    name,
                    line,
                    col,
                    f"spec must be a mapping (an object), not {type(data).__name__}",
                )
            ]
        )
    return Document(path=path, display_name=name, data=data, positions=builder.positions)
