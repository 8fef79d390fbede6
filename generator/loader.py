"""Read a YAML or JSON spec into plain Python data, remembering where every node came from.

PyYAML's composer gives each node a start mark; we build the data ourselves from the node graph so
that we can (a) record a line/column for every JSON pointer and (b) report duplicate mapping keys,
which YAML loaders otherwise overwrite silently.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from generator.diagnostics import Diagnostic, SpecError, join_pointer, split_pointer
from generator.source import display_path as display_path  # re-exported: the name other modules know
from generator.source import read_spec

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


def load_document(path: Path) -> Document:
    raw, name = read_spec(path)
    return parse_document(raw, path, name)


def parse_document(raw: bytes, path: Path, name: str) -> Document:
    data = _plain_json(raw)
    if data is not None:
        return Document(path=path, display_name=name, data=data, positions=_LazyPositions(raw, path, name))
    return _parse_yaml(raw, path, name)


class _NotPlainError(Exception):
    """The text is not plain JSON that YAML reads the same way: the YAML path decides."""


# Characters that YAML refuses in a stream, reads as line breaks (and folds inside a quoted string)
# where JSON keeps them, or treats specially (tab, BOM): a JSON text holding one goes the YAML way.
_NOT_YAML_SAFE = re.compile("[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_RESOLVER = _Loader("")


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(items)
    # Duplicate keys are reported (located) by the YAML path; it also refuses keys over 1024 characters.
    if len(result) != len(items) or any(len(key) > 1000 for key in result):
        raise _NotPlainError
    return result


def _yaml_number(literal: str) -> Any:
    """A JSON number with a fraction or exponent, read as YAML 1.1 reads it (`1e5` is a string there)."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, literal, (True, False))
    if tag == "tag:yaml.org,2002:float":
        value = float(literal)
        if not math.isfinite(value):
            raise _NotPlainError
        return value
    if tag == "tag:yaml.org,2002:str":
        return literal
    raise _NotPlainError


def _not_plain(_: str) -> Any:
    raise _NotPlainError


def _plain_json(raw: bytes) -> dict[str, Any] | None:
    """The data of a JSON object, identical to what the YAML path builds, or None when in any doubt.

    json.loads is several times faster than composing YAML nodes with positions; positions are then
    computed only when a diagnostic needs one."""
    if not raw.lstrip(b"\xef\xbb\xbf \n\r").startswith(b"{") or b"\\/" in raw:
        return None
    # An upper bound of the node count (every value follows `{`, `[` or `,`): the YAML path counts exactly.
    if raw.count(b",") + raw.count(b"{") + raw.count(b"[") + 1 > MAX_NODES:
        return None
    try:
        text = raw.decode("utf-8-sig")
        if _NOT_YAML_SAFE.search(text):
            return None
        data = json.loads(text, object_pairs_hook=_pairs, parse_float=_yaml_number, parse_constant=_not_plain)
    except (_NotPlainError, ValueError, RecursionError):
        return None
    # JSON spells a character beyond U+FFFF as a surrogate pair escape (`json.dumps` does), which
    # PyYAML refuses: such a text is read here, but a lone surrogate is no character (the YAML path
    # refuses it, located).
    if _SURROGATE_ESCAPE.search(raw) and not _encodable(data):
        return None
    return data if isinstance(data, dict) else None


def _encodable(node: Any) -> bool:
    """Whether every string of a JSON value is valid Unicode (no lone surrogate)."""
    pending = [node]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending += value.values()
            pending += value.keys()
        elif isinstance(value, list):
            pending += value
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


class _LazyPositions(Mapping[str, tuple[int, int]]):
    """The positions of the YAML path, computed on first use."""

    def __init__(self, raw: bytes, path: Path, name: str) -> None:
        self._args = (raw, path, name)
        self._positions: Mapping[str, tuple[int, int]] | None = None

    def _load(self) -> Mapping[str, tuple[int, int]]:
        if self._positions is None:
            try:
                self._positions = json_positions(self._args[0].decode("utf-8-sig"))
            except Exception:  # not what _plain_json accepts: the YAML path decides
                try:
                    self._positions = _parse_yaml(*self._args).positions
                except SpecError:
                    self._positions = {}
        return self._positions

    def __getitem__(self, key: str) -> tuple[int, int]:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


# The tokens of a JSON text that hold a position: strings, scalars and brackets (`:` `,` and
# whitespace are skipped by finditer).
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]]|[^\s,:{}\[\]"]+')


def json_positions(text: str) -> dict[str, tuple[int, int]]:
    """Every node's (line, column) in a JSON text that _plain_json accepted, exactly as the YAML path
    records them (a member at its key, an item at its value, 1-based, columns in characters), several
    times faster: one regular expression scan instead of composing YAML nodes."""
    if "\r" in text:  # YAML counts \r\n and \r as one line break each; in JSON they are whitespace only
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    breaks = [match.start() for match in re.finditer("\n", text)]
    positions: dict[str, tuple[int, int]] = {}
    # One frame per open container: its pointer, the next item's index (-1 in an object), and in an
    # object the member whose value comes next ("" before a key).
    stack: list[list[Any]] = []
    pointer, index, member = "", -2, ""  # -2: the root value
    for match in _JSON_TOKEN.finditer(text):
        token, at = match.group(), match.start()
        if token in "]}":
            pointer, index, member = stack.pop()
            continue
        if index == -1 and not member:  # an object's key
            key = token[1:-1] if "\\" not in token else json.loads(token)
            member = join_pointer(pointer, key)
            line = bisect.bisect_right(breaks, at)
            positions[member] = (line + 1, at - (breaks[line - 1] if line else -1))
            continue
        if index == -1:
            here, member = member, ""
        elif index >= 0:
            here = f"{pointer}/{index}"
            index += 1
        else:
            here = pointer
        if here not in positions:
            line = bisect.bisect_right(breaks, at)
            positions[here] = (line + 1, at - (breaks[line - 1] if line else -1))
        if token in "[{":
            stack.append([pointer, index, member])
            pointer, index, member = here, (0 if token == "[" else -1), ""
    return positions


def _parse_yaml(raw: bytes, path: Path, name: str) -> Document:
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
