"""Compact wire metadata of the TypeScript client: one short string per operation.

The generated `operations.ts` calls the shared runtime (`client.ts`) with one string per operation,
so that an operation costs a few dozen bytes once minified. Grammar (tokens separated by spaces):

    METHOD PATH [PARAM ...] [@BODY] [<RESPONSE] [#SECURITY]

PATH     the spec path with each `{name}` rewritten `{<style><tsName>[*][:<wire>]}`: style `.` label,
         `;` matrix (needs `:<wire>` when the wire name differs), nothing for simple; `*` explode.
PARAM    `<in><style?><*?><wire>[=<tsName>]`: in `q` query, `h` header, `c` cookie; style `^`
         deepObject, `!` spaceDelimited, `|` pipeDelimited, nothing for form/simple; `*` flips
         explode from its default (form: true, others: false). Query names are percent-encoded.
@BODY    `@<kind>[<media type>]`: kind `j` JSON, `f` form-urlencoded, `m` multipart, `b` binary,
         `t` text; the media type only when it is not the kind's default.
<RESPONSE `<b` or `<t`: success bodies are read as Blob or text whatever their Content-Type.
#SECURITY alternatives separated by `,`, each the schemes (AND) as chars `chr(48 + index)` into
         the scheme table (`Api.ts_security_table`); `#` alone would be never; absent: public.
"""

from __future__ import annotations

from urllib.parse import quote

from generator.ir import Operation, SecurityScheme

DEFAULT_MEDIA = {
    "j": "application/json",
    "f": "application/x-www-form-urlencoded",
    "m": "multipart/form-data",
    "b": "application/octet-stream",
    "t": "text/plain",
}
BODY_KIND = {"json": "j", "form": "f", "multipart": "m", "binary": "b", "text": "t"}
QUERY_STYLE = {"deepObject": "^", "spaceDelimited": "!", "pipeDelimited": "|"}
PATH_STYLE = {"label": ".", "matrix": ";"}
# What the runtime does for each scheme kind: b bearer, B basic, h/q/c apiKey in header/query/cookie.
SCHEME_KIND = {"bearer": "b", "oauth2": "b", "openIdConnect": "b", "basic": "B"}


def _encode(name: str) -> str:
    """encodeURIComponent, plus `!` and `*` so that an encoded name never starts with a style flag."""
    return quote(name, safe="-_.~'()")


def security_table(schemes: tuple[SecurityScheme, ...]) -> tuple[tuple[str, str], ...]:
    """(scheme name, runtime kind + apiKey parameter name) per scheme, in the order indices refer to."""
    result = []
    for scheme in schemes:
        if scheme.kind.startswith("apiKey-"):
            code = {"header": "h", "query": "q", "cookie": "c"}[scheme.kind.split("-", 1)[1]]
            result.append((scheme.name, code + scheme.parameter_name))
        else:
            result.append((scheme.name, SCHEME_KIND.get(scheme.kind, "b")))
    return tuple(result)


def operation_meta(op: Operation, schemes: tuple[SecurityScheme, ...]) -> str:
    path = op.path.replace(" ", "%20")
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
        rename = "" if p.ts_name == wire else f"={p.ts_name}"
        tokens.append(f"{p.location[0]}{style}{flip}{wire}{rename}")
    if op.body is not None:
        kind = BODY_KIND.get(op.body.kind, "j")
        media = "" if op.body.media_type == DEFAULT_MEDIA[kind] else op.body.media_type
        tokens.append(f"@{kind}{media}".replace(" ", ""))
    if op.success.kind in ("binary", "text"):
        tokens.append("<" + op.success.kind[0])
    index = {s.name: chr(48 + i) for i, s in enumerate(schemes[:75])}
    alternatives = ["".join(index.get(name, "") for name in alt) for alt in op.security]
    if any(alternatives):
        tokens.append("#" + ",".join(alternatives))
    return " ".join([op.method.upper(), path, *tokens])
