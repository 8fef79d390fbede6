"""Query arrays and objects in the `form`, `spaceDelimited`, `pipeDelimited` and `deepObject` styles
(OpenAPI 3.0.3 §4.7.12.4): the non-exploded text is taken apart by runtime.Styled, exploded objects and
deepObjects are picked out of the whole query by runtime.QueryObject; either way the values are typed
and validated like any parameter, and the handler receives the list or the model."""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import pytest
import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from generator import emit, pipeline
from generator.contract import compare, operation_facts
from tests.generated_apps import TestClient, generated_modules, recording_app
from tests.test_parameter_styles import _RESPONSES

SPEC = (
    'openapi: 3.0.3\ninfo: {title: Query styles, version: "1"}\npaths:\n'
    "  /q:\n    get:\n      operationId: getQ\n      parameters:\n"
    + "\n".join(
        f"        - {p}"
        for p in [
            "{name: ids, in: query, explode: false, schema: {type: array, items: {type: integer}, maxItems: 3}}",
            "{name: words, in: query, style: spaceDelimited, schema: {type: array, items: {type: string}}}",
            "{name: pipes, in: query, style: pipeDelimited, schema: {type: array, items: {type: integer}}}",
            "{name: tags, in: query, schema: {type: array, items: {type: integer}}}",
            '{name: point, in: query, explode: false, schema: {$ref: "#/components/schemas/Point"}}',
            "{name: person, in: query, required: true, description: Who.,"
            " schema: {type: object, properties: {role: {type: string}, age: {type: integer}}}}",
            "{name: filter, in: query, style: deepObject, explode: true,"
            " schema: {type: object, additionalProperties: {type: string}}}",
            '{name: deep, in: query, style: deepObject, explode: true, schema: {$ref: "#/components/schemas/Point"}}',
            "{name: box, in: query, style: deepObject,"
            " schema: {type: object, required: [x], properties: {x: {type: integer}}, default: {x: 9}}}",
            "{name: n, in: query, schema: {type: integer}}",
        ]
    )
    + _RESPONSES
    + "\n  /extra:\n    get:\n      operationId: getExtra\n      parameters:\n"
    "        - {name: n, in: query, schema: {type: integer}}\n"
    "        - {name: rest, in: query, schema: {type: object, additionalProperties: {type: integer}}}\n"
    "        - {name: free, in: query, schema: {type: object}}"
    + _RESPONSES
    + """
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
  schemas:
    Point:
      type: object
      required: [x]
      properties:
        x: {type: integer}
        tag: {type: string}
    Error:
      type: object
      required: [code, message]
      properties:
        code: {type: string}
        message: {type: string}
"""
)


class _Point(BaseModel):
    x: int
    tag: str | None = None


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType, ModuleType]]:
    """(app module, handlers module, runtime module) generated from SPEC."""
    with generated_modules(SPEC, tmp_path_factory.mktemp("query")) as modules:
        yield modules


@pytest.fixture(scope="module")
def app(package: tuple[ModuleType, ModuleType, ModuleType]) -> Iterator[tuple[TestClient, list[dict[str, Any]]]]:
    with recording_app(package[0], package[1]) as recording:
        yield recording


def _get(app: tuple[TestClient, list[dict[str, Any]]], url: str) -> dict[str, Any]:
    response = app[0].get(url)
    assert response.status_code == 204, response.text
    return app[1][-1]


# -- decoding: wire text -> value (runtime.Styled) ----------------------------------------------


@pytest.mark.parametrize(
    ("style", "given", "want"),
    [
        # the examples of OpenAPI 3.0.3 §4.7.12.4 (id = [3, 4, 5]), as the query parameter's value
        ("form", "3,4,5", [3, 4, 5]),
        ("spaceDelimited", "3 4 5", [3, 4, 5]),
        ("pipeDelimited", "3|4|5", [3, 4, 5]),
        ("form", "3", [3]),
        ("form", "", []),  # `id=`: the empty array
        ("pipeDelimited", "", []),
    ],
)
def test_arrays_decode_per_style(
    package: tuple[ModuleType, ModuleType, ModuleType], style: str, given: str, want: list[int]
) -> None:
    runtime = package[2]
    adapter: TypeAdapter[Any] = TypeAdapter(
        Annotated[Any, runtime.Styled(style, False, "id", list[Annotated[int, runtime.STRICT_INT]])]
    )
    assert adapter.validate_python(given) == want


@pytest.mark.parametrize(
    ("style", "given", "tag"),
    [
        # only the style's own separator separates: the others are part of a value
        ("form", "x,1,tag,a b|c", "a b|c"),
        ("spaceDelimited", "x 1 tag a,b|c", "a,b|c"),
        ("pipeDelimited", "x|1|tag|a b,c", "a b,c"),
    ],
)
def test_objects_decode_per_style(
    package: tuple[ModuleType, ModuleType, ModuleType], style: str, given: str, tag: str
) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(Annotated[Any, package[2].Styled(style, False, "id", _Point)])
    assert adapter.validate_python(given) == _Point(x=1, tag=tag)


@pytest.mark.parametrize(
    ("style", "shape", "given"),
    [
        ("form", "array", "3,x"),  # not an integer
        ("form", "array", "3,+4"),  # parsed strictly, as every integer parameter
        ("spaceDelimited", "array", "3,4"),  # one item, which is not an integer
        ("pipeDelimited", "array", "3 4"),
        ("form", "object", "x,1,tag"),  # a name without its value
        ("pipeDelimited", "object", "x,1"),  # the wrong separator: one name, no value
        ("form", "object", "tag,a"),  # the required property missing
        ("spaceDelimited", "object", "x one"),
    ],
)
def test_invalid_values_are_validation_errors(
    package: tuple[ModuleType, ModuleType, ModuleType], style: str, shape: str, given: str
) -> None:
    runtime = package[2]
    typ = list[Annotated[int, runtime.STRICT_INT]] if shape == "array" else _Point
    adapter: TypeAdapter[Any] = TypeAdapter(Annotated[Any, runtime.Styled(style, False, "id", typ)])
    with pytest.raises(ValidationError):
        adapter.validate_python(given)


# -- through a generated app ----------------------------------------------------------------------


def test_handlers_receive_typed_values(app: tuple[TestClient, list[dict[str, Any]]]) -> None:
    got = _get(
        app,
        "/q?ids=1,2&words=a%20b&pipes=3%7C4&tags=5&tags=6&point=x,7,tag,t&role=admin&age=30"
        "&filter%5Bk%5D=v&filter%5Bz%5D=w&deep%5Bx%5D=8&n=9",
    )
    assert (got["ids"], got["words"], got["pipes"], got["tags"]) == ([1, 2], ["a", "b"], [3, 4], [5, 6])
    assert (got["point"].x, got["point"].tag) == (7, "t")
    assert (got["person"].role, got["person"].age) == ("admin", 30)
    assert got["filter_"].root == {"k": "v", "z": "w"}
    assert got["deep"].x == 8
    assert got["n"] == 9


def test_absent_optional_objects_are_none_or_their_default(app: tuple[TestClient, list[dict[str, Any]]]) -> None:
    got = _get(app, "/q?age=1")
    assert [got[k] for k in ("ids", "words", "point", "filter_", "deep", "n")] == [None] * 6
    assert type(got["box"]).__name__ == "GetQBoxParam"
    assert got["box"].x == 9  # the spec's default, as the model


def test_an_exploded_object_does_not_swallow_other_parameters(app: tuple[TestClient, list[dict[str, Any]]]) -> None:
    # `rest` takes additional properties: every name but the other query parameter and the API key
    got = _get(app, "/extra?n=1&a=2&b=3&api_key=k")
    assert got["n"] == 1
    assert got["rest"].root == {"a": 2, "b": 3}
    assert got["free"] is not None  # a free-form object takes any name too
    assert [_get(app, "/extra?n=1")[k] for k in ("rest", "free")] == [None, None]
    # properties only: unknown names are not the object's
    assert _get(app, "/q?role=r&other=1")["person"].role == "r"


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("/q?role=a&ids=1,x", "query.ids"),
        ("/q?role=a&ids=1,2,3,4", "query.ids"),  # maxItems: 3
        ("/q?role=a&pipes=1,2", "query.pipes"),
        ("/q?role=a&point=x", "query.point"),
        ("/q?role=a&point=tag,t", "query.point"),  # required x missing
        ("/q?age=old", "query.person.age"),
        ("/q?n=1", "query.person"),  # required, and none of its properties sent
        ("/q?role=a&deep%5Btag%5D=t", "query.deep.x"),
        ("/q?role=a&deep%5Bx%5D=one", "query.deep.x"),
        ("/extra?a=b", "query.rest.a"),
    ],
)
def test_invalid_values_get_the_spec_error(app: tuple[TestClient, list[dict[str, Any]]], url: str, where: str) -> None:
    response = app[0].get(url)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "validation_error"
    assert where in response.json()["message"]


def test_the_served_document_keeps_each_style(app: tuple[TestClient, list[dict[str, Any]]]) -> None:
    served = app[0].get("/openapi.json").json()
    assert compare(yaml.safe_load(SPEC), served) == []
    facts = operation_facts(served)["GET /q"]["parameters"]
    assert {"query:ids:optional:form", "query:person:required:form*", "query:filter:optional:deepObject*"} <= set(facts)
    person = next(p for p in served["paths"]["/q"]["get"]["parameters"] if p["name"] == "person")
    assert (person["required"], person["description"]) == (True, "Who.")
    assert person["schema"]["$ref"].startswith("#/components/schemas/")


def test_handler_protocol_is_typed(package: tuple[ModuleType, ModuleType, ModuleType]) -> None:
    signature = inspect.signature(package[1].DefaultHandlers.get_q)
    annotations = {name: str(p.annotation) for name, p in signature.parameters.items() if name != "self"}
    strict_ints = "list[Annotated[int, runtime.STRICT_INT]] | None"
    assert annotations == {
        "ids": strict_ints,
        "words": "list[str] | None",
        "pipes": strict_ints,
        "tags": strict_ints,
        "point": "models.Point | None",
        "person": "models.GetQPersonParam",
        "filter_": "models.GetQFilterParam | None",
        "deep": "models.Point | None",
        "box": "models.GetQBoxParam",
        "n": "int | None",
    }


def test_what_is_not_decoded_is_warned(tmp_path: Path) -> None:
    spec = tmp_path / "nested.yaml"
    spec.write_text(
        'openapi: 3.0.3\ninfo: {title: N, version: "1"}\npaths:\n  /n:\n    get:\n      operationId: getN\n'
        "      parameters:\n"
        "        - {name: grid, in: query, explode: false,"
        " schema: {type: array, items: {type: array, items: {type: integer}}}}\n"
        "        - {name: f, in: query, style: deepObject,"
        " schema: {type: object, properties: {inner: {type: object}, ok: {type: string}}}}\n"
        '      responses: {"204": {description: Done.}}\n',
        encoding="utf-8",
    )
    warned = [(w.line, w.message) for w in pipeline.generate(spec, "n_api").warnings]
    assert any("query parameter 'grid'" in m and "arrays or objects inside" in m and "raw text" in m for _, m in warned)
    nested = [(line, m) for line, m in warned if "query parameter 'f'" in m]
    assert len(nested) == 1, warned
    assert nested[0][0] == 9  # located at the parameter
    assert "'inner'" in nested[0][1] and "'ok'" not in nested[0][1] and "JSON text" in nested[0][1]


# -- what the TypeScript client sends -------------------------------------------------------------


def test_the_app_reads_what_the_typescript_client_sends(tmp_path: Path) -> None:
    # The URL tests/ts/wire.test.ts checks the client sends for the spec's examples.
    fixture = Path(__file__).parent / "ts" / "fixture" / "openapi.yaml"
    sent = (
        "/query-styled?ids=3,4,5&space=3%204%205&pipe=3%7C4%7C5&person=role,admin,firstName,Alex"
        "&deep%5Brole%5D=admin&deep%5BfirstName%5D=Alex&space_person=role%20admin%20firstName%20Alex"
        "&pipe_person=role%7Cadmin%7CfirstName%7CAlex&ids_x=3&ids_x=4&ids_x=5&role=admin&firstName=Alex"
    )
    # its own package name: the module's fixture holds generated_package's
    emit.write_atomic(tmp_path, pipeline.generate(fixture, "query_fixture").files)
    sys.path.insert(0, str(tmp_path / "python"))
    try:
        app_module = importlib.import_module("query_fixture.app")
        handlers_module = importlib.import_module("query_fixture.handlers")
        with recording_app(app_module, handlers_module) as (client, received):
            response = client.get(sent)
            assert response.status_code == 204, response.text
    finally:
        sys.path.remove(str(tmp_path / "python"))
        for name in [m for m in sys.modules if m.partition(".")[0] == "query_fixture"]:
            del sys.modules[name]
    got = received[-1]
    assert [got[k] for k in ("ids", "ids_x", "space", "pipe")] == [[3, 4, 5]] * 4
    for key in ("person", "person_x", "deep", "space_person", "pipe_person"):
        assert (got[key].role, got[key].first_name) == ("admin", "Alex"), key
