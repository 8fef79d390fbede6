"""The comparison chart of `make bench` (matplotlib, Agg backend): var/bench.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import ScalarFormatter

COLORS = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c"]


def _bars(ax: Axes, groups: list[str], series: dict[str, list[float | None]], ylabel: str, *, log: bool) -> None:
    """Grouped bars; a None value (a failed run) is marked 'failed' instead of a bar."""
    width = 0.8 / max(len(series), 1)
    for i, (name, values) in enumerate(series.items()):
        labelled = False
        for j, value in enumerate(values):
            x = j + (i - (len(series) - 1) / 2) * width
            if value is None:
                ax.text(
                    x,
                    0.02,
                    "failed",
                    rotation=90,
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    transform=ax.get_xaxis_transform(),
                )
            else:
                ax.bar(x, value, width, color=COLORS[i % len(COLORS)], label=None if labelled else name)
                labelled = True
    ax.set_xticks(range(len(groups)), groups, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    if log:
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.legend(fontsize=7)
    ax.tick_params(axis="y", labelsize=8)


def draw(report: dict[str, Any], out: Path) -> None:
    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    generation = report.get("generation", {})
    if "results" in generation:
        specs = [s["key"] for s in generation["specs"]]
        labels = [s["label"] for s in generation["specs"]]
        tools = generation["tools"]
        found = {(r["spec"], r["tool"]): r for r in generation["results"]}
        for ax, key, ylabel in (
            (axes[0][0], "wall_s", "wall time, s (log)"),
            (axes[0][1], "peak_mb", "peak memory, MB (log)"),
        ):
            series = {t["label"]: [found.get((s, t["key"]), {}).get(key) for s in specs] for t in tools}
            _bars(ax, labels, series, ylabel, log=True)
        axes[0][0].set_title("Generation: wall time", fontsize=10)
        axes[0][1].set_title("Generation: peak memory", fontsize=10)
    http = report.get("throughput", {})
    if "results" in http:
        endpoints = list(http["work"])
        series = {app: [http["results"][app][e]["rps"] for e in endpoints] for app in http["results"]}
        _bars(axes[1][0], endpoints, series, "requests/s (median)", log=False)
        axes[1][0].set_title("Runtime throughput, one uvicorn worker", fontsize=10)
    sse = report.get("sse", {})
    if "results" in sse:
        servers = [r for r in sse["results"].values() if "failed" not in r]
        names = [r["label"].split(" (")[0] for r in servers]
        series = {
            "KB per idle stream": [r["kb_per_idle_stream"] for r in servers],
            "p99 event latency, ms": [r["latency_p99_ms"] for r in servers],
        }
        _bars(axes[1][1], names, series, "KB / ms", log=False)
        streams = max(r["opened"] for r in servers) if servers else 0
        axes[1][1].set_title(f"SSE: {streams:,} streams on one process", fontsize=10)
    for row in axes:
        for ax in row:
            if not ax.has_data():
                ax.text(0.5, 0.5, "not measured", ha="center", va="center", transform=ax.transAxes)
    fig.suptitle("apigen `make bench` (lower is better, except requests/s)", fontsize=11)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100)
    plt.close(fig)
