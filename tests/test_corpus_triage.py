"""Which schemathesis failures `make corpus` blames on the spec: only those no server could avoid."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.corpus import Row, triage
from generator.corpus_triage import CANNOT_GENERATE, Failure, SpecFacts, parse_failures

SPEC = {
    "openapi": "3.1.0",
    "security": [{"basic": []}],
    "paths": {
        "/a": {
            "get": {"responses": {"200": {"description": "ok"}}},
            "post": {"responses": {"200": {"description": "ok"}, "404": {"description": "no"}}},
            "put": {"responses": {"200": {"description": "ok"}, "4XX": {"description": "bad"}}},
            "patch": {},
            "delete": {"security": [], "responses": {"204": {"description": "gone"}, "404": {"description": "no"}}},
            "options": {
                "requestBody": {
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "properties": {
                                    "name": {"type": "string"},
                                    "tags": {"type": "array", "items": {"type": "string"}},
                                    "size": {"type": "integer"},
                                    "at": {"type": "string", "format": "date-time"},
                                }
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}},
            },
        }
    },
}

TEXT = """1. Test Case ID: abc

- ST103 Undocumented status code

    Received: 401
    Documented: 200

[401] Unauthorized:

    `{}`

Reproduce with:

    curl -X GET http://127.0.0.1:1/a

2. Test Case ID: def

- ST202 Schema-valid request rejected

[400] Bad Request:

    curl -X GET -H 'Authorization: [Filtered]' http://127.0.0.1:1/a
"""


def test_parse_failures_reads_each_check_with_status_and_request() -> None:
    got = [(f.check, f.status, f.request.startswith("curl")) for f in parse_failures("GET /a", TEXT)]
    assert got == [("ST103", 401, True), ("ST202", 400, True)]
    assert parse_failures("GET /a", "Schema Error: unresolvable")[0].check.startswith("Schema Error")
    invalid = "1. Test Case ID: x\n\n- ST201 Accepted\n\n    Invalid component: in body - photoUrls: Incorrect type\n"
    assert parse_failures("POST /pet", invalid)[0].invalid_field == "photoUrls"


@pytest.mark.parametrize(
    ("operation", "check", "status", "sent", "spec_caused"),
    [
        ("GET /a", "ST103", 422, "curl x", True),  # no client error documented at all
        ("GET /a", "ST103", 401, "curl x", True),
        ("POST /a", "ST103", 400, "curl x", True),  # 404 only: neither 400 nor 422 documented
        ("POST /a", "ST103", 401, "curl -X POST http://h/a", True),  # secured, no credential sent, no 401
        ("POST /a", "ST103", 401, "curl -H 'Authorization: [Filtered]' http://h/a", False),  # maybe the right one
        ("POST /a", "ST103", 401, "curl -H 'Authorization: Bearer mock' http://h/a", False),  # refused the right one
        ("POST /a", "ST103", 401, "curl -H 'Authorization: Basic bW9jazptb2Nr' http://h/a", False),
        ("POST /a", "ST103", 401, "curl -H 'Authorization: Bearer 0' http://h/a", True),  # a generated credential
        ("POST /a", "ST103", 409, "curl x", False),  # nothing in the spec explains a 409
        ("PUT /a", "ST103", 400, "curl x", False),  # 4XX covers it: not undocumented, so apigen's bug
        ("PATCH /a", "ST103", 200, "curl x", True),  # no responses at all
        ("DELETE /a", "ST103", 401, "curl x", False),  # public operation: a 401 is apigen's
        ("GET /a", "ST202", 400, "curl x", False),  # a valid request rejected is always apigen's
        ("GET /a", "ST103", 500, "curl x", False),
    ],
)
def test_blame(operation: str, check: str, status: int, sent: str, spec_caused: bool) -> None:
    blamed = SpecFacts(SPEC).blame(Failure(operation, check, status, sent, None))
    assert blamed.spec_caused is spec_caused, blamed.spec_reason


@pytest.mark.parametrize(
    ("field", "not_apigens"),
    [("name", True), ("tags", True), ("size", False), ("at", False), ("", False)],
)
def test_a_form_value_that_is_valid_text_is_not_a_failure(field: str, not_apigens: bool) -> None:
    # schemathesis sends {} for `name`; multipart makes it the text "{}", a valid string.
    failure = Failure("OPTIONS /a", "ST201", 200, "curl -H 'Content-Type: multipart/form-data'", None, field)
    assert SpecFacts(SPEC).blame(failure).spec_caused is not_apigens


def test_a_rejected_discriminator_value_is_a_reading_of_the_spec() -> None:
    text = '1. Test Case ID: x\n\n- ST202 Rejected\n\n[422] Unprocessable:\n\n    `{"type":"union_tag_invalid"}`\n'
    (failure,) = parse_failures("GET /a", text)
    assert failure.tag_mismatch and SpecFacts(SPEC).blame(failure).spec_caused
    (other,) = parse_failures("GET /a", text.replace("union_tag_invalid", "missing"))
    assert not SpecFacts(SPEC).blame(other).spec_caused


SPOTIFY_LIKE = {
    "paths": {"/p": {"get": {"responses": {"200": {"description": "ok"}}}}},
    "components": {
        "schemas": {
            "Playing": {
                "oneOf": [{"$ref": "#/components/schemas/TrackObject"}, {"$ref": "#/components/schemas/Episode"}],
                "discriminator": {"propertyName": "type"},
            },
            "TrackObject": {"properties": {"type": {"type": "string", "enum": ["track"]}}},
            "Episode": {"properties": {"type": {"type": "string"}}},
        }
    },
}


def test_a_discriminator_no_value_can_satisfy_is_the_specs() -> None:
    text = (
        "1. Test Case ID: x\n\n- ST111 Unknown discriminator value\n    Response contains discriminator property"
        " 'type' with value 'track',\n    which does not match any of the known schema values: 'TrackObject'\n"
    )
    (failure,) = parse_failures("GET /p", text)
    assert failure.known_values == ("TrackObject",)
    assert SpecFacts(SPOTIFY_LIKE).blame(failure).spec_caused
    # Episode leaves `type` open: "Episode" is a valid value, so a wrong one would be apigen's.
    (other,) = parse_failures("GET /p", text.replace("'TrackObject'", "'TrackObject', 'Episode'"))
    assert not SpecFacts(SPOTIFY_LIKE).blame(other).spec_caused


def test_an_operation_schemathesis_cannot_read_for_a_broken_reference_is_the_specs() -> None:
    text = (
        "Schema Error\nUnresolvable reference in the schema\nError details:\n    Reference: /components/schemas/x#y\n"
    )
    (failure,) = parse_failures("GET /a", text)
    assert SpecFacts(SPEC).blame(failure).spec_caused
    assert not SpecFacts(SPEC).blame(parse_failures("GET /a", "Schema Error\nsomething else")[0]).spec_caused


def test_dropping_one_of_alternative_credentials_is_not_a_failure() -> None:
    spec = {"paths": {"/p": {"get": {"security": [{"a": []}, {"b": []}], "responses": {"200": {"description": ""}}}}}}
    failure = Failure("GET /p", "ST401", 200, "curl -H 'Authorization: Bearer mock' http://h/p", None)
    assert SpecFacts(spec).blame(failure).spec_caused
    single = {"paths": {"/p": {"get": {"security": [{"a": []}], "responses": {"200": {"description": ""}}}}}}
    assert not SpecFacts(single).blame(failure).spec_caused


def test_an_operation_schemathesis_cannot_generate_for_is_marked_so() -> None:
    text = "Schema Error\n\nFailed to generate test cases for this API operation. Schemathesis does not support it"
    (failure,) = parse_failures("POST /generate_stream", text)
    assert failure.check == CANNOT_GENERATE and not SpecFacts(SPEC).blame(failure).spec_caused


STYLED = {
    "openapi": "3.0.3",
    "paths": {
        "/p/{ids}/{nums}/{obj}/{closed}": {
            "get": {
                "parameters": [
                    {
                        "name": "ids",
                        "in": "path",
                        "required": True,
                        "style": "matrix",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "nums",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "array", "items": {"type": "integer"}},
                    },
                    {
                        "name": "obj",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "object", "properties": {"a": {"type": "string"}}},
                    },
                    {
                        "name": "closed",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "object", "additionalProperties": False},
                    },
                ],
                "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}},
            }
        }
    },
}
OP = "GET /p/{ids}/{nums}/{obj}/{closed}"


@pytest.mark.parametrize(
    ("parameter", "not_apigens"),
    [("ids", True), ("nums", False), ("obj", False)],
)
def test_a_styled_value_that_is_a_valid_array_of_strings_is_not_a_failure(parameter: str, not_apigens: bool) -> None:
    # schemathesis meant 6921 as "not an array"; `;ids=6921` is the array ["6921"].
    text = (
        "1. Test Case ID: x\n\n- ST201 Schema-violating request accepted\n\n"
        f"    Invalid component: parameter `{parameter}` in path - violates `type` at /properties/{parameter}"
        " (was array, became integer)\n\n[200] OK:\n"
    )
    (failure,) = parse_failures(OP, text)
    assert failure.invalid_parameter == f"path:{parameter}"
    assert SpecFacts(STYLED).blame(failure).spec_caused is not_apigens


@pytest.mark.parametrize(
    ("answer", "not_apigens"),
    [
        ('`{"detail":[{"type":"value_error","loc":["path","obj"],"msg":"Value error"}]}`', True),
        ('`{"code":"validation_error","message":"path.obj: Value error, expected pairs"}`', True),
        ('`{"detail":[{"loc":["path","closed"],"msg":"Value error"}]}`', False),  # no nested values allowed
        ('`{"detail":[{"loc":["path","obj"]},{"loc":["path","nums"]}]}`', False),  # another parameter too
        ("`{}`", False),  # the answer names nothing
    ],
)
def test_a_rejected_nested_value_of_a_styled_object_is_the_spec_s(answer: str, not_apigens: bool) -> None:
    text = f"1. Test Case ID: x\n\n- ST202 Schema-valid request rejected\n\n[400] Bad Request:\n\n    {answer}\n"
    (failure,) = parse_failures(OP, text)
    assert SpecFacts(STYLED).blame(failure).spec_caused is not_apigens


def test_every_failure_of_an_operation_is_classified(tmp_path: Path) -> None:
    # schemathesis writes one <failure> per failed check; a spec-caused first one must not hide the rest.
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<testsuites><testsuite><testcase name="POST /a">'
        '<failure type="x" message="ST103">1. Test Case ID: a\n\n- ST103 Undocumented\n\n[401] No:\n</failure>'
        '<failure type="x" message="ST202">1. Test Case ID: b\n\n- ST202 Rejected\n\n[400] No:\n</failure>'
        "</testcase></testsuite></testsuites>",
        encoding="utf-8",
    )
    row = Row("a.yaml")
    triage(row, SPEC, junit)
    assert row.st_failed == ["POST /a (ST202 400)"]
    assert row.st_spec_caused == []


def test_cases_schemathesis_could_not_generate_leave_what_it_tested_to_decide(tmp_path: Path) -> None:
    # Hugging Face TGI: the coverage phase tested POST /generate_stream, the fuzzing phase could not.
    cannot = '<error type="x" message="e">Schema Error\n\nFailed to generate test cases for this API operation.</error>'
    unsecured = "1. Test Case ID: a\n\n- ST103 Undocumented\n\n[401] No:\n\n    curl -X POST http://h/a\n"
    junit = tmp_path / "junit.xml"
    junit.write_text(
        f'<testsuites><testsuite><testcase name="POST /a"><failure type="x" message="ST103">{unsecured}</failure>'
        f'{cannot}</testcase><testcase name="PUT /a">{cannot}</testcase></testsuite></testsuites>',
        encoding="utf-8",
    )
    row = Row("a.yaml")
    triage(row, SPEC, junit)
    assert row.st_failed == []
    assert [name.split(" (")[0] for name in row.st_spec_caused] == ["POST /a"]
    assert any("could not generate cases for (untested): PUT /a" in note for note in row.notes)


def _stream_spec(media: dict[str, object], version: str = "3.0.3") -> dict[str, object]:
    response = {"description": "events", "content": {"text/event-stream": media}}
    return {
        "openapi": version,
        "paths": {"/generate_stream": {"post": {"responses": {"200": response}}}},
        "components": {
            "schemas": {
                "Token": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
                "StreamResponse": {
                    "allOf": [{"required": ["token"]}],
                    "required": ["index"],
                    "properties": {"index": {"type": "integer"}, "token": {"$ref": "#/components/schemas/Token"}},
                },
            }
        },
    }


def test_an_event_stream_schema_no_event_object_can_satisfy_is_the_specs() -> None:
    # Hugging Face TGI: `schema` is each event's data; schemathesis validates the event object against it.
    text = (
        '1. Test Case ID: x\n\n- ST108 SSE event violates schema\n    Event #0: "index" is a required property\n'
        '\n[200] OK:\n\n    `data: {"index": 1}`\n'
    )
    (failure,) = parse_failures("POST /generate_stream", text)
    assert failure.sse_event
    payload = _stream_spec({"schema": {"$ref": "#/components/schemas/StreamResponse"}})
    blamed = SpecFacts(payload).blame(failure)
    assert blamed.spec_caused and "it requires 'index', 'token'" in str(blamed.spec_reason)
    # Not the spec's: an itemSchema (or 3.2) describes the event object; a schema only of event fields.
    item = _stream_spec({"itemSchema": {"required": ["data"], "properties": {"data": {"type": "string"}}}})
    assert not SpecFacts(item).blame(failure).spec_caused
    assert not SpecFacts({**payload, "openapi": "3.2.0"}).blame(failure).spec_caused
    event_fields = _stream_spec({"schema": {"required": ["data", "event"]}})
    assert not SpecFacts(event_fields).blame(failure).spec_caused
    (whole_body,) = parse_failures("POST /generate_stream", text.replace("SSE event", "Response"))
    assert not SpecFacts(payload).blame(whole_body).spec_caused


MARKDOWN = {
    "paths": {
        "/markdown/raw": {
            "post": {
                "requestBody": {
                    "content": {
                        "text/x-markdown": {"schema": {"type": "string"}},
                        "text/csv": {"schema": {"type": "string", "pattern": "^[a-z,]*$"}},
                        "application/json": {"schema": {"type": "string"}},
                    }
                },
                "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}},
            }
        }
    }
}


@pytest.mark.parametrize(
    ("content_type", "not_apigens"),
    [("text/x-markdown", True), ("text/csv", False), ("application/json", False)],
)
def test_a_wrongly_typed_text_body_that_is_valid_text_is_not_a_failure(content_type: str, not_apigens: bool) -> None:
    # schemathesis meant {} as an object; sent as text/x-markdown it is the text "{}", a valid string.
    # A pattern could refuse it; as JSON, {} is an object, rightly refused for a string schema.
    text = (
        "1. Test Case ID: x\n\n- ST201 Schema-violating request accepted\n\n"
        "    Invalid component: in body - incorrect type\n\n[200] OK:\n\n    `<p></p>`\n\nReproduce with:\n\n"
        f"    curl -X POST -H 'Content-Type: {content_type}' -d '{{}}' http://127.0.0.1:1/markdown/raw\n"
    )
    (failure,) = parse_failures("POST /markdown/raw", text)
    assert failure.body_type_invalid
    assert SpecFacts(MARKDOWN).blame(failure).spec_caused is not_apigens
    field = text.replace("in body - incorrect type", "in body - name: Incorrect type")
    assert not parse_failures("POST /markdown/raw", field)[0].body_type_invalid


IMAGE = {
    "paths": {
        "/playlists/{id}/images": {
            "put": {
                "requestBody": {
                    "content": {
                        "image/jpeg": {"schema": {"type": "string", "format": "base64", "maxLength": 8}},
                        "image/png": {"schema": {"type": "string", "format": "byte", "maxLength": 8}},
                    }
                },
                "responses": {"202": {"description": "ok"}, "401": {"description": "no"}},
            }
        }
    }
}


@pytest.mark.parametrize(
    ("media_type", "sent", "not_apigens"),
    [
        ("image/jpeg", "null", True),
        ("image/jpeg", "'!!!!'", True),  # format base64 is an annotation
        ("image/jpeg", "'AAAAAAAAAAAA'", False),
        ("image/png", "null", True),  # byte: base64 characters
        ("image/png", "'!!!!'", False),
    ],
)
def test_a_wrongly_typed_binary_body_is_judged_as_the_text_sent(media_type: str, sent: str, not_apigens: bool) -> None:
    # Spotify's PUT /playlists/{id}/images: schemathesis meant JSON null ("was string, became null"),
    # but as image/jpeg the body is the 4 characters `null`, a valid string. Too long for maxLength, or
    # not base64 for `format: byte`, it is rightly refused: accepting it stays apigen's failure.
    text = (
        "1. Test Case ID: x\n\n- ST201 Schema-violating request accepted\n\n"
        "    Invalid component: in body - violates `type` (was string, became null)\n\n[202] Accepted:\n\n"
        "    <EMPTY>\n\nReproduce with:\n\n"
        f"    curl -X PUT -H 'Content-Type: {media_type}' -d {sent} http://127.0.0.1:1/playlists/0/images\n"
    )
    (failure,) = parse_failures("PUT /playlists/{id}/images", text)
    assert failure.body_type_invalid
    blamed = SpecFacts(IMAGE).blame(failure)
    assert blamed.spec_caused is not_apigens
    if not_apigens:
        assert "a string, format " in str(blamed.spec_reason)


FORM_SPEC = {
    "openapi": "3.0.3",
    "paths": {
        "/pet": {
            "post": {
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "properties": {
                                    "name": {"type": "string"},
                                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                                    "category": {"$ref": "#/components/schemas/Tag"},
                                    "owner": {"properties": {"address": {"$ref": "#/components/schemas/Tag"}}},
                                    "markup": {
                                        "anyOf": [
                                            {"$ref": "#/components/schemas/Keyboard"},
                                            {"$ref": "#/components/schemas/Tag"},
                                        ]
                                    },
                                }
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}, "400": {"description": "bad"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Tag": {"type": "object", "properties": {"id": {"type": "integer"}}},
            "Keyboard": {
                "type": "object",
                "properties": {"rows": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}},
            },
        }
    },
}


@pytest.mark.parametrize(
    ("message", "content_type", "not_apigens"),
    [
        (
            "body.tags.0: Input should be a valid dictionary; body.tags.1: Input should be",
            "x-www-form-urlencoded",
            True,
        ),
        # An object of primitives has a form text, its properties' pairs (style form, explode): apigen's.
        ("body.category: Input should be a valid dictionary", "x-www-form-urlencoded", False),
        # Objects nested in an object, or a union holding an array of arrays: no form text.
        ("body.owner.address: Input should be a valid dictionary", "x-www-form-urlencoded", True),
        ("body.markup.Keyboard.rows.0: Input should be a valid list", "x-www-form-urlencoded", True),
        ("body.tags.0: Input should be a valid dictionary; body.name: String too long", "x-www-form-urlencoded", False),
        ("body.tags.0: Input should be a valid dictionary", "json", False),  # JSON has nested values
        ("body: Field required", "x-www-form-urlencoded", False),
    ],
)
def test_a_rejected_nested_value_in_a_urlencoded_form_is_the_spec_s(
    message: str, content_type: str, not_apigens: bool
) -> None:
    # Swagger petstore 3.0 POST /pet: `tags` (an array of Tag objects) in a form body.
    text = (
        "1. Test Case ID: x\n\n- ST202 Schema-valid request rejected\n\n[400] Bad Request:\n\n"
        f'    `{{"code":"validation_error","message":"{message}"}}`\n\nReproduce with:\n\n'
        f"    curl -X POST -H 'Content-Type: application/{content_type}' -d 'tags=id' http://h/pet\n"
    )
    (failure,) = parse_failures("POST /pet", text)
    assert SpecFacts(FORM_SPEC).blame(failure).spec_caused is not_apigens


def test_an_allow_header_shared_by_identical_templates_is_the_spec_s() -> None:
    # GitHub: GET /orgs/{org}/attestations/{subject_digest} and DELETE /orgs/{org}/attestations/{attestation_id}.
    spec = {
        "openapi": "3.0.3",
        "paths": {
            "/orgs/{org}/attestations/{subject_digest}": {"get": {"responses": {"200": {"description": "ok"}}}},
            "/orgs/{org}/attestations/{attestation_id}": {"delete": {"responses": {"204": {"description": "ok"}}}},
            "/orgs/{org}/hooks/{hook_id}": {"delete": {"responses": {"204": {"description": "ok"}}}},
        },
    }
    text = "1. Test Case ID: x\n\n- ST205 Allow header mismatch\n\n[405] Method Not Allowed:\n"
    (shared,) = parse_failures("DELETE /orgs/{org}/attestations/{attestation_id}", text)
    assert SpecFacts(spec).blame(shared).spec_caused
    (alone,) = parse_failures("DELETE /orgs/{org}/hooks/{hook_id}", text)
    assert not SpecFacts(spec).blame(alone).spec_caused


DROPPED_SPEC = {
    "openapi": "3.0.0",
    "paths": {
        "/sendMediaGroup": {
            "post": {
                "requestBody": {
                    "content": {
                        media_type: {
                            "schema": {
                                "required": ["chat_id", "media", "permissions", "photos", "labels", "animation"],
                                "properties": {
                                    "chat_id": {"type": "integer"},
                                    "media": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                                    "photos": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                                    "labels": {"type": "array", "items": {"type": "string"}},
                                    "permissions": {"$ref": "#/components/schemas/Tag"},
                                    "animation": {"anyOf": [{}, {"type": "string"}]},
                                },
                            }
                        }
                        for media_type in ("application/x-www-form-urlencoded", "multipart/form-data")
                    }
                },
                "responses": {"200": {"description": "ok"}, "default": {"description": "bad"}},
            }
        }
    },
    "components": {"schemas": {"Tag": {"type": "object", "properties": {"id": {"type": "integer"}}}}},
}


@pytest.mark.parametrize(
    ("message", "sent", "not_apigens"),
    [
        # Telegram's sendMediaGroup: `media: []` goes out as no part at all, then is missing.
        ("body.media: Field required", "multipart/form-data; boundary=b' -d $'--b\\r\\n--b--", True),
        ("body.media: Field required", "application/x-www-form-urlencoded' -d 'chat_id=1", True),
        # Telegram's sendAnimation: `animation` is any value (InputFile is `{}`), so `[]` too.
        ("body.animation: Field required", "multipart/form-data; boundary=b' -d $'--b--", True),
        # `permissions: {}` has no urlencoded pairs either, but is a JSON part `{}` in multipart.
        ("body.permissions: Field required", "application/x-www-form-urlencoded' -d 'chat_id=1", True),
        ("body.permissions: Field required", "multipart/form-data; boundary=b' -d $'--b--", False),
        # minItems 1: the empty array is not valid, so a missing array is rightly refused.
        ("body.photos: Field required", "application/x-www-form-urlencoded' -d 'chat_id=1", False),
        # Sent, yet called missing: apigen's.
        ("body.labels: Field required", "application/x-www-form-urlencoded' -d 'chat_id=1", True),
        ("body.labels: Field required", "application/x-www-form-urlencoded' -d 'chat_id=1&labels=a", False),
        ("body.media: Field required", "multipart/form-data; boundary=b' -d $'name=\"media\"", False),
        # Another property rejected as well: apigen's.
        ("body.media: Field required; body.chat_id: Input should be a valid integer", "application/json", False),
        ("body.chat_id: Field required", "application/x-www-form-urlencoded' -d 'x=1", False),
    ],
)
def test_a_required_empty_value_a_form_drops_is_the_spec_s(message: str, sent: str, not_apigens: bool) -> None:
    text = (
        "1. Test Case ID: x\n\n- ST202 Schema-valid request rejected\n\n[400] Bad Request:\n\n"
        f'    `{{"ok":false,"error_code":1,"description":"{message}"}}`\n\nReproduce with:\n\n'
        f"    curl -X POST -H 'Content-Type: {sent}' http://h/sendMediaGroup\n"
    )
    (failure,) = parse_failures("POST /sendMediaGroup", text)
    assert SpecFacts(DROPPED_SPEC).blame(failure).spec_caused is not_apigens


def _bounded_spec(version: str, bound: object) -> dict[str, object]:
    limited = {"type": "object", "properties": {"seed": {"type": "integer", "exclusiveMinimum": bound}}}
    return {
        "openapi": version,
        "paths": {
            "/generate": {
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/R"}}}},
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/health": {"get": {"responses": {"200": {"description": "ok"}}}},
        },
        "components": {"schemas": {"R": {"properties": {"p": {"$ref": "#/components/schemas/P"}}}, "P": limited}},
    }


@pytest.mark.parametrize(
    ("version", "bound", "spec_caused"),
    [("3.0.3", 0, True), ("3.0.3", True, False), ("3.1.0", 0, False)],
)
def test_no_cases_because_the_spec_breaks_the_standard_is_the_specs(
    version: str, bound: object, spec_caused: bool
) -> None:
    # Hugging Face TGI (3.0.3) writes `exclusiveMinimum: 0` (3.0 wants a boolean) in GenerateParameters:
    # schemathesis generates no case for the three operations that reach it (without those, it does).
    text = "Schema Error\n\nFailed to generate test cases for this API operation. Schemathesis does not support it"
    facts = SpecFacts(_bounded_spec(version, bound))
    blamed = facts.blame(parse_failures("POST /generate", text)[0])
    assert blamed.spec_caused is spec_caused
    if spec_caused:
        assert "#/components/schemas/P/properties/seed/exclusiveMinimum" in str(blamed.spec_reason)
    assert not facts.blame(parse_failures("GET /health", text)[0]).spec_caused  # does not reach it
