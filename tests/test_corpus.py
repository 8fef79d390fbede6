"""The small corpus specs (written by others) through every stage of `make corpus`.

Generation, import and the served-document round-trip must pass on each of them (`tsc --strict` on
their clients runs once for the whole corpus, in tests/test_typescript_corpus.py);
schemathesis against `apigen mock` runs on specs whose contracts are complete enough to pass (the
full pass rate, with the failures the specs themselves cause, is `make corpus`'s report). The specs
run two at a time (the stages are separate processes) to keep `make test` short."""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator import corpus

from .paths import REPO

CORPUS = REPO.parent / "shared" / "corpus"
SCHEMATHESIS_SPECS = {"oai-v30-petstore.yaml", "oai-v30-petstore-expanded.yaml", "readme-v30-parameters-cookies.json"}


def small_specs() -> list[str]:
    if not CORPUS.is_dir():
        return ["<missing>"]
    return sorted(
        p.name for p in CORPUS.iterdir() if p.suffix in corpus.SPEC_SUFFIXES and p.stat().st_size < corpus.SMALL_BYTES
    )


@pytest.fixture(scope="module")
def rows() -> dict[str, corpus.Row]:
    assert CORPUS.is_dir(), f"the shared corpus must sit at {CORPUS} (../shared/corpus from the repo root)"
    with tempfile.TemporaryDirectory(prefix="apigen-corpus-") as tmp:

        def run(name: str) -> corpus.Row:
            # tsc runs once over every corpus client in tests/test_typescript_corpus.py, not once per spec here.
            return corpus.run_spec(
                CORPUS / name, Path(tmp, name), 240, schemathesis=name in SCHEMATHESIS_SPECS, tsc=False
            )

        with ThreadPoolExecutor(max_workers=2) as pool:
            return dict(zip(small_specs(), pool.map(run, small_specs()), strict=True))


@pytest.mark.parametrize("name", small_specs())
def test_small_corpus_spec_passes_every_stage(name: str, rows: dict[str, corpus.Row]) -> None:
    row = rows[name]
    failed = {stage: result for stage, result in row.stages.items() if not result.startswith("✅")}
    assert failed == {}, f"{name}: {failed}\n" + "\n".join(row.notes)
    stages = {"validate", "generate", "import", "round-trip"}
    assert set(row.stages) == stages | ({"schemathesis"} if name in SCHEMATHESIS_SPECS else set())
