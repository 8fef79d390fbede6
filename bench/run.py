"""`make bench`: apigen next to its competitors, measured in one run.

1. generation (wall, CPU, peak memory) on a small, a medium and the GitHub spec, alternating tools;
   apigen's no-op regeneration; the targets printed OK/OVER
2. runtime throughput of the generated app vs a hand-written FastAPI app (and Connexion)
3. SSE: memory per idle stream and p99 event latency, FastAPI + sse-starlette vs Express
4. TypeScript client bundle sizes (bench/client_size.mjs)

Prints Markdown tables, writes var/bench.json, var/bench.md and var/bench.png. Knobs (environment):
BENCH_REPS (5), BENCH_GITHUB_REPS (3, but none starts after BENCH_GITHUB_BUDGET_S=300 s on GitHub),
BENCH_HTTP_SECONDS (5), BENCH_HTTP_REPS (5),
BENCH_SSE_STREAMS (1000), BENCH_SSE_REPS (3), BENCH_ONLY (comma list of gen,http,sse,size).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import chart, envs, gen, sse_bench, throughput
from bench.measure import last_line

VAR = envs.ROOT / "var"
GITHUB_WALL_S, GITHUB_PEAK_MB, NOOP_S, SMALL_S, RUNTIME_RATIO = 12.0, 1024.0, 0.5, 1.0, 0.95


def log(line: str) -> None:
    print(line, flush=True)


def verdict(ok: bool, floor: bool = False) -> str:
    return "OK" if ok else ("UNDER" if floor else "OVER")


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(r: list[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"

    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *(line(r) for r in rows)])


def generation_tables(data: dict[str, Any]) -> str:
    labels = {t["key"]: t for t in data["tools"]}
    specs = {s["key"]: s["label"] for s in data["specs"]}
    rows = []
    by_spec: dict[str, dict[str, dict[str, Any]]] = {}
    for r in data["results"]:
        by_spec.setdefault(r["spec"], {})[r["tool"]] = r
    for spec, tools in by_spec.items():
        mine = tools.get("apigen", {})
        for key, r in tools.items():
            label = labels[key]["label"]
            if "failed" in r:
                rows.append([specs[spec], label, "FAILED", "", "", "", r["failed"][:90]])
                continue
            ratio = ""
            if key != "apigen" and "failed" not in mine:
                ratio = " / ".join(f"{mine[k] / r[k]:.2f}x" for k in ("wall_s", "cpu_s", "peak_mb"))
            rows.append(
                [specs[spec], label, f"{r['wall_s']:.2f}", f"{r['cpu_s']:.2f}", f"{r['peak_mb']:.0f}", ratio, ""]
            )
    out = "### Generation (median of the runs; apigen writes Python and TypeScript, each competitor one side)\n\n"
    out += table(
        ["spec", "tool", "wall s", "CPU s", "peak MB", "apigen/tool (wall / CPU / peak)", "failure"],
        rows,
    )
    targets = []
    results = {(r["spec"], r["tool"]): r for r in data["results"]}
    github = results.get(("github", "apigen"), {})
    if "wall_s" in github:
        targets.append(
            [
                "GitHub end to end",
                f"<= {GITHUB_WALL_S:g} s wall, <= 1 GB peak",
                f"{github['wall_s']:.1f} s, {github['peak_mb']:.0f} MB",
                verdict(github["wall_s"] <= GITHUB_WALL_S and github["peak_mb"] <= GITHUB_PEAK_MB),
            ]
        )
    else:
        targets.append(["GitHub end to end", "<= 12 s wall, <= 1 GB peak", github.get("failed", "not run"), "OVER"])
    small = results.get(("small", "apigen"), {})
    if "wall_s" in small:
        targets.append(
            [
                "small spec from scratch",
                f"<= {SMALL_S:g} s",
                f"{small['wall_s']:.2f} s",
                verdict(small["wall_s"] <= SMALL_S),
            ]
        )
    for r in data["noop"]:
        if "wall_s" in r:
            targets.append(
                [
                    f"no-op regeneration ({specs[r['spec']]})",
                    f"<= {NOOP_S:g} s",
                    f"{r['wall_s']:.2f} s",
                    verdict(r["wall_s"] <= NOOP_S),
                ]
            )
    out += "\n\n### Generation targets (apigen)\n\n" + table(["target", "goal", "measured", ""], targets)
    return out


def throughput_table(data: dict[str, Any]) -> str:
    res = data["results"]
    rows = []
    for endpoint in throughput.WORK:
        gen_rps = res["generated"][endpoint]["rps"]
        hand_rps = res["hand-written"][endpoint]["rps"]
        paired = data["ratios"][endpoint]
        ratio = statistics.median(paired)
        rows.append(
            [
                endpoint,
                f"{gen_rps:.0f}",
                f"{hand_rps:.0f}",
                f"{res['connexion'][endpoint]['rps']:.0f}",
                f"{ratio:.2f}x ({' / '.join(f'{r:.2f}' for r in paired)})",
                f">= {RUNTIME_RATIO}x {verdict(ratio >= RUNTIME_RATIO, floor=True)}",
                " / ".join(f"{res[a][endpoint]['p99_ms']:.0f}" for a in ("generated", "hand-written", "connexion")),
            ]
        )
    out = f"### Runtime throughput (req/s, median; {data['load']})\n\n"
    out += table(
        [
            "endpoint",
            "generated",
            "hand-written",
            "Connexion",
            "generated/hand-written (per repetition)",
            "target",
            "p99 ms (g/h/c)",
        ],
        rows,
    )
    out += "\n\nSame work in every app, over one in-memory fake (bench/apps/fake.py):\n"
    out += "".join(f"- {k}: {v}\n" for k, v in data["work"].items())
    out += "".join(f"- {k}: {v}\n" for k, v in data["apps"].items())
    for app, problems in data["smoke_problems"].items():
        for problem in problems:
            out += f"- note: {app} answers {problem}\n"
    return out


def sse_table(data: dict[str, Any]) -> str:
    rows = []
    for r in data["results"].values():
        if "failed" in r:
            rows.append([r["label"], "FAILED", "", "", "", r["failed"]])
        else:
            rows.append(
                [
                    r["label"],
                    f"{r['kb_per_idle_stream']:.1f}",
                    f"{r['latency_p50_ms']:.1f}",
                    f"{r['latency_p99_ms']:.1f}",
                    str(r["opened"]),
                    str(r["events_lost"]),
                ]
            )
    out = f"### SSE ({data['setup']})\n\n"
    return out + table(["server", "KB / idle stream", "p50 ms", "p99 ms", "streams open", "events lost"], rows)


def size_table(rows: list[dict[str, str]]) -> str:
    out = "### TypeScript client size (esbuild, ESM, minified; gzip -9)\n\n"
    return out + table(
        ["bundle", "min", "min+gzip", "note"], [[r["bundle"], r["min"], r["gzip"], r["note"]] for r in rows]
    )


def client_sizes(work: Path, log: Callable[[str], None]) -> list[dict[str, str]]:
    out = work / "client_size.json"
    done = subprocess.run(
        ["node", envs.ROOT / "bench" / "client_size.mjs", "--json", out],
        cwd=envs.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"client_size.mjs: {last_line(done.stderr or done.stdout)}")
    rows: list[dict[str, str]] = json.loads(out.read_text())
    return rows


def generation(work: Path, log: Callable[[str], None]) -> dict[str, Any]:
    results, noop = gen.bench(work, log)
    return {
        "command": ".venv/bin/python -m generator generate SPEC --out DIR --package api",
        "specs": [{"key": s.key, "label": s.label, "file": s.path.name, "reps": s.reps} for s in gen.specs()],
        "tools": [{"key": t.key, "label": t.label, "produces": t.produces} for t in gen.tools()],
        "results": [r.as_json() for r in results],
        "noop": [r.as_json() for r in noop],
    }


def main() -> int:
    started = time.monotonic()
    work = VAR / "bench" / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    only = set(filter(None, os.environ.get("BENCH_ONLY", "gen,http,sse,size").split(",")))
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    sections: list[tuple[str, str, Callable[[Path, Callable[[str], None]], Any], Callable[[Any], str]]] = [
        ("gen", "generation", generation, generation_tables),
        ("http", "throughput", throughput.bench, throughput_table),
        ("sse", "sse", sse_bench.bench, sse_table),
        ("size", "client_size", client_sizes, size_table),
    ]
    texts = []
    for key, name, measure, render in sections:
        if key not in only:
            continue
        log(f"bench: {name} ...")
        t0 = time.monotonic()
        try:
            report[name] = measure(work, log)
            texts.append(render(report[name]))
        except Exception as exc:  # one broken section must not hide the others
            traceback.print_exc()
            report[name] = {"failed": f"{type(exc).__name__}: {exc}"}
            texts.append(f"### {name}\n\nFAILED: {type(exc).__name__}: {exc}")
        log(f"bench: {name} took {time.monotonic() - t0:.0f} s")
    report["duration_s"] = round(time.monotonic() - started, 1)
    (VAR / "bench.json").write_text(json.dumps(report, indent=1) + "\n")
    markdown = "\n\n".join(texts) + f"\n\n`make bench` took {report['duration_s']:.0f} s on {os.cpu_count()} CPUs.\n"
    (VAR / "bench.md").write_text(markdown)
    chart.draw(report, VAR / "bench.png")
    print("\n" + markdown)
    print("wrote var/bench.json, var/bench.md, var/bench.png")
    failed = [name for _, name, _, _ in sections if isinstance(report.get(name), dict) and "failed" in report[name]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
