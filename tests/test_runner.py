"""The benchmark as a spec: report writers, the naive baseline's windows, and a small end-to-end run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals import baseline
from evals.baseline import BaselineIndex, window_spans
from evals.report import COLUMNS, markdown_report, markdown_table, results_json, write_reports
from ingest.tokens import count_tokens

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "evals" / "questions.jsonl"


def _metrics(n: int, recall: float | None, p50: float) -> dict:
    return {
        "n": n, "evidence_recall_at_5": recall, "evidence_recall_400w": recall, "mrr_at_10": 0.5,
        "ndcg_at_10": 0.25, "fact_recall": None, "citation_precision": 0.75, "correct_abstention": None,
        "false_abstention": 0.0, "latency_p50_ms": p50, "latency_p95_ms": p50 * 2,
    }


@pytest.fixture()
def tiny_results() -> dict:
    return {
        "stamp": {"index_hash": "abc123def456", "git_commit": "f00ba12", "created": "2025-01-01T00:00:00Z",
                  "questions": "tiny.jsonl", "n_questions": 3},
        "configs": ["bm25", "full"],
        "types": ["factual", "unanswerable"],
        "summary": {"bm25": _metrics(3, 0.5, 2.0), "full": _metrics(3, 1.0, 9.5)},
        "by_type": {
            "bm25": {"factual": _metrics(2, 0.5, 2.0), "unanswerable": _metrics(1, None, 1.0)},
            "full": {"factual": _metrics(2, 1.0, 9.0), "unanswerable": _metrics(1, None, 3.0)},
        },
        "questions": [],
    }


# ---- report writers ---------------------------------------------------------------------------
def test_markdown_table_has_a_row_per_entry_and_every_column():
    table = markdown_table("configuration", [("bm25", _metrics(3, 0.5, 2.0)), ("full", _metrics(3, None, 9.5))])
    lines = table.splitlines()
    assert len(lines) == 4
    assert all(line.count("|") == len(COLUMNS) + 2 for line in lines)
    assert lines[2].startswith("| bm25 | 3 | 0.500 | 0.500 | 0.500 | 0.250 | n/a | n/a | 0.750 | n/a | 0.000 | 2.0 | 4.0 |")
    assert "| full | 3 | n/a | n/a |" in lines[3]


def test_markdown_report_has_a_table_per_configuration_and_per_type(tiny_results):
    text = markdown_report(tiny_results)
    assert "abc123def456" in text and "f00ba12" in text
    for heading in ("## All questions", "### factual", "### unanswerable", "### bm25 — BM25 only", "### full — full system"):
        assert heading in text
    # all-questions table, two type tables (two configs each), two config tables (two types + all)
    assert text.count("| configuration |") == 3
    assert text.count("| question type |") == 2
    assert "| all | 3 | 1.000 |" in text


def test_results_json_round_trips_and_refuses_nan(tiny_results):
    assert json.loads(results_json(tiny_results)) == tiny_results
    tiny_results["summary"]["full"]["fact_recall"] = float("nan")
    with pytest.raises(ValueError):
        results_json(tiny_results)


def test_write_reports_writes_three_stamped_files(tiny_results, tmp_path):
    paths = write_reports(tiny_results, tmp_path / "out")
    assert {p.name for p in paths.values()} == {"report.md", "results.json", "chart.png"}
    assert "abc123def456" in paths["markdown"].read_text(encoding="utf-8")
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["stamp"]["git_commit"] == "f00ba12"
    png = paths["chart"].read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"abc123def456" in png and b"f00ba12" in png


# ---- the naive baseline's windows -------------------------------------------------------------
def _check_windows(text: str, size: int) -> list[tuple[int, int, int]]:
    spans = window_spans(text, size)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])), "windows must not gap or overlap"
    assert "".join(text[s:e] for s, e, _ in spans) == text
    counted = count_tokens([text[s:e] for s, e, _ in spans])
    assert counted == [n for _, _, n in spans]
    assert max(counted) <= size
    return spans


def test_windows_of_a_bundled_report_hold_at_most_1024_word_pieces_and_rebuild_it():
    from ingest.load import load_document

    text = load_document(ROOT / "data" / "reports" / "002_9b8a39fd266776b3.pdf").text
    spans = _check_windows(text, 1024)
    assert len(spans) > 3
    assert all(n > 1000 for _, _, n in spans[:-1]), "only the last window may be short"


def test_small_windows_never_split_a_word():
    text = "Safeguarding partnerships publish unbelievably detailed reports; 1,949 people attended. " * 40
    spans = _check_windows(text, 17)
    for s, _, _ in spans[1:]:
        assert not (text[s - 1].isalnum() and text[s].isalnum())


def test_windows_edge_cases():
    assert window_spans("", 1024) == []
    assert window_spans("   \n ", 1024) == [(0, 5, 0)]
    assert window_spans("one two three", 1024) == [(0, 13, 3)]
    with pytest.raises(ValueError, match="window size must be at least 1 word-piece"):
        window_spans("text", 0)


def test_baseline_cites_five_windows_and_never_abstains(embedder, tmp_path, monkeypatch):
    paths = [ROOT / "data" / "reports" / "002_9b8a39fd266776b3.pdf", ROOT / "data" / "reports" / "004_5dd9cca65945c7e9.pdf"]
    index = BaselineIndex.build(paths, embedder, cache_dir=tmp_path)
    resp = index.ask("How many people attended training?")
    assert resp["answerable"] is True
    assert len(resp["citations"]) == 5 and [c["n"] for c in resp["citations"]] == [1, 2, 3, 4, 5]
    assert len(resp["retrieved"]) == 5
    scores = [r["score"] for r in resp["retrieved"]]
    assert scores == sorted(scores, reverse=True)
    first = resp["citations"][0]
    assert first["quote"] == first["text"].strip()[:200]
    assert resp["answer"].endswith("[1]")
    assert list(tmp_path.glob("baseline-*.npz")), "window vectors are cached in the out dir"
    monkeypatch.setattr(baseline, "_MEMORY", {})  # force a read of the cached file
    again = BaselineIndex.build(paths, embedder, cache_dir=tmp_path)
    assert again.windows == index.windows and (again.vectors == index.vectors).all()


# ---- run_eval end to end ----------------------------------------------------------------------
TRAINING_2122 = "Overall training was delivered to almost two thousand (1949) individuals over 98 training events this year."
TINY_QUESTIONS = [
    {"id": "t1", "question": "How many people attended training in 2021-22?", "type": "factoid",
     "answer": "1949 individuals over 98 training events.", "key_facts": ["1949", "98"],
     "evidence": [{"doc": "002_9b8a39fd266776b3.pdf", "quote": TRAINING_2122}]},
    {"id": "t2", "question": "How many referrals were there in 2017-18?", "type": "unanswerable",
     "answer": "The reports do not say.", "key_facts": [], "evidence": []},
    {"id": "t3", "question": "How did training attendance change?", "type": "comparison",
     "answer": "1,286 people in 2015/16; 1949 in 2021-22.", "key_facts": ["1,286", "1949"],
     "evidence": [
         {"doc": "003_8030df4973684338.pdf", "quote": "1,286 people participated in the 46 events in the programme"},
         {"doc": "002_9b8a39fd266776b3.pdf", "quote": TRAINING_2122},
     ]},
]


def _write_questions(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_run_eval_writes_stamped_report_json_and_chart(bundled_index_dir, store, tmp_path):
    from evals.runner import git_commit, run_eval

    qfile = _write_questions(tmp_path / "tiny.jsonl", TINY_QUESTIONS)
    report = run_eval(qfile, ["full"], bundled_index_dir, tmp_path / "out", progress=False)
    out = tmp_path / "out"
    assert report == out / "report.md"
    stamp, commit = store.manifest_hash(), git_commit()
    text = report.read_text(encoding="utf-8")
    assert stamp in text and commit in text
    assert "### full — full system" in text and "### factoid" in text and "### unanswerable" in text
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["stamp"]["index_hash"] == stamp and results["stamp"]["git_commit"] == commit
    assert results["stamp"]["n_questions"] == 3 and results["configs"] == ["full"]
    by_id = {r["id"]: r for r in results["questions"]}
    assert set(by_id) == {"t1", "t2", "t3"}
    assert by_id["t1"]["fact_recall"] == 1.0 and by_id["t1"]["evidence_recall_at_5"] == 1.0
    assert by_id["t2"]["abstention"] == "correct_abstention"
    summary = results["summary"]["full"]
    assert summary["correct_abstention"] == 1.0 and summary["false_abstention"] == 0.0
    assert summary["mrr_at_10"] > 0.5 and summary["latency_p50_ms"] > 0
    png = (out / "chart.png").read_bytes()
    assert png.startswith(b"\x89PNG") and stamp.encode() in png and commit.encode() in png


def test_run_eval_builds_a_missing_index_and_runs_the_baseline(embedder, tmp_path, monkeypatch):
    import shutil

    from evals import runner

    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(ROOT / "data" / "reports" / "004_5dd9cca65945c7e9.pdf", reports)
    monkeypatch.setattr(runner, "REPORTS_DIR", reports)
    qfile = _write_questions(tmp_path / "one.jsonl", [
        {"id": "c1", "question": "Which officer should be contacted about the Cabinet report?", "type": "factoid",
         "answer": "Jane Moore, Director of Children and Family Services.", "key_facts": ["Jane Moore"],
         "evidence": [{"doc": "004_5dd9cca65945c7e9.pdf", "quote": "Officers to Contact Jane Moore, Director of Children and Family Services"}]},
    ])
    index_dir = tmp_path / "index"
    report = runner.run_eval(qfile, ["bm25", "naive"], index_dir, tmp_path / "out", progress=False)
    assert (index_dir / "manifest.json").is_file()
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["configs"] == ["bm25", "naive"]
    naive = [r for r in results["questions"] if r["config"] == "naive"]
    assert len(naive) == 1 and naive[0]["answerable"] is True and len(naive[0]["citations"]) == 2
    assert "### naive — naive baseline" in report.read_text(encoding="utf-8")
    assert list((tmp_path / "out" / "cache").glob("baseline-*.npz"))


def test_run_eval_refuses_unknown_configurations_and_bad_question_files(tmp_path):
    from evals.runner import run_eval

    with pytest.raises(ValueError, match="unknown configuration 'bm26'; use one of: bm25, dense, hybrid, full, fitted, naive"):
        run_eval(None, ["bm26"], tmp_path / "index", tmp_path / "out")
    with pytest.raises(ValueError, match="no question file at"):
        run_eval(tmp_path / "missing.jsonl", ["full"], tmp_path / "index", tmp_path / "out")
    with pytest.raises(ValueError, match="no questions in"):
        run_eval(_write_questions(tmp_path / "empty.jsonl", []), ["full"], tmp_path / "index", tmp_path / "out")
    assert not (tmp_path / "index").exists()
