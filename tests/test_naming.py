"""Identifier rules: given a wire name, want the Python and TypeScript names."""

from __future__ import annotations

import keyword

import pytest

from generator import naming


@pytest.mark.parametrize(
    ("given", "snake", "pascal", "camel"),
    [
        ("findPetByID", "find_pet_by_id", "FindPetById", "findPetById"),
        ("find pet by id", "find_pet_by_id", "FindPetById", "findPetById"),
        ("meta/root", "meta_root", "MetaRoot", "metaRoot"),
        ("user-id", "user_id", "UserId", "userId"),
        ("X-Request-ID", "x_request_id", "XRequestId", "xRequestId"),
        ("getHTTPResponse", "get_http_response", "GetHttpResponse", "getHttpResponse"),
        ("café", "cafe", "Cafe", "cafe"),
        ("listUsers", "list_users", "ListUsers", "listUsers"),
    ],
)
def test_case_conversions(given: str, snake: str, pascal: str, camel: str) -> None:
    assert (naming.snake(given), naming.pascal(given), naming.camel(given)) == (snake, pascal, camel)


@pytest.mark.parametrize(
    ("given", "function", "class_name", "ts_function"),
    [
        ("class", "class_", "Class", "class_"),
        ("123abc", "n123abc", "N123abc", "_123abc"),
        ("list", "list_", "List", "list"),
        ("model_config", "model_config_", "ModelConfig", "modelConfig"),
        ("delete", "delete", "Delete", "delete_"),
    ],
)
def test_reserved_and_leading_digits(given: str, function: str, class_name: str, ts_function: str) -> None:
    assert naming.py_function_name(given) == function
    assert naming.py_class_name(given) == class_name
    assert naming.ts_function_name(given) == ts_function


@pytest.mark.parametrize("word", [*keyword.kwlist, *keyword.softkwlist])
def test_python_keywords_are_never_emitted(word: str) -> None:
    name = naming.py_function_name(word)
    assert name.isidentifier() and not keyword.iskeyword(name) and not keyword.issoftkeyword(name)


def test_dedupe_is_stable_and_unique() -> None:
    assert naming.dedupe(["a", "b", "a", "a"]) == ["a", "b", "a_2", "a_3"]
    names = naming.dedupe(["a", "a", "a_2"])
    assert len(set(names)) == 3


def test_names_without_letters_or_digits_are_reported() -> None:
    assert not naming.is_identifier_source("!!!")
    assert naming.is_identifier_source("x!")
