"""Scope notes: what a year's figure covers (qa.scope), and the trend line that says when the
years' figures are not like for like (qa.trend.scope_note)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from qa.scope import Scope, Vocabulary, alike, body_key, differ, scope_of, vocabulary
from qa.trend import YearScope, caption_span, comparable, differences, scope_note

PLACES = frozenset({"northfield", "southmoor"})
DEFINITIONS = [
    "The Northfield & Southmoor Safeguarding Children Partnership (SCP) meets quarterly.",
    "It works with the Safeguarding Adults Board (SAB) and the former Local Safeguarding Children Board (LSCB).",
    "The Northfield and Southmoor Local Safeguarding Children Board (NSLSCB) met four times.",
    "The Child Death Overview Panel (CDOP) reports yearly; the Integrated Care Board (ICB) pays a share.",
]
VOCAB = vocabulary(DEFINITIONS, PLACES)


def one(*sets: set[str]) -> frozenset[frozenset[str]]:
    return frozenset(frozenset(s) for s in sets)


SCP, SAB, LSCB = "safeguarding children partnership", "safeguarding adults board", "local safeguarding children board"


@pytest.mark.parametrize("name, key", [
    ("Northfield & Southmoor Safeguarding Children Partnership", SCP),
    ("Safeguarding Children Partnerships", SCP),
    ("the Safeguarding Adults Board", SAB),
    ("Northfield and Southmoor Local Safeguarding Children Board", LSCB),
    ("The Partnership", ""),          # one word left: no body
    ("Northfield Board", ""),
])
def test_body_key_drops_places_joining_words_and_plurals(name, key):
    assert body_key(name, PLACES) == key


def test_vocabulary_holds_a_documents_own_body_from_its_title_page():
    vocab = vocabulary(["The HSCP met six times."], PLACES, [("Northfield Safeguarding Children Partnership", ("NSCP",)),
                                                             ("Northfield", ("NF",))])
    assert vocab.short_forms == {"NSCP": SCP, "NSCPs": SCP}  # a name that is only a place is no body
    assert scope_of("Total income for the NSCP 357,250", vocab).bodies == one({SCP})


def test_vocabulary_holds_the_bodies_the_texts_define_and_nothing_else():
    assert VOCAB.short_forms["SCP"] == SCP and VOCAB.short_forms["SCPs"] == SCP
    assert VOCAB.short_forms["NSLSCB"] == VOCAB.short_forms["LSCB"] == LSCB  # an area's board is the board
    assert VOCAB.short_forms["SAB"] == SAB
    assert "CDOP" not in VOCAB.short_forms  # a panel is no partnership or board
    assert vocabulary([], PLACES).short_forms == {}


@pytest.mark.parametrize("text, bodies, areas, restricted, phrases", [
    ("Total Income (SCP and LSCB) 242,435", one({SCP, LSCB}), one(), False, ["SCP and LSCB"]),
    ("Total income for SCP and SAB 327,126", one({SCP, SAB}), one(), False, ["SCP and SAB"]),
    ("Expenditure for the SCP is apportioned as follows:", one({SCP}), one(), False, ["SCP"]),
    ("Total (SCP only) 12", one({SCP}), one(), True, ["SCP only"]),
    ("Child Death Overview Panel (Northfield share) 24,800", one(), one({"northfield"}), True, ["Northfield share"]),
    ("contributions for the Northfield & Southmoor SCP and SAB as a whole were",
     one({SCP, SAB}), one({"northfield", "southmoor"}), False, ["Northfield & Southmoor SCP and SAB as a whole"]),
    ("contributions for the Northfield & Southmoor Safeguarding Children Partnership for 2024-25",
     one({SCP}), one({"northfield", "southmoor"}), False, ["Northfield & Southmoor Safeguarding Children Partnership"]),
    ("the running of the NSLSCB with a budget of £326,030.", one({LSCB}), one(), False, ["NSLSCB"]),
    ("In Northfield, 107 children were missing. In Southmoor the figure was 4.",
     one(), one({"northfield"}, {"southmoor"}), False, ["Northfield", "Southmoor"]),
    ("Across Northfield and Southmoor 500 children were seen.", one(), one({"northfield", "southmoor"}), False,
     ["Northfield and Southmoor"]),
    # The thing counted, not its scope: a row's subject and the short form after its name.
    ("Northfield Integrated Care Board (ICB) £53,417 £53,417", one(), one(), False, []),
    ("The Partnership carried out six rapid reviews.", one(), one(), False, []),
    ("a bid of £1.23 million to the Strategic Partnership Development Fund", one(), one(), False, []),
    ("In 2019/20, 35 courses ran for 2,000 people.", one(), one(), False, []),
    ("", one(), one(), False, []),
    ("The joint budget of £400,000 was spent.", one(), one(), False, ["joint budget"]),
    # A neighbouring city listed with the known places is one of the figure's areas.
    ("46 events across Eastport, Northfield & Southmoor", one(), one({"eastport", "northfield", "southmoor"}), False,
     ["Eastport, Northfield & Southmoor"]),
    ("46 events for Children, Young People and Families", one(), one(), False, []),
    ("46 events across Eastport, Westport and the region", one(), one(), False, []),
    ("46 events across Northfield and Eastport, then more", one(), one({"northfield"}), False, ["Northfield"]),
    ("Total (excluding the SAB) 300,000", one(), one(), True, ["excluding the SAB"]),
    ("Total including the SAB 400,000", one({SAB}), one(), False, ["including the SAB"]),
])
def test_scope_of_reads_scope_phrases_only(text, bodies, areas, restricted, phrases):
    found = scope_of(text, VOCAB)
    assert (found.bodies, found.areas, found.restricted) == (bodies, areas, restricted)
    assert [text[s:e] for s, e in found.phrases] == phrases  # verbatim, so a note can quote them
    assert found.stated == bool(bodies or areas or found.joint)


@pytest.mark.parametrize("text, joint", [
    ("The joint budget of £400,000 was spent.", True),
    ("A pooled fund of £20,000", True),
    ("Combined income 357,250", True),
    ("income for the SCP and SAB as a whole 327,126", True),
    ("Joint visits rose to 40.", False),    # joint work is no joint figure
    ("Total income for the SCP 203,092", False),
])
def test_joint_figures(text, joint):
    assert scope_of(text, VOCAB).joint is joint


def test_kinds_are_the_figures_given():
    assert scope_of("Police 25%", VOCAB, [("%", 25.0)]).kinds == {"%"}
    assert scope_of("Police 53,417", VOCAB, [("", 53417.0)]).kinds == {""}
    assert scope_of("Police", VOCAB).kinds == frozenset()


JOINT = Scope(bodies=one({SCP, SAB}))
CHILDREN = Scope(bodies=one({SCP}))
CHILDREN_ONLY = Scope(bodies=one({SCP}), restricted=True)
UNSTATED = Scope()
ONE_AREA = Scope(areas=one({"northfield"}))
TWO_AREAS = Scope(areas=one({"northfield", "southmoor"}))
EACH_AREA = Scope(areas=one({"northfield"}, {"southmoor"}))
SHARE = Scope(kinds=frozenset({"%"}))
AMOUNT = Scope(kinds=frozenset({""}))
BOTH_KINDS = Scope(kinds=frozenset({"", "%"}))


@pytest.mark.parametrize("a, b, expected", [
    (JOINT, CHILDREN, True),           # "SCP and SAB" against "SCP"
    (JOINT, CHILDREN_ONLY, True),
    (CHILDREN, CHILDREN_ONLY, False),  # "SCP" and "SCP only" name one body
    (CHILDREN_ONLY, UNSTATED, True),   # "Total (SCP only)" against "Total"
    (Scope(areas=one({"northfield"}), restricted=True), UNSTATED, True),  # "Panel (X share)" against "Panel"
    (Scope(areas=one({"northfield"}), restricted=True), ONE_AREA, False),
    (CHILDREN_ONLY, ONE_AREA, False),  # a body's and an area's scope are not told apart
    (JOINT, UNSTATED, False),          # a scope that says nothing compares with nothing
    (ONE_AREA, TWO_AREAS, True),       # one council area against both
    (ONE_AREA, EACH_AREA, False),      # both areas given one by one: one of them is like for like
    (ONE_AREA, CHILDREN, False),       # an area and a body are not told apart
    (SHARE, AMOUNT, True),             # a rate against a count
    (SHARE, BOTH_KINDS, False),
    (Scope(joint=True), CHILDREN, True),       # "the joint budget" against "the SCP's"
    (Scope(joint=True), CHILDREN_ONLY, True),
    (Scope(joint=True), JOINT, False),
    (Scope(joint=True), UNSTATED, False),
    (JOINT, Scope(bodies=one({SCP, SAB}, {SCP})), False),  # one phrase alike is enough
    (UNSTATED, UNSTATED, False),
])
def test_differ(a, b, expected):
    assert differ(a, b) is expected
    assert differ(b, a) is expected  # symmetric


@pytest.mark.parametrize("scope", [JOINT, CHILDREN, CHILDREN_ONLY, UNSTATED, ONE_AREA, TWO_AREAS, EACH_AREA, SHARE])
def test_a_scope_is_like_itself(scope):
    assert not differ(scope, scope)
    assert alike([scope, scope, scope])


def test_alike_needs_every_pair():
    assert alike([]) and alike([JOINT])
    assert alike([CHILDREN, UNSTATED, CHILDREN])
    assert not alike([CHILDREN, UNSTATED, JOINT])


def test_scope_reads_nothing_without_vocabulary():
    empty = Vocabulary({}, frozenset())
    assert not scope_of("Total income for SCP and SAB 327,126", empty).stated


# On the real bundled index: the finance tables are for the former board and the partnership
# together in one report, the partnership alone in the later ones.

NOTE = re.compile(r"^Not like for like: (.*)\.$", re.MULTILINE)


def _quoted(note: str) -> list[tuple[str, str, int]]:
    return [(m.group(1), m.group(2), int(m.group(3)))
            for m in re.finditer(r"(\d{4}-\d\d)(?: counts)? (?:[a-z ]+ )?'([^']+)' \[(\d+)\]", note)]


def test_a_real_comparison_across_different_scopes_says_so(engine):
    resp = engine.ask("How has spending on training changed between 2019/20, 2021/22 and 2024-25?")
    notes = NOTE.findall(resp["answer"])
    assert len(notes) == 1, resp["answer"]
    quoted = _quoted(notes[0])
    assert [p for p, _, _ in quoted] == ["2019-20", "2021-22", "2024-25"]
    words = {p: w for p, w, _ in quoted}
    assert words["2019-20"] == "LSCB and SCP" and words["2021-22"] == words["2024-25"] == "SCP"
    by_n = {c["n"]: c for c in resp["citations"]}
    for period, phrase, n in quoted:
        cite = by_n[n]
        assert cite["period"] == period
        assert phrase in " ".join(cite["quote"].split())  # the scope words are in the quote cited
        assert cite["text"][cite["quote_start"] - cite["char_start"]:cite["quote_end"] - cite["char_start"]] == cite["quote"]
    # The note follows the figures and adds no claim of its own to the year rows.
    assert resp["answer"].index("Not like for like") > resp["answer"].index("- 2024-25:")


def test_a_real_comparison_within_one_scope_says_nothing(engine):
    resp = engine.ask("How has spending on staffing changed between 2021/22 and 2024-25?")
    assert "- 2021-22:" in resp["answer"] and "- 2024-25:" in resp["answer"]  # both years compared
    assert "Not like for like" not in resp["answer"]


class _OneDocument:
    """The two things caption_span reads of an index: a chunk's document and a document's text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.chunks = [SimpleNamespace(doc_id="d", char_start=0, char_end=len(text))]

    def document_text(self, doc_id: str, start: int, end: int) -> str:
        return self.text[start:end]


@pytest.mark.parametrize("text, row, caption", [
    ("Finance\nExpenditure for the SCP is apportioned as follows:\n£ Staffing 105,579 Training 48,100 Total 153,679",
     "Training 48,100", "Expenditure for the SCP is apportioned as follows:"),
    # A caption run on after the last row of the table before it.
    ("Police £53,417 £53,417 Total income £203,092 £203,092 Expenditure for the SCP was apportioned as follows:\n"
     "2023-24  2024-25\nStaffing £130,010 £147,121 Training £54,660 £70,341", "Training £54,660 £70,341",
     "Expenditure for the SCP was apportioned as follows:"),
    # A date's "1 April" does not end the caption before it.
    ("The spending of the LSCB and SCP for 1 April 2019 to 31 March 2020 is set out below: Income £ Police 44,599",
     "Police 44,599", "The spending of the LSCB and SCP for 1 April 2019 to 31 March 2020 is set out below:"),
    ("The board met as follows: monthly. Training 48,100 was spent on courses.", "Training 48,100", None),
    ("Training 48,100 was spent on courses.", "Training 48,100", None),
    ("The meeting at 10:30 agreed that Training 48,100 was spent.", "Training 48,100", None),
])
def test_caption_span_is_the_introduction_a_row_continues(text, row, caption):
    start = text.index(row)
    span = caption_span(_OneDocument(text), (SimpleNamespace(row=0), start, start + len(row), 1.0))
    assert (text[span[0]:span[1]] if span else None) == caption


def test_differences_leave_out_pairs_of_different_scope():
    rows = [("2019-20", "44 courses ran"), ("2021-22", "60 courses ran"), ("2024-25", "88 courses ran")]
    assert differences(rows, lambda a, b: True) == differences(rows)
    assert differences(rows, lambda a, b: "2019-20" not in (a, b)) == ["courses: 88 (2024-25) − 60 (2021-22) = 28"]
    assert differences(rows, lambda a, b: False) == []


def test_comparable_reads_the_years_scopes():
    years = [YearScope("2019-20", 1, (), JOINT, 0, None), YearScope("2021-22", 2, (), CHILDREN, 0, None),
             YearScope("2024-25", 3, (), UNSTATED, 0, None)]
    same = comparable(years)
    assert not same("2019-20", "2021-22")
    assert same("2021-22", "2024-25") and same("2019-20", "2024-25")
    assert same("2015-16", "2019-20")  # a year without a scope read compares
    assert comparable([])("2019-20", "2021-22")


def test_with_two_partnerships_the_note_names_its_series(two_partnership_engine):
    answer = two_partnership_engine.ask("How has total income changed over the years?")["answer"]
    series = {m.group(1) for m in re.finditer(r"^- \d{4}-\d\d, (.+?): ", answer, re.MULTILINE)}
    assert len(series) == 2, answer  # both partnerships' rows, each a series of its own
    notes = re.findall(r"^Not like for like, (.+?): ", answer, re.MULTILINE)
    assert len(notes) == 1 and notes[0] in series  # one series' years differ in scope, the other's do not


def test_scope_note_says_nothing_for_alike_or_single_years_and_checks_its_numbering():
    store = _OneDocument("Total for the SCP 5")
    alike_years = [YearScope("2021-22", 1, (), CHILDREN, 0, None), YearScope("2024-25", 2, (), UNSTATED, 0, None)]
    assert scope_note(store, alike_years, 3) == ("", [])
    assert scope_note(store, alike_years[:1], 3) == ("", [])
    with pytest.raises(ValueError, match="^next_n must be at least 1, got 0$"):
        scope_note(store, alike_years, 0)


def test_scope_note_quotes_each_years_words_with_its_citation():
    text = "Total income for SCP and SAB 327,126\nIncome for the SCP is as follows:\nTotal income 203,092"
    first, row = text.index("Total income for"), text.index("Total income 203")
    store = _OneDocument(text)
    years = [YearScope("2021-22", 1, (SimpleNamespace(row=0), first, text.index("\n")), scope_of(text[first:], VOCAB), first, None),
             YearScope("2024-25", 2, (SimpleNamespace(row=0), row, len(text)), scope_of("Income for the SCP is as follows:", VOCAB),
                       text.index("Income for"), (text.index("Income for"), row - 1))]
    line, new = scope_note(store, years, 3, who="P")
    assert line == "Not like for like, P: 2021-22 counts 'SCP and SAB' [1], 2024-25 'SCP' [3]."
    assert new == [(3, 0, text.index("Income for"), row - 1, 2)]  # the caption, cited anew, beside row [2]
