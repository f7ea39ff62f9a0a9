"""Learning mode answers from the catalogue of reviews' learning points (qa.learning_answer):
what a question asks for, the caps, the labels, and the answers on the bundled and Hartwell
reports, each point a cited quote that highlights exactly."""

from __future__ import annotations

import numpy as np
import pytest

from qa.learning_answer import (MAX_POINTS, POINTS_PER_THEME, Asked, choose, group_theme, read_question,
                                review_label, score_points)

RAPID_2024 = "001_1b0103ba54d5cec5.pdf"


def point(quote="A point.", themes=("other",), review="Child K", kind="rapid review", period="2023-24", doc="d", start=0):
    return {"id": f"{doc}{start}", "type": "learning", "review": review, "review_kind": kind, "entry_kind": kind,
            "partnership": "P", "period": period, "doc_id": doc, "source": f"{doc}.pdf", "title": "T", "page": 1,
            "quote": quote, "quote_start": start, "quote_end": start + len(quote), "themes": list(themes)}


@pytest.mark.parametrize("question, kind, names, topic, themes", [
    ("What was learned from reviews?", "", (), (), set()),
    ("Rapid reviews", "rapid review", (), (), set()),
    ("What did the serious case reviews teach?", "serious case review", (), (), set()),
    ("Learning about babies", "", (), ("babi",), {"safe-sleep"}),
    ("What did the Child Q review find about fathers?", "", ("child q",), ("father",), {"fathers-male-carers"}),
    ("What did audits say about health visitors?", "multi-agency audit", (), ("health", "visitor"), set()),
    # a review's own title names it as a pseudonym does
    ("What did the Repeat Contacts Spotlight Audit find?", "multi-agency audit", ("repeat contacts spotlight audit",), (), set()),
    ("What did the repeat contacts  spotlight audit find about fathers?", "multi-agency audit",
     ("repeat contacts spotlight audit",), ("father",), {"fathers-male-carers"}),
])
def test_read_question(question, kind, names, topic, themes):
    asked = read_question(question, titles=("Repeat Contacts Spotlight Audit",))
    assert (asked.kind, asked.names, asked.topic, set(asked.themes)) == (kind, names, topic, themes)


def test_a_question_without_a_topic_takes_every_point_of_its_kind_in_the_reports_order():
    points = [point("Late referral.", kind="rapid review", start=0), point("An audit found gaps.", kind="multi-agency audit", start=20),
              point("Bruising missed.", kind="rapid review", start=40)]
    scored = score_points(points, np.zeros((3, 0)), None, Asked("rapid review", (), (), frozenset()))
    assert [p["quote"] for _, p in scored] == ["Late referral.", "Bruising missed."]


def test_a_topic_is_met_by_a_theme_every_topic_word_or_a_similar_embedding():
    points = [point("The father was not seen.", themes=("fathers-male-carers",), start=0),
              point("Health visitors did not share records.", start=50),
              point("Nothing about it.", start=100), point("Alike in meaning.", start=150)]
    vectors = np.array([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    asked = Asked("", (), ("health", "visitor", "father"), frozenset({"fathers-male-carers"}))
    got = [p["quote"] for _, p in score_points(points, vectors, np.array([1.0, 0.0], dtype=np.float32), asked)]
    assert got[0] == "Alike in meaning." and set(got) == {"The father was not seen.", "Alike in meaning."}
    asked = Asked("", (), ("health", "visitor"), frozenset())
    assert [p["quote"] for _, p in score_points(points, vectors, None, asked)] == ["Health visitors did not share records."]


def test_choose_caps_points_per_theme_and_in_all_and_lists_a_shared_passage_once():
    points = [point(f"Neglect point {i}.", themes=("neglect",), start=i * 10) for i in range(POINTS_PER_THEME + 2)]
    points += [point(f"Other point {i}.", start=100 + i * 10) for i in range(2)]
    points += [point(f"{t} point.", themes=(t,), start=300 + i * 10) for i, t in
               enumerate(["domestic-abuse", "exploitation", "mental-health", "transitions", "voice-of-child"])]
    twice = point("Shared.", themes=("neglect",), review="Child J", start=500)
    points += [twice, {**twice, "review": "Child S"}]
    groups, left = choose([(0.0, p) for p in points], Asked("", (), (), frozenset()))
    shown = [p for _, ps in groups for p in ps]
    assert len(shown) == MAX_POINTS and all(len(ps) <= POINTS_PER_THEME for _, ps in groups)
    assert groups[0][0] == "neglect" and "other" not in [t for t, _ in groups[:-1]]
    assert left == len(points) - 1 - MAX_POINTS  # the shared passage counts once


def test_a_point_is_listed_under_the_theme_the_question_did_not_already_name():
    p = point(themes=("fathers-male-carers", "safe-sleep"))
    assert group_theme(p, frozenset({"safe-sleep"})) == "fathers-male-carers"
    assert group_theme(point(themes=("safe-sleep",)), frozenset({"safe-sleep"})) == "safe-sleep"
    assert group_theme(point(themes=("other",)), frozenset()) == "other"


def test_review_labels_name_the_review_its_kind_and_year():
    p = point(review="Baby L")
    assert review_label(p, {}) == "Baby L (rapid review), 2023-24"
    assert review_label(point(review="Rapid review (2024-25)", period="2024-25"), {}) == "Rapid review, 2024-25"
    assert review_label(p, {("d", 0, len("A point.")): ["Child J", "Child S"]}) == "Child J and Child S (rapid review), 2023-24"


# --- on the real reports --------------------------------------------------------------------

def learning_points(engine) -> dict[tuple[str, int, int], dict]:
    from qa.catalogue import engine_catalogue

    return {(p["doc_id"], p["quote_start"], p["quote_end"]): p for p in engine_catalogue(engine).points if p["type"] == "learning"}


def check_cited_points(engine, resp) -> list[dict]:
    """Every citation is a learning point of the catalogue, quoted and highlighted exactly, and the
    answer is grouped by theme with a marker for each citation."""
    assert resp["answerable"] and resp["citations"] and resp["mode"] == "learning"
    known = learning_points(engine)
    out = []
    for c in resp["citations"]:
        p = known[(c["doc_id"], c["quote_start"], c["quote_end"])]
        assert c["quote"] == p["quote"] == engine.store.document_text(c["doc_id"], c["quote_start"], c["quote_end"])
        assert c["text"][c["quote_start"] - c["char_start"]:c["quote_end"] - c["char_start"]] == c["quote"]
        assert c["page"] == p["page"] and f"[{c['n']}]" in resp["answer"]
        out.append(p)
    lines = resp["answer"].splitlines()
    assert lines[0].startswith("Learning from ") and any(line.endswith(":") for line in lines[1:])
    assert sum(line.startswith("- ") for line in lines) == len(resp["citations"]) <= MAX_POINTS
    return out


def test_rapid_reviews_in_2024_25_include_the_list_the_rapid_review_discovered(engine):
    resp = engine.ask("Rapid reviews in 2024-25", mode="learning")
    points = check_cited_points(engine, resp)
    assert {p["source"] for p in points} == {RAPID_2024} and {p["review_kind"] for p in points} == {"rapid review"}
    quotes = [c["quote"] for c in resp["citations"]]
    # "The Rapid Review discovered:" on p. 48
    assert any(q.startswith("Examples of good single and multi-agency working") for q in quotes)
    assert any(q.startswith("Support was offered with appointments") for q in quotes)
    assert resp["periods"] == ["2024-25"] and "Rapid review, 2024-25:" in resp["answer"]
    assert not any("did not result in" in q for q in quotes)  # what became of the review is not its learning


def test_the_readme_example_answers_with_review_learning_not_training_feedback(engine):
    resp = engine.ask("What was learned from reviews?", filters={"period": ["2024-25"]}, mode="learning")
    points = check_cited_points(engine, resp)
    assert {p["period"] for p in points} == {"2024-25"}
    assert not any(c["quote"].startswith(("“", '"')) or "training" in c["quote"].lower() and "“" in c["quote"] for c in resp["citations"])
    assert all(c["quote"][0].isupper() for c in resp["citations"])  # whole points, not the middle of a quote


def test_learning_about_babies_includes_fathers_and_male_carers(engine):
    resp = engine.ask("Learning about babies", mode="learning")
    check_cited_points(engine, resp)
    assert "Fathers and male carers:" in resp["answer"]
    assert any("father of the baby" in c["quote"] for c in resp["citations"])
    assert any("non-mobile babies" in c["quote"] or "pre-mobile babies" in c["quote"] for c in resp["citations"])


def test_a_question_no_learning_point_answers_gets_the_reports_do_not_say(engine):
    resp = engine.ask("How many people attended training?", mode="learning")
    assert resp["answerable"] is False and resp["citations"] == []
    assert resp["answer"].startswith("The reports do not say")


def test_hartwells_reviews_are_answered_by_name_and_theme_without_rules_for_them(two_partnership_engine):
    engine = two_partnership_engine
    hartwell = "Hartwell Safeguarding Children Partnership"
    resp = engine.ask("What did the Child Q review teach?", mode="learning")
    points = check_cited_points(engine, resp)
    assert {p["review"] for p in points} == {"Child Q"} and "Child Q (serious case review), 2020-21" in resp["answer"]
    resp = engine.ask("Learning about babies", mode="learning", filters={"organisation": [hartwell]})
    points = check_cited_points(engine, resp)
    assert {p["partnership"] for p in points} == {hartwell}
    assert {"Baby L", "Baby M"} <= {p["review"] for p in points}
    resp = engine.ask("What did reviews find about exploitation?", mode="learning")
    points = check_cited_points(engine, resp)
    assert sum("exploitation" in p["themes"] for p in points) >= 3
    assert ", HSCP:" in resp["answer"]  # several partnerships indexed: each point says whose (its short form)


def test_api_ask_keeps_its_contract_in_learning_mode(client_bundled):
    r = client_bundled.post("/api/ask", json={"question": "What was learned from reviews?", "mode": "learning",
                                              "filters": {"period": ["2024-25"]}})
    assert r.status_code == 200
    d = r.json()
    assert set(d) >= {"answer", "answerable", "citations", "timings"}
    assert set(d["citations"][0]) >= {"n", "source", "doc_id", "title", "period", "page", "section", "text", "quote",
                                      "score", "quote_start", "quote_end", "char_start", "char_end", "page_start",
                                      "page_end", "label", "chunk_id", "tags", "organisation", "partnership"}


@pytest.fixture(scope="module")
def client_bundled(engine, bundled_index_dir, tmp_path_factory):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    root = tmp_path_factory.mktemp("learning-answer-api")
    app = create_app(Settings(index_dir=bundled_index_dir, upload_dir=root / "up", feedback_db=root / "f.sqlite3"), engine=engine)
    with TestClient(app) as c:
        yield c

