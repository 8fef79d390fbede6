"""Generation time: apigen and its competitors on the same specs, alternating, medians.

Every run writes into a fresh folder. apigen's from-scratch runs each get an empty cache folder
(APIGEN_CACHE_DIR; without it every repetition after the first read its result from the user cache
and took under a second). Its no-op regeneration is measured right after each of its from-scratch runs
(all but the last, at least one): the same command again over its own unchanged output and cache.
"""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import envs
from bench.measure import Run, run

CORPUS = envs.ROOT.parent / "shared" / "corpus"


@dataclass(frozen=True)
class Spec:
    key: str
    path: Path
    label: str
    reps: int
    budget_s: float = float("inf")  # no further repetition starts once the spec has taken this long


@dataclass(frozen=True)
class Tool:
    key: str
    label: str
    produces: str
    argv: Callable[[Path, Path], list[str | os.PathLike[str]]]
    cwd: Path | None = None
    cached: bool = False  # keeps a user cache, which a from-scratch run must start without


def environment(tool: Tool, cache: Path) -> dict[str, str] | None:
    """The environment of a run of `tool`: apigen's cache is `cache` (emptied for a from-scratch run)."""
    return {**os.environ, "APIGEN_CACHE_DIR": str(cache)} if tool.cached else None


@dataclass
class Result:
    """Medians of the successful runs of one tool on one spec (or why it failed)."""

    tool: str
    spec: str
    runs: list[Run] = field(default_factory=list)

    @property
    def failed(self) -> str:
        bad = [r for r in self.runs if not r.ok]
        return bad[0].reason if bad else ""

    def median(self, attr: str) -> float:
        return float(statistics.median(getattr(r, attr) for r in self.runs))

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {"tool": self.tool, "spec": self.spec, "runs": len(self.runs)}
        if self.failed:
            data["failed"] = self.failed
        else:
            data |= {k: round(self.median(k), 3) for k in ("wall_s", "cpu_s", "peak_mb")}
            data["samples_wall_s"] = [round(r.wall_s, 3) for r in self.runs]
        return data


def specs() -> list[Spec]:
    reps = int(os.environ.get("BENCH_REPS", "5"))
    every = [
        Spec("small", CORPUS / "oai-v30-petstore-expanded.yaml", "petstore-expanded (4 ops)", reps),
        Spec("medium", CORPUS / "spotify-sonallux.yml", "spotify (97 ops)", max(1, reps - 2)),
        Spec(
            "github",
            CORPUS / "github.json",
            "GitHub (1,223 ops)",
            int(os.environ.get("BENCH_GITHUB_REPS", "3")),
            float(os.environ.get("BENCH_GITHUB_BUDGET_S", "300")),
        ),
    ]
    return [s for s in every if s.reps > 0]


def tools() -> list[Tool]:
    python = envs.ROOT / ".venv" / "bin" / "python"
    fcg = envs.python_env("fcg")
    oag = envs.python_env("oag")
    node = envs.node_env()
    return [
        Tool(
            "apigen",
            "apigen",
            "Python models + routers + TS client",
            lambda s, o: [python, "-m", "generator", "generate", s, "--out", o, "--package", "api"],
            envs.ROOT,
            cached=True,
        ),
        Tool(
            "fcg",
            "fastapi-code-generator 0.8.1",
            "Python models + routes",
            lambda s, o: [fcg / "fastapi-codegen", "--input", s, "--output", o],
        ),
        Tool(
            "oag",
            "OpenAPI Generator 7.26 python-fastapi",
            "Python models + routes (JVM)",
            lambda s, o: [oag / "openapi-generator-cli", "generate", "-g", "python-fastapi", "-i", s, "-o", o],
        ),
        Tool(
            "openapi-typescript",
            "openapi-typescript 7.13",
            "TS types (runtime: openapi-fetch)",
            lambda s, o: [node / "openapi-typescript", s, "-o", o / "schema.d.ts"],
        ),
        Tool(
            "hey-api",
            "@hey-api/openapi-ts 0.99",
            "TS SDK + types",
            lambda s, o: [node / "openapi-ts", "-i", s, "-o", o, "-c", "@hey-api/client-fetch"],
            envs.NODE,
        ),
    ]


def byte_compile_apigen() -> None:
    """Give apigen's modules their bytecode, as an install does. apigen is installed editable (its
    package is the repository's source), so unlike the competitors' packages, which pip byte-compiled
    when it installed them, it has none while PYTHONDONTWRITEBYTECODE is set (as on the machine the
    README's figures come from): every run would compile ~0.3 CPU-s of its own source again."""
    compileall.compile_dir(envs.ROOT / "generator", quiet=1)


def bench(work: Path, log: Callable[[str], None]) -> tuple[list[Result], list[Result]]:
    """(from-scratch results per tool and spec, apigen no-op results per spec)."""
    byte_compile_apigen()
    all_tools = tools()
    results: list[Result] = []
    noop: list[Result] = []
    for spec in specs():
        mine = {t.key: Result(t.key, spec.key) for t in all_tools}
        again = Result("apigen", spec.key)
        started = time.monotonic()
        for rep in range(spec.reps):
            if rep and time.monotonic() - started > spec.budget_s:
                log(f"  {spec.key:7} {rep} repetition(s): the {spec.budget_s:.0f} s budget of this spec is spent")
                break
            # alternate the order so that no tool always runs on a warm (or cold) machine
            turn = all_tools[rep % len(all_tools) :] + all_tools[: rep % len(all_tools)]
            for tool in turn:
                result = mine[tool.key]
                if result.failed:
                    continue  # a failure is reported once, not repeated
                out, cache = work / f"{spec.key}-{tool.key}", work / f"{spec.key}-{tool.key}-cache"
                for folder in (out, cache):
                    shutil.rmtree(folder, ignore_errors=True)
                    folder.mkdir(parents=True)
                env = environment(tool, cache)
                measured = run(tool.argv(spec.path, out), cwd=tool.cwd, env=env, timeout_s=900)
                if measured.ok and not any(out.iterdir()):
                    measured = Run(False, measured.wall_s, measured.cpu_s, measured.peak_mb, "wrote nothing", "")
                result.runs.append(measured)
                status = "ok" if measured.ok else f"FAILED ({measured.reason})"
                log(f"  {spec.key:7} {tool.key:19} rep {rep + 1}/{spec.reps}: {measured.wall_s:7.2f} s  {status}")
                if tool.key == "apigen" and measured.ok and rep < max(1, spec.reps - 1):
                    repeat = run(tool.argv(spec.path, out), cwd=tool.cwd, env=env, timeout_s=900)
                    again.runs.append(repeat)
                    log(f"  {spec.key:7} apigen no-op         rep {rep + 1}/{spec.reps}: {repeat.wall_s:7.2f} s")
        for tool in all_tools:
            for name in (f"{spec.key}-{tool.key}", f"{spec.key}-{tool.key}-cache"):
                shutil.rmtree(work / name, ignore_errors=True)
        results.extend(mine.values())
        if again.runs:
            noop.append(again)
    return results, noop
