"""`apigen mock SPEC`: the generated app served with mock handlers, tested as a black box.

Each test starts `python -m generator mock` on a free 127.0.0.1 port in a subprocess and stops it.
Bodies are checked against the spec: with the committed generated models for the example spec, and
with jsonschema against the spec's own component schemas for corpus specs.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from team_api import models

from generator.mock import MOCK_CREDENTIAL, listening_socket
from tests.live_server import _free_port, _stop, accepted_connection_nodelay
from tests.paths import REPO, SPEC, apigen_command, apigen_env

CORPUS = REPO.parent / "shared" / "corpus"
PETSTORE = CORPUS / "oai-v30-petstore-expanded.yaml"
MUSEUM = CORPUS / "redocly-museum.yaml"
STARTUP_TIMEOUT = 30.0
AUTH = {"Authorization": f"Bearer {MOCK_CREDENTIAL}"}


def _corpus_spec(path: Path) -> Path:
    if not path.is_file():
        pytest.fail(f"corpus spec {path} is missing: the mock tests need the shared corpus at {CORPUS}")
    return path


@contextlib.contextmanager
def running_mock(spec: Path, seed: int = 0, *, lenient: bool = False) -> Iterator[str]:
    """`apigen mock SPEC --port <free> --seed SEED [--lenient]`; yields the URL it announces."""
    port = _free_port()
    command = apigen_command("mock", str(spec), "--port", str(port), "--seed", str(seed), *["--lenient"][:lenient])
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            command, cwd=REPO, env=apigen_env(), stdin=subprocess.DEVNULL, stdout=output, stderr=output
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while True:
                output.seek(0)
                text = output.read().decode(errors="replace")
                if f"serving on {url}" in text and _answers(url):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"apigen mock did not start ({' '.join(command)}):\n{text}")
                time.sleep(0.1)
            yield url
        finally:
            _stop(process)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/openapi.json", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


def _spec_validator(spec: Path, schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """A validator for `schema` whose `#/components/...` references resolve in the spec."""
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator({**schema, "components": document.get("components", {})})


# -- the example spec -----------------------------------------------------------------------------


def test_example_spec_operations_answer_the_declared_status_with_valid_bodies() -> None:
    with running_mock(SPEC) as url, httpx.Client(base_url=url, timeout=10.0) as client:
        health = client.get("/health")
        assert health.status_code == 200, health.text
        models.Health.model_validate(health.json())

        users = client.get("/users", params={"limit": 5}, headers=AUTH)
        assert users.status_code == 200, users.text
        models.UserPage.model_validate(users.json())

        user = client.get("/users/7", headers=AUTH)
        assert user.status_code == 200, user.text
        models.User.model_validate(user.json())

        created = client.post(
            "/users",
            json={"username": "ada", "email": "ada@example.com", "role": "member", "password": "correct horse"},
            headers=AUTH,
        )
        assert created.status_code == 201, created.text
        body = models.User.model_validate(created.json())
        assert created.headers["location"] == f"/users/{body.id}"

        post = client.get("/posts/3")
        assert post.status_code == 200, post.text
        models.Post.model_validate(post.json())
        models.PostPage.model_validate(client.get("/posts").json())

        token = client.post("/auth/token", data={"username": "ada", "password": "secret"})
        assert token.status_code == 200, token.text
        models.Token.model_validate(token.json())

        deleted = client.delete("/users/7", headers=AUTH)
        assert (deleted.status_code, deleted.content) == (204, b"")

        avatar = client.get("/users/7/avatar", headers=AUTH)
        assert avatar.status_code == 200
        assert avatar.headers["content-type"].startswith(("image/", "application/octet-stream"))
        assert avatar.content

        uploaded = client.put("/users/7/avatar", files={"file": ("a.png", b"\x89PNG", "image/png")}, headers=AUTH)
        assert uploaded.status_code == 204, uploaded.text


def test_example_spec_requests_are_validated_as_in_the_real_app() -> None:
    with running_mock(SPEC) as url, httpx.Client(base_url=url, timeout=10.0) as client:
        missing_auth = client.get("/users")
        assert missing_auth.status_code == 401
        models.Error.model_validate(missing_auth.json())
        bad_param = client.get("/users/+1", headers=AUTH)
        assert bad_param.status_code == 400
        models.Error.model_validate(bad_param.json())
        bad_body = client.post("/users", json={"username": "ada"}, headers=AUTH)
        assert bad_body.status_code == 400
        not_allowed = client.put("/health")
        assert not_allowed.status_code == 405
        assert not_allowed.headers["allow"] == "GET"


def _sample(url: str) -> list[object]:
    with httpx.Client(base_url=url, timeout=10.0) as client:
        return [
            client.get("/users/1", headers=AUTH).json(),
            client.get("/users/2", headers=AUTH).json(),
            client.get("/posts").json(),
            client.get("/users/1/avatar", headers=AUTH).content.hex(),
            client.get("/health").json(),
        ]


def test_answers_are_deterministic_for_a_seed_and_differ_for_another() -> None:
    with running_mock(SPEC, seed=11) as url:
        first = _sample(url)
    with running_mock(SPEC, seed=11) as url:
        again = _sample(url)
    with running_mock(SPEC, seed=12) as url:
        other = _sample(url)
    assert first == again
    assert first != other
    assert first[0] != first[1], "different arguments should give different bodies"


def test_mock_of_a_broken_spec_prints_located_lines_and_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n"
        "      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n"
    )
    proc = subprocess.run(
        apigen_command("mock", str(broken), "--port", "0"),
        cwd=REPO,
        env=apigen_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "broken.yaml:8:" in proc.stderr, proc.stderr


def test_mock_on_a_taken_port_says_so_and_exits_1() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(
            apigen_command("mock", str(SPEC), "--port", str(port)),
            cwd=REPO,
            env=apigen_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"apigen: error: cannot listen on 127.0.0.1:{port}" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- corpus specs ----------------------------------------------------------------------------------


def test_petstore_expanded() -> None:
    spec = _corpus_spec(PETSTORE)
    pets = _spec_validator(spec, {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}})
    pet = _spec_validator(spec, {"$ref": "#/components/schemas/Pet"})
    with running_mock(spec) as url, httpx.Client(base_url=url, timeout=10.0) as client:
        found = client.get("/pets", params={"limit": 3})
        assert found.status_code == 200, found.text
        pets.validate(found.json())
        one = client.get("/pets/4")
        assert one.status_code == 200, one.text
        pet.validate(one.json())
        added = client.post("/pets", json={"name": "Rex", "tag": "dog"})
        assert added.status_code == 200, added.text
        pet.validate(added.json())
        deleted = client.delete("/pets/4")
        assert (deleted.status_code, deleted.content) == (204, b"")
        assert client.get("/pets/notanumber").status_code in (400, 422)


def test_redocly_museum_answers_with_the_spec_examples() -> None:
    spec = _corpus_spec(MUSEUM)
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    examples = document["components"]["examples"]
    basic = {"Authorization": "Basic " + base64.b64encode(b"mock:mock").decode()}
    with running_mock(spec) as url, httpx.Client(base_url=url, timeout=10.0, headers=basic) as client:
        hours = client.get("/museum-hours")
        assert hours.status_code == 200, hours.text
        assert hours.json() == examples["GetMuseumHoursResponseExample"]["value"]
        event = client.get("/special-events/dad4bce8-f5cb-4078-a211-995864315e39")
        assert event.status_code == 200, event.text
        _spec_validator(spec, {"$ref": "#/components/schemas/SpecialEvent"}).validate(event.json())
        created = client.post("/special-events", json=examples["CreateSpecialEventRequestExample"]["value"])
        assert created.status_code == 201, created.text
        assert created.json() == examples["CreateSpecialEventResponseExample"]["value"]
        qr = client.get("/tickets/dad4bce8-f5cb-4078-a211-995864315e39/qr")
        assert (qr.status_code, qr.headers["content-type"]) == (200, "image/png")
        assert client.get("/museum-hours", headers={"Authorization": ""}).status_code == 401
        wrong = {"Authorization": "Basic " + base64.b64encode(b"user:pass").decode()}
        assert client.get("/museum-hours", headers=wrong).status_code == 401


# -- schemathesis ----------------------------------------------------------------------------------


def _schemathesis() -> str:
    script = Path(sys.executable).with_name("schemathesis")
    found = str(script) if script.is_file() else shutil.which("schemathesis")
    if found is None:
        pytest.fail("schemathesis is not installed: run `make test`, which installs the pinned dev dependencies")
    return found


@pytest.mark.parametrize("spec", [SPEC, PETSTORE], ids=["example", "petstore-expanded"])
def test_schemathesis_finds_no_failure_in_the_mock(spec: Path, tmp_path: Path) -> None:
    spec = spec if spec == SPEC else _corpus_spec(spec)
    with running_mock(spec, seed=5) as url:
        command = [
            _schemathesis(),
            "run",
            str(spec),
            "--url",
            url,
            "--header",
            f"Authorization: Bearer {MOCK_CREDENTIAL}",
            "--checks",
            "all",
            "--phases",
            "coverage,fuzzing",
            "-n",
            "5",
            "--seed",
            "20261122",
            "--generation-database",
            "none",
            "--no-color",
        ]
        proc = subprocess.run(
            command,
            cwd=tmp_path,  # no schemathesis.toml from the repository; its files stay out of it
            env=dict(os.environ, SCHEMATHESIS_HOOKS="", NO_COLOR="1"),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"schemathesis exited with {proc.returncode}\n{' '.join(command)}\n{output[-20000:]}"


def test_mock_connections_send_without_waiting_for_acks() -> None:
    """Without TCP_NODELAY every response body of the mock waited ~40 ms for the client's delayed ACK."""
    assert accepted_connection_nodelay(listening_socket("127.0.0.1", 0)) != 0
