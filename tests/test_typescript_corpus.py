"""The TypeScript client of every corpus spec that generates passes strict tsc.

The corpus lives beside the repository, at ../shared/corpus; the test fails when it is missing.
Each spec goes through the generator's own pipeline up to the TypeScript files (load, validate in
lenient mode, lower, render the TS manifest; the Python models are not needed here). A spec apigen
refuses with located errors is reported as skipped. Every client that generates must have 0 errors
under tsc --strict --exactOptionalPropertyTypes --noUncheckedIndexedAccess; they are checked in ONE
tsc run to keep the time down. GitHub's 12 MB spec is left out of `make test` (~1 min of tsc alone);
APIGEN_CORPUS_ALL=1 includes it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from generator.diagnostics import SpecError
from generator.loader import load_document
from generator.lower import lower
from generator.pipeline import ts_manifest
from generator.render import environment
from generator.validate import validate
from tests.test_typescript import _errors, _node, _tsc

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SLOW = {"github.json"}


def _specs() -> list[Path]:
    specs = sorted(p for p in CORPUS.iterdir() if p.suffix in (".json", ".yaml", ".yml"))
    if os.environ.get("APIGEN_CORPUS_ALL") != "1":
        specs = [p for p in specs if p.name not in SLOW]
    return specs


def _render_ts(spec: Path, out: Path) -> str | None:
    """Write spec's TS client under out; the first error line when apigen refuses the spec."""
    try:
        doc = load_document(spec)
        errors = [p for p in validate(doc, lenient=True) if p.severity == "error"]
        if errors:
            raise SpecError(errors)
        api = lower(doc, "api").api
    except SpecError as exc:
        return str(exc).splitlines()[0][:200] if str(exc) else "SpecError"
    env = environment()
    for rel, template in ts_manifest(api):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(env.get_template(template).render(api=api), encoding="utf-8")
    return None


def test_corpus_clients_pass_strict_tsc(tmp_path: Path) -> None:
    assert CORPUS.is_dir(), f"the spec corpus is missing: expected it at {CORPUS} (../shared/corpus from the repo root)"
    specs = _specs()
    assert specs, f"no .json/.yaml specs in {CORPUS}"
    node = _node()
    refused: dict[str, str] = {}
    generated: list[str] = []
    for spec in specs:
        reason = _render_ts(spec, tmp_path / spec.stem)
        if reason is None:
            generated.append(spec.stem)
        else:
            refused[spec.name] = reason
    assert generated, f"no corpus spec generates: {refused}"
    options = json.loads(
        "\n".join(
            line
            for line in (tmp_path / generated[0] / "tsconfig.json").read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith("//")
        )
    )["compilerOptions"]
    for key in ("rootDir", "outDir", "declaration"):
        options.pop(key, None)
    config = {"compilerOptions": options | {"noEmit": True}, "include": [f"{name}/src" for name in generated]}
    (tmp_path / "tsconfig.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    proc = _tsc(node, "-p", str(tmp_path / "tsconfig.json"))
    errors = _errors(proc)
    by_spec: dict[str, int] = {}
    for line in errors:
        name = next((n for n in generated if f"/{n}/src/" in line), "?")
        by_spec[name] = by_spec.get(name, 0) + 1
    summary = f"{len(generated)} clients checked; refused: {refused or 'none'}; errors per spec: {by_spec}"
    assert errors == [], summary + "\n" + "\n".join(errors[:40])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    if refused:
        print(f"\nnot generated (apigen refuses them): {refused}")
    for option in ("strict", "exactOptionalPropertyTypes", "noUncheckedIndexedAccess"):
        assert options.get(option) is True, option
