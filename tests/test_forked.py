"""generator.forked: a fork computes beside its parent and answers like a call would, or says it could not."""

from __future__ import annotations

import os
import pickle
import signal
import time

import pytest

from generator import forked
from generator.diagnostics import Diagnostic, SpecError

pytestmark = pytest.mark.skipif(not forked.available(), reason="forking is used on Linux only")


def _add(a: int, b: int) -> int:
    return a + b


def _refuse(name: str) -> int:
    raise SpecError([Diagnostic(name, 3, 7, "bad input")])


def _crash() -> int:
    raise RuntimeError("a bug")


def _die() -> int:
    os._exit(3)


def _sleep() -> int:
    time.sleep(60)
    return 0


def _run(work: object, *args: object) -> tuple[str, object] | None:
    child = forked.Forked(lambda: None, work)  # type: ignore[arg-type]
    try:
        assert child.stdin is not None
        with child.stdin:
            child.stdin.write(pickle.dumps(args))
        return child.outcome()
    finally:
        child.close()


def test_the_answer_comes_back_pickled() -> None:
    assert _run(_add, 2, 3) == ("ok", 5)


def test_a_spec_error_comes_back_as_its_diagnostics() -> None:
    assert _run(_refuse, "spec.yaml") == ("error", [Diagnostic("spec.yaml", 3, 7, "bad input")])


@pytest.mark.parametrize("work", [_crash, _die])
def test_any_other_failure_is_no_answer(work: object) -> None:
    assert _run(work) is None  # the caller then does the work itself


def test_prepare_runs_before_the_arguments_arrive_and_a_killed_child_is_no_answer() -> None:
    ready = os.pipe()

    def prepare() -> None:
        os.write(ready[1], b"x")

    child = forked.Forked(prepare, _sleep)
    try:
        assert os.read(ready[0], 1) == b"x", "prepare ran before any input was sent"
        os.kill(child.pid, signal.SIGKILL)
        assert child.stdin is not None
        child.stdin.close()
        assert child.outcome() is None
        assert child.returncode == -signal.SIGKILL
    finally:
        child.close()
        for fd in ready:
            os.close(fd)


def test_close_ends_a_running_child_and_is_idempotent() -> None:
    child = forked.Forked(lambda: None, _sleep)
    assert child.poll() is None
    child.close()
    assert child.returncode == -signal.SIGKILL
    child.close()


def _niceness() -> int:
    return os.nice(0)


def test_a_niced_child_runs_at_that_much_lower_priority() -> None:
    child = forked.Forked(lambda: None, _niceness, nice=5)
    try:
        assert child.stdin is not None
        with child.stdin:
            child.stdin.write(pickle.dumps(()))
        outcome = child.outcome()
    finally:
        child.close()
    assert outcome == ("ok", min(os.nice(0) + 5, 19))
