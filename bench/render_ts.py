"""Write only the TypeScript client of a spec (load, lenient validate, lower, TS templates): the
Python models are not needed to measure the client, and skipping them keeps `make bench` quick.

Usage: python bench/render_ts.py SPEC OUT_DIR  -> OUT_DIR/src/*.ts
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.diagnostics import SpecError
from generator.loader import load_document
from generator.lower import lower
from generator.pipeline import ts_manifest
from generator.render import environment
from generator.validate import validate


def main(spec: Path, out: Path) -> int:
    doc = load_document(spec)
    errors = [p for p in validate(doc, lenient=True) if p.severity == "error"]
    if errors:
        print(SpecError(errors), file=sys.stderr)
        return 1
    api = lower(doc, "api").api
    env = environment()
    for rel, template in ts_manifest(api):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(env.get_template(template).render(api=api), encoding="utf-8")
    print(sum(len(g.operations) for g in api.tags))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
