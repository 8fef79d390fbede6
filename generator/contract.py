"""Contract facts of an OpenAPI document, for comparing a served document with its spec.

Schemas never match byte for byte (FastAPI adds titles, rewrites nullables, flattens allOf), so the
comparison is over what a client relies on: per (method, path) the operationId, parameters (name,
in, required, style, explode), request media types, response statuses with their media types, and security.
"""

from __future__ import annotations

import re
from typing import Any

from generator.validate import deref, effective_operation_ids, iter_operations

Facts = dict[str, Any]


def effective_style(param: dict[str, Any]) -> tuple[str, bool]:
    """A parameter's serialisation (OpenAPI 3.0.3 §4.7.12.2): `style`, by default `simple` in paths
    and headers and `form` in queries and cookies; `explode`, by default true for `form` only."""
    style = str(param.get("style", "simple" if param.get("in") in ("path", "header") else "form"))
    return style, param.get("explode", style == "form") is True


def _media_types(content: Any) -> list[str]:
    return sorted(content) if isinstance(content, dict) else []


def operation_facts(data: dict[str, Any]) -> dict[str, Facts]:
    """`"GET /users"` (or `"webhook POST name"`) -> its contract facts."""
    result: dict[str, Facts] = {}
    global_security = data.get("security", [])
    operation_ids = effective_operation_ids(data)  # what apigen serves for operations without one
    for pointer, key, method, item, op in iter_operations(data):
        params: dict[tuple[str, str], str] = {}
        for source in (item.get("parameters"), op.get("parameters")):
            for raw in source if isinstance(source, list) else []:
                param = deref(data, raw)
                if isinstance(param, dict):
                    required = param.get("required") is True or param.get("in") == "path"
                    style, explode = effective_style(param)
                    params[(str(param.get("in")), str(param.get("name")))] = (
                        f"{'required' if required else 'optional'}:{style}{'*' if explode else ''}"
                    )
        body = deref(data, op.get("requestBody"))
        raw_responses = op.get("responses")
        responses: dict[str, Any] = raw_responses if isinstance(raw_responses, dict) else {}
        security = op.get("security", global_security)
        label = f"{method.upper()} {key}" if pointer.startswith("/paths/") else f"webhook {method.upper()} {key}"
        result[label] = {
            "operationId": operation_ids[pointer],
            "parameters": sorted(f"{where}:{name}:{facts}" for (where, name), facts in params.items()),
            "requestBody": _media_types(body.get("content")) if isinstance(body, dict) else [],
            "responses": {
                str(status): _media_types(deref(data, response).get("content"))
                for status, response in sorted(responses.items())
                if isinstance(deref(data, response), dict)
            },
            "security": sorted({"+".join(sorted(req)) for req in security if isinstance(req, dict)})
            if isinstance(security, list)
            else [],
        }
    return result


def _declares_client_errors(responses: dict[str, list[str]]) -> bool:
    """Whether the spec gives invalid requests a status: 400, 422, a 4XX range or a default."""
    return any(status.upper() in ("400", "422", "4XX", "DEFAULT") for status in responses)


def _answers_200_undeclared(responses: dict[str, list[str]]) -> bool:
    """Whether the route answers 200 though the spec declares no 200 (lower._pick_success): no 2xx and
    a `2XX` range, or no 3xx and a `default` or no 4xx/5xx either."""
    codes = {status[0] for status in responses if re.fullmatch(r"[1-5]\d\d", status)}
    keys = {status.upper() for status in responses}
    if "2" in codes:
        return False
    return "2XX" in keys or ("3" not in codes and ("DEFAULT" in keys or not codes & {"4", "5"}))


def compare(spec: dict[str, Any], served: dict[str, Any]) -> list[str]:
    """Every difference, one line each; empty when the served document keeps the contract.

    Some additions are expected, not differences, because the app really sends them and a served
    document that hid them would be worse: 413 for a request body over create_app(max_body_bytes=...);
    FastAPI's 422 where the spec gives invalid requests no status; and 200 where the route answers 200
    for a `2XX` range or a `default` response, or because the spec declares no status to answer."""
    want, got = operation_facts(spec), operation_facts(served)
    for label, facts in got.items():
        expected = want.get(label)
        if expected is None:
            continue
        added = {"413"} if facts["requestBody"] else set()
        if not _declares_client_errors(expected["responses"]):
            added.add("422")
        if _answers_200_undeclared(expected["responses"]):
            added.add("200")
        added -= set(expected["responses"])
        facts["responses"] = {k: v for k, v in facts["responses"].items() if k not in added}
    problems = [f"{label}: in the spec, not served" for label in sorted(set(want) - set(got))]
    problems += [f"{label}: served, not in the spec" for label in sorted(set(got) - set(want))]
    for label in sorted(set(want) & set(got)):
        for fact, expected in want[label].items():
            actual = got[label].get(fact)
            if actual != expected:
                problems.append(f"{label}: {fact} differs: spec {expected!r}, served {actual!r}")
    return problems
