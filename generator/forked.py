"""A forked copy of this process that computes one thing beside it (Linux only).

Cheaper than a fresh interpreter: no start-up, and every module already imported here is there
at once. `Forked(prepare, work)` runs `prepare()` at once (say, importing a library while this
process goes on parsing), then `work(*args)` on the arguments `send` gives it, and pickles back
("ok", result) or ("error", diagnostics) for a SpecError. Any other failure, or a kill, gives
`outcome()` None: the caller then does the work itself, where the same exception says what broke.

It has the parts of `subprocess.Popen` that pipeline's models worker uses (stdin, stdout, poll,
wait, kill), so that one code path serves both kinds of worker.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable
from typing import IO, Any

from generator.diagnostics import SpecError


def available() -> bool:
    """Forking is safe and cheap here: Linux (macOS forbids it after some system libraries load)."""
    return sys.platform == "linux" and hasattr(os, "fork")


class Forked:
    def __init__(self, prepare: Callable[[], object], work: Callable[..., object], *, nice: int = 0) -> None:
        """`nice`: added to the child's niceness, for work off the critical path (the scheduler then
        gives a busy core to the others first)."""
        parent = os.getpid()
        to_child, from_parent = os.pipe()[::-1]  # (write end, read end)
        to_parent, from_child = os.pipe()[::-1]
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # nothing buffered here is written twice
        gc.freeze()  # the child's collections skip (and so do not copy) every object it inherits
        try:
            with warnings.catch_warnings():
                # Python 3.12+ warns when other threads run (the progress display's ticker): the
                # child never takes a lock of theirs (it gets fresh streams and prints nothing).
                warnings.simplefilter("ignore", DeprecationWarning)
                self.pid = os.fork()
        except OSError:
            for fd in (to_child, from_parent, to_parent, from_child):
                os.close(fd)
            raise
        finally:
            if os.getpid() == parent:
                gc.unfreeze()
        if self.pid == 0:  # the child: never returns
            status = 1
            try:
                os.close(to_child)
                os.close(from_child)
                if nice:
                    os.nice(nice)
                _child(parent, prepare, work, from_parent, to_parent)
                status = 0
            finally:
                os._exit(status)
        os.close(from_parent)
        os.close(to_parent)
        self.stdin: IO[bytes] | None = os.fdopen(to_child, "wb")
        self.stdout: IO[bytes] | None = os.fdopen(from_child, "rb")
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def outcome(self) -> tuple[str, Any] | None:
        """("ok", result) or ("error", diagnostics); None when the child failed or was killed."""
        return outcome_of(self)

    def close(self) -> None:
        """End the child if it still runs and release the pipes. Idempotent."""
        self.kill()
        self.wait()
        for pipe in (self.stdin, self.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()


def outcome_of(worker: Any) -> tuple[str, Any] | None:
    """What a worker (a Forked, or a subprocess.Popen running the same protocol) pickled back on its
    stdout: ("ok", result) or ("error", diagnostics); None when it failed, was killed or sent nothing
    readable."""
    if worker.stdout is None:
        return None
    data = worker.stdout.read()
    if worker.wait() != 0:
        return None
    try:
        outcome = pickle.loads(data)
    except Exception:
        return None
    return outcome if isinstance(outcome, tuple) and len(outcome) == 2 else None


def _child(
    parent: int, prepare: Callable[[], object], work: Callable[..., object], read_fd: int, write_fd: int
) -> None:
    # Quiet like a worker with stderr=DEVNULL, with fresh streams: a lock of the parent's may be held.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - until os._exit

    def watch() -> None:  # stop when the parent disappears (kill -9): nobody waits for the answer
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    # Pydantic looks for plugins (observability hooks: they cannot change what a child computes) by
    # scanning every installed distribution's entry points when the first model is built: ~50 ms.
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    gc.disable()  # importing libraries makes many objects and little garbage: ~8% faster
    prepare()
    # What prepare made (modules, classes) lives as long as the child: out of the collector's way,
    # or the first collection after enable() walks all of it (~40 ms after datamodel-code-generator).
    gc.freeze()
    gc.enable()
    with os.fdopen(read_fd, "rb") as given:
        args = pickle.load(given)  # one pickle: later children hold copies of this pipe's write end
    try:
        outcome: tuple[str, object] = ("ok", work(*args))
    except SpecError as exc:
        outcome = ("error", exc.diagnostics)
    with os.fdopen(write_fd, "wb") as answer:
        answer.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
