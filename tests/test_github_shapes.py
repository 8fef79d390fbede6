"""Shapes of GitHub's REST spec that broke `apigen mock` (issue #3), each cut down to a few lines.

The mock runs in-process here: a 500 shows up as the handler's exception, not as a bare status."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from generator.mock import MOCK_CREDENTIAL, PACKAGE, build_mock_app, generated_package
from tests.generated_apps import TestClient

SPEC = """
openapi: 3.0.3
info: {title: shapes, version: "1"}
paths:
  /repos/{owner}/languages:
    get:
      operationId: repos/list-languages
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/language"}
  /repos/{owner}/default-setup:
    get:
      operationId: code-scanning/get-default-setup
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/code-scanning-default-setup"}
  /teams/{enterprise-team}/members/{username}:
    parameters:
      - {name: enterprise-team, in: path, required: true, schema: {type: string}}
      - {name: username, in: path, required: true, schema: {type: string}}
    delete:
      operationId: teams/remove-member
      responses:
        "204": {description: Removed}
        "400": {description: Bad, content: {application/json: {schema: {$ref: "#/components/schemas/error"}}}}
  /orgs/{org}/attestations/{subject_digest}:
    get:
      operationId: orgs/list-attestations
      parameters:
        - {name: org, in: path, required: true, schema: {type: string}}
        - {name: subject_digest, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: OK, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /orgs/{org}/attestations/{attestation_id}:
    delete:
      operationId: orgs/delete-attestation
      parameters:
        - {name: org, in: path, required: true, schema: {type: string}}
        - {name: attestation_id, in: path, required: true, schema: {type: integer}}
      responses:
        "204": {description: Deleted}
  /gists/{gist_id}:
    patch:
      operationId: gists/update
      parameters:
        - {name: gist_id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              nullable: true
              properties:
                description: {type: string}
      responses:
        "204": {description: Updated}
        "422": {description: Invalid, content: {application/json: {schema: {$ref: "#/components/schemas/error"}}}}
  /orgs/{org}/campaigns:
    post:
      operationId: campaigns/create-campaign
      parameters:
        - {name: org, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                alert_numbers: {type: array, items: {type: integer}}
                sized: {type: integer, format: int64}
      responses:
        "204": {description: Created}
        "422": {description: Invalid, content: {application/json: {schema: {$ref: "#/components/schemas/error"}}}}
  /orgs/{org}/issue-types:
    post:
      operationId: orgs/create-issue-type
      parameters:
        - {name: org, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                color: {type: string, enum: [gray, blue], nullable: true}
                shade: {type: string, enum: [dark, light, null], nullable: true}
      responses:
        "204": {description: Created}
        "422": {description: Invalid, content: {application/json: {schema: {$ref: "#/components/schemas/error"}}}}
  /repos/{owner}/pages:
    put:
      operationId: repos/update-information-about-pages-site
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                cname: {type: string, nullable: true}
                https_enforced: {type: boolean}
              anyOf:
                - required: [cname]
                - required: [public]
                - required: [https_enforced]
      responses:
        "204": {description: Updated}
        "422": {description: Invalid, content: {application/json: {schema: {$ref: "#/components/schemas/error"}}}}
  /orgs/{org}/custom-patterns/{pattern_id}:
    patch:
      operationId: secret-scanning/update-org-custom-pattern
      parameters:
        - {name: org, in: path, required: true, schema: {type: string}}
        - {name: pattern_id, in: path, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/custom-pattern-to-update"}
      responses:
        "204": {description: Updated}
        "422": {description: Invalid, content: {application/json: {schema: {$ref: "#/components/schemas/error"}}}}
  /orgs/{org}/{security_product}/{enablement}:
    post:
      operationId: orgs/enable-or-disable-security-product-on-all-org-repos
      parameters:
        - {name: org, in: path, required: true, schema: {type: string}}
        - {name: security_product, in: path, required: true, schema: {type: string, enum: [dependabot_alerts]}}
        - {name: enablement, in: path, required: true, schema: {type: string, enum: [enable_all, disable_all]}}
      requestBody:
        required: false
        content:
          application/json:
            schema:
              properties:
                query_suite: {type: string, enum: [default, extended]}
            examples:
              default: {value: null}
      responses:
        "204": {description: Done}
        "422": {description: Invalid, content: {application/json: {schema: {$ref: "#/components/schemas/error"}}}}
  /markdown:
    post:
      operationId: markdown/render
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [text]
              properties:
                text: {type: string}
      responses:
        "200":
          description: Rendered
          headers:
            Content-Length: {example: "279", schema: {type: string}}
            X-CommonMarker-Version: {example: "0.17.4", schema: {type: string}}
          content:
            text/html:
              schema: {type: string}
              examples:
                default: {value: "<p>Hello <strong>world</strong></p>"}
components:
  schemas:
    custom-pattern-to-update:
      required: [custom_pattern_version]
      anyOf:
        - required: [pattern]
        - required: [must_match]
      properties:
        pattern: {type: string}
        must_match: {type: array, items: {type: string}}
        custom_pattern_version: {type: string, nullable: true}
    error:
      type: object
      required: [message]
      properties:
        message: {type: string}
    # Listed first, its inline `languages` item enum was named `Language` before the `language`
    # map below got a name: routers answered with the enum's class and every call was a 500.
    code-scanning-default-setup:
      type: object
      properties:
        languages:
          type: array
          items: {type: string, enum: [go, python]}
    language:
      type: object
      additionalProperties: {type: integer}
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    spec = tmp_path_factory.mktemp("shapes") / "shapes.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    with generated_package(spec) as (api, app_module, handlers_module):
        app = build_mock_app(api, app_module, handlers_module, spec, seed=1)
        with TestClient(app, headers={"Authorization": f"Bearer {MOCK_CREDENTIAL}"}) as client:
            yield client


def test_a_component_keeps_its_class_name_when_an_inline_enum_wants_it(client: TestClient) -> None:
    languages = client.get("/repos/octo/languages")
    assert languages.status_code == 200, languages.text
    assert all(isinstance(v, int) for v in languages.json().values())
    setup = client.get("/repos/octo/default-setup")
    assert setup.status_code == 200, setup.text
    assert set(setup.json().get("languages", [])) <= {"go", "python"}


def test_path_parameter_names_need_not_be_identifiers(client: TestClient) -> None:
    # Starlette took `{enterprise-team}` literally: every request was a 404.
    assert client.delete("/teams/the-team/members/octo").status_code == 204
    assert client.put("/teams/the-team/members/octo").status_code == 405
    served = client.get("/openapi.json").json()["paths"]["/teams/{enterprise-team}/members/{username}"]
    assert [p["name"] for p in served["delete"]["parameters"]] == ["enterprise-team", "username"]


def test_templates_differing_in_parameter_names_reach_every_method(client: TestClient) -> None:
    # GET's template came first; its 405 fallback took the DELETE meant for the other template.
    assert client.get("/orgs/o/attestations/sha256:abc").status_code == 200
    assert client.delete("/orgs/o/attestations/12").status_code == 204
    refused = client.put("/orgs/o/attestations/12")
    assert refused.status_code == 405
    assert refused.headers["Allow"] == "DELETE, GET"


def test_a_nullable_body_takes_null_as_a_value(client: TestClient) -> None:
    # FastAPI reads a JSON `null` body as no body at all: a required nullable body refused it.
    json_type = {"Content-Type": "application/json"}
    assert client.patch("/gists/1", content=b"null", headers=json_type).status_code == 204
    assert client.patch("/gists/1", content=b'{"description": "d"}', headers=json_type).status_code == 204
    missing = client.patch("/gists/1", headers=json_type)
    assert missing.status_code == 422
    assert "Field required" in missing.json()["message"]
    assert client.patch("/gists/1", content=b"5", headers=json_type).status_code == 422


def test_only_a_format_bounds_an_integer(client: TestClient) -> None:
    # JSON Schema's integer has no range; int64 limits came from the generator, not the spec.
    assert client.post("/orgs/o/campaigns", json={"alert_numbers": [2**70, -(2**70)]}).status_code == 204
    assert client.post("/orgs/o/campaigns", json={"sized": 2**63 - 1}).status_code == 204
    assert client.post("/orgs/o/campaigns", json={"sized": 2**63}).status_code == 422
    assert client.post("/orgs/o/campaigns", json={"alert_numbers": [1.5]}).status_code == 422


def test_a_nullable_enum_takes_null_only_when_it_lists_it(client: TestClient) -> None:
    # OpenAPI 3.0.3: `nullable: true` adds null to the type; the enum still refuses what it does not list.
    assert client.post("/orgs/o/issue-types", json={"color": "blue", "shade": "dark"}).status_code == 204
    assert client.post("/orgs/o/issue-types", json={"shade": None}).status_code == 204
    refused = client.post("/orgs/o/issue-types", json={"color": None})  # the mock's own check
    assert refused.status_code == 422, refused.text
    assert "body.color" in refused.json()["message"]
    # The generated model, which a real service relies on, refuses it too.
    model = importlib.import_module(f"{PACKAGE}.models").OrgsCreateIssueTypeRequest
    assert model.model_validate({"shade": None}).shade is None
    with pytest.raises(ValidationError, match="color"):
        model.model_validate({"color": None})


def test_a_name_required_by_an_any_of_option_is_kept(client: TestClient) -> None:
    # `public` is required by an anyOf option but not among the properties: the model dropped it,
    # so `{"public": null}` lost the one member that satisfied the anyOf.
    assert client.put("/repos/o/pages", json={"public": None}).status_code == 204
    assert client.put("/repos/o/pages", json={"cname": None}).status_code == 204
    assert client.put("/repos/o/pages", json={"https_enforced": True, "other": 1}).status_code == 204
    assert client.put("/repos/o/pages", json={}).status_code == 422
    # The generated model, which a real service relies on, requires one of the three too.
    model = importlib.import_module(f"{PACKAGE}.models").ReposUpdateInformationAboutPagesSiteRequest
    assert model.model_validate({"public": [1]}).model_dump(mode="json", exclude_unset=True) == {"public": [1]}
    with pytest.raises(ValidationError):
        model.model_validate({})


@pytest.mark.parametrize("value", [b"null", b"1.168e+102", b"-3", b'"text"', b"true", b"[1, {}]"])
def test_a_body_schema_without_a_type_takes_any_non_object(client: TestClient, value: bytes) -> None:
    # `properties`, `required` and `anyOf: [{required: ...}]` constrain objects only: JSON `null`, a
    # number, a string, an array are all valid for such a schema (GitHub's custom patterns; its security
    # products even show `null` as the example; schemathesis sends numbers), required body or not.
    json_type = {"Content-Type": "application/json"}
    assert client.patch("/orgs/o/custom-patterns/1", content=value, headers=json_type).status_code == 204
    assert client.post("/orgs/o/dependabot_alerts/enable_all", content=value, headers=json_type).status_code == 204
    # A typed body still refuses them.
    assert client.patch("/gists/1", content=value, headers=json_type).status_code in (
        (204,) if value == b"null" else (400, 422)
    )


def test_a_body_schema_without_a_type_is_still_checked_as_an_object(client: TestClient) -> None:
    json_type = {"Content-Type": "application/json"}
    valid = {"custom_pattern_version": None, "pattern": "p"}
    assert client.patch("/orgs/o/custom-patterns/1", json=valid).status_code == 204
    assert client.patch("/orgs/o/custom-patterns/1", json={"pattern": "p"}).status_code == 422
    assert client.patch("/orgs/o/custom-patterns/1", json={"custom_pattern_version": "1"}).status_code == 422
    assert client.patch("/orgs/o/custom-patterns/1", headers=json_type).status_code == 422
    assert client.patch("/orgs/o/custom-patterns/1", content=b"{", headers=json_type).status_code == 422
    product = "/orgs/o/dependabot_alerts/enable_all"
    assert client.post(product).status_code == 204
    assert client.post(product, json={"query_suite": "extended"}).status_code == 204
    assert client.post(product, json={"query_suite": "other"}).status_code == 422


def test_framing_headers_are_the_servers(client: TestClient) -> None:
    # GitHub declares `Content-Length` (example "279") on `POST /markdown`: the mock sent its own
    # value for it and uvicorn dropped the connection without a response.
    rendered = client.post("/markdown", json={"text": "Hello **world**"})
    assert rendered.status_code == 200, rendered.text
    assert rendered.headers["content-type"].startswith("text/html")
    assert rendered.headers["content-length"] == str(len(rendered.content))
    assert rendered.headers["x-commonmarker-version"]
    served = client.get("/openapi.json").json()["paths"]["/markdown"]["post"]["responses"]["200"]
    assert set(served["headers"]) == {"Content-Length", "X-CommonMarker-Version"}
