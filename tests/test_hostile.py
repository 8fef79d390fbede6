"""The hostile corpus (tests/hostile/cases.py): every case is refused with located one-line errors,
or generated into code that compiles, imports and passes strict tsc, where nothing planted in the
spec became code, and nothing was written outside the output folder and new stubs in service/.

Generation runs in-process through the CLI's `main()` in a pool of worker processes (one batch);
the import check and tsc run once over every generated case together.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tokenize
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.cases import HERE, Case, all_cases

ROOT = Path(__file__).resolve().parent.parent
TSC = ROOT / "node_modules" / "typescript" / "bin" / "tsc"
CASES = all_cases()
LOCATED = re.compile(r"^openapi\.yaml:\d+:\d+: (error|warning): \S.*$")
# Words only the planted payloads contain; as code (not inside a string or comment) they mean injection.
PY_BANNED = frozenset({"__import__", "CANARY", "system", "touch", "execSync", "require"})
TS_BANNED = ("require", "execSync", "CANARY", "touch", "alert", "__import__")
PY_BANNED_CALLS = frozenset({"eval", "exec", "__import__", "compile", "open", "breakpoint", "input"})
PY_BANNED_METHODS = frozenset({"system", "popen", "execSync", "run", "call", "check_output"})


@dataclass(frozen=True)
class Outcome:
    code: int | str  # exit code, or "crash"
    stdout: str
    stderr: str
    root: str
    before: dict[str, str]  # files under the case folder before the run: path -> content hash
    after: dict[str, str]


def _tree(folder: Path) -> dict[str, str]:
    import hashlib

    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            result[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def _package(index: int) -> str:
    return f"hostile_{index:03d}"


def run_case(case: Case, index: int, base: str) -> Outcome:
    """Write the case's files and run `apigen generate` in-process (called in a worker process)."""
    from generator.__main__ import main

    folder = Path(base) / f"case{index:03d}"
    root = folder / "root"
    (root / "service").mkdir(parents=True)
    for rel, raw in case.files.items():
        (root / rel).write_bytes(raw)
    for rel, raw in case.outside.items():
        (folder / rel).write_bytes(raw)
    # A hand-written service file that must never change.
    (root / "service" / "keep.py").write_text("# mine\n", encoding="utf-8")
    before = _tree(folder)
    out, err = io.StringIO(), io.StringIO()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code: int | str = main(
                ["generate", case.spec, "--out", "out", "--package", _package(index), "--service", "service"]
            )
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException:
        code = "crash"
        err.write(traceback.format_exc())
    finally:
        os.chdir(base)
    return Outcome(code, out.getvalue(), err.getvalue(), str(root), before, _tree(folder))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    base = tmp_path_factory.mktemp("hostile")
    # The slowest cases first, so that the two workers finish together.
    order = sorted(range(len(CASES)), key=lambda i: -len(next(iter(CASES[i].files.values()))))
    with ProcessPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
        futures = {CASES[i].name: pool.submit(run_case, CASES[i], i, str(base)) for i in order}
        return {name: future.result(timeout=600) for name, future in futures.items()}


def _generated(outcomes: dict[str, Outcome]) -> Iterator[tuple[Case, int, Path]]:
    for index, case in enumerate(CASES):
        outcome = outcomes[case.name]
        if case.expect == "ok" and outcome.code == 0:
            yield case, index, Path(outcome.root) / "out"


@pytest.fixture(scope="module")
def imported(outcomes: dict[str, Outcome]) -> dict[str, str]:
    """Import every generated package (and build its app) in one subprocess: name -> problem."""
    packages = {_package(i): str(out / "python") for _, i, out in _generated(outcomes)}
    script = """
import importlib, json, os, sys, traceback
packages = json.loads(sys.argv[1])
problems = {}
for name, path in packages.items():
    sys.path.insert(0, path)
    try:
        app = importlib.import_module(name + ".app")
        importlib.import_module(name + ".models")
    except BaseException:
        problems[name] = traceback.format_exc(limit=3)
    sys.path.remove(path)
print(json.dumps(problems))
"""
    work = Path(next(iter(outcomes.values())).root).parent.parent
    proc = subprocess.run(
        [sys.executable, "-c", script, json.dumps(packages)],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    problems: dict[str, str] = json.loads(proc.stdout.strip().splitlines()[-1])
    return problems


def _node() -> str:
    node = shutil.which("node")
    if node is None or not TSC.is_file():
        pytest.fail("node and node_modules/typescript are needed (run `make node`)")
    return node


@pytest.fixture(scope="module")
def typescript(outcomes: dict[str, Outcome]) -> tuple[str, dict[str, list[str]]]:
    """One strict tsc run over every generated client, and a scan of their identifiers."""
    node = _node()
    sources = sorted(str(p) for _, _, out in _generated(outcomes) for p in (out / "typescript" / "src").glob("*.ts"))
    work = Path(next(iter(outcomes.values())).root).parent.parent
    config = work / "tsconfig.json"
    config.write_text(
        json.dumps(
            {
                "compilerOptions": {
                    "target": "ES2022",
                    "module": "ES2022",
                    "moduleResolution": "Bundler",
                    "lib": ["ES2022", "DOM"],
                    "strict": True,
                    "exactOptionalPropertyTypes": True,
                    "noUncheckedIndexedAccess": True,
                    "noEmit": True,
                    "skipLibCheck": True,
                    "types": [],
                },
                "files": sources,
            }
        ),
        encoding="utf-8",
    )
    proc = subprocess.run(
        [node, str(TSC), "-p", str(config)], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    scan = subprocess.run(
        [node, str(HERE / "scan_ts.cjs"), ",".join(TS_BANNED), *sources],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    output = proc.stdout + proc.stderr
    # Errors that name no case (a bad configuration, say) would otherwise pass unnoticed.
    stray = [line for line in output.splitlines() if "error TS" in line and "/case" not in line]
    assert stray == [], output[-3000:]
    assert sources and proc.returncode in (0, 1, 2), output[-3000:]
    return output, json.loads(scan.stdout or "{}")


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 100
    assert {c.expect for c in CASES} == {"ok", "refused"}


def _planted_code(path: Path) -> list[str]:
    """Tokens and calls in a generated Python file that only the planted payloads would produce."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, str(path))
    found = []
    with path.open("rb") as handle:
        for token in tokenize.tokenize(handle.readline):
            if token.type == tokenize.NAME and token.string in PY_BANNED:
                found.append(f"{path.name}:{token.start[0]}: name {token.string}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Name) and func.id in PY_BANNED_CALLS) or (
                isinstance(func, ast.Attribute) and func.attr in PY_BANNED_METHODS
            ):
                found.append(f"{path.name}:{node.lineno}: call {ast.unparse(func)}")
        if isinstance(node, ast.Name) and node.id in PY_BANNED:
            found.append(f"{path.name}:{node.lineno}: name {node.id}")
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(
    case: Case,
    outcomes: dict[str, Outcome],
    imported: dict[str, str],
    typescript: tuple[str, dict[str, list[str]]],
) -> None:
    outcome = outcomes[case.name]
    assert outcome.code != "crash", outcome.stderr
    assert "Traceback" not in outcome.stderr + outcome.stdout
    root = Path(outcome.root)
    folder = root.parent
    # Nothing is written outside out/ except new stubs directly in service/; nothing is changed.
    for rel, digest in outcome.before.items():
        assert outcome.after.get(rel) == digest, f"{rel} was changed or removed"
    for rel in set(outcome.after) - set(outcome.before):
        assert rel.startswith("root/out/") or re.fullmatch(r"root/service/[a-z0-9_]+\.py", rel), rel
    assert not list(folder.rglob("CANARY")) and not (ROOT / "CANARY").exists()
    if case.expect == "refused":
        assert outcome.code == 1, outcome.stdout + outcome.stderr
        lines = outcome.stderr.splitlines()
        assert lines and all(LOCATED.match(line) for line in lines), outcome.stderr
        assert any(": error: " in line for line in lines)
        assert case.message in outcome.stderr
        assert not (root / "out").exists()
        return
    assert outcome.code == 0, outcome.stderr
    for line in outcome.stderr.splitlines():
        assert LOCATED.match(line), line
    out = root / "out"
    python = sorted((out / "python").rglob("*.py"))
    assert python
    for path in python:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
        assert _planted_code(path) == []
    stubs = sorted((root / "service").glob("*.py"))
    for path in stubs:
        assert len(path.name) <= 64
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
        assert _planted_code(path) == []
    package = _package(CASES.index(case))
    assert package not in imported, imported.get(package)
    tsc_output, planted = typescript
    # tsc prints paths relative to its working directory: match on the case's own folder.
    mine = [line for line in tsc_output.splitlines() if f"/{folder.name}/" in line]
    assert mine == [], "\n".join(mine)
    assert {f: hits for f, hits in planted.items() if f"/{folder.name}/" in f} == {}
    assert not list(folder.parent.glob("CANARY"))
