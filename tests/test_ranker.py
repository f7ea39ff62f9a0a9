"""The fitted ranker: its saved weights, its features, the question's intent, and how it is fitted."""

from __future__ import annotations

import json
import math

import pytest

from evals.fit_ranker import choose_bar, fold_of, label
from evals.questions import Evidence, Question
from ingest.errors import IndexLoadError
from qa.features import FEATURES, Context, features, is_item
from qa.intent import parse_intent
from qa.ranker import VERSION, WEIGHTS_FILE, Ranker, load_ranker, save_ranker


def _ranker(**kw) -> Ranker:
    return Ranker(dict.fromkeys(FEATURES, 0.0) | kw.pop("weights", {}), kw.pop("intercept", 0.0), 0.1, **kw)


def test_probability_is_the_sigmoid_of_the_weighted_sum():
    r = _ranker(weights={"sent_dense": 2.0}, intercept=-1.0)
    x = [0.0] * len(FEATURES)
    x[FEATURES.index("sent_dense")] = 0.75
    assert r.logit(x) == pytest.approx(0.5)
    assert r.probability(x) == pytest.approx(1 / (1 + math.exp(-0.5)))


def test_saved_weights_load_back(tmp_path):
    r = _ranker(weights={"length": -1.5}, intercept=0.3, trained_on="train")
    save_ranker(r, tmp_path / "r.json")
    assert load_ranker(tmp_path / "r.json") == r


@pytest.mark.parametrize("change, message", [
    ({"version": VERSION + 1}, f"ranker version {VERSION + 1} is not {VERSION}; run `reportqa fit`"),
    ({"features": ["sent_dense"]}, "ranker features differ from qa.features.FEATURES; run `reportqa fit`"),
])
def test_a_mismatched_weights_file_is_refused(tmp_path, change, message):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_ranker().to_json() | change))
    with pytest.raises(IndexLoadError) as err:
        load_ranker(path)
    assert str(err.value) == f"{path}: {message}"


def test_an_unreadable_weights_file_names_the_file(tmp_path):
    path = tmp_path / "r.json"
    path.write_text("{not json")
    with pytest.raises(IndexLoadError, match="r.json: cannot read the ranker's weights"):
        load_ranker(path)


def test_the_committed_weights_match_the_code():
    r = load_ranker(WEIGHTS_FILE)
    assert set(r.weights) == set(FEATURES) and 0.0 <= r.abstain_below < 1.0 and "train" in r.trained_on


@pytest.mark.parametrize("question, as_list", [
    ("Who chaired the board in 2021-22?", False),
    ("When was the toolkit launched?", False),
    ("How many rapid reviews were held?", False),
    ("What were the partnership's priorities?", True),
    ("Why does neglect matter?", False),
])
def test_intent_as_list(question, as_list):
    assert parse_intent(question).as_list is as_list


@pytest.mark.parametrize("text, expected", [
    ("• Neglect toolkit", True),
    ("2) Refreshed procedures", True),
    ("Information sharing between agencies", True),
    ("The partnership met four times during the year and agreed its priorities for the next year.", False),
])
def test_is_item(text, expected):
    assert is_item(text) is expected


def test_features_follow_the_intent():
    ctx = Context(parse_intent("How many courses ran in 2021-22?", ("2021-22",)), frozenset(), 10.0, 0.8, 0.9, 0.25)
    kw = dict(sent_dense=0.6, sent_lex=0.5, section_lex=0.0, chunk_lex=0.7, chunk_dense=0.5, chunk_bm25=5.0,
              rank=1, has_figure=True, position=0)
    x = dict(zip(FEATURES, features(ctx, "In 2021/22 we ran 88 courses.", **kw)))
    assert len(x) == len(FEATURES)
    assert x["figure_asked_held"] == 1.0 and x["figure_asked_missing"] == 0.0
    assert x["year_asked_held"] == 1.0 and x["name_asked_held"] == 0.0
    assert x["chunk_bm25_rel"] == pytest.approx(0.5) and x["first_stage_rank"] == pytest.approx(0.5)
    assert x["dense_gap"] == pytest.approx(0.2) and x["question_missing"] == 0.25


def _question(quote: str, doc: str = "a.pdf") -> Question:
    return Question("q1", "How many?", "factoid", "x", ("x",), (Evidence(doc, quote),))


@pytest.mark.parametrize("sentence, doc, expected", [
    ("The board met four times during the year.", "a.pdf", 1),  # inside the quote
    ("The board met four times during the year. It also held two extra meetings in the spring.", "a.pdf", 1),
    ("The board met four times during the year.", "b.pdf", 0),  # another document
    ("Training attendance rose by a tenth.", "a.pdf", 0),
])
def test_label(sentence, doc, expected):
    assert label(sentence, doc, _question("The board met four times during the year. Attendance was 75%.")) == expected


@pytest.mark.parametrize("confidences, bar", [
    ([(0.9, True), (0.05, False), (0.5, True)], pytest.approx(0.275)),  # declines the one unanswerable
    ([(0.9, True), (0.2, True)], 0.0),  # nothing to decline
    ([(0.3, False), (0.1, True), (0.8, True)], 0.0),  # declining the 0.3 costs the 0.1: a tie, lower bar
])
def test_choose_bar(confidences, bar):
    assert choose_bar(confidences) == bar


def test_folds_are_a_hash_of_the_id():
    assert fold_of("q001") == fold_of("q001") and {fold_of(f"q{i:03d}") for i in range(60)} == set(range(5))


def test_fitted_configuration_answers_a_bundled_question(engine):
    resp = engine.ask("How many rapid reviews did the partnership carry out in 2021-22?", config="fitted")
    assert resp["answerable"] and resp["citations"]
    assert 0.0 <= resp["confidence"] <= 1.0  # the fitted model's probability


def test_reportqa_fit_refits_on_the_train_split_and_writes_a_loadable_file(index_copy, tmp_path):
    from typer.testing import CliRunner

    from api.cli import app as cli_app

    out = tmp_path / "ranker.json"
    r = CliRunner().invoke(cli_app, ["fit", "--index", str(index_copy), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "fitted on 68 train questions" in r.output and str(out) in r.output
    fitted = load_ranker(out)
    assert fitted.trained_on.startswith("bundled train split, 68 questions")
    assert any(w != 0.0 for w in fitted.weights.values())


def test_fitting_sees_the_rankings_of_trend_answers_too(engine):
    from evals.fit_ranker import recording

    rankings: list = []
    with recording(rankings):
        engine.ask("How has spending on training changed between 2019/20, 2021/22 and 2024-25?")
    assert len(rankings) >= 3  # one ranking per report year
