"""The served app publishes the spec's contract: same operations, parameters, media types,
statuses and security, read from the running server's /openapi.json."""

from __future__ import annotations

import copy
import json
import urllib.request
from typing import Any

import yaml

from generator.contract import compare, operation_facts

from .live_server import running_server
from .paths import SPEC


def spec() -> dict[str, Any]:
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_served_document_matches_the_spec() -> None:
    with running_server() as base_url, urllib.request.urlopen(f"{base_url}/openapi.json", timeout=10) as response:
        served = json.load(response)
    problems = compare(spec(), served)
    assert problems == [], "\n".join(problems)
    assert len(operation_facts(served)) == 16  # 15 routes + 1 webhook


def test_comparison_notices_each_kind_of_difference() -> None:
    """A negative control: the comparison is not vacuous."""
    original = spec()
    changed = copy.deepcopy(original)
    get_user = changed["paths"]["/users/{userId}"]["get"]
    get_user["operationId"] = "fetchUser"
    del get_user["responses"]["404"]
    changed["paths"]["/posts"]["get"]["parameters"][2]["required"] = True
    changed["paths"]["/users/{userId}/avatar"]["get"]["responses"]["200"]["content"] = {"image/png": {}}
    changed["paths"]["/health"]["get"]["security"] = [{"bearerAuth": []}]
    del changed["paths"]["/posts/{postId}"]["delete"]
    problems = "\n".join(compare(original, changed))
    assert "GET /users/{userId}: operationId differs" in problems
    assert "GET /users/{userId}: responses differs" in problems
    assert "GET /posts: parameters differs" in problems
    assert "GET /users/{userId}/avatar: responses differs" in problems
    assert "GET /health: security differs" in problems
    assert "DELETE /posts/{postId}: in the spec, not served" in problems
