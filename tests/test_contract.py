"""Contract test: the schemathesis CLI against a live `uvicorn service.main:app`.

Tests the ORIGINAL contract (spec/openapi.yaml), never the app's /openapi.json. Configuration
(seed, no example database, bounded examples, every phase, warnings that fail the run) lives in
schemathesis.toml at the repository root; every check is on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live_server import BOOTSTRAP_TOKEN, running_server

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
CONFIG = ROOT / "schemathesis.toml"
TIMEOUT = 600  # seconds; a normal run takes well under 3 minutes


def _schemathesis() -> list[str]:
    """The CLI of the interpreter running the tests (the venv's console script)."""
    script = Path(sys.executable).with_name("schemathesis")
    if script.is_file():
        return [str(script)]
    found = shutil.which("schemathesis")
    if found is None:
        pytest.fail("schemathesis is not installed: run `make test`, which installs the pinned dev dependencies")
    return [found]


def test_service_honours_the_contract(tmp_path: Path) -> None:
    with running_server() as base_url:
        command = [
            *_schemathesis(),
            "--config-file",
            str(CONFIG),
            "run",
            str(SPEC),
            "--url",
            base_url,
            "--header",
            f"Authorization: Bearer {BOOTSTRAP_TOKEN}",
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--no-color",
            "--report",
            "junit",
            "--report-junit-path",
            str(tmp_path / "junit.xml"),
        ]
        env = dict(os.environ, SCHEMATHESIS_HOOKS="", NO_COLOR="1")
        proc = subprocess.run(
            command,
            cwd=tmp_path,  # keeps schemathesis' own files out of the repository
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    output = proc.stdout + proc.stderr
    # Failures and warnings come before the summary, which ends the output.
    assert proc.returncode == 0, (
        f"schemathesis exited with {proc.returncode}\ncommand: {' '.join(command)}\n\n" + output[-20000:]
    )
    print(output[output.rfind("=== SUMMARY") :])
