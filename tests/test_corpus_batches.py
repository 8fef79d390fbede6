"""`make corpus` runs schemathesis on big specs in batches of operations: what each batch reports is
merged before the triage, and a batch stopped at its cap loses only the operations it did not finish.
No server here: schemathesis is replaced by a stand-in that writes the reports a run would."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator import corpus

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/a": {
            "get": {"responses": {"200": {"description": "ok"}}},
            "post": {"responses": {"200": {"description": "ok"}}},
        },
        "/b/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "delete": {"responses": {"204": {"description": "gone"}}},
        },
        "/c": {"put": {"responses": {"200": {"description": "ok"}}}},
        "/d": {"patch": {"responses": {"200": {"description": "ok"}}}},
    },
    "webhooks": {"ping": {"post": {"responses": {"200": {"description": "ok"}}}}},
}
LABELS = ["GET /a", "POST /a", "DELETE /b/{id}", "PUT /c", "PATCH /d"]

FAILURE = """1. Test Case ID: abc

- Server error

[500] Internal Server Error:

    `boom`

Reproduce with:

    curl -X {method} http://127.0.0.1:1{path}
"""


def junit(path: Path, cases: dict[str, bool]) -> Path:
    """A schemathesis-like JUnit report: operation name -> whether it failed."""

    def case(name: str, failed: bool) -> str:
        method, path = name.split()
        failure = f'<failure type="failure" message="x">{FAILURE.format(method=method, path=path)}</failure>'
        return f'<testcase name="{name}" time="0.1">{failure if failed else ""}</testcase>'

    body = "".join(case(name, failed) for name, failed in cases.items())
    path.write_text(f'<testsuites><testsuite name="schemathesis">{body}</testsuite></testsuites>', encoding="utf-8")
    return path


def events(path: Path, finished: dict[str, list[str]], *, cut: bool = False) -> Path:
    """A schemathesis-like NDJSON event log: phase -> operations whose scenario finished in it."""
    lines = [json.dumps({"Initialize": {"schemathesis_version": "4.32.5"}})]
    for phase, labels in finished.items():
        for label in labels:
            lines.append(json.dumps({"ScenarioStarted": {"phase": phase}}))
            lines.append(json.dumps({"ScenarioFinished": {"phase": phase, "recorder": {"label": label, "cases": {}}}}))
    text = "\n".join(lines) + "\n"
    if cut:  # interrupted while writing an event
        text += json.dumps({"ScenarioFinished": {"phase": "fuzzing", "recorder": {"label": "PUT /c"}}})[:40]
    path.write_text(text, encoding="utf-8")
    return path


def test_operation_labels_name_operations_as_schemathesis_does_without_webhooks() -> None:
    assert corpus.operation_labels(SPEC) == LABELS


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (2, [["GET /a", "POST /a"], ["DELETE /b/{id}", "PUT /c"], ["PATCH /d"]]),
        (5, [LABELS]),
        (9, [LABELS]),
    ],
)
def test_batches_are_consecutive_and_bounded(size: int, expected: list[list[str]]) -> None:
    assert corpus.batches(LABELS, size) == expected


def test_batches_of_no_operation_is_one_unfiltered_run() -> None:
    assert corpus.batches([], 25) == [[]]


def test_fully_tested_needs_the_fuzzing_phase_and_survives_a_cut_last_line(tmp_path: Path) -> None:
    log = events(
        tmp_path / "e.ndjson",
        {"coverage": ["GET /a", "POST /a", "PUT /c"], "fuzzing": ["GET /a", "POST /a"]},
        cut=True,
    )
    assert corpus.fully_tested(log) == {"GET /a", "POST /a"}
    assert corpus.fully_tested(tmp_path / "missing.ndjson") == set()


def test_merge_keeps_finished_batches_whole_and_only_finished_or_failed_operations_of_a_stopped_one(
    tmp_path: Path,
) -> None:
    first = junit(tmp_path / "1.xml", {"GET /a": False, "POST /a": True})
    # Stopped at its cap during fuzzing: DELETE was fuzzed, PUT was not (its pass is not trusted), PATCH failed.
    second = junit(tmp_path / "2.xml", {"DELETE /b/{id}": False, "PUT /c": False, "PATCH /d": True})
    merged = tmp_path / "junit.xml"
    reported = corpus.merge_reports(
        [(first, None), (second, {"DELETE /b/{id}"}), (tmp_path / "never-written.xml", set())], merged
    )
    assert reported == 2
    row = corpus.Row("t.yaml")
    corpus.triage(row, SPEC, merged)
    assert row.st_operations == 5
    assert row.st_untested == 1  # PUT /c
    assert sorted(f.split(" (")[0] for f in row.st_failed) == ["PATCH /d", "POST /a"]
    assert row.stages["schemathesis"].startswith("❌ 2/5 pass, 0 spec-caused, 2 apigen's, 1 untested")


class FakeSchemathesis:
    """Stands in for `_run_interruptible`: writes the reports of the batch named by --include-name,
    finishing every operation, or stopping (exit 124) on the operation named `stop_at`."""

    def __init__(self, stop_at: str | None = None, *, in_coverage: bool = False) -> None:
        self.stop_at = stop_at
        self.in_coverage = in_coverage  # `stop_at` holds up the coverage phase; fuzzing alone finishes it
        self.calls: list[tuple[list[str], float]] = []
        self.phases: list[str] = []

    def __call__(self, command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        names = [command[i + 1] for i, arg in enumerate(command) if arg == "--include-name"]
        self.calls.append((names, timeout))
        phases = command[command.index("--phases") + 1]
        self.phases.append(phases)
        chosen = names or LABELS
        slow = self.stop_at if self.stop_at in chosen and not (self.in_coverage and "coverage" not in phases) else None
        stops = slow is not None
        done = chosen[: chosen.index(slow)] if slow is not None else chosen
        junit(Path(command[command.index("--report-junit-path") + 1]), dict.fromkeys(done, False))
        events(Path(command[command.index("--report-ndjson-path") + 1]), {"coverage": chosen, "fuzzing": done})
        said = " ⚡  Coverage (interrupted after 299.79s)\n" if stops and self.in_coverage else ""
        return subprocess.CompletedProcess(command, 124 if stops else 0, said, "")


def run_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeSchemathesis, **options: Any) -> corpus.Row:
    monkeypatch.setattr(corpus, "_run_interruptible", fake)
    row = corpus.Row("t.yaml")
    corpus.stage_schemathesis(row, tmp_path / "t.yaml", SPEC, "http://127.0.0.1:1", tmp_path / "work", 10, **options)
    return row


def test_a_spec_within_one_batch_runs_once_unfiltered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSchemathesis()
    row = run_stage(tmp_path, monkeypatch, fake, batch_size=25)
    assert fake.calls == [([], 10 + corpus.ST_SECONDS_PER_OPERATION * 5)]
    assert re.fullmatch(r"✅ 5/5 pass, 0 spec-caused, 0 apigen's; \d+ s", row.stages["schemathesis"])
    assert (row.st_batches, row.st_untested) == (1, 0)


def test_batches_each_get_their_cap_and_a_stopped_one_reruns_its_unfinished_operations_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeSchemathesis(stop_at="POST /a")  # a slow operation: every run holding it is stopped at its cap
    row = run_stage(tmp_path, monkeypatch, fake, batch_size=3)
    step = corpus.ST_SECONDS_PER_OPERATION
    assert sorted(fake.calls) == [  # two runs at a time: in any order
        (["DELETE /b/{id}"], 10 + step),  # re-run: unfinished behind POST /a
        (["GET /a", "POST /a", "DELETE /b/{id}"], 10 + 3 * step),
        (["POST /a"], 10 + step),  # re-run, stopped again
        (["PUT /c", "PATCH /d"], 10 + 2 * step),
    ]
    assert (row.st_operations, row.st_untested) == (5, 1)
    assert (row.st_batches, row.st_reruns, row.st_batches_stopped, row.st_batches_skipped) == (2, 2, 2, 0)
    assert row.stages["schemathesis"].startswith(
        "❌ 4/5 pass, 0 spec-caused, 0 apigen's, 1 untested; 2 batches + 2 re-runs, 2 runs stopped at their cap; "
    )
    log = (tmp_path / "work" / "schemathesis.log").read_text(encoding="utf-8")
    assert "=== run 1: 3 operations, cap 14 s (stopped at the cap)" in log
    assert not list((tmp_path / "work" / "schemathesis").glob("*.ndjson"))  # event logs are transient


def test_an_operation_still_in_the_coverage_phase_at_its_own_cap_is_fuzzed_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Qdrant's points/query: schemathesis derived no coverage case in 300 s, so it was never tested.
    fake = FakeSchemathesis(stop_at="POST /a", in_coverage=True)
    row = run_stage(tmp_path, monkeypatch, fake, batch_size=3)
    assert fake.calls[-1] == (["POST /a"], 10 + corpus.ST_SECONDS_PER_OPERATION)
    assert fake.phases.count("fuzzing") == 1 and fake.phases[-1] == "fuzzing"
    assert (row.st_operations, row.st_untested, row.st_reruns) == (5, 0, 3)
    assert (row.st_batches_stopped, row.st_batches_skipped) == (2, 0)  # the fuzzing-only run is no skipped one
    assert row.stages["schemathesis"].startswith("✅ 5/5 pass, 0 spec-caused, 0 apigen's; 2 batches + 3 re-runs")
    assert [n for n in row.notes if n.startswith(corpus.FUZZING_ONLY_NOTE)] == [f"{corpus.FUZZING_ONLY_NOTE}: POST /a"]
    log = (tmp_path / "work" / "schemathesis.log").read_text(encoding="utf-8")
    cap = 10 + corpus.ST_SECONDS_PER_OPERATION
    assert f"=== run 5: 1 operations, fuzzing phase only, cap {cap:.0f} s\n" in log


def test_a_failure_found_by_a_stopped_run_is_kept_and_not_rerun(tmp_path: Path) -> None:
    report = junit(tmp_path / "1.xml", {"GET /a": False, "POST /a": True, "PUT /c": False})
    batch = corpus.Batch(["GET /a", "POST /a", "PUT /c", "PATCH /d"], report, {"GET /a"}, "")
    assert batch.unfinished() == ["PUT /c", "PATCH /d"]
    assert corpus.Batch(["GET /a"], report, None, "").unfinished() == []  # ran to the end
    assert corpus.Batch(["GET /a"], tmp_path / "none.xml", set(), "").unfinished() == ["GET /a"]


def test_no_batch_starts_once_the_budget_is_spent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSchemathesis()
    row = run_stage(tmp_path, monkeypatch, fake, batch_size=2, budget=-1)
    assert fake.calls == []
    assert row.st_untested == row.st_operations == 5
    assert row.stages["schemathesis"].startswith("❌ no report (5 operations untested)")


def test_schemathesis_answers_sigint_even_when_started_with_it_ignored(tmp_path: Path) -> None:
    """A background `make corpus` starts its children with SIGINT ignored; the wrapper restores Python's
    handler, so the cap's SIGINT becomes a KeyboardInterrupt (schemathesis then writes its reports)."""
    probe = corpus.SCHEMATHESIS.replace(
        "from schemathesis.cli import schemathesis; sys.argv[0] = 'schemathesis'; sys.exit(schemathesis())",
        "import os; os.kill(os.getpid(), signal.SIGINT)",
    )
    assert probe != corpus.SCHEMATHESIS
    ignored = "import signal, subprocess, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    result = subprocess.run(
        [corpus.PY, "-c", ignored + "sys.exit(subprocess.run([sys.executable, '-c', sys.argv[1]]).returncode)", probe],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "KeyboardInterrupt" in result.stderr
