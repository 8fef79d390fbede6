"""spec file -> every output file's content, in memory. Nothing is written here.

Speed (see generator/cache.py for the cache): a result already computed for the same inputs is
read back without importing any heavy library. With two cores or more, datamodel-code-generator
(most of the time on a large spec) runs in a worker process while this one parses, lowers and
renders the templates; on Linux the worker is a fork of this process (no interpreter start), made
first thing, so it is worth it on a small spec too, where importing the libraries is most of the
time, and openapi-spec-validator then runs in a second fork, at low priority. The diagnostics, and
which of them stops the run, are the same as running the stages in order.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from generator import forked
from generator.diagnostics import Diagnostic, SpecError

if TYPE_CHECKING:
    from generator.cache import Cache
    from generator.ir import Api
    from generator.loader import Document
    from generator.validate import Precheck

# Fork workers (Linux) rather than start fresh interpreters.
FORK = forked.available()
# With one core, or below this spec size, a worker process costs more than it saves. A fresh
# interpreter importing datamodel-code-generator did on petstore-expanded (5 KB): 2.77 CPU-s with
# the worker against 1.80 without. A fork does not (no start-up, no second import of apigen).
PARALLEL_MIN_BYTES = 0 if FORK else 100_000
# Up to this spec size openapi-spec-validator runs in a fork of its own (with FORK): on a small spec
# importing it is a third of the time. Beyond, it already overlaps the models worker, the longer:
# on spotify (286 KB) a third process gained no time and cost ~0.4 CPU-s.
FORKED_VALIDATION_MAX_BYTES = 100_000
VALIDATION_NICENESS = 19  # see _Library


class Worker(Protocol):
    """A models worker: a `subprocess.Popen` (models_worker) or a `forked.Forked`."""

    stdin: IO[bytes] | None
    stdout: IO[bytes] | None

    def poll(self) -> int | None: ...
    def wait(self) -> int: ...
    def kill(self) -> None: ...


class Generated:
    """Every output file's content and the warnings, and the IR (`api`), which only scaffolding and
    the mock read. From the cache, `api` is read on first use: unpickling GitHub's IR (15,000
    objects) was most of a no-op run, which needs only the files."""

    __slots__ = ("_api", "files", "warnings")

    def __init__(self, api: Api | Callable[[], Api], files: dict[str, str], warnings: tuple[Diagnostic, ...]) -> None:
        self._api = api
        self.files = files  # relative path -> content
        self.warnings = warnings

    @property
    def api(self) -> Api:
        if callable(self._api):
            self._api = self._api()
        return self._api

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Generated):
            return NotImplemented
        return (self.files, self.warnings, self.api) == (other.files, other.warnings, other.api)

    __hash__ = None  # type: ignore[assignment]  # mutable: the IR is filled in on first use


def check_spec(spec: Path, *, lenient: bool = False) -> tuple[Diagnostic, ...]:
    """Load and validate; raises SpecError with every problem."""
    from generator.loader import load_document
    from generator.validate import validate

    doc = load_document(spec)
    problems = validate(doc, lenient=lenient)
    _raise_errors(problems)
    return tuple(problems)


Progress = Callable[[str], None]
"""Told the stage that starts now, e.g. `rendering 1,223 operations in 45 routers` (display only)."""


def _quiet(stage: str) -> None:
    pass


def generate(
    spec: Path, package: str, *, lenient: bool = False, cache: Cache | None = None, progress: Progress = _quiet
) -> Generated:
    from generator.source import read_spec

    progress(f"loading {spec.name}")
    raw, name = read_spec(spec)
    # A forked worker starts importing datamodel-code-generator before the cache lookup: on a small
    # spec that import is the longest chain of work, and a core is idle until the fork exists. A
    # cache hit ends it again at once (a fork costs ~1 ms).
    worker = _models_worker() if FORK and _parallel(raw) else None
    try:
        key = cache.key("generate", raw, name, package, repr(lenient)) if cache else ""
        if cache:
            # The files and warnings, and apart from them the IR, read only when asked for (scaffolding).
            hit = cache.get("result", key)
            if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], dict) and isinstance(hit[1], tuple):

                def load_api() -> Api:
                    from generator.ir import Api

                    api = cache.get("api", key)
                    if isinstance(api, Api):
                        return api
                    return _fresh(raw, spec, name, package, lenient, None, _quiet).api  # entry lost: recompute

                return Generated(load_api, hit[0], hit[1])
        result = _fresh(raw, spec, name, package, lenient, cache, progress, worker)
    finally:
        _stop(worker)
    if cache:
        cache.put("api", key, result.api)
        cache.put("result", key, (result.files, result.warnings))
    return result


def _fresh(
    raw: bytes,
    spec: Path,
    name: str,
    package: str,
    lenient: bool,
    cache: Cache | None,
    progress: Progress,
    forked_worker: Worker | None = None,
) -> Generated:
    """`forked_worker`: a models worker already started (generate's fork), else one is started here
    when worth it; either way it imports datamodel-code-generator while this process parses and lowers."""
    from generator.loader import parse_document

    parallel = _parallel(raw)
    worker = forked_worker or (_models_worker() if parallel else None)
    try:
        return _generate(
            parse_document(raw, spec, name),
            package,
            lenient,
            cache,
            worker=worker,
            fork_validation=parallel and FORK and len(raw) <= FORKED_VALIDATION_MAX_BYTES,
            progress=progress,
        )
    finally:
        if worker is not forked_worker:
            _stop(worker)


def _parallel(raw: bytes) -> bool:
    """Whether a models worker is worth it for a spec of these bytes (see PARALLEL_MIN_BYTES)."""
    return len(raw) >= PARALLEL_MIN_BYTES and (os.cpu_count() or 1) > 1


def _raise_errors(problems: list[Diagnostic]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SpecError(errors)


def _generate(
    doc: Document,
    package: str,
    lenient: bool,
    cache: Cache | None,
    *,
    worker: Worker | None,
    fork_validation: bool = False,
    progress: Progress = _quiet,
) -> Generated:
    from generator.validate import combine, library_problems, precheck

    progress("validating")
    pre = precheck(doc)
    if not pre.needs_library or any(p.severity == "error" for p in combine(pre, [], lenient=lenient)):
        # Nothing to overlap: the run stops here, or openapi-spec-validator is not run at all.
        problems = combine(pre, library_problems(doc) if pre.needs_library else [], lenient=lenient)
        _raise_errors(problems)
        return _lower_and_render(doc, package, lenient, cache, pre, problems, worker=worker, progress=progress)
    checker = _Library(doc, forked_=fork_validation)
    try:
        return _lower_and_render(doc, package, lenient, cache, pre, checker, worker=worker, progress=progress)
    finally:
        checker.close()


class _Library:
    """openapi-spec-validator's findings: computed in a fork of this process started now (importing
    the library while this one lowers and renders), else here when asked for."""

    def __init__(self, doc: Document, *, forked_: bool) -> None:
        from generator.validate import library_problems, preload_library

        self.doc = doc
        self.child: forked.Forked | None = None
        if forked_:
            try:
                # Niced: on a small spec it finishes well before the models worker, whose
                # import of datamodel-code-generator is the longest chain; sharing a core
                # evenly with it made the whole run later.
                self.child = forked.Forked(
                    lambda: preload_library(doc), lambda: library_problems(doc), nice=VALIDATION_NICENESS
                )
            except OSError:
                return  # the system refuses another process: problems() does the work here
            if not _send(self.child, ()):
                self.close()

    def problems(self) -> list[Diagnostic]:
        from generator.validate import library_problems

        outcome = self.child.outcome() if self.child is not None else None
        self.close()
        if outcome is not None and outcome[0] == "ok" and isinstance(outcome[1], list):
            return outcome[1]
        return library_problems(self.doc)  # no fork, or it died (killed?): the work is done here

    def close(self) -> None:
        if self.child is not None:
            self.child.close()
            self.child = None


def _lower_and_render(
    doc: Document,
    package: str,
    lenient: bool,
    cache: Cache | None,
    pre: Precheck,
    validation: list[Diagnostic] | _Library,
    *,
    worker: Worker | None,
    progress: Progress,
) -> Generated:
    """The rest of _generate; `validation` holds the diagnostics, or is the library's still to come."""
    from generator import emit
    from generator.lower import lower
    from generator.validate import combine

    library = validation if isinstance(validation, _Library) else None
    problems = None if isinstance(validation, _Library) else validation

    def validated() -> list[Diagnostic]:
        """Every diagnostic, the library's included; raises SpecError on errors."""
        assert library is not None
        found = combine(pre, library.problems(), lenient=lenient)
        _raise_errors(found)
        return found

    progress("lowering")
    started: list[_Models] = []

    def on_models(model_spec: dict[str, Any], model_names: tuple[str, ...]) -> None:
        # The worker starts on the models while lowering finishes (warnings, TypeScript types).
        started.append(_Models(model_spec, doc.display_name, model_names, cache, worker=worker))

    try:
        lowered = lower(doc, package, on_models)
    except Exception:
        for models in started:
            models.close()
        if library is not None:  # an invalid spec may break lowering: report validation first
            validated()
        raise
    api = lowered.api
    models = started[0]
    try:
        warnings = lowered.warnings  # may compute a JSON spec's positions: while the worker runs
        if library is not None and library.child is None:
            progress("validating with openapi-spec-validator")
            problems = validated()
        operations = sum(len(group.operations) for group in api.tags)
        progress(f"rendering {operations:,} operations in {len(api.tags):,} routers and the TypeScript client")
        try:
            files = _render(api, package, cache.root / "jinja" if cache else None)
            # While the worker runs datamodel-code-generator, ruff formats the other files.
            early = emit.format_python(files, cache) if models.worker is not None else None
        except Exception:
            if problems is None:  # validation still running in its fork: its errors come first
                validated()
            raise
        if problems is None:  # openapi-spec-validator ran in its fork meanwhile
            progress("validating with openapi-spec-validator")
            problems = validated()
        progress(f"generating models for {len(api.model_names):,} classes (datamodel-code-generator)")
        files[f"python/{package}/models.py"] = models.result()
    finally:
        models.close()
    # Re-establish the manifest order (models.py came last): Python files, then TypeScript.
    ordered = {rel: files[rel] for rel in sorted(files, key=lambda rel: not rel.startswith("python/"))}
    progress(f"formatting {sum(name.endswith('.py') for name in ordered):,} Python files (ruff)")
    return Generated(lowered.api, emit.format_python(ordered, cache, early), tuple(problems) + warnings)


def _render(api: Api, package: str, bytecode_dir: Path | None = None) -> dict[str, str]:
    from generator.render import environment

    env = environment(bytecode_dir=bytecode_dir)
    files: dict[str, str] = {}
    base = f"python/{package}"
    for rel, template in MANIFEST_PY:
        files[f"{base}/{rel}"] = env.get_template(template).render(api=api)
    for group in api.tags:
        files[f"{base}/routers/{group.module}.py"] = env.get_template("python/routers/tag.py.jinja").render(
            api=api, group=group
        )
    for rel, template in ts_manifest(api):
        files[f"typescript/{rel}"] = env.get_template(template).render(api=api)
    return files


class _Models:
    """models.py: from the cache, from the `worker` process (given its input now), or computed here
    when `result()` is asked for."""

    def __init__(
        self,
        spec: dict[str, Any],
        spec_name: str,
        model_names: tuple[str, ...],
        cache: Cache | None,
        *,
        worker: Worker | None,
    ) -> None:
        # What generate_models reads (the version and the schemas): paths do not change models.
        model_spec = {key: spec[key] for key in ("openapi",) if key in spec}
        model_spec["components"] = {"schemas": _obj(_obj(spec.get("components")).get("schemas"))}
        self.args = (model_spec, spec_name, model_names)
        self.cache = cache
        self.key = ""
        self.code: str | None = None
        self.worker: Worker | None = None
        if cache:
            model_input = json.dumps(model_spec, ensure_ascii=False)
            self.key = cache.key("models", model_input, spec_name, "\n".join(model_names))
            hit = cache.get("models", self.key)
            if isinstance(hit, str):
                self.code = hit
                _stop(worker)  # not needed: free its core now
                return
        if worker is not None and _send(worker, self.args):
            self.worker = worker

    def result(self) -> str:
        from generator.models import generate_models

        if self.code is None:
            outcome = self._from_worker()
            if outcome is None:  # no worker, or it died (killed?): do the work here
                self.code = generate_models(*self.args)
            elif outcome[0] == "error":
                raise SpecError(outcome[1])
            else:
                self.code = outcome[1]
            if self.cache:
                self.cache.put("models", self.key, self.code)
        return self.code

    def _from_worker(self) -> tuple[str, Any] | None:
        return None if self.worker is None else forked.outcome_of(self.worker)

    def close(self) -> None:
        _stop(self.worker)
        self.worker = None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _models_worker() -> Worker | None:
    """A fork of this process (see FORK), else a fresh interpreter (models_worker); None when the
    system refuses another process (then the models are generated here)."""
    try:
        return forked.Forked(_preload_models, _generate_models) if FORK else models_worker()
    except OSError:
        return None


def _preload_models() -> None:
    # Forked before generator.models is imported here: the worker starts on the libraries at once.
    from generator.models import preload

    preload()


def _generate_models(model_spec: dict[str, Any], spec_name: str, expected: tuple[str, ...]) -> str:
    from generator.models import generate_models

    return generate_models(model_spec, spec_name, expected)


def models_worker() -> subprocess.Popen[bytes]:
    """`python -m generator.models`, which imports datamodel-code-generator, then computes
    generate_models(*args) for the arguments `_send` gives it (see models.worker_main)."""
    root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (root, env.get("PYTHONPATH"))))
    return subprocess.Popen(
        [sys.executable, "-m", "generator.models", str(os.getpid())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def _send(worker: Worker, args: tuple[Any, ...]) -> bool:
    """Give the worker its input; False when it died (killed?): result() then does the work here."""
    if worker.stdin is None:
        return False
    try:
        with worker.stdin:
            worker.stdin.write(pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        return False
    return True


def _stop(worker: Worker | None) -> None:
    """End the worker if it still runs (its result is not wanted: validation failed, or the models
    came from the cache) and release its pipes. Idempotent."""
    if worker is None:
        return
    if worker.poll() is None:
        worker.kill()
    worker.wait()
    for pipe in (worker.stdin, worker.stdout):
        if pipe is not None and not pipe.closed:
            pipe.close()


# One output file <-> one template <-> one IR object (the Api; routers take one TagGroup each).
MANIFEST_PY = (
    ("__init__.py", "python/__init__.py.jinja"),
    ("py.typed", "python/py.typed.jinja"),
    ("runtime.py", "python/runtime.py.jinja"),
    ("security.py", "python/security.py.jinja"),
    ("handlers.py", "python/handlers.py.jinja"),
    ("routers/__init__.py", "python/routers/__init__.py.jinja"),
    ("app.py", "python/app.py.jinja"),
)
MANIFEST_TS: tuple[tuple[str, str], ...] = (
    ("package.json", "typescript/package.json.jinja"),
    ("tsconfig.json", "typescript/tsconfig.json.jinja"),
    ("src/types.ts", "typescript/src/types.ts.jinja"),
    ("src/client.ts", "typescript/src/client.ts.jinja"),
    ("src/operations.ts", "typescript/src/operations.ts.jinja"),
    ("src/index.ts", "typescript/src/index.ts.jinja"),
)
SSE_TS = ("src/sse.ts", "typescript/src/sse.ts.jinja")


def ts_manifest(api: Api) -> tuple[tuple[str, str], ...]:
    """The TS client's files: src/sse.ts only for APIs that stream events (no other client bundles it)."""
    return MANIFEST_TS + ((SSE_TS,) if api.has_event_streams else ())
