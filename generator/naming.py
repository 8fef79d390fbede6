"""Pure identifier rules. Every name the generator emits is decided here (and applied in lower.py)."""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import unicodedata
from collections.abc import Iterable

# Names that would shadow something a generated module or a pydantic model relies on.
PY_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins)) | {
    "self", "cls", "model_config", "model_fields", "model_dump", "model_validate", "model_copy",
    "model_json_schema", "handlers", "request", "response", "credentials", "annotations",
}  # fmt: skip
TS_RESERVED = frozenset(
    [
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "null",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "as",
        "implements",
        "interface",
        "let",
        "package",
        "private",
        "protected",
        "public",
        "static",
        "yield",
        "any",
        "boolean",
        "number",
        "string",
        "symbol",
        "type",
        "from",
        "of",
        "await",
        "async",
        "constructor",
        "arguments",
        "eval",
        "undefined",
    ]
)

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


def _ascii(text: str) -> str:
    # Decompose accents (é -> e) and drop anything that still is not ASCII.
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def words(name: str) -> list[str]:
    """Split `findPetByID`, `find pet by id`, `meta/root`, `user-id` into words."""
    return _WORD.findall(_ascii(name))


def snake(name: str) -> str:
    return "_".join(w.lower() for w in words(name))


def pascal(name: str) -> str:
    return "".join(w[:1].upper() + w[1:].lower() if not w.isupper() or len(w) > 1 else w for w in words(name))


def camel(name: str) -> str:
    result = pascal(name)
    return result[:1].lower() + result[1:]


def is_identifier_source(name: str) -> bool:
    """True when the name has at least one letter or digit to build an identifier from."""
    return bool(words(name))


def py_identifier(base: str, *, digit_prefix: str = "n") -> str:
    """A valid, non-reserved Python identifier; `base` is already snake or Pascal case."""
    result = base or digit_prefix
    if result[0].isdigit():
        result = digit_prefix + result
    if result in PY_RESERVED:
        result += "_"
    return result


def ts_identifier(base: str) -> str:
    result = base or "_"
    if result[0].isdigit():
        result = "_" + result
    if result in TS_RESERVED:
        result += "_"
    return result


def py_function_name(name: str) -> str:
    return py_identifier(snake(name))


def py_class_name(name: str) -> str:
    return py_identifier(pascal(name), digit_prefix="N")


# Names models.py imports or defines: a schema class of that name would shadow them there.
PY_MODEL_RESERVED = frozenset(
    {
        "Annotated", "Any", "AnyUrl", "AwareDatetime", "Base64Bytes", "Base64Str", "BaseModel",
        "BeforeValidator", "ConfigDict", "Decimal", "EmailStr", "Enum", "Field", "IntEnum", "Json",
        "JsonInt", "Literal", "MISSING", "NaiveDatetime", "Optional", "RootModel", "SecretStr", "StrEnum",
        "StrictBool", "StrictBytes", "StrictFloat", "StrictInt", "StrictStr", "UUID", "Union",
    }
)  # fmt: skip


def py_model_name(name: str) -> str:
    """A component schema's class name: Pascal case, never a keyword (`None`) nor a name models.py
    imports (`Field`, `JsonInt`); such names get a `Model` suffix, as datamodel-code-generator does."""
    result = pascal(name) or "Model"
    if result[0].isdigit():
        result = "N" + result
    if result in PY_MODEL_RESERVED or result in PY_RESERVED:
        result += "Model"
    return result


# Windows device names: a file `con.py` cannot be created there, whatever its extension.
_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))]
)
MAX_MODULE_NAME = 60


def module_name(name: str) -> str:
    """A Python module (and file) name: an identifier, never a device name, at most 60 characters
    (a long name keeps a short hash of the whole, so two long names stay distinct)."""
    result = py_function_name(name)
    if len(result) > MAX_MODULE_NAME:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        result = f"{result[: MAX_MODULE_NAME - 9].rstrip('_')}_{digest}"
    if result in _DEVICE_NAMES:
        result += "_"
    return result


def ts_function_name(name: str) -> str:
    return ts_identifier(camel(name))


def ts_type_name(name: str) -> str:
    return ts_identifier(pascal(name))


def dedupe(names: Iterable[str], sep: str = "_") -> list[str]:
    """Stable de-duplication: the second `x` becomes `x_2`, the third `x_3` (order is the caller's);
    class names use `sep=""` (`Address2`), the spelling datamodel-code-generator keeps."""
    seen: dict[str, int] = {}
    taken: set[str] = set()
    result = []
    for name in names:
        candidate = name
        count = seen.get(name, 1)
        while candidate in taken:
            count += 1
            candidate = f"{name}{sep}{count}"
        seen[name] = count
        taken.add(candidate)
        result.append(candidate)
    return result
