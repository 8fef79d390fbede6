"""The generated TypeScript client: it type-checks under strict tsc, and works against the live service.

Needs Node 20+ and the dev tools of package.json (`make node`, i.e. `npm ci`). The Node test
(tests/ts/client.test.ts) is compiled with tsc into a temporary folder and run with `node --test`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.loader import load_document
from generator.lower import lower
from tests.live_server import BOOTSTRAP_TOKEN, running_server

ROOT = Path(__file__).resolve().parent.parent
CLIENT = ROOT / "generated" / "typescript"
NODE_TEST = ROOT / "tests" / "ts" / "client.test.ts"
TSC = ROOT / "node_modules" / "typescript" / "bin" / "tsc"
STRICT_FLAGS = ("--strict", "--exactOptionalPropertyTypes", "--noUncheckedIndexedAccess")
TIMEOUT = 180


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("`node` (Node.js 20+) is not on PATH; it is needed to check the TypeScript client")
    if not TSC.is_file() or not (ROOT / "node_modules" / "@types" / "node").is_dir():
        pytest.fail("node_modules is missing typescript or @types/node: run `make node` (or `npm ci`) first")
    return node


def _tsc(node: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [node, str(TSC), *args], cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def _errors(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (proc.stdout + proc.stderr).splitlines() if "error TS" in line]


def test_generated_client_passes_strict_tsc() -> None:
    node = _node()
    proc = _tsc(node, "-p", str(CLIENT / "tsconfig.json"), "--noEmit", *STRICT_FLAGS)
    errors = _errors(proc)
    assert errors == [], "\n".join(errors)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_generated_tsconfig_is_strict() -> None:
    text = (CLIENT / "tsconfig.json").read_text(encoding="utf-8")
    for option in ("strict", "exactOptionalPropertyTypes", "noUncheckedIndexedAccess"):
        assert f'"{option}": true' in text, option


def test_node_test_calls_every_operation() -> None:
    api = lower(load_document(ROOT / "spec" / "openapi.yaml"), "team_api").api
    source = NODE_TEST.read_text(encoding="utf-8")
    names = [op.ts_name for group in api.tags for op in group.operations]
    assert names, "the spec has no operations"
    missing = [name for name in names if not re.search(rf"\b{re.escape(name)}\(\{{", source)]
    assert missing == [], f"tests/ts/client.test.ts does not call: {', '.join(missing)}"


def test_client_against_live_service(tmp_path: Path) -> None:
    node = _node()
    out = tmp_path / "js"
    proc = _tsc(node, "-p", str(NODE_TEST.parent / "tsconfig.json"), "--outDir", str(out))
    errors = _errors(proc)
    assert errors == [] and proc.returncode == 0, "\n".join(errors) or proc.stdout + proc.stderr
    (out / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")
    compiled = out / "tests" / "ts" / "client.test.js"
    assert compiled.is_file(), f"tsc wrote no {compiled}"
    # Streamed tokens are paced so that a test can abort a stream half-way.
    with running_server(env={"APIGEN_CHAT_TOKEN_DELAY_MS": "20"}) as base_url:
        env = dict(os.environ, APIGEN_BASE_URL=base_url, APIGEN_TOKEN=BOOTSTRAP_TOKEN)
        run = subprocess.run(
            [node, "--test", "--test-reporter=tap", str(compiled)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    report = run.stdout + run.stderr
    counts = dict(re.findall(r"^# (pass|fail|cancelled) (\d+)$", run.stdout, re.MULTILINE))
    assert counts.get("fail") == "0", report
    assert counts.get("cancelled") == "0", report
    assert int(counts.get("pass", "0")) >= 10, report
    assert run.returncode == 0, report
