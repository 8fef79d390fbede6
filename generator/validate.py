"""Spec validation: openapi-spec-validator plus the house rules it does not cover.

Every finding becomes a located Diagnostic. The library gives JSON paths but no positions and may
crash on an unresolvable `$ref`, so references are checked first and the library only runs on a
document whose references all resolve.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from generator import naming
from generator.diagnostics import Diagnostic, join_pointer, split_pointer
from generator.loader import Document

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_TEMPLATE = re.compile(r"\{([^{}]*)\}")
_MAX_MESSAGE = 200


def validate(doc: Document, *, lenient: bool = False) -> list[Diagnostic]:
    """All problems found in the document, sorted by position; empty when it is valid.

    With `lenient`, breaches of the standard that generation can work around (what
    openapi-spec-validator finds, and references that do not resolve, which become "any value")
    are warnings instead of errors.
    """
    pre = precheck(doc)
    return combine(pre, library_problems(doc) if pre.needs_library else [], lenient=lenient)


@dataclass(frozen=True)
class Precheck:
    """The fast checks; openapi-spec-validator (slow on large specs) runs only when `needs_library`."""

    version: list[Diagnostic]
    refs: list[Diagnostic]
    house: list[Diagnostic]

    @property
    def needs_library(self) -> bool:
        # The library may crash on an unresolvable $ref, and means nothing for another version.
        return not self.version and not self.refs


def precheck(doc: Document) -> Precheck:
    version = list(_check_version(doc))
    if version:
        return Precheck(version, [], [])
    return Precheck([], list(_check_refs(doc)), list(_check_operations(doc)))


def combine(pre: Precheck, library: list[Diagnostic], *, lenient: bool) -> list[Diagnostic]:
    """What `validate` returns, from the prechecks and the library's findings."""
    if pre.version:
        return pre.version
    standard = pre.refs + library
    if lenient:
        standard = [
            replace(p, severity="warning", message=f"{p.message} (--lenient: generating anyway)") for p in standard
        ]
    return sorted(set(standard + pre.house))


def _check_version(doc: Document) -> Iterator[Diagnostic]:
    version = doc.data.get("openapi")
    if not isinstance(version, str) or not re.fullmatch(r"3\.[01]\.\d+", version):
        shown = "missing" if version is None else repr(version)
        yield doc.diagnostic(
            "/openapi" if version is not None else "",
            f"unsupported OpenAPI version {shown}: apigen reads 3.0.x and 3.1.x",
        )


def resolve_local(data: Any, ref: str) -> tuple[bool, Any]:
    """Follow a `#/...` reference inside the same document."""
    node = data
    for token in split_pointer(ref):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every (pointer, node) in the tree, parents first, in document order."""
    stack = [(pointer, node)]
    while stack:
        current, value = stack.pop()
        yield current, value
        if isinstance(value, dict):
            stack.extend((join_pointer(current, k), v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((join_pointer(current, i), v) for i, v in reversed(list(enumerate(value))))


NodePath = tuple[Any, str | int] | None
"""Where walk_paths found a node: (parent's path, key or index), None for the root."""


def walk_paths(node: Any) -> Iterator[tuple[NodePath, Any]]:
    """What `walk` yields, in the same order, with each pointer left unbuilt (`pointer_of` builds one):
    on a large spec, building every pointer costs more than the walk itself."""
    stack: list[tuple[NodePath, Any]] = [(None, node)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if isinstance(value, dict):
            stack.extend(((path, k), v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend(((path, i), v) for i, v in reversed(list(enumerate(value))))


def pointer_of(path: NodePath) -> str:
    tokens: list[str | int] = []
    while path is not None:
        path, token = path
        tokens.append(token)
    return join_pointer("", *reversed(tokens))


def is_extension(pointer: str) -> bool:
    """Inside an `x-...` extension, whose content OpenAPI does not define (nor its `$ref`s)."""
    return any(token.startswith("x-") for token in split_pointer(pointer))


def _check_refs(doc: Document) -> Iterator[Diagnostic]:
    for path, node in walk_paths(doc.data):
        if not isinstance(node, dict) or "$ref" not in node:
            continue
        pointer = pointer_of(path)
        if is_extension(pointer):
            continue
        ref = node["$ref"]
        where = join_pointer(pointer, "$ref")
        if not isinstance(ref, str):
            yield doc.diagnostic(where, "$ref must be a string")
        elif not ref.startswith("#"):
            yield doc.diagnostic(where, f"external $ref {ref!r} is not supported: bundle the spec into one file")
        elif not resolve_local(doc.data, ref)[0]:
            yield doc.diagnostic(where, f"unresolvable $ref {ref!r}: no such node in this document")
        elif _ref_cycle(doc.data, ref):
            yield doc.diagnostic(where, f"$ref {ref!r} is a cycle of references that never reaches a definition")


def _ref_cycle(data: Any, ref: str) -> bool:
    """True when following `ref` only ever leads to more `$ref`s and comes back (A -> B -> A).
    A schema that contains a reference to itself (a tree) is fine: it reaches a definition."""
    seen = set()
    node: Any = {"$ref": ref}
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        if node["$ref"] in seen:
            return True
        seen.add(node["$ref"])
        ok, node = resolve_local(data, node["$ref"])
        if not ok:
            return False
    return False


def without_item_schemas(data: Any, parent: str = "") -> Any:
    """A copy without the media types' `itemSchema` (OpenAPI 3.2; FastAPI publishes it in 3.1
    documents for Server-Sent Events), so that the 3.0/3.1 validator judges the rest."""
    if isinstance(data, dict):
        return {
            key: {k: without_item_schemas(v, k) for k, v in value.items() if k != "itemSchema"}
            if parent == "content" and isinstance(value, dict)
            else without_item_schemas(value, key)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [without_item_schemas(v) for v in data]
    return data


def preload_library(doc: Document) -> None:
    """Import openapi-spec-validator for `doc` (pipeline's fork does it while its parent lowers)."""
    from generator.spec_validator import validator_class

    validator_class(str(doc.data.get("openapi", "")).startswith("3.1"))


def library_problems(doc: Document) -> list[Diagnostic]:
    from generator.spec_validator import validator_class  # imports the library: only when it runs

    cls = validator_class(str(doc.data.get("openapi", "")).startswith("3.1"))
    found = []
    try:
        for error in cls(without_item_schemas(doc.data)).iter_errors():
            message = str(getattr(error, "message", error))
            if message.startswith("Path parameter "):
                continue  # the house rule reports these with a location
            pointer = _locate_error(doc, list(getattr(error, "absolute_path", ())), getattr(error, "instance", None))
            found.append(doc.diagnostic(pointer, _short(message)))
    except Exception as exc:
        found.append(doc.diagnostic("", f"openapi-spec-validator could not check this document: {_short(str(exc))}"))
    return found


def _locate_error(doc: Document, path: list[Any], instance: Any) -> str:
    """The library reports schema errors relative to the schema it was checking, not the document:
    find the node whose sub-path holds the offending value."""
    pointer = join_pointer("", *path)
    if resolve_local(doc.data, pointer) == (True, instance):
        return pointer
    for candidate, _ in walk(doc.data):
        full = join_pointer(candidate, *path)
        if full != pointer and resolve_local(doc.data, full) == (True, instance):
            return full
    return pointer


def _short(message: str) -> str:
    # The library may append the whole offending instance; its first line says what is wrong.
    first = message.strip().splitlines()[0] if message.strip() else "invalid"
    return first if len(first) <= _MAX_MESSAGE else first[: _MAX_MESSAGE - 1] + "…"


def deref(data: Any, node: Any, limit: int = 50) -> Any:
    """Follow `$ref` chains to the node they name (unresolvable refs are reported elsewhere)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and limit > 0:
        ok, target = resolve_local(data, node["$ref"])
        if not ok:
            return {}
        node, limit = target, limit - 1
    return node


def iter_operations(
    data: dict[str, Any],
) -> Iterator[tuple[str, str, str, dict[str, Any], dict[str, Any]]]:
    """(pointer, path-or-webhook-name, method, path item, operation) for paths then webhooks."""
    for section in ("paths", "webhooks"):
        items = data.get(section)
        if not isinstance(items, dict):
            continue
        for key, raw_item in items.items():
            item = deref(data, raw_item)
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    yield join_pointer("", section, key, method), key, method, item, operation


def derive_operation_id(method: str, key: str) -> str:
    """A stable name for an operation without operationId: `POST /pets/{id}` -> `postPetsId`."""
    return naming.camel(f"{method} {key}") or method


def effective_operation_ids(data: dict[str, Any]) -> dict[str, str]:
    """Operation pointer -> its operationId, or a derived one that no other operation uses."""
    result: dict[str, str] = {}
    # Not a set of every value: a malformed operationId may be a mapping, which is unhashable.
    taken = {i for *_, op in iter_operations(data) if isinstance(i := op.get("operationId"), str)}
    for pointer, key, method, _, op in iter_operations(data):
        op_id = op.get("operationId")
        if isinstance(op_id, str):
            result[pointer] = op_id
            continue
        base = candidate = derive_operation_id(method, key if pointer.startswith("/paths/") else f"webhook {key}")
        count = 1
        while candidate in taken:
            count += 1
            candidate = f"{base}{count}"
        taken.add(candidate)
        result[pointer] = candidate
    return result


def _check_operations(doc: Document) -> Iterator[Diagnostic]:
    seen_ids: dict[str, str] = {}
    seen_functions: dict[str, tuple[str, str]] = {}
    derived = effective_operation_ids(doc.data)
    for pointer, key, method, item, operation in iter_operations(doc.data):
        op_id = operation.get("operationId")
        if op_id is None:
            yield doc.diagnostic(
                pointer,
                f"{method.upper()} {key} has no operationId; apigen names it {derived[pointer]!r}"
                " (set one: functions and client calls are named after it)",
                "warning",
            )
            op_id = derived[pointer]
        if not isinstance(op_id, str) or not naming.is_identifier_source(op_id):
            yield doc.diagnostic(
                join_pointer(pointer, "operationId"),
                f"operationId {op_id!r} has no letter or digit to build an identifier from",
            )
        elif op_id in seen_ids:
            yield doc.diagnostic(
                join_pointer(pointer, "operationId"),
                f"duplicate operationId {op_id!r} (first used at {seen_ids[op_id]})",
            )
        else:
            seen_ids[op_id] = f"{method.upper()} {key}"
            function = naming.py_function_name(op_id)
            if function in seen_functions:
                other, other_where = seen_functions[function]
                yield doc.diagnostic(
                    join_pointer(pointer, "operationId"),
                    f"operationId {op_id!r} and {other!r} ({other_where}) both become the function name {function!r}",
                )
            seen_functions[function] = (op_id, f"{method.upper()} {key}")
        if pointer.startswith("/paths/"):
            yield from _check_path_parameters(doc, pointer, key, item, operation)


def _check_path_parameters(
    doc: Document, pointer: str, path: str, item: dict[str, Any], operation: dict[str, Any]
) -> Iterator[Diagnostic]:
    template = _PATH_TEMPLATE.findall(path)
    declared: dict[str, str] = {}
    item_pointer = pointer.rsplit("/", 1)[0]
    for where, params in (
        (item_pointer, item.get("parameters")),
        (pointer, operation.get("parameters")),
    ):
        if not isinstance(params, list):
            continue
        for index, raw in enumerate(params):
            param = deref(doc.data, raw)
            if isinstance(param, dict) and param.get("in") == "path" and isinstance(param.get("name"), str):
                declared[param["name"]] = join_pointer(where, "parameters", index)
    for name in template:
        if name not in declared:
            yield doc.diagnostic(
                pointer,
                f"path parameter {{{name}}} of {path} is not declared for {pointer.rsplit('/', 1)[1].upper()}",
            )
    for name, where in declared.items():
        if name not in template:
            yield doc.diagnostic(where, f"path parameter {name!r} is declared but {path} has no {{{name}}}")
