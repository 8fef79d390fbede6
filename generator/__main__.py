"""The `apigen` command line: argument parsing, exit codes and printing. No logic of its own."""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from generator import emit, pipeline
from generator.cache import default_cache
from generator.config import Config, ConfigError, check_package_name, load_config
from generator.diagnostics import Diagnostic, SpecError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="apigen",
        description="Contract-first API toolkit: OpenAPI -> FastAPI service + TypeScript client.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def spec_arg(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("spec", nargs="?", type=Path, help="the OpenAPI document (default: [tool.apigen] spec)")
        sub.add_argument(
            "--lenient",
            action="store_true",
            help="report breaches of the standard that generation can work around as warnings",
        )

    validate = commands.add_parser("validate", help="check the spec; print located problems")
    spec_arg(validate)

    for name, text in (
        ("generate", "validate, then write the Python package and the TypeScript client"),
        ("check", "exit 1 when DIR is not what generate would write"),
    ):
        sub = commands.add_parser(name, help=text)
        spec_arg(sub)
        sub.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: [tool.apigen] out)")
        sub.add_argument("--package", help="Python package name (default: [tool.apigen] package)")
        if name == "generate":
            sub.add_argument("--service", type=Path, metavar="DIR", help="scaffold stubs for new tags here")

    stub = commands.add_parser(
        "scaffold",
        help="create service/<tag>.py stubs for tags that have none; name missing methods",
    )
    spec_arg(stub)
    stub.add_argument("--service", type=Path, metavar="DIR", help="default: [tool.apigen] service")
    stub.add_argument("--package", help="default: [tool.apigen] package")

    serve = commands.add_parser(
        "mock",
        help="serve the generated app with mock handlers answering from the spec's examples and schemas",
    )
    spec_arg(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.add_argument("--seed", type=int, default=0, help="seed of the generated data (default: 0)")
    return parser


def _apply_config(args: argparse.Namespace, config: Config) -> str | None:
    """Fill defaults from [tool.apigen] -- all of them only when the spec comes from there too, so
    that `apigen generate other.yaml` can never write into this project's generated/ or service/."""
    from_config = args.spec is None
    if from_config:
        if config.spec is None:
            return "no SPEC given and no [tool.apigen] spec in pyproject.toml"
        args.spec = config.spec
    for name, value in (("out", config.out), ("service", config.service), ("package", config.package)):
        if hasattr(args, name) and getattr(args, name) is None and (from_config or name == "package"):
            setattr(args, name, value)
    if hasattr(args, "out") and args.out is None:
        return "--out DIR is required with an explicit SPEC"
    if args.command == "scaffold" and args.service is None:
        return "--service DIR is required with an explicit SPEC"
    return None


def _print(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def _silent(stage: str) -> None:
    pass


def _announce(line: str) -> None:
    print(line, flush=True)


class ProgressDisplay:
    """Stage-by-stage progress of a long run on a terminal: nothing is drawn before `delay_s`, so
    small specs stay quiet; then each finished stage is kept as a line with its duration and the
    current one is redrawn with the elapsed time. Use `progress_display()` to get one (or None)."""

    DELAY_S = 0.5

    def __init__(self, stream: TextIO, delay_s: float | None = None) -> None:
        self.stream, self.delay_s = stream, self.DELAY_S if delay_s is None else delay_s
        self.started = self.stage_started = time.monotonic()
        self.stage, self.drawn = "", False
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.ticker = threading.Thread(target=self._tick, daemon=True)
        self.ticker.start()

    def __call__(self, stage: str) -> None:
        with self.lock:
            now = time.monotonic()
            if self.drawn:
                self.stream.write(f"\r\x1b[Kapigen: {self.stage} ({now - self.stage_started:.1f} s)\n")
            self.stage, self.stage_started = stage, now
            self._draw()

    def _tick(self) -> None:
        while not self.stopped.wait(0.2):
            with self.lock:
                self._draw()

    def _draw(self) -> None:
        now = time.monotonic()
        if self.stage and now - self.started >= self.delay_s:
            self.stream.write(f"\r\x1b[Kapigen: {self.stage} ... {now - self.stage_started:.1f} s")
            self.stream.flush()
            self.drawn = True

    def close(self) -> None:
        self.stopped.set()
        self.ticker.join()
        if self.drawn:
            self.stream.write(f"\r\x1b[Kapigen: {self.stage} ({time.monotonic() - self.stage_started:.1f} s)\n")
            self.stream.flush()


def progress_display(stream: TextIO, environ: Mapping[str, str]) -> ProgressDisplay | None:
    """A display on an interactive terminal; None when `stream` is not a terminal or under CI."""
    if environ.get("CI") or not stream.isatty():
        return None
    return ProgressDisplay(stream)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        config = load_config(Path.cwd())
    except ConfigError as exc:
        print(f"apigen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    parser = _parser()
    args = parser.parse_args(argv)
    problem = _apply_config(args, config)
    if problem:
        parser.error(problem)
    try:
        if getattr(args, "package", None):
            check_package_name(args.package)
        return _run(args)
    except SpecError as exc:
        _print(exc.diagnostics)
        return EXIT_PROBLEMS
    except (ConfigError, emit.EmitError) as exc:
        print(f"apigen: error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("apigen: interrupted; the output folder was left as it was", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "validate":
        _print(pipeline.check_spec(args.spec, lenient=args.lenient))
        return EXIT_OK
    if args.command == "mock":
        from generator import mock  # polyfactory and Faker take a second to import: only here

        try:
            mock.serve(args.spec, args.host, args.port, args.seed, lenient=args.lenient, announce=_announce)
        except mock.MockError as exc:
            print(f"apigen: error: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        return EXIT_OK
    display = progress_display(sys.stderr, os.environ)
    progress = display or _silent
    written = False
    try:
        generated = pipeline.generate(
            args.spec, args.package, lenient=args.lenient, cache=default_cache(), progress=progress
        )
        if args.command == "generate":
            progress(f"writing {len(generated.files):,} files")
            written = emit.write_atomic(args.out, generated.files)
    finally:
        if display is not None:
            display.close()
    _print(generated.warnings)
    if args.command == "check":
        problems = emit.diff(args.out, generated.files)
        for line in problems[:50]:
            print(line, file=sys.stderr)
        if problems:
            print(
                f"apigen check: {len(problems)} file(s) differ from the spec; run `make generate`",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
        return EXIT_OK
    if args.command == "generate":
        if written:
            print(f"apigen: wrote {len(generated.files)} files to {args.out}")
        else:
            print(f"apigen: {len(generated.files)} files in {args.out} already up to date")
    if getattr(args, "service", None) is not None:
        from generator.scaffold import scaffold  # imports the IR classes: not needed by a plain no-op

        report = scaffold(generated.api, args.service)
        for path in report.created:
            print(f"apigen: created stub {path}: implement its methods")
        for line in report.missing:
            print(f"error: {line}", file=sys.stderr)
        if report.missing:
            print(
                f"apigen: {len(report.missing)} handler method(s) missing in {args.service}/",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
