"""The command line as a user runs it: exit codes, located errors, nothing written on error."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from .paths import GENERATED, PACKAGE, SPEC, apigen_command, apigen_env


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        apigen_command(*args), cwd=cwd, env=apigen_env(), capture_output=True, text=True, check=False, timeout=120
    )


def checksums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_validate_accepts_the_example(tmp_path: Path) -> None:
    result = run("validate", str(SPEC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_error_is_located_and_leaves_previous_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out)
    before = checksums(out)
    broken = tmp_path / "openapi.yaml"
    text = SPEC.read_text(encoding="utf-8")
    broken.write_text(
        text.replace('"#/components/schemas/UserCreate"', '"#/components/schemas/Nope"'), encoding="utf-8"
    )
    result = run("generate", str(broken), "--out", str(out), "--package", PACKAGE, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines and lines[0].startswith("openapi.yaml:")
    line_number = int(lines[0].split(":")[1])
    assert '"#/components/schemas/Nope"' in broken.read_text().splitlines()[line_number - 1]
    assert checksums(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated", "openapi.yaml"]  # no staging leftovers


def test_generate_then_check_agree_and_check_detects_edits(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("generate", str(SPEC), "--out", str(out), "--package", PACKAGE, cwd=tmp_path).returncode == 0
    assert run("check", str(SPEC), "--out", str(out), "--package", PACKAGE, cwd=tmp_path).returncode == 0
    handlers = out / "python" / PACKAGE / "handlers.py"
    handlers.write_text(handlers.read_text() + "\n# edited\n")
    (out / "python" / PACKAGE / "extra.py").write_text("x = 1\n")
    result = run("check", str(SPEC), "--out", str(out), "--package", PACKAGE, cwd=tmp_path)
    assert result.returncode == 1
    assert "changed:" in result.stderr and "handlers.py" in result.stderr
    assert "stale:" in result.stderr and "extra.py" in result.stderr


def test_generate_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    result = run("generate", str(SPEC), "--out", str(out), "--package", PACKAGE, cwd=tmp_path)
    assert result.returncode == 1
    assert "refusing to replace" in result.stderr
    assert (out / "notes.txt").read_text() == "precious"


def test_missing_spec_file_is_one_located_line(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "absent.yaml"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "cannot read spec" in result.stderr


def test_committed_output_is_up_to_date() -> None:
    result = run("check", cwd=SPEC.parent.parent)
    assert result.returncode == 0, result.stderr


def test_explicit_spec_never_uses_the_projects_output_or_service_folders(tmp_path: Path) -> None:
    """[tool.apigen] defaults belong to the project's own spec: another spec needs its own --out."""
    before = checksums(SPEC.parent.parent / "service")
    result = run("generate", "tests/specs/mini.yaml", cwd=SPEC.parent.parent)
    assert result.returncode == 2
    assert "--out DIR is required" in result.stderr
    out = tmp_path / "out"
    assert run("generate", "tests/specs/mini.yaml", "--out", str(out), cwd=SPEC.parent.parent).returncode == 0
    assert checksums(SPEC.parent.parent / "service") == before
