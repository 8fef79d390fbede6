"""`make corpus`: every stage of apigen on real specs written by others, as a table.

    python -m generator.corpus [--corpus ../shared/corpus] [--only NAME ...] [--small] [--out var/corpus.md]

Stages per spec: validate -> generate -> import the app -> round-trip of the served /openapi.json
(from `apigen mock`) -> tsc --strict on the client -> schemathesis (bounded) against `apigen mock`.
A spec refused by default for breaking the standard is retried with --lenient; the table says so.
Each stage runs in its own process, so one spec's crash cannot hide another's result.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.contract import compare
from generator.corpus_triage import CANNOT_GENERATE, SpecFacts, parse_failures

REPO = Path(__file__).resolve().parent.parent
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
SMALL_BYTES = 60_000  # the fast subset that `make test` runs
PACKAGE = "api"
PY = sys.executable
ST_SECONDS_PER_OPERATION = 1.5
# Big specs run schemathesis on this many operations at a time, each batch with its own report and cap:
# a batch stopped at its cap then loses only its own operations, not the whole spec's report.
ST_BATCH_OPERATIONS = 25
ST_JOBS = 2  # batches run at a time (a spec within one batch runs alone, as before)
ST_BUDGET_SECONDS = 3000.0  # no new batch starts once a spec's schemathesis runs have taken this long
# schemathesis with Python's own SIGINT handler: a job started in the background (`make corpus &`, nohup)
# inherits SIGINT ignored, and the SIGINT at the cap then did nothing until the process was killed, with
# no report written.
SCHEMATHESIS = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from schemathesis.cli import schemathesis; sys.argv[0] = 'schemathesis'; sys.exit(schemathesis())"
)


@dataclass
class Row:
    spec: str
    operations: int = 0
    lenient: bool = False
    stages: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    st_operations: int = 0
    st_failed: list[str] = field(default_factory=list)  # failures apigen must fix
    st_spec_caused: list[str] = field(default_factory=list)  # failures the spec itself causes (corpus_triage)
    st_untested: int = 0  # operations schemathesis did not finish within its caps
    st_batches: int = 0  # schemathesis runs the operations were split into (ST_BATCH_OPERATIONS each)
    st_reruns: int = 0  # unfinished operations of stopped batches, run again one per run
    st_batches_stopped: int = 0  # runs (batches and re-runs) stopped at their time cap
    st_batches_skipped: int = 0  # runs not started: the spec's budget was spent
    st_seconds: float = 0.0  # wall time of all schemathesis runs
    generate_seconds: float = 0.0
    generate_peak_mib: float = 0.0

    @property
    def ok(self) -> bool:
        return all(v.startswith("✅") for v in self.stages.values())


def _run(command: list[str], timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, env=env, cwd=REPO)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, 124, "", f"timed out after {timeout:.0f} s")


def _run_interruptible(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run to the end or, at `timeout`, interrupt it as Ctrl-C would: schemathesis then still writes its
    report for the operations it tested. Exit code 124 says it was stopped."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, cwd=REPO)
        stopped = False
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            stopped = True
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(command, 124 if stopped else process.returncode, out.read(), err.read())


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip() and "warning:" not in line]
    first = lines[-1] if lines and lines[-1].startswith(("Error", "error", "apigen")) else (lines[0] if lines else "")
    return first[:160]


GENERATE = (
    "import resource, sys, time\n"
    "from generator.__main__ import main\n"
    "start = time.perf_counter()\n"
    "code = main(sys.argv[1:])\n"
    "usage = resource.getrusage\n"
    "peak = max(usage(resource.RUSAGE_SELF).ru_maxrss, usage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "print(f'APIGEN-STATS {time.perf_counter() - start:.2f} {peak / 1024:.1f}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def stage_generate(row: Row, spec: Path, out: Path) -> bool:
    strict = _run([PY, "-m", "generator", "validate", str(spec)], 600)
    if strict.returncode != 0:
        lenient = _run([PY, "-m", "generator", "validate", str(spec), "--lenient"], 600)
        if lenient.returncode != 0:
            row.stages["validate"] = "❌ " + _first_line(lenient.stderr)
            return False
        row.lenient = True
        row.stages["validate"] = "✅ refused by default (located), ✅ --lenient"
        row.notes.append("refused by default: " + _first_line(strict.stderr))
    else:
        row.stages["validate"] = "✅"
    shutil.rmtree(out, ignore_errors=True)
    command = [PY, "-c", GENERATE, "generate", str(spec), "--out", str(out), "--package", PACKAGE]
    # Measured from scratch: apigen's result cache would make a second run nearly free.
    uncached = dict(os.environ, APIGEN_CACHE_DIR="off")
    result = _run(command + (["--lenient"] if row.lenient else []), 900, uncached)
    stats = re.search(r"APIGEN-STATS (\S+) (\S+)", result.stderr)
    if stats:
        row.generate_seconds, row.generate_peak_mib = float(stats.group(1)), float(stats.group(2))
    if result.returncode != 0:
        row.stages["generate"] = "❌ " + _first_line(result.stderr)
        return False
    row.stages["generate"] = f"✅ {row.generate_seconds:.1f} s, {row.generate_peak_mib:.0f} MiB"
    return True


def stage_import(row: Row, out: Path) -> bool:
    env = dict(os.environ, PYTHONPATH=str(out / "python"))
    result = _run([PY, "-W", "error", "-c", f"import {PACKAGE}.app"], 300, env)
    row.stages["import"] = "✅" if result.returncode == 0 else "❌ " + _first_line(result.stderr)
    return result.returncode == 0


def stage_tsc(row: Row, out: Path) -> None:
    tsc = REPO / "node_modules" / ".bin" / "tsc"
    if not tsc.exists():
        row.stages["tsc"] = "❌ node_modules missing: run `make node`"
        return
    result = _run([str(tsc), "-p", str(out / "typescript" / "tsconfig.json"), "--noEmit"], 600)
    errors = len(re.findall(r"error TS\d+", result.stdout + result.stderr))
    row.stages["tsc"] = (
        "✅ 0 errors" if result.returncode == 0 else f"❌ {errors} errors: " + _first_line(result.stdout)
    )


@contextmanager
def mock_server(
    spec: Path, lenient: bool, startup_seconds: float = 300, said: list[str] | None = None
) -> Iterator[str | None]:
    """`apigen mock SPEC` on a free port: yields its URL, or None when it did not start (what it
    printed until then goes to `said`)."""
    command = [PY, "-m", "generator", "mock", str(spec), "--host", "127.0.0.1", "--port", "0", "--seed", "1"]
    process = subprocess.Popen(
        command + (["--lenient"] if lenient else []),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = None
    drain: threading.Thread | None = None
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + startup_seconds
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if said is not None:
                said.append(line.rstrip())
            found = re.search(r"serving on (http://\S+)", line)
            if found:
                url = found.group(1)
                break
        # Keep reading the server's log so a full pipe never blocks it.
        drain = threading.Thread(target=collections.deque, args=(process.stdout, 0), daemon=True)
        drain.start()
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if drain is not None:
            drain.join(timeout=10)  # ends at the pipe's end of file, now that the server is gone
        if process.stdout is not None:
            process.stdout.close()


def stage_roundtrip(row: Row, spec_data: dict[str, Any], url: str | None) -> None:
    if url is None:
        row.stages["round-trip"] = "❌ apigen mock did not start"
        return
    deadline = time.monotonic() + 120
    while True:  # the port is announced just before uvicorn starts accepting
        try:
            with urllib.request.urlopen(f"{url}/openapi.json", timeout=120) as response:
                served = json.load(response)
            break
        except OSError as exc:
            if time.monotonic() > deadline:
                row.stages["round-trip"] = f"❌ {exc}"
                return
            time.sleep(0.2)
    problems = compare(spec_data, served)
    row.stages["round-trip"] = "✅ 0 mismatches" if not problems else f"❌ {len(problems)} mismatches"
    row.notes.extend(f"round-trip: {problem[:300]}" for problem in problems[:5])


def _auth_config(spec_data: dict[str, Any]) -> str:
    """schemathesis credentials for every security scheme: the one `apigen mock` accepts."""
    from generator.mock import MOCK_CREDENTIAL

    components = spec_data.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    schemes = schemes if isinstance(schemes, dict) else {}
    lines = []
    for name, scheme in schemes.items():
        kind = scheme.get("type") if isinstance(scheme, dict) else None
        key = json.dumps(name)
        if kind == "apiKey":
            lines.append(f"[auth.openapi.{key}]\napi_key = {json.dumps(MOCK_CREDENTIAL)}\n")
        elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            lines.append(f"[auth.openapi.{key}]\nusername = {json.dumps(MOCK_CREDENTIAL)}\n"
                         f"password = {json.dumps(MOCK_CREDENTIAL)}\n")  # fmt: skip
        elif kind in ("http", "oauth2", "openIdConnect"):
            lines.append(f"[auth.openapi.{key}]\nbearer = {json.dumps(MOCK_CREDENTIAL)}\n")
    return "\n".join(lines)


def operation_labels(data: dict[str, Any]) -> list[str]:
    """schemathesis' names of the spec's operations ("GET /pets/{id}"), in the spec's order."""
    from generator.validate import iter_operations

    operations = iter_operations(data)
    return [f"{method.upper()} {key}" for pointer, key, method, *_ in operations if pointer.startswith("/paths/")]


def batches(labels: list[str], size: int) -> list[list[str]]:
    """Consecutive batches of at most `size` operations; one batch (no filter) when all fit."""
    return [labels[i : i + size] for i in range(0, len(labels), size)] or [[]]


def fully_tested(ndjson: Path) -> set[str]:
    """Operations whose last phase (fuzzing, after coverage) finished in a schemathesis NDJSON event log.
    The log is written as events happen, so it still says this for a run stopped at its cap."""
    done: set[str] = set()
    try:
        lines = ndjson.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return done
    for line in lines:
        if not line.startswith('{"ScenarioFinished"'):
            continue
        try:
            event = json.loads(line)["ScenarioFinished"]
        except (ValueError, KeyError, TypeError):
            continue  # the last line of a stopped run may be cut short
        if event.get("phase") == "fuzzing":
            done.add(event.get("recorder", {}).get("label", ""))
    return done


def counted_cases(junit: Path, finished: set[str] | None) -> list[ET.Element] | None:
    """The test cases of one run's JUnit report that count, None when it wrote no report. For a run
    stopped at its cap (`finished` is not None), a passing case counts only if its operation finished
    every phase: one stopped during the coverage phase was never fuzzed. A failure found stays one."""
    try:
        cases = list(ET.parse(junit).getroot().iter("testcase"))
    except (OSError, ET.ParseError):
        return None
    if finished is None:
        return cases
    return [
        c for c in cases if c.find("failure") is not None or c.find("error") is not None or c.get("name") in finished
    ]


def merge_reports(reports: list[tuple[Path, set[str] | None]], merged: Path) -> int:
    """One JUnit report of the cases that count of every run (`counted_cases`), for `triage`;
    returns how many runs wrote a report."""
    suite = ET.Element("testsuite", name="schemathesis")
    read = 0
    for junit, finished in reports:
        cases = counted_cases(junit, finished)
        if cases is not None:  # else no report from this run: its operations count as untested
            read += 1
            suite.extend(cases)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.ElementTree(root).write(merged, encoding="utf-8", xml_declaration=True)
    return read


@dataclass
class Batch:
    """One schemathesis run: its operations, JUnit report, the operations it finished when stopped at
    its cap (None when it ran to the end), and its output."""

    labels: list[str]
    junit: Path
    finished: set[str] | None
    log: str

    def unfinished(self) -> list[str]:
        """Operations of a run stopped at its cap that its report does not count."""
        if self.finished is None:
            return []
        counted = {case.get("name") for case in counted_cases(self.junit, self.finished) or []}
        return [label for label in self.labels if label not in counted]


ALL_PHASES, FUZZING_ONLY = "coverage,fuzzing", "fuzzing"
FUZZING_ONLY_NOTE = (
    "schemathesis derived no coverage case within a whole run's cap, so these were fuzzed without the coverage phase"
)


def _stuck_in_coverage(log: str) -> bool:
    """Whether a schemathesis run was stopped during its coverage phase (its console output says so)."""
    return re.search(r"Coverage \(interrupted", log) is not None


def _schemathesis_batch(
    command: list[str], labels: list[str], all_labels: list[str], work: Path, index: int, cap: float
) -> Batch:
    """Run schemathesis on `labels` (every operation when empty), stopped at `cap` seconds."""
    junit, ndjson = work / f"junit-{index:03}.xml", work / f"events-{index:03}.ndjson"
    junit.unlink(missing_ok=True)
    reports = ["--report", "junit,ndjson", "--report-junit-path", str(junit), "--report-ndjson-path", str(ndjson)]
    names = [arg for label in labels for arg in ("--include-name", label)]
    result = _run_interruptible(command + reports + names, cap)
    finished = fully_tested(ndjson) if result.returncode == 124 else None
    ndjson.unlink(missing_ok=True)  # every request and response: megabytes per batch on big specs
    return Batch(labels or all_labels, junit, finished, result.stdout + result.stderr)


def stage_schemathesis(
    row: Row,
    spec: Path,
    spec_data: dict[str, Any],
    url: str | None,
    work: Path,
    timeout: float,
    *,
    batch_size: int = ST_BATCH_OPERATIONS,
    budget: float = ST_BUDGET_SECONDS,
    jobs: int = ST_JOBS,
) -> None:
    """schemathesis in batches of `batch_size` operations, `jobs` at a time, each capped at `timeout` +
    1.5 s per operation of the batch; the unfinished operations of a batch stopped at its cap run again,
    one per run; runs not started within `budget` seconds leave their operations untested."""
    if url is None:
        row.st_untested = row.st_operations = count_operations(spec_data, webhooks=False)
        row.stages["schemathesis"] = "❌ apigen mock did not start"
        return
    junit = work / "junit.xml"
    junit.unlink(missing_ok=True)
    st_work = work / "schemathesis"
    shutil.rmtree(st_work, ignore_errors=True)
    st_work.mkdir(parents=True, exist_ok=True)
    config = work / "schemathesis.toml"
    config.write_text(_auth_config(spec_data), encoding="utf-8")
    command = [
        PY, "-c", SCHEMATHESIS, "--config-file", str(config),
        "run", str(spec), "--url", url, "--seed", "1",
        "-n", "5", "--generation-database", "none", "--phases", ALL_PHASES, "--checks", "all",
        "--no-color", "--output-sanitize", "false",  # the triage must see whether the mock's credential was sent
    ]  # fmt: skip
    labels = operation_labels(spec_data)
    groups = batches(labels, batch_size) if len(labels) > batch_size else [[]]
    started = time.monotonic()

    # Without the coverage phase: for an operation schemathesis derived no coverage case for in a whole run.
    fuzz_command = [FUZZING_ONLY if arg == ALL_PHASES else arg for arg in command]

    def run(job: tuple[int, list[str]], phases: list[str] = command) -> Batch | None:
        index, group = job
        if time.monotonic() - started > budget:
            return None  # not started: its operations count as untested
        cap = timeout + ST_SECONDS_PER_OPERATION * len(group or labels)
        batch = _schemathesis_batch(phases, group, labels, st_work, index, cap)
        stop = " (stopped at the cap)" if batch.finished is not None else ""
        only = ", fuzzing phase only" if FUZZING_ONLY in phases else ""
        batch.log = f"=== run {index + 1}: {len(batch.labels)} operations{only}, cap {cap:.0f} s{stop}\n{batch.log}"
        return batch

    # Batches run `jobs` at a time, as separate processes: a run spends most of its wall time waiting for
    # the mock's responses (measured: ~8 % of it is schemathesis' CPU), which another run can use; and
    # unlike `-w` workers in one process, their case generation is not serialised by one GIL.
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        done = [batch for batch in pool.map(run, enumerate(groups)) if batch is not None]
        # A batch stopped at its cap was mostly held up by one operation (the coverage phase derives
        # thousands of cases from some schemas): its unfinished operations run again once, one per run.
        again = [[label] for batch in done for label in batch.unfinished()]
        reruns = [batch for batch in pool.map(run, enumerate(again, start=len(groups))) if batch is not None]
        # One still in the coverage phase at the cap of its own run got no case from it at all (Qdrant's
        # points/query schemas: schemathesis' coverage derivation, not the mock, takes the time): fuzzed
        # once more without that phase, and the report says so.
        stuck = [[label] for batch in reruns if _stuck_in_coverage(batch.log) for label in batch.unfinished()]
        start = len(groups) + len(again)
        fuzzed = [b for b in pool.map(lambda job: run(job, fuzz_command), enumerate(stuck, start=start)) if b]
        done += reruns + fuzzed
    (work / "schemathesis.log").write_text("\n".join(batch.log for batch in done), encoding="utf-8")
    if not merge_reports([(batch.junit, batch.finished) for batch in done], junit):
        row.st_untested = row.st_operations = count_operations(spec_data, webhooks=False)
        row.stages["schemathesis"] = f"❌ no report ({row.st_untested} operations untested): " + _first_line(
            done[-1].log if done else ""
        )
        return
    row.st_batches, row.st_reruns = len(groups), len(again) + len(stuck)
    row.notes = [n for n in row.notes if not n.startswith(FUZZING_ONLY_NOTE)]
    if stuck:
        row.notes.append(f"{FUZZING_ONLY_NOTE}: {', '.join(label for (label,) in stuck)}")
    row.st_batches_stopped = sum(batch.finished is not None for batch in done)
    row.st_batches_skipped = len(groups) + len(again) + len(stuck) - len(done)
    row.st_seconds = round(time.monotonic() - started, 1)
    triage(row, spec_data, junit)


def triage(row: Row, spec_data: dict[str, Any], junit: Path) -> None:
    """Classify the operations of a schemathesis JUnit report: pass, spec-caused failures only
    (generator/corpus_triage.py), apigen's failures, untested."""
    try:
        cases = list(ET.parse(junit).getroot().iter("testcase"))
    except (OSError, ET.ParseError) as exc:
        row.stages["schemathesis"] = f"❌ no report: {exc}"
        return
    facts = SpecFacts(spec_data)
    row.st_failed, row.st_spec_caused = [], []
    untestable: list[str] = []
    for case in cases:
        # One <failure> per check that failed: classify them all, not only the first.
        problems = case.findall("failure") + case.findall("error")
        if not problems:
            continue
        name = case.get("name", "?")
        failures = [facts.blame(f) for p in problems for f in parse_failures(name, p.text or p.get("message") or "")]
        # Cases schemathesis could not generate leave the operation untested when it tested nothing else,
        # unless the spec is why; otherwise what it did test decides.
        tested = [f for f in failures if f.check != CANNOT_GENERATE or f.spec_caused]
        if not tested:
            untestable.append(name)  # neither the spec's fault nor apigen's: not tested, so not passing
        elif all(f.spec_caused for f in tested):
            reasons = sorted({f"{f.check}: {f.spec_reason}" for f in tested})
            row.st_spec_caused.append(f"{name} ({'; '.join(reasons)})")
        else:
            ours = sorted({f"{f.check} {f.status or ''}".strip() for f in failures if not f.spec_caused})
            row.st_failed.append(f"{name} ({', '.join(ours)})")
    # Operations schemathesis never reached (its time cap) count as not passing.
    total = len(cases) - len(untestable)
    row.st_untested = max(0, count_operations(spec_data, webhooks=False) - total)
    row.notes = [n for n in row.notes if not n.startswith("schemathesis could not generate")]
    if untestable:
        row.notes.append(f"schemathesis could not generate cases for (untested): {', '.join(untestable)}")
    row.st_operations = total + row.st_untested
    passed = total - len(row.st_failed) - len(row.st_spec_caused)
    # A run stopped at its cap matters only through the operations it left untested (counted above).
    mark = "✅" if not row.st_failed and not row.st_untested else "❌"
    row.stages["schemathesis"] = (
        f"{mark} {passed}/{row.st_operations} pass, {len(row.st_spec_caused)} spec-caused,"
        f" {len(row.st_failed)} apigen's"
        + (f", {row.st_untested} untested" if row.st_untested else "")
        + (f"; {row.st_batches} batches" if row.st_batches > 1 else "")
        + (f" + {row.st_reruns} re-runs" if row.st_reruns else "")
        + (f", {row.st_batches_stopped} runs stopped at their cap" if row.st_batches_stopped else "")
        + (f", {row.st_batches_skipped} runs not started (budget spent)" if row.st_batches_skipped else "")
        + (f"; {row.st_seconds:.0f} s" if row.st_batches else "")
    )


def count_operations(data: dict[str, Any], *, webhooks: bool = True) -> int:
    """Operations of the spec; schemathesis calls only those under `paths`, not webhooks."""
    from generator.validate import iter_operations

    return sum(1 for pointer, *_ in iter_operations(data) if webhooks or pointer.startswith("/paths/"))


def load_spec(spec: Path) -> dict[str, Any]:
    data = yaml.load(spec.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data if isinstance(data, dict) else {}


def run_spec(
    spec: Path,
    work: Path,
    st_timeout: float,
    *,
    schemathesis: bool = True,
    tsc: bool = True,
    st_batch: int = ST_BATCH_OPERATIONS,
    st_budget: float = ST_BUDGET_SECONDS,
    st_jobs: int = ST_JOBS,
) -> Row:
    row = Row(spec.name)
    data = load_spec(spec)
    row.operations = count_operations(data)
    out = work / "out"
    if stage_generate(row, spec, out) and stage_import(row, out):
        if tsc:
            stage_tsc(row, out)
        # The mock generates the app again: give it time in proportion to what generation took.
        said: list[str] = []
        with mock_server(spec, row.lenient, startup_seconds=300 + 3 * row.generate_seconds, said=said) as url:
            if url is None:
                row.notes.append("apigen mock did not start: " + " | ".join(said[-3:])[:300])
            stage_roundtrip(row, data, url)
            if schemathesis:
                stage_schemathesis(
                    row, spec, data, url, work, st_timeout, batch_size=st_batch, budget=st_budget, jobs=st_jobs
                )
    work.mkdir(parents=True, exist_ok=True)
    (work / "row.json").write_text(json.dumps(dataclasses.asdict(row), indent=1, ensure_ascii=False), encoding="utf-8")
    return row


def saved_row(spec: Path, work: Path) -> Row | None:
    """The row `run_spec` saved for `spec`, its schemathesis report classified again (after a change
    to the triage rules, or to join runs made separately, e.g. GitHub's)."""
    known = {f.name for f in dataclasses.fields(Row)}
    try:
        saved = json.loads((work / "row.json").read_text(encoding="utf-8"))
        row = Row(**{key: value for key, value in saved.items() if key in known})  # rows of older versions too
    except (OSError, ValueError, TypeError, AttributeError):
        return None
    stage = row.stages.get("schemathesis", "")
    if (work / "junit.xml").is_file() and stage and "no report" not in stage and "did not start" not in stage:
        triage(row, load_spec(spec), work / "junit.xml")
    elif stage and not row.st_operations:  # saved before untested operations were counted
        row.st_untested = row.st_operations = count_operations(load_spec(spec), webhooks=False)
    return row


STAGES = ("validate", "generate", "import", "round-trip", "tsc", "schemathesis")


def table(rows: list[Row]) -> str:
    lines = ["| spec | ops | " + " | ".join(STAGES) + " |", "|" + "---|" * (len(STAGES) + 2)]
    for row in rows:
        cells = [row.stages.get(stage, "—").replace("|", "\\|") for stage in STAGES]
        lines.append(f"| {row.spec} | {row.operations} | " + " | ".join(cells) + " |")
    total = sum(r.st_operations for r in rows)
    ours = sum(len(r.st_failed) + r.st_untested for r in rows)
    spec_caused = sum(len(r.st_spec_caused) for r in rows)
    passed = total - ours - spec_caused

    def share(n: int) -> str:
        return f" ({100 * n / total:.1f} %)" if total else ""

    lines.append("")
    lines.append(
        f"schemathesis against `apigen mock`, {total} operations: {passed} pass with no failure{share(passed)};"
        f" {spec_caused} fail only for reasons the spec causes{share(spec_caused)};"
        f" {ours} have failures apigen must fix or went untested{share(ours)}."
    )
    lines.append("")
    lines.append("Notes and apigen's failures:")
    for row in rows:
        for note in row.notes:
            lines.append(f"- {row.spec}: {note}")
        if row.st_failed:
            lines.append(f"- {row.spec}: schemathesis failures: {', '.join(row.st_failed[:20])}")
    lines.append("")
    lines.append("Failures the specs cause (see generator/corpus_triage.py for the rules):")
    for row in rows:
        if row.st_spec_caused:
            lines.append(f"- {row.spec}: {', '.join(row.st_spec_caused[:40])}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--only", nargs="*", default=None, help="spec file names")
    parser.add_argument("--small", action="store_true", help=f"only specs under {SMALL_BYTES // 1000} kB")
    parser.add_argument("--out", type=Path, default=REPO / "var" / "corpus.md")
    parser.add_argument(
        "--schemathesis-timeout",
        type=float,
        default=300,
        metavar="SECONDS",
        help=f"cap of one schemathesis run, plus {ST_SECONDS_PER_OPERATION} s per operation it tests; at the cap it is"
        " interrupted; the operations a stopped batch did not finish run again once, one per run, and then count as"
        " untested (default 300)",
    )
    parser.add_argument(
        "--schemathesis-batch",
        type=int,
        default=ST_BATCH_OPERATIONS,
        metavar="N",
        help="schemathesis runs on at most N operations at a time, each run with its own report and cap"
        f" (default {ST_BATCH_OPERATIONS})",
    )
    parser.add_argument(
        "--schemathesis-jobs",
        type=int,
        default=ST_JOBS,
        metavar="N",
        help=f"schemathesis runs (batches) at a time on a big spec (default {ST_JOBS})",
    )
    parser.add_argument(
        "--schemathesis-budget",
        type=float,
        default=ST_BUDGET_SECONDS,
        metavar="SECONDS",
        help="no new schemathesis run starts on a spec once its runs have taken this long; the operations"
        f" left count as untested (default {ST_BUDGET_SECONDS:.0f})",
    )
    parser.add_argument(
        "--no-schemathesis", action="store_true", help="every stage but schemathesis (e.g. GitHub's half-hour run)"
    )
    parser.add_argument(
        "--from-saved", action="store_true", help="rebuild the table from the last run of each spec (var/corpus/)"
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus: no folder {args.corpus} (the shared corpus must sit at ../shared/corpus)", file=sys.stderr)
        return 2
    specs = sorted(p for p in args.corpus.iterdir() if p.suffix in SPEC_SUFFIXES)
    if args.only:
        specs = [p for p in specs if p.name in args.only]
    if args.small:
        specs = [p for p in specs if p.stat().st_size < SMALL_BYTES]
    work_root = REPO / "var" / "corpus"
    rows = []
    for spec in specs:
        if args.from_saved:
            saved = saved_row(spec, work_root / spec.stem)
            rows.append(saved if saved is not None else Row(spec.name, stages={"validate": "❌ never run"}))
            continue
        started = time.perf_counter()
        row = run_spec(
            spec,
            work_root / spec.stem,
            args.schemathesis_timeout,
            schemathesis=not args.no_schemathesis,
            st_batch=max(1, args.schemathesis_batch),
            st_budget=args.schemathesis_budget,
            st_jobs=args.schemathesis_jobs,
        )
        rows.append(row)
        print(f"{spec.name}: {'ok' if row.ok else 'FAILED'} in {time.perf_counter() - started:.0f} s", flush=True)
    report = table(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
