"""Output is byte-identical across runs and hash seeds."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .paths import PACKAGE, SPEC, apigen_command, apigen_env
from .test_cli import checksums


def test_two_hash_seeds_give_identical_output(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"seed-{seed}"
        result = subprocess.run(
            apigen_command("generate", str(SPEC), "--out", str(out), "--package", PACKAGE),
            cwd=tmp_path,
            env=apigen_env(PYTHONHASHSEED=seed),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(checksums(out))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 10
