"""Integer bounds of parameters (typemap.integer_bounds): 3.1's numeric exclusive bounds and 3.0's flags."""

from __future__ import annotations

from typing import Any

import pytest

from generator.typemap import INT32, integer_bounds


@pytest.mark.parametrize(
    ("schema", "want"),
    [
        ({"type": "integer"}, (None, None)),
        ({"minimum": 0, "maximum": 10}, (0, 10)),
        # OpenAPI 3.0: exclusiveMinimum/exclusiveMaximum are flags on minimum/maximum.
        ({"minimum": 0, "exclusiveMinimum": True}, (1, None)),
        ({"minimum": 0, "exclusiveMinimum": False}, (0, None)),
        ({"maximum": 10, "exclusiveMaximum": True}, (None, 9)),
        ({"maximum": 10, "exclusiveMaximum": False}, (None, 10)),
        ({"exclusiveMinimum": True}, (None, None)),  # a flag without its bound bounds nothing
        # OpenAPI 3.1 (JSON Schema 2020-12): they are bounds themselves.
        ({"exclusiveMinimum": 0}, (1, None)),
        ({"exclusiveMaximum": 10, "maximum": 20}, (None, 9)),
        ({"format": "int32", "minimum": -5}, (-5, INT32[1])),
        ({"format": "int32", "exclusiveMaximum": True, "maximum": INT32[1]}, (INT32[0], INT32[1] - 1)),
    ],
)
def test_integer_bounds(schema: dict[str, Any], want: tuple[int | None, int | None]) -> None:
    assert integer_bounds(schema) == want
