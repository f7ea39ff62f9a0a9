"""The review catalogue: cues, extraction from tiny texts, merging across reports, themes,
the briefing, the file beside the index, and GET /api/learning."""

from __future__ import annotations

import io
import json
import re
import shutil

import numpy as np
import pytest

from ingest.model import Document, Organisation, Page
from ingest.review_cues import is_review_cue, unnamed_finding
from ingest.reviews import ReviewEntry, extract_reviews, kind_of, last_kind, pseudonyms
from qa.catalogue import build_catalogue, grid
from evals.fit_themes import fold_keywords
from evals.learning_eval import LABELS
from evals.theme_audit import alternatives, audit
from qa.theme_examples import EXAMPLES
from qa.themes import OTHER, TAXONOMY, ThemeAssigner, assign_one, keyword_themes


def doc(doc_id="d1", period="2023-24", org="Anyshire Safeguarding Children Partnership") -> Document:
    return Document(doc_id, f"{doc_id}.pdf", f"{org} - Annual Report {period}", period, "annual report", "sha", 1,
                    Organisation(name=org))


def pages_of(text: str) -> list[Page]:
    return [Page(1, text, 0, len(text))]


def entries(text: str, **kw) -> list[ReviewEntry]:
    return extract_reviews(doc(**kw), text, pages_of(text))


@pytest.mark.parametrize("text, names", [
    ("Child Q was 14.", ["Child Q"]),
    ("Baby M and Family Z; Sibling Group R.", ["Baby M", "Family Z", "Sibling Group R"]),
    ("Child Safeguarding Practice Review", []),
    ("Child J's school", ["Child J"]),
    ("a child at risk", []),
])
def test_pseudonyms_have_a_general_shape(text, names):
    assert pseudonyms(text) == names


@pytest.mark.parametrize("text, kind", [
    ("the rapid review for Baby L", "rapid review"),
    ("a Child Safeguarding Practice Review (CSPR)", "child safeguarding practice review"),
    ("the serious case review", "serious case review"),
    ("the neglect audit", "multi-agency audit"),
    ("our annual conference", ""),
])
def test_kind_of(text, kind):
    assert kind_of(text) == kind


def test_the_kind_nearest_an_introduction_is_the_subject_of_the_sentence_before_it():
    assert last_kind("No CSPRs were started. We completed six learning reviews that did not meet the criteria for an SCR.") == "learning review"


@pytest.mark.parametrize("cue, ok", [
    ("What we learnt", True),
    ("Learning from the review", True),
    ("The learning from the review was", True),
    ("Immediate learning from the rapid review", True),
    ("The Rapid Review discovered", True),
    ("The reviews also identified the following key areas for further work", True),
    ("What we learnt from the pandemic", False),
    ("The full membership can be found on the website", False),
    ("Started to promote the learning from the Panel's briefing", False),
    ("The Partnership has identified the following forward priorities", False),
])
def test_only_a_reviews_introduction_is_a_cue(cue, ok):
    assert is_review_cue(cue) is ok


REVIEW = (
    "Learning and improvement\n"
    "Child K (published May 2023)\n"
    "Child K was a 10-year-old girl who was neglected at home.\n"
    "What we learnt:\n"
    "Her school saw her hunger every day but did not share it with children's social care.\n"
    "Her father was never asked about his care of her.\n"
    "What we did: the partnership published a neglect guide in June 2023.\n"
    "Training\n"
    "We ran 40 courses.\n"
)


def test_a_review_its_learning_and_its_actions_are_cited_quotes():
    [e] = entries(REVIEW)
    assert (e.name, e.doc_id, e.period, e.partnership) == ("Child K", "d1", "2023-24", "Anyshire Safeguarding Children Partnership")
    learning = [p for p in e.points if p.kind == "learning"]
    actions = [p for p in e.points if p.kind == "action"]
    assert [p.text for p in learning] == [
        "Her school saw her hunger every day but did not share it with children's social care.",
        "Her father was never asked about his care of her."]
    assert [p.text for p in actions] == ["the partnership published a neglect guide in June 2023."]
    for p in e.points:
        assert REVIEW[p.start:p.end] == p.text and p.page == 1
    assert "We ran 40 courses." not in [p.text for p in e.points]


def test_inline_items_after_a_full_stop_are_points_of_their_own():
    text = "Two rapid reviews were held. The reviews also identified the following key areas for further work:\n- Hearing the child. - Seeing the father. - Sharing records\n"
    [e] = entries(text)
    assert [p.text for p in e.points] == ["Hearing the child.", "Seeing the father.", "Sharing records"]
    assert all(text[p.start:p.end] == p.text for p in e.points)


def test_learning_said_to_be_implemented_is_followed_by_actions():
    text = "Learning from these rapid reviews has been implemented across the year:\nIt led to seven new briefings.\nIt informed a campaign on information sharing.\n"
    [e] = entries(text)
    assert [p.kind for p in e.points] == ["action", "action"] and e.kind == "rapid review"


def test_list_items_whose_bullets_were_lost_are_cut_where_the_next_one_starts():
    text = ("The Rapid Review discovered:\nGood joint working to see the risk of harm Non-engagement from the parents was seen "
            "Some agencies followed up the mother. She told Health about how Health visitors helped.\n"
            "Themes were non-engagement and some support.\n")
    [e] = entries(text)
    assert [p.text for p in e.points][:3] == ["Good joint working to see the risk of harm", "Non-engagement from the parents was seen",
                                              "Some agencies followed up the mother."]
    assert "She told Health about how Health visitors helped." in [p.text for p in e.points]  # a name, after a small word


def test_what_became_of_the_review_is_not_its_learning():
    text = ("The Rapid Review discovered:\nNo agency saw the baby at home. The Rapid Review did not result in a practice review. "
            "The Panel agreed with this decision.\n")
    [e] = entries(text)
    assert [p.text for p in e.points] == ["No agency saw the baby at home."]


def test_a_finding_cut_by_a_page_break_is_quoted_whole():
    one = "Summary\nThe Child K review showed a gap in applying the"
    two = "bruising protocol. The check shows it is now followed.\n"
    text = one + "\n\n" + two
    pages = [Page(1, one, 0, len(one)), Page(2, two, len(one) + 2, len(text))]
    [e] = extract_reviews(doc(), text, pages)
    [p] = e.points
    assert p.text == "The Child K review showed a gap in applying the\n\nbruising protocol." and text[p.start:p.end] == p.text
    assert p.page == 1


@pytest.mark.parametrize("sentence, before, ok", [
    ("The audit found that most cases showed good joint working.", "", True),
    ("In addition the rapid reviews and practice reviews have identified good joint working.", "", True),
    ("Learning was identified regarding exclusion and exploitation.", "", True),
    ("It was identified that fathers were not seen.", "", True),
    ("Neglect was identified as a feature in local SCRs and audits.", "", True),
    ("The conclusions and implications for practice are that step-down needs oversight.", "", True),
    ("Key findings included thin assessments.", "", True),
    ("The report identifies a need to see male carers.", "The Panel published a national review.", True),
    ("The report identifies a need to see male carers.", "The Panel published its plan.", False),
    ("The audit did not identify any areas for learning.", "", False),
    ("The findings were shared at the Planning Group.", "", False),
    ("The survey found that 75% were frontline workers.", "", False),
])
def test_an_unnamed_reviews_finding_in_prose(sentence, before, ok):
    assert unnamed_finding(sentence, before) is ok


AUDIT = (
    "Audits\n"
    "The partnership carried out one multi-agency audit on domestic abuse.\n"
    "The audit found that most cases showed good joint working. The voice of children was often heard. "
    "There were notable areas for improvement:\n"
    "- No agency engaged the fathers. - Victims were left to manage the risk - Schools were not invited to meetings "
    "The consultation sought the views of young people. Its findings are in another section.\n"
    "A review of the procedures will be completed in 2022. The partnership will follow it up.\n"
)


def test_an_audits_findings_in_prose_and_the_list_after_them():
    [e] = entries(AUDIT, period="2021-22")
    assert (e.name, e.kind) == ("Multi-agency audit (2021-22)", "multi-agency audit")
    assert [p.text for p in e.points] == [
        "The audit found that most cases showed good joint working.", "The voice of children was often heard.",
        "No agency engaged the fathers.", "Victims were left to manage the risk", "Schools were not invited to meetings"]
    assert all(p.kind == "learning" and AUDIT[p.start:p.end] == p.text for p in e.points)


def test_a_findings_list_reads_on_into_its_paragraph_until_the_work_in_hand():
    text = ("The audit found that:\nAll plans were followed.\nSome assessments were thin.\n"
            "The network was seen; more needs to be done to hear fathers. Health did not share records. "
            "There is continuous work to improve assessments. Guidance is due to be published in 2026.\n"
            "Training\nWe ran 40 courses. The courses found that people liked them.\n")
    [e] = entries(text)
    assert [(p.kind, p.text) for p in e.points] == [
        ("learning", "All plans were followed."), ("learning", "Some assessments were thin."),
        ("learning", "The network was seen; more needs to be done to hear fathers."), ("learning", "Health did not share records."),
        ("action", "There is continuous work to improve assessments."), ("action", "Guidance is due to be published in 2026.")]


def test_a_single_finding_names_its_audit_in_the_sentence_before_and_stops_at_what_was_done():
    text = ("Received the findings of the exploitation audit. Learning was identified regarding school exclusion. "
            "Recommendations have been taken forward with schools. The board met four times.\n")
    [e] = entries(text, period="2024-25")
    assert e.kind == "multi-agency audit"
    assert [(p.kind, p.text) for p in e.points] == [("learning", "Learning was identified regarding school exclusion."),
                                                    ("action", "Recommendations have been taken forward with schools.")]


def test_a_finding_without_a_review_named_near_it_is_not_taken():
    assert entries("Surveys\nWe asked staff. It was identified that staff liked the courses.\n") == []


def test_the_national_panel_is_not_a_practice_review():
    text = ("The Child Safeguarding Practice Review Panel published one national review. It was published in 2021.\n"
            "The report identifies an urgent need to see male carers. For these men, their history is overlooked.\n")
    [e] = entries(text, period="2021-22")
    assert e.kind == "national review"
    assert [p.text for p in e.points] == ["The report identifies an urgent need to see male carers.",
                                         "For these men, their history is overlooked."]


def test_a_report_without_a_review_has_no_entries():
    assert entries("Training\nWe ran 40 courses. What we learnt from the pandemic:\nZoom works.\n") == []


def test_an_unnamed_review_is_named_by_its_kind_and_year():
    text = "Two rapid reviews were held this year. The reviews also identified the following key areas for further work:\n- Responding to parents with complex needs - Information sharing between health visitors and midwives\n"
    [e] = entries(text, period="2021-22")
    assert (e.name, e.kind) == ("Rapid review (2021-22)", "rapid review")
    assert [p.text for p in e.points] == ["Responding to parents with complex needs", "Information sharing between health visitors and midwives"]


def test_text_must_be_a_string():
    with pytest.raises(TypeError, match="text must be a str, not bytes"):
        extract_reviews(doc(), b"x", [])


def test_the_same_review_in_two_reports_is_one_review_with_an_entry_per_year():
    a = entries(REVIEW, doc_id="a", period="2022-23")
    b = entries("Child K: the review found that her father was never assessed. The review of Child K found that no agency asked her father about his care.\n",
                doc_id="b", period="2023-24")
    assert a and b
    documents = {"a": doc("a", "2022-23"), "b": doc("b", "2023-24")}
    cat = build_catalogue(a + b, documents, {}, None)
    [review] = cat.reviews
    assert review["review"] == "Child K" and [e["period"] for e in review["entries"]] == ["2022-23", "2023-24"]
    assert {p["period"] for p in cat.points} == {"2022-23", "2023-24"}
    assert cat.select(period=["2023-24"]) and all(p["period"] == "2023-24" for p in cat.select(period=["2023-24"]))
    assert all("father" in p["quote"] for p in cat.select(q="FATHER"))
    cells = grid(cat.points)
    assert sum(c["count"] for c in cells if c["theme"] == "fathers-male-carers") == 3


def test_keyword_themes_and_the_other_bucket():
    assert keyword_themes("The father was not assessed.") == ["fathers-male-carers"]
    # the verb "send" is not SEND
    assert keyword_themes("Learning was established; an accidental fall; we send referrals.") == []
    assert keyword_themes("Children with SEND were groomed.") == ["exploitation", "send-neurodiversity"]
    assert "safe-sleep" in keyword_themes("co-sleeping with a baby")
    assert "safe-sleep" in keyword_themes("the pitfalls of co sleeping")
    none = [0.0] * len(TAXONOMY)
    assert assign_one("The budget rose.", none, 0.5) == [OTHER]
    sims = [0.0] * len(TAXONOMY)
    sims[[t.key for t in TAXONOMY].index("neglect")] = 0.6
    assert assign_one("The budget rose.", sims, 0.5) == ["neglect"]


def test_a_second_embedding_theme_needs_to_be_within_the_margin_of_the_first():
    keys = [t.key for t in TAXONOMY]
    sims = [0.0] * len(TAXONOMY)
    sims[keys.index("neglect")], sims[keys.index("mental-health")] = 0.70, 0.66
    assert assign_one("The budget rose.", sims, 0.65, margin=0.0) == ["neglect"]
    assert assign_one("The budget rose.", sims, 0.65, margin=0.05) == ["neglect", "mental-health"]
    assert assign_one("The budget rose.", sims, 0.75, margin=0.05) == [OTHER]
    assert assign_one("The father was not seen.", sims, 0.75) == ["fathers-male-carers"]  # keywords need no similarity


@pytest.mark.parametrize("pattern, alts", [
    ("a|b", ["a", "b"]),
    ("a(b|c)d|e", ["a(b|c)d", "e"]),
    (r"x\|y|z", [r"x\|y", "z"]),
    ("[|(]a|b", ["[|(]a", "b"]),
    ("(?-i:SEND)|autis", ["(?-i:SEND)", "autis"]),
])
def test_a_keyword_pattern_splits_into_its_top_level_alternatives(pattern, alts):
    assert alternatives(pattern) == alts


@pytest.mark.parametrize("theme", TAXONOMY, ids=lambda t: t.key)
def test_each_themes_keywords_compile_split_whole_and_name_it_in_its_own_examples(theme):
    alts = alternatives(theme.keywords)
    assert "|".join(alts) == theme.keywords and all(re.compile(a) for a in alts)
    assert len(EXAMPLES[theme.key]) >= 5
    assert any(theme.key in keyword_themes(s) for s in EXAMPLES[theme.key])


def test_every_theme_has_examples_and_every_example_a_theme():
    assert set(EXAMPLES) == {t.key for t in TAXONOMY}


def test_the_audit_counts_pages_and_flags_what_only_the_test_collection_uses():
    rows = {(r.theme, r.alternative): r for r in audit({"bundled": ["Neglect of a baby."], "hartwell": ["county lines and neglect"]})}
    assert rows[("neglect", "neglect")].pages == {"bundled": 1, "hartwell": 1} and not rows[("neglect", "neglect")].suspect
    assert rows[("exploitation", "county line")].suspect


def test_fold_keywords_drop_what_only_the_held_out_report_could_have_taught():
    pages = {"a.pdf": ["a baby slept"], "b.pdf": ["county lines"], "c.pdf": ["nothing"]}
    kw = fold_keywords(pages, "b.pdf")
    assert kw("county lines and a baby") == ["safe-sleep"]
    assert kw("children missing education") == keyword_themes("children missing education")  # matching no page: kept
    assert fold_keywords(pages, "a.pdf")("county lines and a baby") == ["exploitation"]


class OneHotEmbedder:
    """Unit vectors by the first word a text holds of WORDS (else the last axis): a fake for the
    assigner's logic, not a model."""

    WORDS = ("hungry", "father", "school", "budget")

    def encode(self, texts, **kw):
        out = np.zeros((len(texts), len(self.WORDS) + 1), dtype=np.float32)
        for i, t in enumerate(texts):
            hit = [j for j, w in enumerate(self.WORDS) if w in t.lower()]
            out[i, hit[0] if hit else -1] = 1.0
        return out


def test_the_assigner_gives_a_point_the_theme_of_its_nearest_example_sentence(monkeypatch):
    import qa.themes as themes

    examples = {t.key: ("unrelated words",) for t in TAXONOMY} | {"neglect": ("A hungry child.", "unrelated words")}
    monkeypatch.setattr(themes, "EXAMPLES", examples)
    assigner = themes.ThemeAssigner(OneHotEmbedder(), threshold=0.9)
    sims = assigner.similarities(["She was hungry at school.", "The budget rose."])
    neglect = [t.key for t in TAXONOMY].index("neglect")
    assert sims.shape == (2, len(TAXONOMY)) and sims[0, neglect] == pytest.approx(1.0) and sims[1, neglect] == pytest.approx(0.0)
    assert assigner.assign(["She was hungry at school.", "The budget rose."]) == [["neglect"], [OTHER]]
    assert assigner.assign([]) == []


@pytest.mark.parametrize("kw, message", [
    ({"threshold": 1.5}, "threshold must be between 0 and 1, not 1.5"),
    ({"margin": -0.1}, "margin must be between 0 and 1, not -0.1"),
])
def test_the_assigner_checks_its_constants(kw, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ThemeAssigner(OneHotEmbedder(), **kw)


def test_the_labels_name_known_themes_and_cover_four_bundled_reports():
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    known = {t.key for t in TAXONOMY} | {OTHER}
    assert all(set(r["themes"]) <= known and r["themes"] for r in rows)
    assert {r["collection"] for r in rows} == {"bundled", "hartwell"}
    assert all(r.get("scope", "learning") in ("learning", "action") for r in rows)
    bundled = [r for r in rows if r["collection"] == "bundled"]
    assert len(bundled) >= 50 and len({r["doc"] for r in bundled}) >= 4


def test_the_briefing_groups_by_theme_and_cites_every_point():
    from docx import Document as Word

    from api.briefing import briefing_docx, briefing_markdown

    points = [{"id": "1", "type": "learning", "review": "Child K", "review_kind": "rapid review", "partnership": "P", "period": "2023-24",
               "doc_id": "a", "source": "a.pdf", "title": "Annual Report 2023-24", "page": 4, "quote": "Her father was never asked.",
               "quote_start": 0, "quote_end": 1, "themes": ["fathers-male-carers"]}]
    md = briefing_markdown(points)
    assert "## Fathers and male carers" in md and "[Annual Report 2023-24 (P), 2023-24, p. 4]" in md
    assert md.rstrip().endswith("- Annual Report 2023-24 (P), 2023-24: a.pdf")
    word = Word(io.BytesIO(briefing_docx(points)))
    texts = [p.text for p in word.paragraphs]
    assert "Fathers and male carers" in texts and "Sources" in texts
    assert any(t.endswith("[Annual Report 2023-24 (P), 2023-24, p. 4]") for t in texts)
    with pytest.raises(ValueError, match="a briefing needs at least one point"):
        briefing_markdown([])


def test_the_catalogue_is_saved_beside_the_index_and_rebuilt_when_missing(index_copy):
    from index.learning_file import FILE_NAME
    from index.store import IndexStore

    assert (index_copy / FILE_NAME).is_file()
    rows = [json.loads(line) for line in (index_copy / FILE_NAME).read_text().splitlines()]
    assert rows and all(set(r) >= {"doc_id", "sha256", "name", "kind", "points"} for r in rows)
    before = IndexStore.load(index_copy).learning
    (index_copy / FILE_NAME).unlink()
    after = IndexStore.load(index_copy).learning
    assert after == before and sum(len(v) for v in after.values()) > 0
    # rows read by older rules are read again from the pages
    old = [{**r, "version": r["version"] - 1, "points": []} for r in rows]
    (index_copy / FILE_NAME).write_text("\n".join(json.dumps(r) for r in old) + "\n")
    assert IndexStore.load(index_copy).learning == before


@pytest.fixture(scope="module")
def client(engine, bundled_index_dir, tmp_path_factory):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    root = tmp_path_factory.mktemp("learning-api")
    shutil.copytree(bundled_index_dir, root / "index")
    app = create_app(Settings(index_dir=root / "index", upload_dir=root / "up", feedback_db=root / "f.sqlite3"), engine=engine)
    with TestClient(app) as c:
        yield c


def test_api_learning_lists_the_bundled_reviews_with_cited_points(client):
    r = client.get("/api/learning")
    assert r.status_code == 200
    d = r.json()
    assert {"rapid review", "learning review"} <= set(d["kinds"])
    rapid = [p for p in d["points"] if p["review"] == "Rapid review (2024-25)" and p["type"] == "learning"]
    assert rapid and all(p["source"] == "001_1b0103ba54d5cec5.pdf" for p in rapid)
    assert any(p["quote"].startswith("Examples of good single and multi-agency working") for p in rapid)  # "The Rapid Review discovered:"
    for p in d["points"]:  # every quote highlights exactly on its page
        page = client.get(f"/api/documents/{p['doc_id']}/pages/{p['page']}").json()
        assert page["text"][p["quote_start"] - page["char_start"]:p["quote_end"] - page["char_start"]] == p["quote"]
    assert sum(c["count"] for c in d["grid"]) >= len([p for p in d["points"] if p["type"] == "learning"])


@pytest.mark.parametrize("params, detail", [
    ({"theme": "nope"}, "theme: unknown value 'nope'"),
    ({"q": "x" * 201}, "q: at most 200 characters"),
])
def test_api_learning_refuses_bad_filters(client, params, detail):
    r = client.get("/api/learning", params=params)
    assert r.status_code == 422 and r.json()["detail"].startswith(detail)


def test_api_briefing_downloads_and_a_filter_that_matches_nothing_is_404(client):
    r = client.get("/api/learning/briefing.docx", params={"kind": "rapid review"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert client.get("/api/learning/briefing.md", params={"q": "zzzz"}).status_code == 404
    assert "/api/learning" in client.get("/openapi.json").json()["paths"]
