"""Type tests (tests/ts/types.test-d.ts) and wire tests (tests/ts/wire.test.ts) of the TS client.

Both use the example client (generated/typescript) and a client generated here from
tests/ts/fixture/openapi.yaml, which covers what the example API does not (3.0 nullable,
readOnly/writeOnly, a discriminator without const, every parameter style and auth kind). Everything
is laid out in a temporary copy so that nothing is written into the repository.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.test_typescript import STRICT_FLAGS, TIMEOUT, _errors, _node, _tsc

ROOT = Path(__file__).resolve().parent.parent
TS_TESTS = ROOT / "tests" / "ts"


def _layout(tmp: Path) -> Path:
    shutil.copytree(ROOT / "generated" / "typescript", tmp / "generated" / "typescript")
    shutil.copytree(TS_TESTS, tmp / "tests" / "ts")
    gen = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(TS_TESTS / "fixture" / "openapi.yaml"),
         "--out", str(tmp / "tests" / "ts" / "fixture" / "out"), "--package", "fixture"],
        cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert gen.returncode == 0, gen.stdout + gen.stderr
    config = {
        "compilerOptions": {
            "target": "ES2022",
            "lib": ["ES2022", "DOM"],
            "module": "ESNext",
            "moduleResolution": "Bundler",
            "types": ["node"],
            "typeRoots": [str(ROOT / "node_modules" / "@types")],
            "rootDir": str(tmp),
            "outDir": str(tmp / "js"),
        },
        "files": ["tests/ts/types.test-d.ts", "tests/ts/wire.test.ts"],
    }
    (tmp / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    return tmp / "tsconfig.json"


def test_type_tests_and_wire_tests(tmp_path: Path) -> None:
    node = _node()
    config = _layout(tmp_path)
    source = (TS_TESTS / "types.test-d.ts").read_text(encoding="utf-8")
    expected = source.count("// @ts-expect-error")
    assert expected >= 15, "the type tests lost their misuse cases"
    code = [line for line in source.split("export async function misuses")[0].splitlines() if "//" not in line]
    assert not re.search(r"\bany\b", "\n".join(code).replace("IsAny", "")), "correct calls must not use `any`"
    proc = _tsc(node, "-p", str(config), *STRICT_FLAGS)
    errors = _errors(proc)
    assert errors == [], "\n".join(errors)  # an unused @ts-expect-error is error TS2578
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Each @ts-expect-error really marks an error: without the directives tsc reports one per line.
    stripped = tmp_path / "tests" / "ts" / "types.test-d.ts"
    stripped.write_text(source.replace("// @ts-expect-error", "// expect-error"), encoding="utf-8")
    proc = _tsc(node, "-p", str(config), *STRICT_FLAGS, "--noEmit")
    lines = {int(m.group(1)) for m in re.finditer(r"types\.test-d\.ts\((\d+),\d+\): error TS", proc.stdout)}
    marked = [i + 2 for i, line in enumerate(source.splitlines()) if "// @ts-expect-error" in line]
    missing = [n for n in marked if n not in lines]
    assert missing == [], f"misuses on lines {missing} compile without error"
    assert len(marked) == expected
    (tmp_path / "js" / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")
    run = subprocess.run(
        [node, "--test", "--test-reporter=tap", str(tmp_path / "js" / "tests" / "ts" / "wire.test.js")],
        cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    counts = dict(re.findall(r"^# (pass|fail) (\d+)$", run.stdout, re.MULTILINE))
    assert run.returncode == 0 and counts.get("fail") == "0", run.stdout + run.stderr
    assert int(counts.get("pass", "0")) >= 3, run.stdout
