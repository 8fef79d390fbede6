"""A JSON spec is read with json.loads (positions computed only when a diagnostic needs one, by a
scan of the JSON text that must record what the YAML path records); the
data must be exactly what the YAML path builds, and anything YAML reads differently goes that way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import loader
from generator.diagnostics import SpecError


def _yaml(raw: bytes) -> object:
    return loader._parse_yaml(raw, Path("s.json"), "s.json").data


@pytest.mark.parametrize(
    ("text", "fast"),
    [
        ('{"a": 1, "b": [1.5, -0.0, 1.0E+5, true, null, "x\\u00e9"], "c": {}}', True),
        ('{"a": 1e5, "b": 1.5e10, "c": 2E-3}', True),  # YAML 1.1 reads these as strings
        ('{"a": "line\\nbreak", "b": "\\"quoted\\""}', True),
        ('{"a":\t1}', False),  # a tab: YAML decides
        ('{"a": "x\u2028y"}', False),  # a YAML line break, folded inside quotes
        ('{"a": "\\/"}', False),
        ('{"a": NaN}', False),
        ('["not", "a", "mapping"]', False),
    ],
)
def test_json_fast_path_reads_what_yaml_reads(text: str, fast: bool) -> None:
    raw = text.encode()
    data = loader._plain_json(raw)
    assert (data is not None) == fast
    if data is None:
        return
    try:
        want = _yaml(raw)
    except SpecError:
        pytest.fail("the fast path accepted what the YAML path refuses")
    assert json.dumps(data) == json.dumps(want)  # same values, types and key order
    assert [type(v) for v in data.values()] == [type(v) for v in want.values()]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"a": "smile \\ud83d\\ude00", "\\uD83D\\uDE00": 1}', "smile \U0001f600"),  # json.dumps writes these
        ('{"a": "lone \\ud83d"}', None),  # no character: the YAML path refuses it
        ('{"a": ["\\ude00"]}', None),
        ('{"a": "\\\\ud83d\\ude00"}', None),  # a backslash, "ud83d", then a lone low surrogate
    ],
)
def test_a_surrogate_pair_escape_is_one_character_in_json(text: str, value: str | None) -> None:
    data = loader._plain_json(text.encode())
    assert (data or {}).get("a") == value
    if value is not None:
        assert data == {"a": value, "\U0001f600": 1}


def test_duplicate_keys_in_json_are_still_located_errors(tmp_path: Path) -> None:
    spec = tmp_path / "s.json"
    spec.write_text('{\n  "openapi": "3.0.3",\n  "openapi": "3.1.0"\n}\n', encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        loader.load_document(spec)
    assert [d.format().split(": ", 1)[0] for d in raised.value.diagnostics] == [f"{spec}:3:3"]


def test_positions_of_a_json_spec_are_computed_when_asked(tmp_path: Path) -> None:
    spec = tmp_path / "s.json"
    spec.write_text('{\n  "openapi": "3.0.3",\n  "paths": {\n    "/a": {}\n  }\n}\n', encoding="utf-8")
    doc = loader.load_document(spec)
    assert isinstance(doc.positions, loader._LazyPositions)
    assert doc.locate("/paths/~1a") == (4, 5)
    assert doc.locate("/paths/~1a/get") == (4, 5)


@pytest.mark.parametrize(
    "text",
    [
        '{\n  "openapi": "3.0.3",\n  "paths": {\n    "/a/{id}": {"get": {"tags": ["x", "y"]}}\n  }\n}\n',
        '{"a":{"b":[1,[2,{"c":null}],{}],"d":[]},"e":true}',  # minified, on one line
        '{\r\n  "a": [\r\n    1,\r\n    2\r\n  ],\r  "b": 3\r\n}',  # \r\n and a lone \r
        '{\n  "k~e/y": {"\\"q\\\\": 1, "\\u00e9t\\u00e9": [true]},\n  "": {"": ""}\n}',  # escapes, empty keys
        '{\n  "caf\u00e9 \U0001f600": {"after": "\u00e9\u00e9"}, "x": "a,b:{c}[d]"\n}',  # characters, not bytes
        '\ufeff  \n {"bom": 1}',
    ],
)
def test_json_positions_are_those_the_yaml_path_records(text: str) -> None:
    raw = text.encode()
    assert loader._plain_json(raw) is not None
    want = loader._parse_yaml(raw, Path("s.json"), "s.json").positions
    assert loader.json_positions(raw.decode("utf-8-sig")) == want
