"""`apigen generate` shows stage-by-stage progress on a terminal, and nothing otherwise."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

from generator import pipeline
from generator.__main__ import ProgressDisplay, progress_display

from .paths import PACKAGE, SPEC, apigen_env

# The real CLI with no display delay, so that the test does not depend on how fast generation is.
NO_DELAY = "import sys; from generator import __main__ as m; m.ProgressDisplay.DELAY_S = 0; sys.exit(m.main())"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_finished_stages_stay_as_lines_with_their_duration() -> None:
    screen = Terminal()
    display = ProgressDisplay(screen, delay_s=0)
    display("loading a.yaml")
    display("rendering 3 operations in 1 routers")
    display.close()
    lines = [line.rsplit("\r\x1b[K", 1)[-1] for line in screen.getvalue().split("\n") if line]
    assert [line.split(" (")[0] for line in lines] == [
        "apigen: loading a.yaml",
        "apigen: rendering 3 operations in 1 routers",
    ]
    assert all(line.endswith(" s)") for line in lines)


def test_a_run_shorter_than_the_delay_draws_nothing() -> None:
    screen = Terminal()
    display = ProgressDisplay(screen, delay_s=60)
    display("loading a.yaml")
    display.close()
    assert screen.getvalue() == ""


def test_display_only_on_a_terminal_and_never_under_ci() -> None:
    assert progress_display(io.StringIO(), {}) is None
    assert progress_display(Terminal(), {"CI": "true"}) is None
    shown = progress_display(Terminal(), {})
    assert isinstance(shown, ProgressDisplay)
    shown.close()


def test_pipeline_reports_each_stage_with_counts() -> None:
    stages: list[str] = []
    generated = pipeline.generate(SPEC, PACKAGE, progress=stages.append)
    operations = sum(len(group.operations) for group in generated.api.tags)
    # openapi-spec-validator's pass may come after lowering (it overlaps the models worker).
    words = [stage.split()[0] for stage in stages if stage != "validating with openapi-spec-validator"]
    assert words == ["loading", "validating", "lowering", "rendering", "generating", "formatting"]
    routers = f"rendering {operations} operations in {len(generated.api.tags)} routers and the TypeScript client"
    assert routers in stages
    assert stages[0] == f"loading {SPEC.name}"


def _stderr_on_a_terminal(out: Path, **env: str) -> str:
    main, secondary = pty.openpty()
    try:
        subprocess.run(
            [sys.executable, "-c", NO_DELAY, "generate", str(SPEC), "--out", str(out), "--package", "api"],
            env=apigen_env(**env),
            stderr=secondary,
            stdout=subprocess.DEVNULL,
            check=True,
            timeout=120,
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the terminal has no writer left
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode()
    finally:
        os.close(main)


def test_cli_draws_progress_on_a_terminal_and_is_quiet_under_ci(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    shown = _stderr_on_a_terminal(tmp_path / "a", **{**env, "CI": ""})
    # what stays on screen: the last redraw of each line; finished stages end with "(<duration> s)"
    last = [line.rstrip("\r").rsplit("\x1b[K", 1)[-1] for line in shown.split("\n")]
    kept = [line for line in last if line.endswith(" s)") and "openapi-spec-validator" not in line]
    words = [line.split()[1] for line in kept]
    assert words == ["loading", "validating", "lowering", "rendering", "generating", "formatting", "writing"]
    assert _stderr_on_a_terminal(tmp_path / "b", CI="true") == ""
