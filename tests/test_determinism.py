"""Output is byte-identical across runs and hash seeds."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from .paths import PACKAGE, SPEC, apigen_command, apigen_env
from .test_cli import checksums


def _apigen(seed: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        apigen_command(*args),
        cwd=cwd,
        env=apigen_env(PYTHONHASHSEED=seed),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_two_hash_seeds_give_identical_output(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"seed-{seed}"
        result = _apigen(seed, tmp_path, "generate", str(SPEC), "--out", str(out), "--package", PACKAGE)
        assert result.returncode == 0, result.stderr
        outputs.append(checksums(out))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 10


# Each of these schemas breaks its meta-schema in three properties; openapi-spec-validator reports
# one error per schema, and which one depended on the hash seed (jsonschema walks a set of names).
META_BREAKS = {
    "3.0.3": "exclusiveMinimum: 0",  # 3.0 wants a boolean
    "3.1.0": "maximum: ten",  # a number
}


def _spec_breaking_meta(version: str) -> str:
    bad = META_BREAKS[version]
    properties = "".join(
        f"        {name}:\n          type: integer\n          {bad}\n" for name in ("zeta", "alpha", "mid")
    )
    return (
        f"openapi: {version}\n"
        "info: {title: t, version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  schemas:\n"
        "    Thing:\n"
        "      type: object\n"
        "      properties:\n"
        f"{properties}"
    )


@pytest.mark.parametrize("version", sorted(META_BREAKS))
def test_a_schema_breaking_its_meta_schema_twice_is_reported_at_its_first_break_whatever_the_seed(
    tmp_path: Path, version: str
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(_spec_breaking_meta(version), encoding="utf-8")
    reports = set()
    for seed in ("0", "1", "2", "3", "4242"):
        result = _apigen(seed, tmp_path, "validate", "spec.yaml")
        assert result.returncode == 1, result.stderr
        reports.add(result.stderr)
    assert len(reports) == 1, reports
    # The first faulty property in the document, `zeta`, is the one named (line 11 holds its break).
    # (3.0's document-level check also reports the schema as a whole, at line 6.)
    faults = [line for line in reports.pop().splitlines() if "/properties/" in line]
    assert len(faults) == 1, faults
    assert re.fullmatch(r"spec\.yaml:11:11: error: .+ \[#/components/schemas/Thing/properties/zeta/\w+\]", faults[0])
