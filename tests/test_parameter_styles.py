"""Path and header parameters in the `simple`, `label` and `matrix` styles (OpenAPI 3.0.3 §4.7.12.4):
runtime.Styled takes the wire text apart, the parts are typed and validated like any parameter, the
handler receives the array or model, and the served document says which style each one is in."""

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

_RESPONSES = """
      responses:
        "204": {description: Done.}
        "400":
          description: Invalid request.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}"""


def _path(key: str, op_id: str, style: str, explode: bool, *extra: str) -> str:
    how = f"in: path, required: true, style: {style}, explode: {str(explode).lower()}"
    params = [
        f"{{name: n, {how}, schema: {{type: integer}}}}",
        f"{{name: ids, {how}, schema: {{type: array, items: {{type: integer}}, maxItems: 3}}}}",
        f'{{name: point, {how}, schema: {{$ref: "#/components/schemas/Point"}}}}',
        *extra,
    ]
    lines = "\n".join(f"        - {p}" for p in params)
    return f"  {key}:\n    get:\n      operationId: {op_id}\n      parameters:\n{lines}{_RESPONSES}\n"


SPEC = (
    'openapi: 3.0.3\ninfo: {title: Styles, version: "1"}\npaths:\n'
    + _path("/label/{n}/{ids}/{point}", "getLabel", "label", False)
    + _path("/label-x/{n}/{ids}/{point}", "getLabelExploded", "label", True)
    + _path("/matrix/{n}/{ids}/{point}", "getMatrix", "matrix", False)
    + _path("/matrix-x/{n}/{ids}/{point}", "getMatrixExploded", "matrix", True)
    + _path(
        "/simple/{n}/{ids}/{point}",
        "getSimple",
        "simple",
        True,
        "{name: X-Ids, in: header, schema: {type: array, items: {type: integer}}}",
        "{name: X-Area, in: header, schema: {type: object, properties: {w: {type: number}}}}",
        "{name: X-Box, in: header, schema: {type: object, properties: {w: {type: number}}, default: {w: 2}}}",
    )
    + """components:
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
    with generated_modules(SPEC, tmp_path_factory.mktemp("styles")) as modules:
        yield modules


# -- decoding: wire text -> value ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "explode", "given", "want"),
    [
        # the examples of OpenAPI 3.0.3 §4.7.12.4 (id = [3, 4, 5])
        ("simple", False, "3,4,5", [3, 4, 5]),
        ("simple", True, "3,4,5", [3, 4, 5]),
        ("label", False, ".3,4,5", [3, 4, 5]),
        ("label", True, ".3.4.5", [3, 4, 5]),
        ("matrix", False, ";id=3,4,5", [3, 4, 5]),
        ("matrix", True, ";id=3;id=4;id=5", [3, 4, 5]),
        # empty arrays: nothing after the prefix
        ("label", False, ".", []),
        ("matrix", False, ";id=", []),
        ("matrix", False, ";id", []),
        ("matrix", True, ";", []),
    ],
)
def test_arrays_decode_per_style(
    package: tuple[ModuleType, ModuleType, ModuleType], style: str, explode: bool, given: str, want: list[int]
) -> None:
    runtime = package[2]
    adapter: TypeAdapter[Any] = TypeAdapter(
        Annotated[Any, runtime.Styled(style, explode, "id", list[Annotated[int, runtime.STRICT_INT]])]
    )
    assert adapter.validate_python(given) == want


@pytest.mark.parametrize(
    ("style", "explode", "given"),
    [
        ("simple", False, "x=1,tag=a"),  # the exploded form where pairs are expected: "x=1" is a name
        ("simple", True, "x,1,tag,a"),  # and the other way round
        ("label", False, ".x,1,tag"),  # a name without its value
        ("label", True, "x=1.tag=a"),  # no `.` prefix
        ("matrix", False, ";point=x,1"),  # the wrong parameter name
        ("matrix", True, ";=1"),  # an empty property name
        ("matrix", True, ";x=one"),  # not an integer
        ("label", True, ".tag=a"),  # the required property missing
    ],
)
def test_invalid_objects_are_validation_errors(
    package: tuple[ModuleType, ModuleType, ModuleType], style: str, explode: bool, given: str
) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(Annotated[Any, package[2].Styled(style, explode, "id", _Point)])
    with pytest.raises(ValidationError):
        adapter.validate_python(given)


@pytest.mark.parametrize(
    ("style", "explode", "given"),
    [
        # id = {"x": 1, "tag": "a,b"} is ambiguous in the non-exploded styles; exploded it is not
        ("simple", False, "x,1,tag,a"),
        ("simple", True, "x=1,tag=a"),
        ("label", False, ".x,1,tag,a"),
        ("label", True, ".x=1.tag=a"),
        ("matrix", False, ";id=x,1,tag,a"),
        ("matrix", True, ";x=1;tag=a"),
    ],
)
def test_objects_decode_per_style(
    package: tuple[ModuleType, ModuleType, ModuleType], style: str, explode: bool, given: str
) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(Annotated[Any, package[2].Styled(style, explode, "id", _Point)])
    assert adapter.validate_python(given) == _Point(x=1, tag="a")


@pytest.mark.parametrize(
    ("style", "given"),
    [
        ("label", "3,4"),  # no prefix
        ("label", ".3,x"),  # an item that is not an integer
        ("label", ".+3"),  # parsed strictly, as every integer parameter
        ("matrix", ";ids=3,4"),  # another parameter's name
        ("matrix", "id=3"),  # no `;`
    ],
)
def test_invalid_arrays_are_validation_errors(
    package: tuple[ModuleType, ModuleType, ModuleType], style: str, given: str
) -> None:
    runtime = package[2]
    adapter: TypeAdapter[Any] = TypeAdapter(
        Annotated[Any, runtime.Styled(style, False, "id", list[Annotated[int, runtime.STRICT_INT]])]
    )
    with pytest.raises(ValidationError):
        adapter.validate_python(given)


def test_array_length_limits(package: tuple[ModuleType, ModuleType, ModuleType]) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(
        Annotated[Any, package[2].Styled("label", True, "id", list[str], max_length=2)]
    )
    assert adapter.validate_python(".a.b") == ["a", "b"]
    with pytest.raises(ValidationError):
        adapter.validate_python(".a.b.c")


# -- through a generated app --------------------------------------------------------------------


@pytest.fixture(scope="module")
def app(package: tuple[ModuleType, ModuleType, ModuleType]) -> Iterator[tuple[TestClient, list[dict[str, Any]]]]:
    """The app of SPEC with handlers that record what they receive."""
    with recording_app(package[0], package[1]) as recording:
        yield recording


def _call(app: tuple[TestClient, list[dict[str, Any]]], path: str, **headers: str) -> dict[str, Any]:
    client, received = app
    response = client.get(path, headers=headers)
    assert response.status_code == 204, response.text
    return received[-1]


@pytest.mark.parametrize(
    "path",
    [
        "/label/.7/.1,2,3/.x,4,tag,a",
        "/label-x/.7/.1.2.3/.x=4.tag=a",
        "/matrix/;n=7/;ids=1,2,3/;point=x,4,tag,a",
        "/matrix-x/;n=7/;ids=1;ids=2;ids=3/;x=4;tag=a",
        "/simple/7/1,2,3/x=4,tag=a",
    ],
)
def test_handlers_receive_typed_values(app: tuple[TestClient, list[dict[str, Any]]], path: str) -> None:
    got = _call(app, path)
    assert got["n"] == 7
    assert got["ids"] == [1, 2, 3]
    assert type(got["point"]).__name__ == "Point"
    assert (got["point"].x, got["point"].tag) == (4, "a")


def test_header_arrays_and_objects_are_decoded(app: tuple[TestClient, list[dict[str, Any]]]) -> None:
    got = _call(app, "/simple/1/2/x=3", **{"X-Ids": "4,5", "X-Area": "w,1.5"})
    assert got["x_ids"] == [4, 5]
    assert got["x_area"].w == 1.5
    assert _call(app, "/simple/1/2/x=3")["x_ids"] is None
    assert _call(app, "/simple/1/2/x=3")["x_box"].w == 2  # the default, as the model


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/label/7/.1/.x,4", "path.n"),  # no `.` prefix on a primitive
        ("/label/.7/.1,x/.x,4", "path.ids"),
        ("/label/.7/.1,2,3,4/.x,4", "path.ids"),  # maxItems: 3
        ("/label-x/.7/.1/.x=4.tag", "path.point"),
        ("/matrix/;n=7/;ids=1/;point=x", "path.point"),  # a name without its value
        ("/matrix/;m=7/;ids=1/;point=x,4", "path.n"),
        ("/matrix-x/;n=7/;ids=1;n=2/;x=4", "path.ids"),
        ("/matrix-x/;n=7/;ids=1/;tag=a", "path.point"),  # required x missing
        ("/simple/7/1/x,4", "path.point"),  # exploded: `x=4`
    ],
)
def test_invalid_values_get_the_spec_error(app: tuple[TestClient, list[dict[str, Any]]], path: str, where: str) -> None:
    response = app[0].get(path)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "validation_error"
    assert where in response.json()["message"]


def test_the_served_document_keeps_each_style(app: tuple[TestClient, list[dict[str, Any]]]) -> None:
    served = app[0].get("/openapi.json").json()
    assert compare(yaml.safe_load(SPEC), served) == []
    facts = operation_facts(served)
    assert "path:ids:required:matrix*" in facts["GET /matrix-x/{n}/{ids}/{point}"]["parameters"]
    assert "header:X-Ids:optional:simple" in facts["GET /simple/{n}/{ids}/{point}"]["parameters"]
    ids = next(p for p in served["paths"]["/label/{n}/{ids}/{point}"]["get"]["parameters"] if p["name"] == "ids")
    assert ids["schema"]["type"] == "array"
    assert (ids["style"], ids["explode"]) == ("label", False)


def test_handler_protocol_is_typed(package: tuple[ModuleType, ModuleType, ModuleType]) -> None:
    signature = inspect.signature(package[1].DefaultHandlers.get_matrix)
    annotations = {name: str(p.annotation) for name, p in signature.parameters.items() if name != "self"}
    # (Annotated is transparent to type checkers: the strict integer parsing of query arrays too)
    assert annotations == {"n": "int", "ids": "list[Annotated[int, runtime.STRICT_INT]]", "point": "models.Point"}


def test_what_stays_raw_is_warned(tmp_path: Path) -> None:
    spec = tmp_path / "cookies.yaml"
    spec.write_text(
        'openapi: 3.0.3\ninfo: {title: C, version: "1"}\npaths:\n  /c/{grid}:\n    get:\n      operationId: getC\n'
        "      parameters:\n"
        "        - {name: ids, in: cookie, schema: {type: array, items: {type: integer}}}\n"
        "        - {name: grid, in: path, required: true, style: label,"
        " schema: {type: array, items: {type: array, items: {type: integer}}}}\n"
        '      responses: {"204": {description: Done.}}\n',
        encoding="utf-8",
    )
    warned = [w.message for w in pipeline.generate(spec, "c_api").warnings]
    assert any("cookie parameter 'ids'" in m and "'form' style" in m and "raw text" in m for m in warned), warned
    assert any("path parameter 'grid'" in m and "arrays or objects inside" in m for m in warned), warned


def test_the_app_reads_what_the_typescript_client_sends(tmp_path: Path) -> None:
    # The URL and headers tests/ts/wire.test.ts checks the client sends for the spec's examples.
    fixture = Path(__file__).parent / "ts" / "fixture" / "openapi.yaml"
    sent = (
        "/styled/.3,4,5/.role=admin.firstName=Alex/;matrix=3,4,5/;matrixX=3;matrixX=4;matrixX=5"
        "/role=admin,firstName=Alex/;point=role,admin,firstName,Alex/;n=5"
    )
    headers = {"X-Ids": "3,4,5", "X-Person": "role=admin,firstName=Alex"}
    # its own package name: the module's fixture holds generated_package's
    emit.write_atomic(tmp_path, pipeline.generate(fixture, "styles_fixture").files)
    sys.path.insert(0, str(tmp_path / "python"))
    try:
        app_module = importlib.import_module("styles_fixture.app")
        handlers_module = importlib.import_module("styles_fixture.handlers")
        with recording_app(app_module, handlers_module) as (client, received):
            assert client.get(sent, headers=headers).status_code == 204
    finally:
        sys.path.remove(str(tmp_path / "python"))
        for name in [m for m in sys.modules if m.partition(".")[0] == "styles_fixture"]:
            del sys.modules[name]
    got = received[-1]
    assert [got[k] for k in ("label", "matrix", "matrix_x", "x_ids", "n")] == [[3, 4, 5]] * 4 + [5]
    for key in ("label_x", "simple_x", "point", "x_person"):
        assert (got[key].role, got[key].first_name) == ("admin", "Alex"), key
