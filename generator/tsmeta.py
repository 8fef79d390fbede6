"""Compact wire metadata of the TypeScript client: one short string per operation.

The generated `operations.ts` calls the shared runtime (`client.ts`) with one string per operation,
so that an operation costs a few dozen bytes once minified and gzipped. Every choice below drops
what the runtime can infer: the method GET, JSON bodies, and above all the query parameters in the
default style (form, exploded) whose wire name follows from the TS name: the runtime sends every
argument the path and the listed parameters did not use as such a query parameter. Grammar
(tokens separated by spaces):

    [METHOD]PATH [PARAM ...] [@BODY] [<RESPONSE] [#SECURITY]

METHOD   the index of the method in the runtime's list (`Api.ts_methods`: GET, then the methods
         the spec uses in the order of METHODS): a digit, nothing for GET.
PATH     the spec path (always starting with `/`) with each `{name}` rewritten
         `{<style><tsName>[*][:<wire>]}`: style `.` label, `;` matrix (needs `:<wire>` when the wire
         name differs), nothing for simple; `*` explode.
PARAM    `<in><style?><*?><tsName>[=<wire>]`: in `:` header, `;` cookie, nothing for query; style
         `^` deepObject, `!` spaceDelimited, `|` pipeDelimited, nothing for form/simple; `*` flips
         explode from its default (form: true, others: false). `=<wire>` only when the wire name
         (percent-encoded in the query) is not the runtime's spelling of the TS name: the same
         (`Api.ts_snake_query` false) or snake case (`perPage` -> `per_page`). A query parameter
         in the default style whose wire name needs no `=` is not listed at all.
@BODY    absent when the body (if any) is JSON sent as `application/json`; else `@<kind><media>`:
         kind `j` JSON, `f` form-urlencoded, `m` multipart (no media: fetch writes the boundary),
         `r` raw (a Blob or string sent as it is).
<RESPONSE `<b` or `<t`: success bodies are read as Blob or text whatever their Content-Type.
#SECURITY alternatives separated by `,`, each the schemes (AND) as chars `chr(48 + index)` into
         the scheme table (`Api.ts_security_table`); `#` alone would be never; absent: public.

The scheme table gives per scheme (name, PARAM token it travels in, credential prefix): bearer
tokens go in `:=authorization` after `Bearer `, basic credentials after `Basic ` (base64 of UTF-8).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from generator.ir import Operation, Parameter, SecurityScheme

# The runtime's list holds the methods a spec uses, in this order, GET always first; an operation
# names its method by its index there.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
BODY_KIND = {"form": "f", "multipart": "m", "binary": "r", "text": "r"}
QUERY_STYLE = {"deepObject": "^", "spaceDelimited": "!", "pipeDelimited": "|"}
PATH_STYLE = {"label": ".", "matrix": ";"}
LOCATION = {"query": "", "header": ":", "cookie": ";"}
# What the runtime does for each scheme kind: (parameter token, credential prefix).
SCHEME_KIND = {"basic": (":=authorization", "Basic ")}
BEARER = (":=authorization", "Bearer ")
_UPPER = re.compile(r"[A-Z]")
MAX_SCHEMES = 75  # codes "0" to "z"


def _encode(name: str) -> str:
    """encodeURIComponent, plus `!` and `*` so that an encoded name never starts with a style flag."""
    return quote(name, safe="-_.~'()")


def wire_spelling(ts_name: str, snake: bool) -> str:
    """The wire name the runtime writes for a TS name: itself, or snake case (`perPage` -> `per_page`)."""
    return _UPPER.sub(lambda m: "_" + m.group(0).lower(), ts_name) if snake else ts_name


def _wire(p: Parameter) -> str:
    """The wire name as the meta string spells it: percent-encoded in the query, verbatim elsewhere."""
    return _encode(p.wire_name) if p.location == "query" else p.wire_name


def prefers_snake(operations: Iterable[Operation]) -> bool:
    """True when snake case spells more of the spec's parameter names than the TS names themselves."""
    params = [p for op in operations for p in op.parameters if p.location != "path"]
    same = sum(wire_spelling(p.ts_name, snake=False) == _wire(p) for p in params)
    snake = sum(wire_spelling(p.ts_name, snake=True) == _wire(p) for p in params)
    return snake > same


def methods_used(operations: Iterable[Operation]) -> tuple[str, ...]:
    """The runtime's method list: GET, then the other methods the operations use, in METHODS order."""
    used = {op.method.upper() for op in operations}
    return tuple(m for m in METHODS if m == "GET" or m in used)


def method_code(method: str, methods: tuple[str, ...]) -> str:
    """The method's index in the runtime's list; nothing for GET (index 0)."""
    return str(methods.index(method.upper()) or "")


def scheme_code(index: int) -> str:
    """How `#SECURITY` names the scheme at `index` (a char, never `,`)."""
    return chr(48 + index)


def security_table(schemes: tuple[SecurityScheme, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per scheme: its code, and (scheme name, parameter token[, credential prefix])."""
    result: list[tuple[str, tuple[str, ...]]] = []
    for i, scheme in enumerate(schemes[:MAX_SCHEMES]):
        if scheme.kind.startswith("apiKey-"):
            where = scheme.kind.split("-", 1)[1]
            name = _encode(scheme.parameter_name) if where == "query" else scheme.parameter_name
            entry: tuple[str, ...] = (scheme.name, f"{LOCATION[where]}={name}")
        else:
            entry = (scheme.name, *SCHEME_KIND.get(scheme.kind, BEARER))
        result.append((scheme_code(i), entry))
    return tuple(result)


def operation_meta(op: Operation, schemes: tuple[SecurityScheme, ...], *, snake: bool, methods: tuple[str, ...]) -> str:
    path = op.path.replace(" ", "%20")
    if not path.startswith("/"):
        path = "/" + path
    tokens: list[str] = []
    for p in op.parameters:
        if p.location == "path":
            style = PATH_STYLE.get(p.ts_style, "")
            wire = f":{_encode(p.wire_name)}" if style == ";" and p.wire_name != p.ts_name else ""
            path = path.replace(
                "{" + p.wire_name + "}", "{" + style + p.ts_name + ("*" if p.ts_explode else "") + wire + "}"
            )
            continue
        style = QUERY_STYLE.get(p.ts_style, "") if p.location == "query" else ""
        is_form = p.location != "header" and style == ""
        flip = "*" if p.ts_explode != is_form else ""
        rename = "" if wire_spelling(p.ts_name, snake) == _wire(p) else f"={_wire(p)}"
        token = f"{LOCATION.get(p.location, '')}{style}{flip}{p.ts_name}{rename}"
        if token != p.ts_name:  # else the runtime sends the argument in the query by itself
            tokens.append(token)
    if op.body is not None:
        kind = BODY_KIND.get(op.body.kind, "j")
        if kind != "j" or op.body.media_type != "application/json":
            media = "" if kind == "m" else op.body.media_type
            tokens.append(f"@{kind}{media}".replace(" ", ""))
    if op.success.is_success and op.success.kind in ("binary", "text"):
        tokens.append("<" + op.success.kind[0])
    index = {s.name: scheme_code(i) for i, s in enumerate(schemes[:MAX_SCHEMES])}
    # An empty alternative (anonymous allowed) is left out: the runtime sends the first complete one.
    alternatives = [code for alt in op.security if (code := "".join(index.get(name, "") for name in alt))]
    if alternatives:
        tokens.append("#" + ",".join(alternatives))
    return " ".join([method_code(op.method, methods) + path, *tokens])
