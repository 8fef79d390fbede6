"""A few seconds of the fuzz target (`make fuzz` runs it for minutes): it runs, and finds no crash."""

from __future__ import annotations

from tests import fuzz_specs


def test_fuzz_target_runs_without_crashes() -> None:
    count, crashes = fuzz_specs.fuzz(4.0)
    assert count >= 500
    assert crashes == []
