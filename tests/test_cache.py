"""The generation cache and the models worker: faster, never different.

A cached result must equal a fresh one byte for byte, a no-op run must leave the output folder alone
and import no heavy library, any change of input must miss, and the worker process must give what
the in-process path gives (files, warnings, and which diagnostics stop the run)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cache as cache_module
from generator import forked, models, pipeline
from generator.cache import LIBRARIES, Cache, library_versions
from generator.diagnostics import SpecError

from .paths import REPO, apigen_command, apigen_env

MINI = REPO / "tests" / "specs" / "mini.yaml"
CORPUS = REPO.parent / "shared" / "corpus"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _generate(tmp_path: Path, out: str, cache: Path | None, spec: Path = MINI) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        apigen_command("generate", str(spec), "--out", out, "--package", "mini"),
        cwd=tmp_path,
        env=apigen_env(APIGEN_CACHE_DIR=str(cache) if cache else "off"),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )


def test_cached_run_writes_the_same_bytes_and_a_noop_run_touches_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _generate(tmp_path, "fresh", None)
    first = _generate(tmp_path, "cached", cache)
    assert "wrote 16 files" in first.stdout
    assert (cache / "result").is_dir() and (cache / "models").is_dir()
    # From the cache into an empty folder: the same bytes as a run without cache.
    second = _generate(tmp_path, "again", cache)
    assert "wrote 16 files" in second.stdout
    assert _files(tmp_path / "again") == _files(tmp_path / "fresh") == _files(tmp_path / "cached")
    # Nothing changed: the folder is left as it is (same inode, same modification times).
    out = tmp_path / "again"
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}
    noop = _generate(tmp_path, "again", cache)
    assert "16 files in again already up to date" in noop.stdout
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")} == before
    # A hand edit inside the output folder is repaired, not kept.
    handlers = out / "python" / "mini" / "handlers.py"
    handlers.write_text("edited\n", encoding="utf-8")
    assert "wrote 16 files" in _generate(tmp_path, "again", cache).stdout
    assert _files(out) == _files(tmp_path / "fresh")


def test_noop_run_imports_no_heavy_library(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _generate(tmp_path, "out", cache)
    script = (
        "import sys\n"
        "from generator.__main__ import main\n"
        f"assert main(['generate', {str(MINI)!r}, '--out', 'out', '--package', 'mini']) == 0\n"
        "heavy = ['datamodel_code_generator', 'openapi_spec_validator', 'jinja2', 'jsonschema', 'pydantic',"
        " 'yaml', 'importlib.metadata', 'generator.ir']\n"  # the IR is read only for scaffolding
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        # The models worker forked before the cache lookup was ended and reaped: no child is left.
        "import os\n"
        "try:\n"
        "    os.waitpid(-1, os.WNOHANG)\n"
        "except ChildProcessError:\n"
        "    print('no child left')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=apigen_env(APIGEN_CACHE_DIR=str(cache)),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "already up to date" in result.stdout
    assert result.stdout.strip().splitlines()[-2:] == ["[]", "no child left"]


def test_any_input_change_misses(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    spec = tmp_path / "spec.yaml"
    spec.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    first = pipeline.generate(spec, "mini", cache=cache)
    assert pipeline.generate(spec, "mini", cache=cache) == first
    # Another package, another flag, another spec: each gives what an uncached run gives.
    assert pipeline.generate(spec, "other", cache=cache).files == pipeline.generate(spec, "other").files
    assert pipeline.generate(spec, "mini", lenient=True, cache=cache) == pipeline.generate(spec, "mini", lenient=True)
    spec.write_text(MINI.read_text(encoding="utf-8").replace("Notes", "Memos"), encoding="utf-8")
    changed = pipeline.generate(spec, "mini", cache=cache)
    assert changed.files != first.files
    assert changed == pipeline.generate(spec, "mini")
    keys = {cache.key("generate", b"spec", "name", "pkg", "False"), cache.key("generate", b"spec", "namepkg", "False")}
    assert len(keys) == 2, "parts are delimited: moving bytes between them changes the key"


def test_an_edit_of_apigen_itself_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The no-op decides from hashes before parsing anything: apigen's code and templates are in them."""
    code, templates = tmp_path / "generator", tmp_path / "templates"
    shutil.copytree(cache_module.PACKAGE_ROOT, code, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(cache_module.TEMPLATES, templates, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "PACKAGE_ROOT", code)
    monkeypatch.setattr(cache_module, "TEMPLATES", templates)

    def key() -> str:
        return Cache(tmp_path / "cache").key("generate", b"spec", "spec.yaml", "mini", "False")

    keys = [key()]
    assert key() == keys[0]
    for edited in (code / "lower.py", templates / "python" / "app.py.jinja"):
        edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        keys.append(key())
    assert len(set(keys)) == 3


def test_models_are_reused_when_only_paths_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path / "cache")
    spec = tmp_path / "spec.yaml"
    text = MINI.read_text(encoding="utf-8")
    assert "description: Notes." in text  # a response's description: no model changes
    spec.write_text(text, encoding="utf-8")
    before = pipeline.generate(spec, "mini", cache=cache)
    spec.write_text(text.replace("description: Notes.", "description: Changed notes."), encoding="utf-8")
    want = pipeline.generate(spec, "mini")
    assert want.files != before.files

    def fail(*_: object) -> str:
        raise AssertionError("models.py should have come from the cache")

    monkeypatch.setattr(models, "generate_models", fail)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 10**12)  # in-process: the patch applies
    assert pipeline.generate(spec, "mini", cache=cache) == want


def test_only_changed_python_files_are_formatted_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import emit

    cache = Cache(tmp_path / "cache")
    files = {"python/p/__init__.py": "", "python/p/a.py": "x = ( 1 )\n", "python/p/b.py": "y=[1,\n2]\n", "t.ts": "z"}
    want = emit.format_python(files)
    assert emit.format_python(files, cache) == want
    given: list[list[str]] = []
    run = subprocess.run

    def spy(command: list[str], **kwargs: object) -> object:
        given.append(command[command.index("--") + 1 :])
        return run(command, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", spy)
    assert emit.format_python(files, cache) == want
    assert given == [], "nothing changed: ruff is not run"
    edited = {**files, "python/p/b.py": "y=[2,\n3]\n"}
    assert emit.format_python(edited, cache) == emit.format_python(edited)
    steps = 2  # ruff check --fix-only, then ruff format
    everything = ["python/p/__init__.py", "python/p/a.py", "python/p/b.py"]
    assert given == [["python/p/b.py"]] * steps + [everything] * steps, "only the edited file goes to ruff"


def test_compiled_templates_are_kept_beside_them_and_follow_their_source(tmp_path: Path) -> None:
    import jinja2

    from generator.render import TEMPLATES, environment

    kept = environment().bytecode_cache
    assert isinstance(kept, jinja2.FileSystemBytecodeCache)
    assert Path(kept.directory) == TEMPLATES / "__pycache__"  # like Python's bytecode: not per spec
    root, compiled = tmp_path / "templates", tmp_path / "compiled"
    root.mkdir()
    (root / "a.jinja").write_text("one", encoding="utf-8")
    assert environment(root, compiled).get_template("a.jinja").render() == "one"
    assert any(compiled.iterdir())
    (root / "a.jinja").write_text("two", encoding="utf-8")
    assert environment(root, compiled).get_template("a.jinja").render() == "two"


def test_a_broken_cache_entry_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    want = pipeline.generate(MINI, "mini", cache=cache)
    for entry in (tmp_path / "cache").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert pipeline.generate(MINI, "mini", cache=cache) == want


def test_a_cached_result_reads_the_ir_only_when_asked_and_recomputes_a_lost_one(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    want = pipeline.generate(MINI, "mini", cache=cache)
    hit = pipeline.generate(MINI, "mini", cache=cache)
    assert callable(hit._api), "the IR is not unpickled before it is used"
    assert hit == want and not callable(hit._api)
    for entry in (tmp_path / "cache" / "api").glob("*.pickle"):
        entry.unlink()
    lost = pipeline.generate(MINI, "mini", cache=cache)
    assert (lost.files, lost.warnings) == (want.files, want.warnings)
    assert lost.api == want.api  # computed again from the spec


@pytest.mark.parametrize(
    "name",
    [
        "readme-v30-discriminators.json",  # valid, many models
        "hf-tgi.json",  # openapi-spec-validator errors: the worker is stopped, diagnostics as in order
        "swagger-petstore-v31.yaml",  # $ref problems: openapi-spec-validator does not run
    ],
)
@pytest.mark.parametrize("fork", [True, False], ids=["forked", "fresh-interpreter"])
def test_models_worker_gives_what_the_in_process_path_gives(
    name: str, fork: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forked: the models worker and openapi-spec-validator each in a fork; else a fresh interpreter
    for the models (validation here). Files, warnings and stopping diagnostics as in order."""
    spec = CORPUS / name
    if not spec.is_file():
        pytest.fail(f"{spec} is missing: the shared corpus (../shared/corpus) is needed for this test")
    if fork and not forked.available():
        pytest.skip("forking is used on Linux only")
    monkeypatch.setattr(pipeline, "FORK", fork)

    def run(min_bytes: int) -> object:
        monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", min_bytes)
        try:
            generated = pipeline.generate(spec, "api")
        except SpecError as exc:
            return exc.diagnostics
        return generated

    assert run(0) == run(10**12)


def test_library_versions_are_those_importlib_metadata_gives() -> None:
    from importlib import metadata

    want = {}
    for name in LIBRARIES:
        try:
            want[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    found = library_versions()
    assert len(want) == len(LIBRARIES)  # all installed in the test environment
    assert {name: found.get(name.lower().replace("_", "-")) for name in LIBRARIES} == want
