"""The report of ``reportqa eval --collection``: one markdown file, its JSON and a chart.

Headline first: for each collection and split, the full system beside the ``bm25-window``
baseline, the margin between them, consistency across rephrasings, and the generalisation
gap (train minus test R@400w on the bundled questions). Then, per collection and split, every
configuration, every question type, the rephrasing kinds, the worst variants and the
leave-one-report-out figures.
"""

from __future__ import annotations

import json
from pathlib import Path

from evals.report import format_value, markdown_table

FULL, WINDOW = "full", "bm25-window"
HEADLINE = (
    ("evidence_recall_400w", "R@400w"), ("document_recall", "Doc recall"), ("fact_recall", "Fact recall"),
    ("citation_precision", "Citation precision"), ("correct_abstention", "Correct abstention"),
    ("false_abstention", "False abstention"), ("latency_p95_ms", "p95 ms"),
)


def _f(value, fmt: str = "{:.3f}") -> str:
    return format_value(value, fmt)


def gap(results: dict) -> float | None:
    """Train minus test R@400w of the full system on the bundled questions (None if absent)."""
    s = results["collections"].get("bundled", {}).get("summary", {})
    try:
        return s["train"][FULL]["evidence_recall_400w"] - s["test"][FULL]["evidence_recall_400w"]
    except (KeyError, TypeError):
        return None


def headline_rows(results: dict) -> list[dict]:
    """One row per (collection, split): the full system's figures and the baseline margin."""
    rows = []
    for name, col in results["collections"].items():
        for split, by_config in col["summary"].items():
            full, window = by_config.get(FULL, {}), by_config.get(WINDOW, {})
            r_full, r_win = full.get("evidence_recall_400w"), window.get("evidence_recall_400w")
            cons = col.get("consistency", {}).get(FULL, {}).get("consistency") if split != "train" else None
            rows.append({"collection": name, "split": split, "n": full.get("n") or window.get("n"),
                         **{k: full.get(k) for k, _ in HEADLINE}, "window_r400": r_win,
                         "margin": (r_full - r_win) if r_full is not None and r_win is not None else None,
                         "consistency": cons})
    return rows


def headline_table(results: dict) -> str:
    head = ["collection", "split", "n", *(h for _, h in HEADLINE), "bm25-window R@400w", "full − bm25-window", "Consistency"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|"]
    for r in headline_rows(results):
        cells = [r["collection"], r["split"], str(r["n"] or "")]
        cells += [_f(r[k], "{:.1f}" if k.endswith("_ms") else "{:.3f}") for k, _ in HEADLINE]
        cells += [_f(r["window_r400"]), _f(r["margin"], "{:+.3f}"), _f(r["consistency"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _collection_section(name: str, col: dict, configs: list[str]) -> list[str]:
    parts = ["", f"## Collection `{name}`", "",
             f"{col['n_documents']} documents indexed (index `{col['index_hash']}`); questions per split: "
             + ", ".join(f"{k} {v}" for k, v in col["splits"].items()) + "."]
    for split, by_config in col["summary"].items():
        rows = [(c, by_config[c]) for c in configs if c in by_config]
        parts += ["", f"### {name} · {split} · every configuration", "", markdown_table("configuration", rows)]
        for c in (FULL, WINDOW):
            types = col["by_type"][split].get(c)
            if types:
                parts += ["", f"#### {name} · {split} · {c} by question type", "",
                          markdown_table("question type", [*types.items(), ("all", by_config[c])])]
    for c, cons in col.get("consistency", {}).items():
        parts += ["", f"### {name} · test · consistency across rephrasings · {c}", "",
                  f"{_f(cons['consistency'])} of {cons['n']} variants keep the original's first-citation evidence.", "",
                  "| variant kind | n | consistency |", "|---|---:|---:|"]
        parts += [f"| {k} | {v['n']} | {_f(v['consistency'])} |" for k, v in cons["by_kind"].items()]
        if cons["worst"]:
            parts += ["", "Worst variants (the original's first citation held gold evidence that the variant's lost, first):", "",
                      "| id | kind | variant | original first | variant first |", "|---|---|---|---|---|"]
            parts += [f"| {w['id']} | {w['kind']} | {w['variant'].replace('|', '/')} | {w['original_first']} | "
                      f"{w['variant_first']} ({w['variant_citation']}) |" for w in cons["worst"]]
    loro = col.get("loro")
    if loro:
        parts += ["", f"### {name} · the abstention bar chosen out of report", "",
                  f"In use: {loro['in_use']}. Chosen on the bundled train questions: {loro['train_choice']['threshold']} "
                  f"(mean utility {_f(loro['train_choice']['utility'])} over {loro['train_choice']['n']})."]
        if loro["folds"]:
            parts += ["", "| left-out report | bar chosen without it | train questions chosen on | questions scored |",
                      "|---|---:|---:|---:|"]
            parts += [f"| {r} | {f['threshold']} | {f['n']} | {f['scored']} |" for r, f in loro["folds"].items()]
        parts += ["", "| bar | n | R@400w | Fact recall | Correct abstention | False abstention |", "|---|---:|---:|---:|---:|---:|"]
        for label, fig in (("chosen out of report", loro["chosen_out_of_report"]), (f"in use ({loro['in_use']})", loro["in_use_figures"])):
            parts.append(f"| {label} | {fig['n']} | {_f(fig['evidence_recall_400w'])} | {_f(fig['fact_recall'])} | "
                         f"{_f(fig['correct_abstention'])} | {_f(fig['false_abstention'])} |")
    return parts


def markdown_suite(results: dict) -> str:
    stamp = results["stamp"]
    g = gap(results)
    parts = ["# reportqa benchmark: train, test and other partnerships", "",
             f"commit `{stamp['git_commit']}` · {stamp['created']} · `reportqa eval --collection {stamp['collection']}`", "",
             "Definitions: docs/evaluation.md. Rules, constants and fitted weights are chosen on `train` only; "
             "`test` and every other collection are never tuned on.", "",
             f"**Generalisation gap (train − test R@400w, full system): {_f(g, '{:+.3f}')}**", "",
             "## Headline: the full system against plain BM25 over 160-word windows", "", headline_table(results)]
    for name, col in results["collections"].items():
        parts += _collection_section(name, col, results["configs"])
    return "\n".join(parts) + "\n"


def chart(results: dict):
    """R@400w of each configuration for each collection and split, and the full system's
    consistency; the title carries the generalisation gap."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    groups = [(n, s) for n, col in results["collections"].items() for s in col["summary"] if s != "all"]
    configs = results["configs"]
    fig = Figure(figsize=(12, 7), layout="constrained")
    top, bottom = fig.subplots(2, 1, height_ratios=[3, 1.3])
    width = 0.8 / max(1, len(configs))
    for i, c in enumerate(configs):
        vals = [results["collections"][n]["summary"][s].get(c, {}).get("evidence_recall_400w") or 0.0 for n, s in groups]
        xs = [j + (i - (len(configs) - 1) / 2) * width for j in range(len(groups))]
        top.bar(xs, vals, width, label=c)
    top.set_xticks(range(len(groups)), [f"{n}\n{s}" for n, s in groups])
    top.set_ylim(0, 1.1)
    top.set_ylabel("evidence recall within 400 words")
    top.legend(ncols=len(configs), loc="upper center", fontsize="small")
    top.grid(axis="y", alpha=0.3)
    cons = [(n, c, results["collections"][n]["consistency"][c]["consistency"] or 0.0)
            for n in results["collections"] for c in results["collections"][n].get("consistency", {})]
    bottom.barh(range(len(cons)), [v for *_, v in cons])
    bottom.set_yticks(range(len(cons)), [f"{n} · {c}" for n, c, _ in cons])
    bottom.set_xlim(0, 1)
    bottom.set_xlabel("consistency across rephrasings (test questions)")
    g = gap(results)
    fig.suptitle(f"reportqa: train vs test vs other partnerships — generalisation gap (train − test R@400w) "
                 f"{_f(g, '{:+.3f}')}\ncommit {results['stamp']['git_commit']}", fontsize="medium")
    return fig


def write_suite(results: dict, out_dir: Path) -> dict[str, Path]:
    """Write ``report.md``, ``results.json`` and ``chart.png`` into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"markdown": out_dir / "report.md", "json": out_dir / "results.json", "chart": out_dir / "chart.png"}
    paths["markdown"].write_text(markdown_suite(results), encoding="utf-8")
    paths["json"].write_text(json.dumps(results, indent=2, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    chart(results).savefig(paths["chart"], dpi=110)
    return paths
