"""Bounded fuzzing of the generator's in-process stages: hypothesis mutates small corpus specs and
runs load -> validate -> lower -> render on each. A crash is any exception other than SpecError.

    python -m tests.fuzz_specs --seconds 240      # what `make fuzz` runs; prints the input count

Every input is loaded (from mutated JSON or YAML text, or from mutated bytes) and validated with the
house rules; documents without errors are lowered. The slow stages -- openapi-spec-validator and
template rendering -- run on a sample of the inputs (1 in SAMPLE), so that the budget covers
>= 100,000 inputs. Crashes are written to var/fuzz-crashes/ as JSON (turn each into a
tests/hostile/ case) and make the run exit 1.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import random
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator import validate as validation
from generator.diagnostics import SpecError, split_pointer
from generator.loader import Document, parse_document
from generator.lower import lower
from generator.pipeline import MANIFEST_PY, ts_manifest
from generator.render import environment

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
CRASHES = REPO / "var" / "fuzz-crashes"
MAX_SEED_BYTES = 10_000
SAMPLE = 40
BATCH = 200
PER_EXAMPLE = 20

HOSTILE_STRINGS = [
    "",
    " ",
    '"""',
    "'''",
    "\\",
    "\n#",
    "{x}",
    "\\N{BOGUS}",
    "*/",
    "`${x}`",
    "</script>",
    "\u2028",
    "\x00",
    "../../etc/passwd",
    "con",
    "class",
    "None",
    "model_config",
    "a" * 300,
    "#/components/schemas/Nope",
    "#",
    "#/paths",
    "http://127.0.0.1:9/x.json",
    "user-id",
    "user_id",
    "{id}",
    "/{a}/{a}",
    "3.1.0",
    "3.0.3",
    "200",
    "default",
    "2XX",
    "integer",
    "object",
    "array",
    "string",
    "application/json",
    "multipart/form-data",
    "text/plain",
    "ünï ✓",
]
KEYS = [
    "$ref",
    "type",
    "properties",
    "items",
    "required",
    "enum",
    "default",
    "example",
    "pattern",
    "format",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "nullable",
    "additionalProperties",
    "discriminator",
    "const",
    "operationId",
    "tags",
    "parameters",
    "requestBody",
    "responses",
    "content",
    "schema",
    "name",
    "in",
    "security",
    "headers",
    "description",
    "summary",
    "minimum",
    "maximum",
    "minLength",
    "maxItems",
    "style",
    "explode",
    "webhooks",
    "callbacks",
    "x-ext",
]


def seeds() -> list[dict[str, Any]]:
    """The small corpus specs, the example spec's little sibling and the hostile base spec."""
    from tests.hostile.cases import base_spec

    if not CORPUS.is_dir():
        raise SystemExit(f"fuzz: {CORPUS} is missing (the shared corpus is needed as seeds)")
    result = [base_spec()]
    paths = [REPO / "tests" / "specs" / "mini.yaml"]
    paths += sorted(p for p in CORPUS.iterdir() if p.suffix in (".json", ".yaml", ".yml"))
    for path in paths:
        raw = path.read_bytes()
        if len(raw) <= MAX_SEED_BYTES:
            result.append(parse_document(raw, path, path.name).data)
    return result


def _refs(node: Any) -> set[str]:
    return {v["$ref"] for _, v in validation.walk(node) if isinstance(v, dict) and isinstance(v.get("$ref"), str)}


def fragments(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """One small document per operation of a seed: the operation, its path item's parameters and the
    components it refers to (transitively). Small inputs keep each run around a millisecond."""
    result = []
    for _, key, method, item, operation in validation.iter_operations(spec):
        section = "paths" if key in (spec.get("paths") or {}) else "webhooks"
        wanted, todo = {}, list(_refs(operation) | _refs(item.get("parameters", [])))
        while todo:
            ref = todo.pop()
            parts = split_pointer(ref)
            if len(parts) != 3 or parts[0] != "components" or ref in wanted:
                continue
            found, target = validation.resolve_local(spec, ref)
            if found:
                wanted[ref] = (parts[1], parts[2], target)
                todo.extend(_refs(target))
        components: dict[str, dict[str, Any]] = {}
        for kind, name, target in wanted.values():
            components.setdefault(kind, {})[name] = target
        schemes = (spec.get("components") or {}).get("securitySchemes")
        if schemes:
            components["securitySchemes"] = schemes
        item_copy = {"parameters": item["parameters"]} if "parameters" in item else {}
        document = {
            "openapi": spec.get("openapi", "3.1.0"),
            "info": {"title": "F", "version": "1"},
            section: {key: {**item_copy, method: operation}},
            "components": components,
        }
        if section == "webhooks":
            document["paths"] = {}
        if "security" in spec:
            document["security"] = spec["security"]
        result.append(json.loads(json.dumps(document)))
    return result


def _nodes(data: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every value in the document."""
    found: list[tuple[Any, Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            found.append((node, key))
            if isinstance(value, dict | list):
                stack.append(value)
    return found


def random_value(rng: random.Random, depth: int = 0) -> Any:
    """A JSON value: scalars of every type (hostile strings often), small lists and objects."""
    kind = rng.randrange(9 if depth < 2 else 7)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.choice([0, -1, 1, 2**31, 2**63, -(2**70), rng.randrange(-1000, 1000)])
    if kind == 3:
        return rng.choice([0.5, -1e300, 1e-300, 3.0])
    if kind in (4, 5, 6):
        return (
            rng.choice(HOSTILE_STRINGS) if kind != 6 else "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(8)))
        )
    if kind == 7:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    return {rng.choice(KEYS + HOSTILE_STRINGS): random_value(rng, depth + 1) for _ in range(rng.randrange(3))}


ALPHABET = "aZ09_-./{}$#~ \n\t\"'`\\\x00\u2028é"


def mutate(data: Any, rng: random.Random) -> Any:
    """1-4 mutations at random places: replace, delete, rename, graft a subtree, add a key or a $ref."""
    for _ in range(rng.randint(1, 4)):
        nodes = _nodes(data)
        if not nodes:
            break
        container, key = rng.choice(nodes)
        op = rng.randrange(7)
        if op == 0:
            container[key] = random_value(rng)
        elif op == 1:
            del container[key]
        elif op == 2 and isinstance(container, dict):
            container[rng.choice(KEYS + HOSTILE_STRINGS)] = container.pop(key)
        elif op == 3:
            source, source_key = rng.choice(nodes)
            container[key] = copy.deepcopy(source[source_key])
        elif op == 4 and isinstance(container[key], dict):
            container[key][rng.choice(KEYS)] = random_value(rng)
        elif op == 5:
            components = data.get("components")
            components = components if isinstance(components, dict) else {}
            names = [f"/components/{k}/{n}" for k, v in components.items() if isinstance(v, dict) for n in v]
            target = rng.choice([*names, "", "/paths", "/components/schemas/Nope", "/info/title"])
            container[key] = {"$ref": "#" + target}
        else:
            container[key] = rng.choice(HOSTILE_STRINGS)
    return data


class Target:
    """One fuzz input through the in-process stages; SpecError is the only acceptable failure."""

    def __init__(self) -> None:
        self.env = environment()
        self.count = 0
        self.refused_late = 0  # passed the house rules, crashed lower(), but the validator refuses them
        self.crashes: list[dict[str, Any]] = []

    def run(self, raw: bytes | None, data: dict[str, Any] | None = None) -> None:
        """Bytes go through the loader; a mutated document (data) is used as loaded, with no positions."""
        self.count += 1
        sample = self.count % SAMPLE == 0
        try:
            if raw is None or (data is not None and not sample):
                doc = Document(Path("fuzz.yaml"), "fuzz.yaml", data or {}, {})
            else:
                doc = parse_document(raw, Path("fuzz.yaml"), "fuzz.yaml")
            if sample:
                problems = validation.validate(doc)
            else:
                # The house rules, without the (slow) openapi-spec-validator pass.
                problems = list(validation._check_version(doc))
                if not problems:
                    refs = list(validation._check_refs(doc))
                    problems = refs or list(validation._check_operations(doc))
            if any(p.severity == "error" for p in problems):
                return
            try:
                lowered = lower(doc, "fuzzed")
            except Exception:
                # Only documents that pass the whole validation reach lower() in `generate`; the
                # house rules above are a fast filter, so check the rest before calling it a crash.
                if not sample and any(p.severity == "error" for p in validation.validate(doc)):
                    self.refused_late += 1
                    return
                raise
            if sample:
                api = lowered.api
                for _, template in MANIFEST_PY + ts_manifest(api):
                    self.env.get_template(template).render(api=api)
                for group in api.tags:
                    self.env.get_template("python/routers/tag.py.jinja").render(api=api, group=group)
        except SpecError:
            return
        except RecursionError:
            self._crash(raw if raw is not None else json.dumps(data).encode(), "RecursionError")
        except Exception:
            self._crash(raw if raw is not None else json.dumps(data).encode(), traceback.format_exc(limit=6))

    def _crash(self, raw: bytes, trace: str) -> None:
        digest = hashlib.sha256(raw).hexdigest()[:16]
        CRASHES.mkdir(parents=True, exist_ok=True)
        (CRASHES / f"{digest}.spec").write_bytes(raw)
        (CRASHES / f"{digest}.txt").write_text(trace, encoding="utf-8")
        self.crashes.append({"id": digest, "trace": trace.strip().splitlines()[-1]})


def fuzz(seconds: float, worker: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """Run for `seconds`; returns (inputs, crashes)."""
    corpus = [f for seed in seeds() for f in fragments(seed)]
    texts = [json.dumps(s).encode() for s in corpus]
    target = Target()
    deadline = time.monotonic() + seconds

    @settings(
        max_examples=BATCH,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.integers(0, len(corpus) - 1), st.integers(0, 2**32), st.integers(0, 9))
    def one(index: int, seed: int, kind: int) -> None:
        # Hypothesis picks the seed document and a random stream; each example runs PER_EXAMPLE
        # mutants drawn from that stream (plain `random` is ~50x cheaper per draw than hypothesis).
        rng = random.Random(seed)
        for _ in range(PER_EXAMPLE):
            if kind == 0:
                target.run(_mangle(texts[index], rng))
                continue
            spec = mutate(copy.deepcopy(corpus[index]), rng)
            target.run(json.dumps(spec, ensure_ascii=kind % 2 == 0).encode(), spec)

    while time.monotonic() < deadline:
        one()
    return target.count, target.crashes


def _mangle(text: bytes, rng: random.Random) -> bytes:
    """Broken text for the loader: truncated, flipped bytes, inserted YAML syntax."""
    raw = bytearray(text)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(max(1, len(raw)))
        action = rng.randrange(3)
        if action == 0:
            del raw[at:]
        elif action == 1 and raw:
            raw[at] = rng.randrange(256)
        else:
            raw[at:at] = rng.choice([b"\t", b"&a ", b"*a", b"!!set ", b"- ", b"{", b"\xff", b"? ", b"<<: "])
    return bytes(raw)


def _worker(args: tuple[float, int]) -> tuple[int, list[dict[str, Any]]]:
    sys.setrecursionlimit(3000)
    return fuzz(*args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=240.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(_worker, [(args.seconds, i) for i in range(args.workers)]))
    count = sum(n for n, _ in results)
    crashes = [c for _, found in results for c in found]
    unique = {c["id"]: c for c in crashes}
    elapsed = time.monotonic() - started
    print(f"fuzz: {count} inputs in {elapsed:.0f}s with {args.workers} worker(s); {len(unique)} crash(es)")
    for crash in unique.values():
        print(f"  {CRASHES / crash['id']}.spec: {crash['trace']}")
    return 1 if unique else 0


if __name__ == "__main__":
    sys.exit(main())
