"""docs/performance.md from the scale benchmark's results: table, chart and extrapolation."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import numpy as np

TARGETS = {  # issue 13's targets on this 2-core machine
    "bundled_s": 30, "pages_per_s": 4, "growth": 1.2, "filtered_p95": 400, "nofilter_p95": 800,
    "server_gb": 4, "load_s": 15, "quality_drop": 0.03, "add_one_s": 30,
}


def machine() -> str:
    mem = ""
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 2**20:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    cpu = platform.processor() or platform.machine()
    return f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def _f(x, nd=1) -> str:
    return "–" if x is None else f"{x:,.{nd}f}"


def rows(result: dict) -> list[dict]:
    """One flat row per size: the figures the table and chart show."""
    out = []
    total_pages = total_s = 0.0
    for step in result["steps"]:
        ing, srv = step["ingest"], step["serve"]
        total_pages += ing["pages"]
        total_s += ing["ingest_s"]
        out.append({
            "n": step["n"], "documents": ing["documents"], "chunks": ing["chunks"], "sentences": ing["sentences"],
            "step_pages": ing["pages"], "step_s": ing["wall_s"],
            "step_pps": ing["pages"] / ing["wall_s"], "s_per_page": ing["ingest_s"] / max(ing["pages"], 1),
            "total_pages": total_pages, "total_s": total_s, "stages": ing["stages"],
            "ingest_peak_mb": ing["peak_mb"] + ing["worker_peak_mb"], "disk_mb": step["disk_mb"],
            "load_s": step["load"]["load_s"], "server_mb": srv["server_peak_mb"],
            "nofilter_p50": srv["nofilter_p50_ms"], "nofilter_p95": srv["nofilter_p95_ms"],
            "filtered_p50": srv["filtered_p50_ms"], "filtered_p95": srv["filtered_p95_ms"],
            "r400w": srv["nofilter_r400w"], "r400w_filtered": srv["filtered_r400w"],
            "first_ask_ms": srv.get("first_ask_ms"), "ready_s": srv["server_ready_s"],
            "partial": bool(ing.get("partial")),
        })
    return out


def chart(table: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = [r["n"] for r in table]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    a.plot(n, [r["total_s"] / 60 for r in table], "o-", label="ingest, cumulative (min)")
    a.plot(n, [r["load_s"] for r in table], "s-", label="index load (s)")
    a.plot(n, [r["nofilter_p95"] / 1000 for r in table], "^-", label="/api/ask p95, no filter (s)")
    a.set_xlabel("reports beside Hartwell's 3")
    a.set_title("time")
    a.legend(fontsize=8)
    b.plot(n, [r["server_mb"] for r in table], "o-", label="server peak RSS")
    b.plot(n, [r["ingest_peak_mb"] for r in table], "s-", label="ingest peak RSS (main + worker)")
    b.plot(n, [r["disk_mb"] for r in table], "^-", label="index on disk")
    b.set_xlabel("reports beside Hartwell's 3")
    b.set_ylabel("MB")
    b.set_title("memory and disk")
    b.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def extrapolate(table: list[dict], reports: int) -> dict:
    """Linear fits against the number of reports (pages per report as measured)."""
    n = np.array([r["n"] for r in table], dtype=float)

    def fit(key: str) -> float:
        y = np.array([r[key] for r in table], dtype=float)
        if len(n) < 2:
            return float(y[-1] / n[-1] * reports)
        slope, icpt = np.polyfit(n, y, 1)
        return float(slope * reports + icpt)

    pages_per_report = table[-1]["total_pages"] / table[-1]["n"]
    return {
        "pages": pages_per_report * reports, "disk_mb": fit("disk_mb"), "server_mb": fit("server_mb"),
        "load_s": fit("load_s"), "ingest_h": pages_per_report * reports * np.mean([r["s_per_page"] for r in table]) / 3600,
        "vectors": fit("chunks"), "sentences": fit("sentences"),
    }


def write_report(result: dict, path: Path) -> None:
    """Fill the measured block of ``path`` (between the BEGIN/END markers) and draw the chart."""
    table = rows(result)
    chart(table, path.with_suffix(".png"))
    alone = result["alone"]
    commits = list(dict.fromkeys(st.get("commit", result["commit"]) for st in result["steps"]))
    where = f"commit `{commits[0]}`" if len(commits) <= 1 else "commits " + ", ".join(
        f"`{c}` ({', '.join(str(st['n']) for st in result['steps'] if st.get('commit', result['commit']) == c)})" for c in commits)
    lines = [
        f"Measured at {where} on {result['machine']}; seed {result['seed']}; "
        f"{result['generate_s']:.1f} s to generate {max(result['sizes']) + 1} reports.",
        "",
        "| reports | docs | chunks | sentences | step pages | step s | step pages/s | s/page (ingest) | ingest peak MB | disk MB | load s | server MB | p50 / p95 ms, no filter | p50 / p95 ms, filtered | R@400w | R@400w filtered |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in table:
        lines.append(
            f"| {r['n']}{' (stopped)' if r['partial'] else ''} | {r['documents']} | {r['chunks']:,} | {r['sentences']:,} | {r['step_pages']:,} | {r['step_s']:.0f} | "
            f"{r['step_pps']:.2f} | {r['s_per_page']:.3f} | {r['ingest_peak_mb']:.0f} | {r['disk_mb']:.0f} | {r['load_s']:.1f} | "
            f"{r['server_mb']:.0f} | {r['nofilter_p50']:.0f} / {r['nofilter_p95']:.0f} | {r['filtered_p50']:.0f} / {r['filtered_p95']:.0f} | "
            f"{_f(r['r400w'], 3)} | {_f(r['r400w_filtered'], 3)} |"
        )
    lines += ["", "| reports | server start to first health (s) | first /api/ask after start (ms) |", "|---|---|---|"]
    lines += [f"| {r['n']} | {r['ready_s']:.1f} | {_f(r['first_ask_ms'], 0)} |" for r in table]
    lines += [
        "",
        f"Hartwell alone (3 reports): R@400w {_f(alone['nofilter_r400w'], 3)} (filtered {_f(alone['filtered_r400w'], 3)}), "
        f"p50 / p95 {alone['nofilter_p50_ms']:.0f} / {alone['nofilter_p95_ms']:.0f} ms, server {alone['server_peak_mb']:.0f} MB.",
        "",
        "Seconds by stage in each step (read and clean+chunk are summed over the parsing worker, which runs beside the embedder):",
        "",
        "| reports | read | clean + chunk | embed | write |",
        "|---|---|---|---|---|",
    ]
    for r in table:
        s = r["stages"]
        if s is None:
            lines.append(f"| {r['n']} (stopped; from its saved segments) | – | – | – | – |")
            continue
        lines.append(f"| {r['n']} | {s['read']:.0f} | {s['clean_chunk']:.0f} | {s['embed']:.0f} | {s['write']:.1f} |")
    b = result.get("bundled")
    lines += [""] if b is None else ["", f"The five bundled PDFs ({b['pages']} pages), model load included: {b['wall_s']:.1f} s "
              f"(model {b['model_s']:.1f} s, ingest {b['ingest_s']:.1f} s)."]
    if "add_one" in result:
        a = result["add_one"]
        lines += [f"Adding one report ({a['pages']} pages) to an index of {a['documents'] - 1} documents: {a['wall_s']:.1f} s "
                  f"end to end (model load {a['model_s']:.1f} s, index load, embed and save {a['ingest_s']:.1f} s); "
                  f"removing it: {result['remove_one_s']:.1f} s."]
    if "load_after_save" in result:
        lines += [f"Index load after those saves: {result['load_after_save']['load_s']:.1f} s."]
    if "ann" in result:
        a = result["ann"]
        lines += [f"HNSW (M 32, efSearch 128) over the {a['vectors']:,} chunk vectors: recall@20 {a['recall@20']:.3f}, "
                  f"recall@80 {a['recall@80']:.3f} against exact search; build {a['hnsw_build_s']:.1f} s; median query "
                  f"{a['hnsw_ms']:.2f} ms against {a['exact_ms']:.2f} ms exact. Exact search (matrix product + top 80) over "
                  f"random 384-d vectors: 100k {a['exact_ms_100000']:.1f} ms, 300k {a['exact_ms_300000']:.1f} ms, "
                  f"1M {a['exact_ms_1000000']:.1f} ms per query."]
    lines += ["", "Extrapolated linearly from the measured sizes:", "",
              "| reports | pages | chunk vectors | sentence vectors | disk GB | server GB | index load s | ingest h, 2 cores |",
              "|---|---|---|---|---|---|---|---|"]
    for reports in (1000, 10000):
        e = extrapolate(table, reports)
        lines.append(f"| {reports:,} | {e['pages']:,.0f} | {e['vectors']:,.0f} | {e['sentences']:,.0f} | {e['disk_mb'] / 1024:.1f} | "
                     f"{e['server_mb'] / 1024:.1f} | {e['load_s']:.0f} | {e['ingest_h']:.1f} |")
    block = "\n".join(lines)
    text = path.read_text(encoding="utf-8") if path.is_file() else "<!-- BEGIN MEASURED -->\n<!-- END MEASURED -->\n"
    head, _, rest = text.partition("<!-- BEGIN MEASURED -->")
    _, _, tail = rest.partition("<!-- END MEASURED -->")
    path.write_text(f"{head}<!-- BEGIN MEASURED -->\n{block}\n<!-- END MEASURED -->{tail}", encoding="utf-8")
