"""The benchmark's three outputs from one results dict: markdown tables, JSON and a PNG chart.

The results dict (built by ``evals.runner``) holds ``stamp`` (index manifest hash, git commit,
time, question file, question count), ``configs`` and ``types`` (in order), ``summary``
(config -> metric -> value), ``by_type`` (config -> type -> metric -> value) and ``questions``
(one record per configuration and question). A value of ``None`` means "does not apply" (no
question of that kind in the group) and shows as "n/a".
"""

from __future__ import annotations

import json
from pathlib import Path

# (key, column header, number format); the runner fills these keys.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("n", "n", "{:d}"),
    ("evidence_recall_at_5", "Evidence R@5", "{:.3f}"),
    ("evidence_recall_400w", "Evidence R@400w", "{:.3f}"),
    ("mrr_at_10", "MRR@10", "{:.3f}"),
    ("ndcg_at_10", "nDCG@10", "{:.3f}"),
    ("document_recall", "Doc recall", "{:.3f}"),
    ("fact_recall", "Fact recall", "{:.3f}"),
    ("citation_precision", "Citation precision", "{:.3f}"),
    ("correct_abstention", "Correct abstention", "{:.3f}"),
    ("false_abstention", "False abstention", "{:.3f}"),
    ("latency_p50_ms", "p50 ms", "{:.1f}"),
    ("latency_p95_ms", "p95 ms", "{:.1f}"),
)
# Shown in the chart's upper panel: all scores in [0, 1].
CHART_METRICS: tuple[str, ...] = (
    "evidence_recall_at_5", "evidence_recall_400w", "mrr_at_10", "ndcg_at_10",
    "fact_recall", "citation_precision", "correct_abstention", "false_abstention",
)
CONFIG_LABELS = {
    "bm25": "BM25 only", "dense": "dense only", "hybrid": "hybrid", "full": "full system", "fitted": "fitted ranker",
    "naive": "naive baseline (1024-token windows, dense top-5)",
}
_HEADERS = {key: header for key, header, _ in COLUMNS}


def format_value(value: float | int | None, fmt: str) -> str:
    """A table cell: the number formatted, or "n/a" for a metric that does not apply."""
    if value is None:
        return "n/a"
    return fmt.format(int(value)) if fmt == "{:d}" else fmt.format(float(value))


def stamp_line(stamp: dict) -> str:
    """One line naming what was measured: index hash, commit, time, question file."""
    return (f"index `{stamp['index_hash']}` · commit `{stamp['git_commit']}` · {stamp['created']} · "
            f"{stamp['n_questions']} questions from `{stamp['questions']}`")


def markdown_table(first_header: str, rows: list[tuple[str, dict]]) -> str:
    """A markdown table: one row per ``(label, metrics)``, one column per entry of COLUMNS."""
    head = "| " + " | ".join([first_header] + [h for _, h, _ in COLUMNS]) + " |"
    rule = "|" + "|".join(["---"] + ["---:"] * len(COLUMNS)) + "|"
    body = [
        "| " + " | ".join([label] + [format_value(m.get(k), fmt) for k, _, fmt in COLUMNS]) + " |"
        for label, m in rows
    ]
    return "\n".join([head, rule, *body])


def markdown_report(results: dict) -> str:
    """The whole report: all questions, then a table per question type and per configuration."""
    configs, types = results["configs"], results["types"]
    parts = [
        "# reportqa benchmark",
        "",
        stamp_line(results["stamp"]),
        "",
        "Definitions of every column: docs/evaluation.md. n/a: no question in the group the metric applies to.",
        "",
        "## All questions",
        "",
        markdown_table("configuration", [(c, results["summary"][c]) for c in configs]),
    ]
    parts += ["", "## By question type"]
    for t in types:
        rows = [(c, results["by_type"][c][t]) for c in configs if t in results["by_type"][c]]
        if rows:
            parts += ["", f"### {t}", "", markdown_table("configuration", rows)]
    parts += ["", "## By configuration"]
    for c in configs:
        rows = [(t, results["by_type"][c][t]) for t in types if t in results["by_type"][c]]
        rows.append(("all", results["summary"][c]))
        parts += ["", f"### {c} — {CONFIG_LABELS.get(c, c)}", "", markdown_table("question type", rows)]
    return "\n".join(parts) + "\n"


def results_json(results: dict) -> str:
    """The results as indented JSON (NaN never appears: missing values are null)."""
    return json.dumps(results, indent=2, ensure_ascii=False, allow_nan=False)


def chart_figure(results: dict):
    """A two-panel matplotlib Figure: the [0, 1] metrics per configuration, and latency."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    configs = results["configs"]
    fig = Figure(figsize=(12, 8), layout="constrained")
    top, bottom = fig.subplots(2, 1, height_ratios=[3, 1.4])
    width = 0.8 / max(1, len(configs))
    for i, c in enumerate(configs):
        vals = [results["summary"][c].get(m) for m in CHART_METRICS]
        xs = [j + (i - (len(configs) - 1) / 2) * width for j in range(len(CHART_METRICS))]
        top.bar(xs, [v if v is not None else 0.0 for v in vals], width, label=c)
    top.set_xticks(range(len(CHART_METRICS)), [_HEADERS[m] for m in CHART_METRICS], rotation=15)
    top.set_ylim(0, 1.18)
    top.set_ylabel("score (false abstention: lower is better)")
    top.legend(ncols=len(configs), loc="upper center", fontsize="small")
    top.grid(axis="y", alpha=0.3)
    p50 = [results["summary"][c].get("latency_p50_ms") or 0.0 for c in configs]
    p95 = [results["summary"][c].get("latency_p95_ms") or 0.0 for c in configs]
    ys = range(len(configs))
    bottom.barh([y + 0.2 for y in ys], p50, 0.4, label="p50")
    bottom.barh([y - 0.2 for y in ys], p95, 0.4, label="p95")
    bottom.set_yticks(list(ys), configs)
    bottom.invert_yaxis()
    bottom.set_xlabel("latency per question (ms)")
    bottom.legend(loc="lower right", fontsize="small")
    fig.suptitle(f"reportqa benchmark\n{stamp_line(results['stamp']).replace('`', '')}", fontsize="medium")
    return fig


def write_reports(results: dict, out_dir: Path) -> dict[str, Path]:
    """Write ``report.md``, ``results.json`` and ``chart.png`` into ``out_dir``; returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"markdown": out_dir / "report.md", "json": out_dir / "results.json", "chart": out_dir / "chart.png"}
    paths["markdown"].write_text(markdown_report(results), encoding="utf-8")
    paths["json"].write_text(results_json(results), encoding="utf-8")
    stamp = results["stamp"]
    chart_figure(results).savefig(paths["chart"], dpi=110, metadata={
        "Title": "reportqa benchmark",
        "Description": f"index {stamp['index_hash']} commit {stamp['git_commit']}",
    })
    return paths
