"""Validation: each broken spec gives located, one-line diagnostics (given a mutation, want a line)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.loader import parse_document
from generator.validate import pointer_of, validate, walk, walk_paths

from .paths import SPEC

EXAMPLE = SPEC.read_text(encoding="utf-8")
LINE = re.compile(r"^spec/openapi\.yaml:(\d+):(\d+): error: (.+?)(?: \[#(.*)\])?$")


def problems(text: str) -> list[str]:
    try:
        doc = parse_document(text.encode(), Path("spec/openapi.yaml"), "spec/openapi.yaml")
    except SpecError as exc:
        return [d.format() for d in exc.diagnostics]
    return [d.format() for d in validate(doc)]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_example_spec_is_valid() -> None:
    assert problems(EXAMPLE) == []


@pytest.mark.parametrize(
    ("old", "new", "needle", "message", "pointer"),
    [
        (
            '$ref: "#/components/schemas/UserUpdate"',
            '$ref: "#/components/schemas/UserUpdat"',
            '$ref: "#/components/schemas/UserUpdat"',
            "unresolvable $ref '#/components/schemas/UserUpdat'",
            "/paths/~1users~1{userId}/patch/requestBody/content/application~1json/schema/$ref",
        ),
        (
            "operationId: getPost\n      summary: Get one post",
            "operationId: getUser\n      summary: Get one post",
            "operationId: getUser\n      summary: Get one post",
            "duplicate operationId 'getUser'",
            "/paths/~1posts~1{postId}/get/operationId",
        ),
        (
            "operationId: getHealth",
            "operationId: '!!!'",
            "operationId: '!!!'",
            "operationId '!!!' has no letter or digit",
            "/paths/~1health/get/operationId",
        ),
        (
            "            hasAvatar:\n              type: boolean",
            "            hasAvatar:\n              type: bool",
            "type: bool\n",
            "'bool' is not valid under any of the given schemas",
            "/components/schemas/User/allOf/1/properties/hasAvatar/type",
        ),
        (
            "  /posts/{postId}:\n",
            "  /posts/{id}:\n",
            "      - name: postId",
            "path parameter 'postId' is declared but /posts/{id} has no {postId}",
            "/paths/~1posts~1{id}/parameters/0",
        ),
    ],
)
def test_broken_spec_gives_located_error(old: str, new: str, needle: str, message: str, pointer: str) -> None:
    assert old in EXAMPLE
    broken = EXAMPLE.replace(old, new, 1)
    found = problems(broken)
    matching = [p for p in found if message in p]
    assert matching, found
    match = LINE.match(matching[0])
    assert match, matching[0]
    assert int(match.group(1)) == line_of(broken, needle)
    assert match.group(4) == pointer


def test_undeclared_path_parameter_is_named_per_operation() -> None:
    broken = EXAMPLE.replace("  /users/{userId}/avatar:\n", "  /users/{userId}/avatar/{size}:\n", 1)
    found = problems(broken)
    assert any("path parameter {size} of /users/{userId}/avatar/{size} is not declared for PUT" in p for p in found)
    assert any("is not declared for GET" in p for p in found)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("openapi: 3.1.0\ninfo: {title: x\n", "invalid YAML"),
        ("", "spec is empty"),
        ("- a\n- b\n", "spec must be a mapping"),
        ("openapi: 3.1.0\nopenapi: 3.0.0\n", "duplicate key 'openapi'"),
        ("swagger: '2.0'\n", "unsupported OpenAPI version"),
    ],
)
def test_malformed_documents(text: str, message: str) -> None:
    found = problems(text)
    assert found and message in found[0]
    assert found[0].startswith("spec/openapi.yaml:")


def test_every_diagnostic_is_one_line() -> None:
    broken = EXAMPLE.replace("title: Team Directory API", "title: [1, 2]")
    found = problems(broken)
    assert found and all("\n" not in p for p in found)


def test_missing_operation_id_is_a_located_warning_with_the_derived_name() -> None:
    broken = EXAMPLE.replace("      operationId: login\n", "", 1)
    found = problems(broken)
    line = line_of(broken, "    post:\n      tags: [auth]")
    assert found == [
        f"spec/openapi.yaml:{line}:5: warning: POST /auth/token has no"
        " operationId; apigen names it 'postAuthToken' (set one: functions and client calls are named after it)"
        " [#/paths/~1auth~1token/post]"
    ]


def test_lenient_turns_breaches_of_the_standard_into_warnings() -> None:
    broken = EXAMPLE.replace("type: boolean", "type: bool", 1)
    doc = parse_document(broken.encode(), Path("spec/openapi.yaml"), "spec/openapi.yaml")
    strict = validate(doc)
    lenient = validate(doc, lenient=True)
    assert [d.severity for d in strict] == ["error"]
    assert [d.severity for d in lenient] == ["warning"]
    assert "(--lenient: generating anyway)" in lenient[0].message


def test_walk_paths_is_walk_with_pointers_built_on_demand() -> None:
    data = {"a": [{"b/c": 1, "~d": [None, {"": True}]}, 2], "x-e": {"f": {}}, "g": []}
    want = [(pointer, id(node)) for pointer, node in walk(data)]
    assert [(pointer_of(path), id(node)) for path, node in walk_paths(data)] == want
    assert [pointer for pointer, _ in want][:4] == ["", "/a", "/a/0", "/a/0/b~1c"]
