"""Compact wire metadata of the TypeScript client: one short string per operation.

The generated `operations.ts` calls the shared runtime (`client.ts`) with one string per operation,
so that an operation costs a few dozen bytes once minified and gzipped. Every choice below drops
what the runtime can infer: the method GET, JSON bodies, parameter names that are the camelCase of
their wire names. Grammar (tokens separated by spaces):

    [METHOD]PATH [PARAM ...] [@BODY] [<RESPONSE] [#SECURITY]

METHOD   the shortest prefix that picks the method first in the runtime's `METHODS` list: nothing
         for GET, `P` POST, `PU` PUT, `PA` PATCH, `D` DELETE, `H` HEAD, `O` OPTIONS, `T` TRACE.
PATH     the spec path (always starting with `/`) with each `{name}` rewritten
         `{<style><tsName>[*][:<wire>]}`: style `.` label, `;` matrix (needs `:<wire>` when the wire
         name differs), nothing for simple; `*` explode.
PARAM    `<in><style?><*?><wire>[=<tsName>]`: in `:` header, `;` cookie, nothing for query; style
         `^` deepObject, `!` spaceDelimited, `|` pipeDelimited, nothing for form/simple; `*` flips
         explode from its default (form: true, others: false). Query names are percent-encoded.
         `=<tsName>` only when the TS name is not `wire` with each `-x`/`_x` turned into `X`.
@BODY    absent when the body (if any) is JSON sent as `application/json`; else `@<kind><media>`:
         kind `j` JSON, `f` form-urlencoded, `m` multipart (no media: fetch writes the boundary),
         `r` raw (a Blob or string sent as it is).
<RESPONSE `<b` or `<t`: success bodies are read as Blob or text whatever their Content-Type.
#SECURITY alternatives separated by `,`, each the schemes (AND) as chars `chr(48 + index)` into
         the scheme table (`Api.ts_security_table`); `#` alone would be never; absent: public.

The scheme table gives per scheme (name, PARAM token it travels in, credential prefix): bearer
tokens go in `:authorization` after `Bearer `, basic credentials after `Basic ` (base64 of UTF-8).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from generator.ir import Operation, SecurityScheme

# The runtime's list, in this order: a method is written as the shortest prefix found first.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
BODY_KIND = {"form": "f", "multipart": "m", "binary": "r", "text": "r"}
QUERY_STYLE = {"deepObject": "^", "spaceDelimited": "!", "pipeDelimited": "|"}
PATH_STYLE = {"label": ".", "matrix": ";"}
LOCATION = {"query": "", "header": ":", "cookie": ";"}
# What the runtime does for each scheme kind: (parameter token, credential prefix).
SCHEME_KIND = {"basic": (":authorization", "Basic ")}
BEARER = (":authorization", "Bearer ")
_CAMEL = re.compile(r"[-_]([A-Za-z0-9_])")


def _encode(name: str) -> str:
    """encodeURIComponent, plus `!` and `*` so that an encoded name never starts with a style flag."""
    return quote(name, safe="-_.~'()")


def runtime_key(wire: str) -> str:
    """The argument name the runtime derives from a wire name (`per_page` -> `perPage`)."""
    return _CAMEL.sub(lambda m: m.group(1).upper(), wire)


def method_code(method: str) -> str:
    method = method.upper()
    for size in range(len(method) + 1):
        if next((m for m in METHODS if m.startswith(method[:size])), None) == method:
            return method[:size]
    raise ValueError(f"no method code for {method}")  # lower keeps the eight methods METHODS lists


def security_table(schemes: tuple[SecurityScheme, ...]) -> tuple[tuple[str, ...], ...]:
    """(scheme name, parameter token[, credential prefix]) per scheme, in the order indices refer to."""
    result: list[tuple[str, ...]] = []
    for scheme in schemes:
        if scheme.kind.startswith("apiKey-"):
            where = scheme.kind.split("-", 1)[1]
            name = _encode(scheme.parameter_name) if where == "query" else scheme.parameter_name
            result.append((scheme.name, LOCATION[where] + name))
        else:
            result.append((scheme.name, *SCHEME_KIND.get(scheme.kind, BEARER)))
    return tuple(result)


def operation_meta(op: Operation, schemes: tuple[SecurityScheme, ...]) -> str:
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
        wire = _encode(p.wire_name) if p.location == "query" else p.wire_name
        rename = "" if p.ts_name == runtime_key(wire) else f"={p.ts_name}"
        tokens.append(f"{LOCATION.get(p.location, '')}{style}{flip}{wire}{rename}")
    if op.body is not None:
        kind = BODY_KIND.get(op.body.kind, "j")
        if kind != "j" or op.body.media_type != "application/json":
            media = "" if kind == "m" else op.body.media_type
            tokens.append(f"@{kind}{media}".replace(" ", ""))
    if op.success.kind in ("binary", "text"):
        tokens.append("<" + op.success.kind[0])
    index = {s.name: chr(48 + i) for i, s in enumerate(schemes[:75])}
    # An empty alternative (anonymous allowed) is left out: the runtime sends the first complete one.
    alternatives = [code for alt in op.security if (code := "".join(index.get(name, "") for name in alt))]
    if alternatives:
        tokens.append("#" + ",".join(alternatives))
    return " ".join([method_code(op.method) + path, *tokens])
