"""The collection benchmark: alternatives count, the abstention bar is chosen out of report,
and ``reportqa eval --collection`` writes one report with the headline figures."""

from __future__ import annotations

import json
import shutil

import pytest

from evals import metrics
from evals.loro import choose, figures, utility
from evals.questions import Evidence, Question
from evals.suite_report import gap, headline_rows, markdown_suite

GOLD = [Evidence("annual.pdf", "the independent advisor was kay whyte-bell this year",
                 also=(Evidence("cabinet.pdf", "assessment from the independent advisor kay whyte-bell"),))]


def cite(source, text):
    return {"source": source, "text": text, "quote": text}


@pytest.mark.parametrize("cites, recalled", [
    ([cite("annual.pdf", "so the independent advisor was kay whyte-bell this year")], 1.0),
    ([cite("cabinet.pdf", "an assessment from the independent advisor kay whyte-bell")], 1.0),
    ([cite("cabinet.pdf", "the independent advisor was kay whyte-bell this year")], 0.0),  # other doc's quote
    ([cite("other.pdf", "the independent advisor was kay whyte-bell this year")], 0.0),
])
def test_an_alternative_quote_counts_only_from_its_own_document(cites, recalled):
    assert metrics.evidence_recall_within_words(cites, GOLD, 400) == recalled
    assert metrics.evidence_recall_at_k(cites, GOLD, 5) == recalled
    assert metrics.citation_precision(cites, GOLD, []) == recalled


def test_document_recall_counts_the_right_report_whatever_the_passage():
    assert metrics.document_recall([cite("cabinet.pdf", "anything")], GOLD) == 1.0
    assert metrics.document_recall([cite("x.pdf", "a")] * 5 + [cite("annual.pdf", "b")], GOLD, k=5) == 0.0
    assert metrics.document_recall([], []) is None


def q(qid, answerable=True):
    return Question(qid, "?", "factoid" if answerable else "unanswerable", "a", ("x",) if answerable else (),
                    tuple(GOLD) if answerable else ())


HIT = {"answerable": True, "answer": "kay whyte-bell", "citations": [cite("annual.pdf", "the independent advisor was kay whyte-bell this year")]}
NO = {"answerable": False, "answer": "The reports do not say.", "citations": []}


def test_the_bar_is_chosen_by_utility_ties_nearest_the_bar_in_use():
    qs = [q("a"), q("u", answerable=False)]
    # Only bars >= 0.25 abstain on the unanswerable one, and 0.3 also abstains on the answerable one.
    responses = {t: {"a": HIT if t < 0.3 else NO, "u": HIT if t < 0.25 else NO} for t in (0.1, 0.15, 0.2, 0.25, 0.3)}
    assert choose(qs, responses) == {"threshold": 0.25, "utility": 1.0, "n": 2}
    assert choose([q("a")], responses)["threshold"] == 0.2  # tie 0.1-0.25: nearest the bar in use
    assert utility(q("u", answerable=False), NO) == 1.0 and utility(q("a"), NO) == 0.0
    fig = figures([(q("a"), HIT), (q("u", answerable=False), NO)])
    assert fig["evidence_recall_400w"] == 1.0 and fig["correct_abstention"] == 1.0 and fig["false_abstention"] == 0.0


def _summary(r400):
    return {"n": 2, "evidence_recall_400w": r400, "fact_recall": r400}


def test_headline_has_the_gap_and_the_margin_over_bm25_window():
    results = {
        "stamp": {"git_commit": "abc", "created": "t", "collection": "all"}, "configs": ["full", "bm25-window"],
        "collections": {
            "bundled": {"summary": {"train": {"full": _summary(0.9), "bm25-window": _summary(0.6)},
                                    "test": {"full": _summary(0.7), "bm25-window": _summary(0.65)}},
                        "by_type": {"train": {}, "test": {}}, "n_documents": 5, "index_hash": "h", "splits": {"train": 2, "test": 2},
                        "consistency": {"full": {"n": 4, "consistency": 0.75, "by_kind": {"lower": {"n": 4, "consistency": 0.75}}, "worst": []}}},
        },
    }
    assert gap(results) == pytest.approx(0.2)
    rows = {r["split"]: r for r in headline_rows(results)}
    assert rows["test"]["margin"] == pytest.approx(0.05) and rows["test"]["consistency"] == 0.75
    assert rows["train"]["consistency"] is None  # rephrasings are measured on test questions only
    text = markdown_suite(results)
    assert "Generalisation gap (train − test R@400w, full system): +0.200" in text
    assert "| bundled | test | 2 | 0.700 |" in text and "+0.050" in text


def test_eval_collection_hartwell_writes_one_report(tmp_path, bundled_index_dir, two_partnership_dir, monkeypatch):
    """The real run, with plain BM25 only so that it stays quick: both indexes exist already."""
    from typer.testing import CliRunner

    from api.cli import app

    base = tmp_path / "index"
    shutil.copytree(bundled_index_dir, base)
    shutil.copytree(two_partnership_dir, tmp_path / "index+hartwell")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["eval", "--collection", "hartwell", "--config", "bm25-window",
                                      "--index", str(base), "--out", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "results.json").read_text())
    col = data["collections"]["hartwell"]
    assert col["n_documents"] == 8 and col["splits"] == {"test": 60}
    s = col["summary"]["test"]["bm25-window"]
    assert s["n"] == 60 and 0.3 < s["evidence_recall_400w"] <= 1.0 and s["false_abstention"] == 0.0
    cons = col["consistency"]["bm25-window"]
    assert cons["n"] > 200 and 0.0 < cons["consistency"] <= 1.0 and "lower" in cons["by_kind"]
    report = (out / "report.md").read_text()
    assert "## Headline" in report and "| hartwell | test | 60 |" in report and (out / "chart.png").stat().st_size > 10_000
    bad = CliRunner().invoke(app, ["eval", "--collection", "nowhere", "--index", str(base), "--out", str(out)])
    assert bad.exit_code != 0 and "unknown collection 'nowhere'" in bad.output
