"""JSON Schema patterns are ECMA-262 regular expressions; the generated code checks them with Python's
`re` (FastAPI parameters) and pydantic-core's Rust engine (models). Their shorthand classes differ:
in both, `\\s`, `\\d` and `\\w` are Unicode-aware (`\\s` matches U+0085 and, in `re`, U+001C-U+001F;
`\\d` matches Arabic-Indic digits), while ECMA-262 gives them fixed sets. `ecma_pattern` spells the
shorthands out as the explicit sets ECMA-262 defines, which every engine reads the same way."""

from __future__ import annotations

# ECMA-262 WhiteSpace and LineTerminator code points (what `\s` matches there).
_SPACE = "\\t\\n\\x0b\\x0c\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_CLASSES = {"s": _SPACE, "d": "0-9", "w": "A-Za-z0-9_"}


def ecma_pattern(pattern: str) -> str:
    """The same language as the ECMA-262 `pattern`, with `\\s \\S \\d \\D \\w \\W` made explicit.

    Inside a character class the positive shorthands are expanded in place; a negated shorthand
    inside a class has no explicit spelling and is left as written."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            letter = pattern[i + 1]
            i += 2
            if letter in _CLASSES:
                out.append(_CLASSES[letter] if in_class else f"[{_CLASSES[letter]}]")
            elif letter.lower() in _CLASSES and not in_class:
                out.append(f"[^{_CLASSES[letter.lower()]}]")
            else:
                out.append("\\" + letter)
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            i += 1
            # A `]` or `^]` right after the opening bracket is literal, not the end.
            if pattern.startswith("^", i):
                out.append("^")
                i += 1
            if pattern.startswith("]", i):
                out.append("]")
                i += 1
            continue
        if char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)
