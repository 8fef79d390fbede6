"""openapi-spec-validator's spec validator classes, adapted in two ways that keep its findings:

- speed: its registries of seen schemas and operationIds are lists searched with `in`, quadratic
  on large specs (half of its time on GitHub's); here they are the same lists with set lookups;
- determinism: it meta-checks each schema with jsonschema's `check_schema`, which reports the first
  error found, and jsonschema descends into a mapping's additional properties (a schema's
  `properties`, say) in the order of a `set` of their names, which changes with PYTHONHASHSEED.
  A schema with two faulty properties was reported at either one from run to run; here the first
  in the document is (`_check_schema`).

Imported only when the library runs: importing it takes a second, and a cached run does not.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import SchemaError


class _Ids(list[Any]):
    """A registry list whose `in` is a set lookup. Same list, same order."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[Any] = set()
        self._unhashable: list[Any] = []  # a malformed operationId may be a mapping

    def append(self, item: Any) -> None:
        super().append(item)
        try:
            self._seen.add(item)
        except TypeError:
            self._unhashable.append(item)

    def __contains__(self, item: object) -> bool:
        try:
            if item in self._seen:
                return True
        except TypeError:
            pass
        return any(item == seen for seen in self._unhashable)


def _check_schema(cls: Any, schema: Any, *, openapi: bool, **options: Any) -> None:
    """What `cls.check_schema(schema, **options)` does, raising the first error in the document
    rather than the first found: jsonschema's (`openapi` False) or openapi-schema-validator's, which
    resolves the OpenAPI meta-schemas' references in its own registry and defaults to the checked
    class's formats. (Validators switch class where a meta-schema names its own dialect, so the
    order of the search itself cannot be fixed; the errors are all looked at instead, which only
    costs time on a schema that breaks its meta-schema.)"""
    meta = validators.validator_for(cls.META_SCHEMA, default=cls)
    format_checker = options.get("format_checker", (cls if openapi else meta).FORMAT_CHECKER)
    extra = {"registry": _openapi_registry()} if openapi else {}
    errors = meta(cls.META_SCHEMA, format_checker=format_checker, **extra).iter_errors(schema)
    # Within one node, the most specific error first (a node sorts after what it holds).
    found = min(
        enumerate(errors), key=lambda pair: (*_position(schema, pair[1].absolute_path), _AFTER, pair[0]), default=None
    )
    if found is not None:
        raise SchemaError.create_from(found[1])


_AFTER = sys.maxsize


def _position(node: Any, path: Iterable[Any]) -> tuple[int, ...]:
    """Where `path` leads in `node`, as indices in document order (a mapping's keys in their order)."""
    place = []
    for part in path:
        if isinstance(node, dict) and part in node:
            place.append(list(node).index(part))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            place.append(part)
            node = node[part]
        else:
            break
    return tuple(place)


def _openapi_registry() -> Any:
    """openapi-schema-validator's registry of the OpenAPI meta-schemas (a private module of the
    pinned version; tests/test_determinism.py fails if it moves); None when it is not there."""
    try:
        from openapi_schema_validator._specifications import REGISTRY
    except ImportError:
        return None
    return REGISTRY


def _in_order(checker: Callable[[Any], None]) -> Callable[[Any], None]:
    """The library's schema checker (a class's `check_schema`, bound, or a partial of it with a
    format checker) as `_check_schema`; any other checker as it is."""
    bound, options = checker, {}
    if isinstance(checker, functools.partial) and not checker.args and set(checker.keywords) <= {"format_checker"}:
        bound, options = checker.func, checker.keywords
    owner = getattr(bound, "__self__", None)
    if not isinstance(owner, type):
        return checker
    name = getattr(bound, "__name__", "")
    if name == "check_schema":
        return functools.partial(_check_schema, owner, openapi=False, **options)
    if name == "check_openapi_schema" and _openapi_registry() is not None:
        return functools.partial(_check_schema, owner, openapi=True, **options)
    return checker


def _adapted_schema_keyword(cls: Any) -> Any:
    """The library's `schema` keyword validator with set-backed registries and ordered meta-checks."""

    def init(self: Any, registry: Any) -> None:
        cls.__init__(self, registry)
        self.visited_schema_ids = _Ids()
        self.meta_checked_schema_ids = _Ids()

    def schema_checker(self: Any, schema: Any, schema_value: Any) -> Callable[[Any], None]:
        return _in_order(cls._get_schema_checker(self, schema, schema_value))

    return type(cls.__name__, (cls,), {"__init__": init, "_get_schema_checker": schema_checker})


def _adapted_operation_keyword(cls: Any) -> Any:
    def init(self: Any, registry: Any) -> None:
        cls.__init__(self, registry)
        self.operation_ids_registry = _Ids()

    return type(cls.__name__, (cls,), {"__init__": init})


@functools.cache
def validator_class(v31: bool) -> Any:
    """The spec validator class for OpenAPI 3.1 (`v31`) or 3.0, adapted (see the module docstring)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    base: Any = OpenAPIV31SpecValidator if v31 else OpenAPIV30SpecValidator
    table = dict(base.keyword_validators)
    table["schema"] = _adapted_schema_keyword(table["schema"])
    table["operation"] = _adapted_operation_keyword(table["operation"])
    return type(base.__name__, (base,), {"keyword_validators": table})
