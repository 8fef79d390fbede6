"""Focused tests of the generator fixes found by the hostile corpus (tests/hostile/) and the fuzzer."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest

from generator import naming
from generator.diagnostics import SpecError
from generator.loader import parse_document
from generator.render import comment, doc_text
from generator.validate import effective_operation_ids, validate


def _load_problems(raw: bytes) -> list[str]:
    try:
        doc = parse_document(raw, Path("s.yaml"), "s.yaml")
    except SpecError as exc:
        return [d.format() for d in exc.diagnostics]
    return [d.format() for d in validate(doc) if d.severity == "error"]


# -- loader ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        (b"a: !!python/object/apply:os.system ['x']\n", "s.yaml:1:4: error: unsupported YAML tag"),
        (b"a: {b: !!binary aGVsbG8=}\n", "s.yaml:1:8: error: unsupported YAML tag"),
        (b"a:\n  - !!timestamp 2001-01-01\n", "s.yaml:2:5: error: unsupported YAML tag"),
        (b"a: .inf\n", "s.yaml:1:4: error: '.inf' is not a JSON number"),
        (b"a: [1, .NaN]\n", "s.yaml:1:8: error: '.NaN' is not a JSON number"),
        (b"a: 1" + b"9" * 5000 + b"\n", "s.yaml:1:4: error: invalid YAML value"),
        (b"b: &x {c: 1}\na:\n  <<: *x\n", "s.yaml:3:3: error: YAML merge keys (<<) are not supported"),
        (b"? [a]\n: 1\n", "s.yaml:1:3: error: a mapping key must be a plain string"),
    ],
)
def test_loader_refuses_non_json_values_where_they_are(raw: bytes, want: str) -> None:
    problems = _load_problems(raw)
    assert problems and problems[0].startswith(want), problems


def test_alias_bomb_is_refused_fast() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 15)]
    started = time.monotonic()
    problems = _load_problems("\n".join(lines).encode())
    # Expanded, this document holds 9 * 6**14 (about 7e11) values: it would never be refused at all.
    # The bound only tells a refusal from an expansion, with room for a loaded machine (~1 s idle).
    assert time.monotonic() - started < 60
    assert "alias bomb" in problems[0]


def test_a_few_aliases_are_fine() -> None:
    raw = b"a: &x {b: [1, 2, 3]}\nc: [*x, *x, *x]\n"
    doc = parse_document(raw, Path("s.yaml"), "s.yaml")
    assert doc.data["c"] == [{"b": [1, 2, 3]}] * 3


# -- validate -------------------------------------------------------------------------------------


def test_operation_id_of_the_wrong_type_is_no_crash() -> None:
    data = {"paths": {"/a": {"get": {"operationId": {"x": 1}}, "put": {"operationId": ["y"]}}}}
    assert set(effective_operation_ids(data).values()) == {"getA", "putA"}


@pytest.mark.parametrize(
    "components",
    [
        "schemas: {A: {$ref: '#/components/schemas/A'}}",
        "schemas: {A: {$ref: '#/components/schemas/B'}, B: {$ref: '#/components/schemas/A'}}",
    ],
)
def test_reference_cycles_are_located(components: str) -> None:
    raw = f"openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  {components}\n"
    problems = _load_problems(raw.encode())
    assert problems, problems
    assert all("cycle of references" in p and p.startswith("s.yaml:5:") for p in problems), problems


def test_a_recursive_schema_is_no_cycle() -> None:
    raw = (
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    T: {type: object, properties: {c: {type: array, items: {$ref: '#/components/schemas/T'}}}}\n"
    )
    assert _load_problems(raw.encode()) == []


# -- render filters -------------------------------------------------------------------------------

HOSTILE_TEXT = ['a"""b', "a'''b", "x\\", "\\N{BOGUS}", "a\nimport os", "\x00\u2028\u2029\x85\x0c\r", 'end"', "{x}"]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_doc_text_stays_inside_a_docstring(text: str) -> None:
    source = f'"""Tag `{doc_text(text)}`."""\n'
    tree = ast.parse(source)
    assert len(tree.body) == 1
    node = tree.body[0]
    assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    assert node.value.value == f"Tag `{' '.join(text.split())}`."


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_comment_stays_one_comment(text: str) -> None:
    source = f"# {comment(text)}\nx = 1\n"
    tree = ast.parse(source)
    assert len(tree.body) == 1


# -- naming ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "want"),
    [
        ("users", "users"),
        ("con", "con_"),
        ("NUL", "nul_"),
        ("../../etc/passwd", "etc_passwd"),
        ("a" * 300, "a" * 51 + "_" + "e2b5a4b5"),
    ],
)
def test_module_name(given: str, want: str) -> None:
    got = naming.module_name(given)
    assert got.isidentifier() and len(got) <= naming.MAX_MODULE_NAME
    if given.startswith("a" * 10):
        assert got.startswith("a" * 51 + "_") and len(got) == 60
        assert got != naming.module_name("a" * 299)
    else:
        assert got == want


@pytest.mark.parametrize(
    ("given", "want"),
    [
        ("user", "User"),
        ("None", "NoneModel"),
        ("Field", "FieldModel"),
        ("JsonInt", "JsonIntModel"),
        ("BaseModel", "BaseModelModel"),
        ("2fast", "N2fast"),
        ("", "Model"),
    ],
)
def test_model_names_never_shadow_what_models_py_imports(given: str, want: str) -> None:
    assert naming.py_model_name(given) == want


def test_class_names_dedupe_without_separator() -> None:
    assert naming.dedupe(["Address", "Address", "Address2"], sep="") == ["Address", "Address2", "Address22"]
