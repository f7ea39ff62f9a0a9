"""find_acronyms leaves out an acronym most texts use, counting whole words only."""

from __future__ import annotations

from qa.acronyms import find_acronyms

DEFINED = "The Local Authority Designated Officer (LADO) and Accident & Emergency (A&E) were told."


def test_a_common_acronym_is_left_out_and_only_whole_words_count():
    rare = [DEFINED] + ["No acronym here."] * 19
    assert find_acronyms(rare, max_share=0.05) == {"LADO": "Local Authority Designated Officer", "A&E": "Accident & Emergency"}
    # Inside a longer word ("LADOs", "XA&E") it is not a use; as a word next to punctuation it is.
    lookalikes = [DEFINED] + ["LADOs met; XA&E closed."] * 19
    assert set(find_acronyms(lookalikes, max_share=0.05)) == {"LADO", "A&E"}
    common = [DEFINED] + ["The LADO (A&E) met."] * 19
    assert find_acronyms(common, max_share=0.05) == {}
