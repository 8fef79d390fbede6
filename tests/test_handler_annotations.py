"""Every annotation of the generated handler Protocols resolves (the mock and create_app's start-up
check read them at runtime); GitHub's `creator_id` is a query array of integers."""

from __future__ import annotations

import importlib
import sys
import typing
from pathlib import Path

from generator import emit, pipeline

SPEC = """
openapi: 3.0.3
info: {title: Tasks, version: "1"}
paths:
  /tasks:
    get:
      operationId: listTasks
      parameters:
        - {name: creator_id, in: query, schema: {type: array, items: {type: integer}}}
        - {name: since, in: query, schema: {type: string, format: date-time}}
      responses:
        "200": {description: Listed.}
"""


def test_handler_annotations_resolve(tmp_path: Path) -> None:
    spec = tmp_path / "tasks.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    emit.write_atomic(tmp_path / "out", pipeline.generate(spec, "tasks_api").files)
    sys.path.insert(0, str(tmp_path / "out" / "python"))
    try:
        handlers = importlib.import_module("tasks_api.handlers")
        hints = typing.get_type_hints(handlers.DefaultHandlers.list_tasks, include_extras=True)
    finally:
        sys.path.remove(str(tmp_path / "out" / "python"))
        for name in [m for m in sys.modules if m == "tasks_api" or m.startswith("tasks_api.")]:
            del sys.modules[name]
    assert "creator_id" in hints and "since" in hints
