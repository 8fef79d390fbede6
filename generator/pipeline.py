"""spec file -> every output file's content, in memory. Nothing is written here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import emit
from generator.diagnostics import Diagnostic, SpecError
from generator.ir import Api
from generator.loader import load_document
from generator.lower import lower
from generator.models import generate_models
from generator.render import environment
from generator.validate import validate


@dataclass(frozen=True)
class Generated:
    api: Api
    files: dict[str, str]  # relative path -> content
    warnings: tuple[Diagnostic, ...]


def check_spec(spec: Path, *, lenient: bool = False) -> tuple[Diagnostic, ...]:
    """Load and validate; raises SpecError with every problem."""
    doc = load_document(spec)
    problems = validate(doc, lenient=lenient)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SpecError(errors)
    return tuple(problems)


Progress = Callable[[str], None]
"""Told the stage that starts now, e.g. `rendering 1,223 operations in 45 routers` (display only)."""


def _quiet(stage: str) -> None:
    pass


def generate(spec: Path, package: str, *, lenient: bool = False, progress: Progress = _quiet) -> Generated:
    progress(f"loading {spec.name}")
    doc = load_document(spec)
    progress("validating")
    problems = validate(doc, lenient=lenient)
    if any(p.severity == "error" for p in problems):
        raise SpecError([p for p in problems if p.severity == "error"])
    progress("lowering")
    lowered = lower(doc, package)
    api = lowered.api
    operations = sum(len(group.operations) for group in api.tags)
    progress(f"rendering {operations:,} operations in {len(api.tags):,} routers")
    env = environment()
    files: dict[str, str] = {}
    base = f"python/{package}"
    for rel, template in MANIFEST_PY:
        files[f"{base}/{rel}"] = env.get_template(template).render(api=api)
    for group in api.tags:
        files[f"{base}/routers/{group.module}.py"] = env.get_template("python/routers/tag.py.jinja").render(
            api=api, group=group
        )
    progress(f"generating models for {len(api.ts_schema_types):,} schemas (datamodel-code-generator)")
    files[f"{base}/models.py"] = generate_models(lowered.model_spec, api.spec_name, api.model_names)
    progress(f"rendering the TypeScript client ({len(api.ts_schema_types):,} types)")
    for rel, template in ts_manifest(api):
        files[f"typescript/{rel}"] = env.get_template(template).render(api=api)
    progress(f"formatting {sum(name.endswith('.py') for name in files):,} Python files (ruff)")
    return Generated(api, emit.format_python(files), tuple(problems) + lowered.warnings)


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
