"""Request bodies offered as forms or in several media types are decoded by their Content-Type and
validated by the same model (cases found on Swagger's petstore and Slack's Web API)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from generator import pipeline
from generator.__main__ import main
from generator.contract import compare
from generator.mock import MOCK_CREDENTIAL
from tests.test_mock import running_mock

SPEC = """
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Pet"}}
          application/xml: {schema: {$ref: "#/components/schemas/Pet"}}
          application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/Pet"}}
      responses:
        "200": {description: Added., content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
        "400": {description: Invalid., content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /pets/findByStatus:
    get:
      operationId: findPets
      responses:
        "200":
          description: Found.
          content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}}}
  /pets/{petId}:
    post:
      operationId: updatePet
      parameters: [{name: petId, in: path, required: true, schema: {type: integer}}]
      responses:
        "204": {description: Updated.}
        "400": {description: Invalid., content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /notes:
    post:
      operationId: addNote
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Tag"}}}
      responses:
        "204": {description: Added.}
        "400": {description: Invalid., content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /tags:
    post:
      operationId: addTag
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Tag"}}}
      responses:
        "204": {description: Added.}
        "400": {description: Invalid., content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /images:
    put:
      operationId: putImage
      requestBody:
        required: true
        content: {image/jpeg: {schema: {type: string, format: binary}}}
      responses:
        "202": {description: Stored.}
        "400": {description: Invalid., content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /uploads:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [orderId, file]
              properties:
                orderId: {type: integer}
                note: {type: string}
                tags: {type: array, items: {type: string}}
                ids: {type: array, items: {type: integer}}
                file: {type: string, format: binary}
                scans: {type: array, items: {type: string, format: binary}}
      responses:
        "204": {description: Stored.}
        "400": {description: Invalid., content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /emoji.add:
    post:
      operationId: addEmoji
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [name, url]
              properties: {name: {type: string}, url: {type: string}, size: {type: integer}}
      responses:
        "200":
          description: Added.
          content: {application/json: {schema: {type: object, properties: {ok: {type: boolean}}}}}
        "400": {description: Invalid., content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /updates:
    post:
      operationId: getUpdates
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Tag"}}
          application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/Tag"}}
          multipart/form-data: {schema: {$ref: "#/components/schemas/Tag"}}
      responses:
        "200": {description: Updates., content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
        "400": {description: Invalid., content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /messages:
    post:
      operationId: sendMessage
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Message"}}
          application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/Message"}}
          multipart/form-data: {schema: {$ref: "#/components/schemas/Message"}}
      responses:
        "200": {description: Sent., content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
        "400": {description: Invalid., content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
components:
  schemas:
    Error: {type: object, required: [code, message], properties: {code: {type: string}, message: {type: string}}}
    Tag: {type: object, properties: {id: {type: integer}, name: {type: string}}}
    Message:
      type: object
      required: [chatId, text]
      properties:
        chatId: {anyOf: [{type: integer}, {type: string}]}
        text: {type: string}
        silent: {type: boolean}
        labels: {type: array, items: {type: string}}
        entities: {type: array, items: {$ref: "#/components/schemas/Tag"}}
        media: {type: array, items: {anyOf: [{$ref: "#/components/schemas/Tag"}, {$ref: "#/components/schemas/Pet"}]}}
        reply: {$ref: "#/components/schemas/Tag"}
    Pet:
      type: object
      required: [name, photoUrls]
      properties:
        id: {type: integer}
        name: {type: string}
        photoUrls: {type: array, xml: {wrapped: true}, items: {type: string, xml: {name: photoUrl}}}
        tags: {type: array, items: {$ref: "#/components/schemas/Tag"}}
"""

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
XML = {"Content-Type": "application/xml"}


@contextlib.contextmanager
def mock_of(spec_text: str, folder: Path) -> Iterator[httpx.Client]:
    """`apigen mock` of `spec_text` on 127.0.0.1, and a client for it."""
    spec = folder / "spec.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    with running_mock(spec, seed=1) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """`apigen mock` of the spec above."""
    with mock_of(SPEC, tmp_path_factory.mktemp("bodies")) as client:
        yield client


def _error(response: Any) -> str:
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "validation_error"
    return str(response.json()["message"])


def test_empty_form_fields_are_values_not_absences(client: httpx.Client) -> None:
    # FastAPI's own Form() reads an empty field as missing; the spec says "" is a string.
    response = client.post("/emoji.add", content="name=&url=", headers=FORM)
    assert response.status_code == 200, response.text


def test_form_fields_are_typed_by_the_schema(client: httpx.Client) -> None:
    assert client.post("/emoji.add", content="name=a&url=b&size=12", headers=FORM).status_code == 200
    assert "body.size" in _error(client.post("/emoji.add", content="name=a&url=b&size=twelve", headers=FORM))
    assert "body.url: Field required" in _error(client.post("/emoji.add", content="name=a", headers=FORM))


def test_one_model_three_media_types(client: httpx.Client) -> None:
    as_json = client.post("/pets", json={"name": "rex", "photoUrls": ["a"]})
    as_form = client.post("/pets", content="name=rex&photoUrls=a&photoUrls=b", headers=FORM)
    wrapped = "<pet><id>3</id><name>rex</name><photoUrls><photoUrl>a</photoUrl><photoUrl>b</photoUrl></photoUrls>"
    repeated = "<tags><id>1</id><name>t</name></tags><tags><id>2</id><name>u</name></tags></pet>"
    as_xml = client.post("/pets", content=wrapped + repeated, headers=XML)
    assert [r.status_code for r in (as_json, as_form, as_xml)] == [200, 200, 200], as_xml.text


def test_a_required_array_absent_from_a_form_is_missing(client: httpx.Client) -> None:
    # Required means present: no pair (or part) of that name is not an empty array (Telegram's sendMediaGroup).
    assert "body.photoUrls: Field required" in _error(client.post("/pets", content="name=rex", headers=FORM))
    # An empty array of objects can still be said in multipart: one JSON part `[]`.
    multipart = {"x-unused": ("x", b"")}
    empty = client.post("/messages", data={"chatId": "1", "text": "", "entities": "[]"}, files=multipart)
    assert empty.status_code == 200, empty.text


def test_an_object_property_of_a_urlencoded_form_may_come_exploded(client: httpx.Client) -> None:
    # OpenAPI 3.0.3 §4.7.13.5: form properties default to style `form`, explode true, which spells an
    # object as its own properties' pairs (Telegram's restrictChatMember `permissions`).
    as_json = client.post("/messages", json={"chatId": "c", "text": "t", "reply": {"id": 3, "name": "r"}})
    exploded = client.post("/messages", content="chatId=c&text=t&id=3&name=r", headers=FORM)
    as_text = client.post(
        "/messages", content="chatId=c&text=t&reply=%7B%22id%22%3A3%2C%22name%22%3A%22r%22%7D", headers=FORM
    )
    assert [r.status_code for r in (as_json, exploded, as_text)] == [200] * 3, exploded.text
    assert exploded.json() == as_json.json() == as_text.json()
    assert "body.reply.id" in _error(client.post("/messages", content="chatId=1&text=t&id=x", headers=FORM))


def test_an_empty_xml_element_is_an_empty_object(client: httpx.Client) -> None:
    assert "body.name: Field required" in _error(client.post("/pets", content="<pet></pet>", headers=XML))


def test_bad_bodies_are_located_validation_errors(client: httpx.Client) -> None:
    assert "body.id" in _error(client.post("/pets", content="<pet><id>x</id><name>a</name></pet>", headers=XML))
    assert "not well-formed XML" in _error(client.post("/pets", content="<pet>", headers=XML))
    assert "not valid JSON" in _error(client.post("/pets", content="{", headers={"Content-Type": "application/json"}))
    unsupported = _error(client.post("/pets", content="x", headers={"Content-Type": "text/plain"}))
    assert "unsupported media type" in unsupported and "application/xml" in unsupported
    assert "body: Field required" in _error(client.post("/pets"))


def test_undeclared_method_on_a_static_path_is_405_not_the_templated_route(client: httpx.Client) -> None:
    # POST /pets/findByStatus also matches POST /pets/{petId}; the concrete path wins (OpenAPI 3, Paths).
    response = client.post("/pets/findByStatus", headers={"Authorization": f"Bearer {MOCK_CREDENTIAL}"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


def test_the_served_document_declares_every_media_type_with_its_schema(client: httpx.Client) -> None:
    served = client.get("/openapi.json").json()
    assert compare(yaml.safe_load(SPEC), served) == []
    content = served["paths"]["/pets"]["post"]["requestBody"]["content"]
    assert sorted(content) == ["application/json", "application/x-www-form-urlencoded", "application/xml"]
    assert {c["schema"]["$ref"] for c in content.values()} == {"#/components/schemas/Pet"}
    assert "Pet" in served["components"]["schemas"] and "Tag" in served["components"]["schemas"]


AUTH_HEADER_SPEC = """
openapi: 3.0.3
info: {title: Header auth, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters: [{name: Authorization, in: header, required: true, schema: {type: string}}]
      responses:
        "200": {description: Listed.}
        "400": {description: Invalid., content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "401": {description: Who are you?, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
components:
  schemas:
    Error: {type: object, required: [code, message], properties: {code: {type: string}, message: {type: string}}}
"""


def test_a_missing_authorization_header_parameter_is_401(tmp_path: Path) -> None:
    # readme's schema-circular spec models `Authorization` as a required header parameter.
    with mock_of(AUTH_HEADER_SPEC, tmp_path) as mock:
        assert mock.get("/things").status_code == 401
        assert mock.get("/things", headers={"Authorization": "x"}).status_code == 200


def test_an_optional_json_body_may_be_absent_but_not_null(client: httpx.Client) -> None:
    # FastAPI alone reads the JSON `null` as "no body"; the schema says an object.
    assert client.post("/notes").status_code == 204
    assert client.post("/notes", json={"id": 1}).status_code == 204
    assert "body" in _error(client.post("/notes", content="null", headers={"Content-Type": "application/json"}))


def test_multipart_text_fields_are_typed_and_uploads_required(client: httpx.Client) -> None:
    upload = {"file": ("a.bin", b"\x00\x01", "application/octet-stream")}
    ok = client.post("/uploads", data={"orderId": "7", "note": "", "tags": ["a", "b"], "ids": ["1", "2"]}, files=upload)
    assert ok.status_code == 204, ok.text
    assert "body.orderId" in _error(client.post("/uploads", data={"orderId": "seven"}, files=upload))
    without_file = client.post("/uploads", data={"orderId": "7"}, files={"x": ("x", b"")})
    assert "body.file: Field required" in _error(without_file)


def test_an_array_of_files_is_one_part_per_file(client: httpx.Client, tmp_path: Path) -> None:
    # readme's file-uploads spec: `type: array, items: {format: binary}`; each file is a part of that name.
    parts = [("file", ("a.bin", b"a")), ("scans", ("1.png", b"\x89P")), ("scans", ("2.png", b"\x89P"))]
    assert client.post("/uploads", data={"orderId": "7"}, files=parts).status_code == 204
    out = tmp_path / "out"
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    assert main(["generate", str(spec), "--out", str(out), "--package", "bodies"]) == 0
    handlers = (out / "python" / "bodies" / "handlers.py").read_text(encoding="utf-8")
    assert "scans: list[UploadFile] | None" in handlers
    routers = "".join(p.read_text(encoding="utf-8") for p in (out / "python" / "bodies" / "routers").glob("*.py"))
    routers = "".join(routers.split())  # as formatted, a call may span lines
    assert 'scans=body.get("scans",many=True)' in routers and 'files=("file","scans",)' in routers


ERRORS_SPEC = """
openapi: 3.0.3
info: {title: Two error shapes, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      parameters: [{name: n, in: query, required: true, schema: {type: integer}}]
      responses:
        "200": {description: Ok.}
        "400":
          description: Invalid.
          content:
            application/json:
              schema:
                {type: object, required: [error], properties: {error: {type: string}}, additionalProperties: false}
  /b:
    get:
      operationId: getB
      parameters: [{name: n, in: query, required: true, schema: {type: integer}}]
      responses:
        "200": {description: Ok.}
        "400":
          description: Invalid.
          content:
            application/json:
              schema:
                type: object
                required: [status, message]
                properties: {status: {type: integer, minimum: 400, maximum: 599}, message: {type: string}}
"""


def test_the_mock_answers_each_operation_in_its_own_error_schema(tmp_path: Path) -> None:
    # Spotify's and Slack's operations declare different bodies for the same status.
    with mock_of(ERRORS_SPEC, tmp_path) as mock:
        a, b = mock.get("/a"), mock.get("/b")
    assert a.status_code == b.status_code == 400
    assert set(a.json()) == {"error"}
    assert set(b.json()) == {"status", "message"} and "query.n" in b.json()["message"]


def test_text_where_an_xml_object_belongs_is_refused(client: httpx.Client) -> None:
    assert "body" in _error(client.post("/pets", content="<pet>true</pet>", headers=XML))


def test_undecodable_json_bytes_are_a_validation_error(client: httpx.Client) -> None:
    # FastAPI answers 400 "error parsing the body" itself; the spec's validation status and body apply.
    response = client.post("/tags", content=b"\x03rz\xff\xfe", headers={"Content-Type": "application/json"})
    assert "not valid JSON" in _error(response)


def test_a_required_binary_body_must_be_sent(client: httpx.Client) -> None:
    # Spotify's PUT /playlists/{id}/images: the spec requires the image, a string without minLength.
    assert "body: Field required" in _error(client.put("/images"))
    # Sent with its media type, zero bytes are a body (the empty string), not a missing one.
    assert client.put("/images", headers={"Content-Type": "image/jpeg"}).status_code == 202
    assert client.put("/images", content=b"\xff\xd8", headers={"Content-Type": "image/jpeg"}).status_code == 202


# Telegram's Bot API offers its bodies as JSON, as a urlencoded form and as multipart/form-data.
MESSAGE = {
    "chatId": "@chan",
    "text": "",
    "silent": True,
    "labels": ["a", "b"],
    "entities": [{"id": 1, "name": "x"}, {"id": 2}],
    "media": [{"name": "rex", "photoUrls": []}],
    "reply": {"id": 3},
}
MESSAGE_FIELDS = {
    "chatId": "@chan",
    "text": "",
    "silent": "true",
    "labels": ["a", "b"],
    "media": '{"name": "rex", "photoUrls": []}',
    "reply": '{"id": 3}',
}


def test_multipart_is_a_third_encoding_of_the_model(client: httpx.Client) -> None:
    # The mock answers from the handler's arguments: one answer means one model.
    as_json = client.post("/messages", json=MESSAGE)
    entities = ["entities=%7B%22id%22%3A1%2C%22name%22%3A%22x%22%7D", "entities=%7B%22id%22%3A2%7D"]
    form = "chatId=%40chan&text=&silent=true&labels=a&labels=b&" + "&".join(entities)
    form += "&media=%7B%22name%22%3A%22rex%22%2C%22photoUrls%22%3A%5B%5D%7D&reply=%7B%22id%22%3A3%7D"
    as_form = client.post("/messages", content=form, headers=FORM)
    # An array of objects as one JSON part, or as one part per object; a file part counts as its text.
    whole = client.post("/messages", data={**MESSAGE_FIELDS, "entities": '[{"id": 1, "name": "x"}, {"id": 2}]'})
    parts = {**MESSAGE_FIELDS, "entities": ['{"id": 1, "name": "x"}', '{"id": 2}']}
    per_item = client.post("/messages", data=parts, files={"x-unused": ("x", b"")})
    reply_file = {k: v for k, v in parts.items() if k != "reply"}
    as_file = client.post("/messages", data=reply_file, files={"reply": ("r.json", b'{"id": 3}', "application/json")})
    answers = [as_json, as_form, whole, per_item, as_file]
    assert [r.status_code for r in answers] == [200] * 5, [r.text for r in answers]
    assert all(r.json() == as_json.json() for r in answers)
    other = client.post("/messages", data={**MESSAGE_FIELDS, "text": "hi"}, files={"x-unused": ("x", b"")})
    assert other.status_code == 200 and other.json() != as_json.json()


NAMELESS_PART = b"--b0\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b0--\r\n"


def test_a_multipart_body_is_validated_by_the_model(client: httpx.Client) -> None:
    multipart = {"x-unused": ("x", b"")}  # httpx sends `data` alone urlencoded
    assert "body.text: Field required" in _error(client.post("/messages", data={"chatId": "1"}, files=multipart))
    wrong = client.post("/messages", data={**MESSAGE_FIELDS, "silent": "yes"}, files=multipart)
    assert "body.silent" in _error(wrong)
    not_text = client.post("/messages", data=MESSAGE_FIELDS, files={"text": ("t", b"\xff\xfe")})
    assert "not UTF-8" in _error(not_text)
    boundary = {"Content-Type": "multipart/form-data; boundary=b0"}
    assert "malformed multipart" in _error(client.post("/messages", content=NAMELESS_PART, headers=boundary))


def test_an_empty_multipart_body_is_an_empty_object(client: httpx.Client) -> None:
    boundary = {"Content-Type": "multipart/form-data; boundary=b0"}
    assert client.post("/updates", content=b"--b0--\r\n", headers=boundary).status_code == 200
    assert client.post("/updates", content=b"", headers=boundary).status_code == 200
    assert client.post("/updates", data={"id": "1"}, files={"x-unused": ("x", b"")}).status_code == 200
    assert "body.id" in _error(client.post("/updates", data={"id": "x"}, files={"x-unused": ("x", b"")}))
    assert "body.chatId: Field required" in _error(client.post("/messages", content=b"--b0--\r\n", headers=boundary))
    # So is an empty urlencoded form (Telegram's editMessageReplyMarkup), while no body at all is missing.
    assert client.post("/updates", content=b"", headers=FORM).status_code == 200
    assert "body.chatId: Field required" in _error(client.post("/messages", content=b"", headers=FORM))
    assert "body: Field required" in _error(client.post("/updates"))


def test_multipart_alternatives_are_served_and_not_warned(client: httpx.Client, tmp_path: Path) -> None:
    content = client.get("/openapi.json").json()["paths"]["/messages"]["post"]["requestBody"]["content"]
    assert sorted(content) == ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
    assert {c["schema"]["$ref"] for c in content.values()} == {"#/components/schemas/Message"}
    spec = tmp_path / "spec.yaml"
    text = "        text: {type: string}\n"
    spec.write_text(SPEC.replace(text, text + "        doc: {type: string, format: binary}\n"), encoding="utf-8")
    warned = [(w.pointer, w.message) for w in pipeline.generate(spec, "bodies_api").warnings]
    assert not [m for _, m in warned if "does not accept" in m], warned
    located = [p for p, m in warned if "binary properties 'doc'" in m and "UTF-8 text" in m]
    assert located == ["/paths/~1messages/post/requestBody/content/multipart~1form-data"], warned
