"""Regeneration keeps user code: an edited service file stays byte-identical, a new tag gets a stub,
and a method missing for a new operation is named with its full signature by `apigen generate`,
by mypy and by create_app()."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .paths import PACKAGE, REPO, SERVICE, SPEC, apigen_command, apigen_env
from .test_cli import checksums

NEW_OPERATION = """  /users/{userId}/followers:
    parameters:
      - $ref: "#/components/parameters/UserId"
    get:
      tags: [users]
      operationId: listFollowers
      summary: Users following this user
      responses:
        "200":
          description: One page of users.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/UserPage"
        "400":
          $ref: "#/components/responses/BadRequest"
        "401":
          $ref: "#/components/responses/Unauthorized"
  /invoices/{invoiceId}:
    get:
      tags: [billing]
      operationId: getInvoice
      summary: Get one invoice
      parameters:
        - name: invoiceId
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: The invoice.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Error"
"""
SIGNATURE = "async def list_followers(self, *, user_id: int, credentials: runtime.Credentials) -> models.UserPage"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str], dict[str, str]]:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(SERVICE, root / "service", ignore=shutil.ignore_patterns("__pycache__"))
    users = root / "service" / "users.py"
    users.write_text(
        users.read_text(encoding="utf-8") + "\n# a user's edit, to be kept byte for byte\n", encoding="utf-8"
    )
    before = checksums(root / "service")
    spec = root / "openapi.yaml"
    spec.write_text(
        SPEC.read_text(encoding="utf-8").replace("\npaths:\n", "\npaths:\n" + NEW_OPERATION, 1), encoding="utf-8"
    )
    result = subprocess.run(
        apigen_command(
            "generate",
            str(spec),
            "--out",
            str(root / "generated"),
            "--package",
            PACKAGE,
            "--service",
            str(root / "service"),
        ),
        cwd=root,
        env=apigen_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return root, result, before


def test_existing_service_files_are_untouched(
    project: tuple[Path, subprocess.CompletedProcess[str], dict[str, str]],
) -> None:
    root, _, before = project
    after = checksums(root / "service")
    assert {k: v for k, v in after.items() if k in before} == before
    assert sorted(set(after) - set(before)) == ["billing.py"]


def test_new_tag_gets_a_stub_that_type_checks_as_unimplemented(
    project: tuple[Path, subprocess.CompletedProcess[str], dict[str, str]],
) -> None:
    root, result, _ = project
    stub = (root / "service" / "billing.py").read_text(encoding="utf-8")
    assert "class BillingService:" in stub
    assert (
        "async def get_invoice(\n        self, *, invoice_id: str, credentials: runtime.Credentials\n"
        "    ) -> models.Error:" in stub
    )
    assert 'raise NotImplementedError("getInvoice is not implemented yet")' in stub
    assert f"created stub {root / 'service' / 'billing.py'}" in result.stdout


def test_generate_names_the_missing_method(
    project: tuple[Path, subprocess.CompletedProcess[str], dict[str, str]],
) -> None:
    _, result, _ = project
    assert result.returncode == 1
    assert "UsersService is missing `listFollowers`: " + SIGNATURE in result.stderr
    assert "Traceback" not in result.stderr


def test_mypy_names_the_missing_method(project: tuple[Path, subprocess.CompletedProcess[str], dict[str, str]]) -> None:
    root, _, _ = project
    env = apigen_env(MYPYPATH=str(root / "generated" / "python"))
    env["PYTHONPATH"] = str(root / "generated" / "python")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "service/users.py",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout
    # mypy names the missing protocol member (it prints signatures only for mismatched ones).
    assert "protocol member:" in result.stdout and "list_followers" in result.stdout, result.stdout


def test_create_app_names_the_missing_method(
    project: tuple[Path, subprocess.CompletedProcess[str], dict[str, str]],
) -> None:
    root, _, _ = project
    script = (
        "from team_api.app import create_app\n"
        "from team_api.runtime import HandlerMismatchError\n"
        "from service.auth import AuthService\nfrom service.users import UsersService\n"
        "from service.posts import PostsService\nfrom service.system import SystemService\n"
        "from service.billing import BillingService\nfrom service.chat import ChatService\n"
        "try:\n"
        "    create_app(auth=AuthService, users=UsersService, posts=PostsService, system=SystemService,\n"
        "               billing=BillingService, chat=ChatService)\n"
        "except HandlerMismatchError as exc:\n"
        "    print(exc)\n"
        "else:\n"
        "    raise SystemExit('create_app accepted an incomplete implementation')\n"
    )
    env = apigen_env(APIGEN_DB=":memory:")
    env["PYTHONPATH"] = f"{root / 'generated' / 'python'}:{root}"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "users: UsersService is missing " + SIGNATURE in result.stdout
