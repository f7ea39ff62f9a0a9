"""The wording ingest.reviews reads reviews by: a review's pseudonym, an introduction that leads
its learning ("What we learnt:", "The audit found that:"), a sentence that reports an action
taken after it, and one that reports its or an audit's finding in running prose ("The audit
found that ...", "Learning was identified regarding ...", "The conclusions and implications for
practice are that ..."). The field's general wording, no names of places, people or cases."""

from __future__ import annotations

import re

REVIEW_WORD = r"(?:reviews?|audits?|\bL?CSPRs?|\bSCRs?)"

# "Child Q", "Baby M", "Family Z", "Sibling Group R", "Child AB": a capital or two (and an
# optional digit) that no lower-case letter follows, so "Child Safeguarding" is not one.
PSEUDONYM = re.compile(r"\b(Child|Baby|Infant|Family|Sibling Group|Siblings|Young Person|Adult)\s+([A-Z]{1,2}\d?)(?![\w-])")

_LEARN_WORDS = r"learn(?:ing|t|ed)?|lessons?|discovered|found|identified|showed|highlighted|areas? for (?:further work|improvement|development)"
# An introduction: the clause before a colon (from the last sentence end) that speaks of learning.
INTRO = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))([^.!?:\n]{0,160}?\b(?:" + _LEARN_WORDS + r")\b[^.!?:\n]{0,120}):", re.IGNORECASE)
# What makes an introduction a review's: the review (or audit) is its subject, or it opens with
# the learning ("Learning from the review", "What we learnt", "The learning from the review was").
_REVIEW_CUE = re.compile(
    r"\b" + REVIEW_WORD + r"\b[^:]{0,60}?\b(?:discovered|found|identified|showed|highlighted)\b"
    r"|^(?:\w+\s+)?(?:learning|lessons?)\b(?!\s+(?:to|and|in|around|about)\b)"
    r"|^what we (?:learnt|learned)\b"
    # the review as the source: "issues identified from both national and local SCRs"
    r"|\b(?:issues|themes|lessons|learning|areas)\b[^:]{0,30}?\b(?:identified|raised|arising)\s+(?:from|in|by)\b[^:]{0,50}?\b" + REVIEW_WORD + r"\b",
    re.IGNORECASE,
)
_LEARNING_OF = re.compile(r"\b(?:learn\w*|lessons?)\s+(?:from|of)\s+(.+)$", re.IGNORECASE)


def is_review_cue(cue: str) -> bool:
    """Whether an introduction ending in a colon leads a review's learning (not a year's lessons,
    a plan's priorities or a web address)."""
    cue = cue.strip()
    if not _REVIEW_CUE.search(cue):
        return False
    of = _LEARNING_OF.search(cue)
    # "What we learnt from the pandemic": learning whose source is named and is not a review
    return not of or bool(re.search(REVIEW_WORD + "|" + PSEUDONYM.pattern, of.group(1), re.IGNORECASE))


LEARN_HEADING = re.compile(r"^((?:immediate |key )?(?:learning|lessons)\b[^.:\n]{0,80}?\b(?:for|from|of)\b[^.:\n]{0,40}?" + PSEUDONYM.pattern + r")", re.IGNORECASE | re.MULTILINE)

ACTION_INTRO = re.compile(r"(?:what we did|it was agreed to|actions?(?: already)? taken[^:\n]{0,40}|(?:the )?following work has been undertaken[^:\n]{0,200}|in response[^:\n]{0,60}|(?:our|the partnership'?s?) response[^:\n]{0,40}|actions? agreed)\s*:", re.IGNORECASE)
ACTION_START = re.compile(r"^(?:what we did|in response|the partnership'?s? response|(?:the )?actions?\b|it was agreed)", re.IGNORECASE)
_ACTION_VERB = re.compile(
    r"\b(?:was|were|has been|have been|is now|are now)\s+(?:re)?(?:launched|introduced|revised|published|adopted|agreed|issued|"
    r"extended|funded|updated|produced|delivered|developed|set up|established|commissioned|trained|rolled out|taken forward)\b"
    r"|^(?:the partnership|partners|we)\s+(?:has |have )?(?:introduced|revised|published|agreed|issued|funded|adopted|launched|produced|developed)\b"
    # work in hand or to come: "There is continuous work to improve ...", "Work continues to
    # embed ...", "... is due to be published in 2025-26"
    r"|^there (?:is|has been) (?:continuous|continuing|ongoing|continued|further) work\b|^work (?:continues|is (?:ongoing|underway|continuing))\b"
    r"|\b(?:is|are) due to be\b",
    re.IGNORECASE,
)
# A sentence on the review's own course: "did not result in a Local Child Safeguarding Practice
# Review", "the Panel agreed with this decision".
PROCESS = re.compile(r"\b(?:did not (?:result in|lead to|meet the criteria)|agreed with (?:this|the|that) decision)\b", re.IGNORECASE)
APPLIED = re.compile(r"\b(?:has|have|was|were) been (?:implemented|embedded|acted on|put into practice)\b", re.IGNORECASE)

_FOUND_VERB = r"(?:found|finds|showed|shows|identified|identifies|highlighted|highlights|demonstrated|revealed|discovered|concluded)"
# "The Baby M review, published in 2021, found that", "the reviews of Child J and Child S showed"
FINDING = re.compile(r"\breviews?\b(?:\s+of\s+[^.,]{0,40}?|\s*\([^)]*\)|,[^,.]{0,60},)?\s+(?:also\s+)?(?:has\s+|have\s+)?(?:found|showed|identified|highlighted|demonstrated)\b", re.IGNORECASE)
# What a review or audit found, said in prose without a pseudonym. The review (or audit) is the
# subject of a verb of finding; a learning point of it, or a feature, is identified; or the
# findings, conclusions or areas for development are stated.
_UNNAMED_FINDING = re.compile(
    r"^(?:in addition,?\s+)?(?:the|this|these|both|each|our)\s+(?:[\w&’'-]+\s+){0,8}?" + REVIEW_WORD + r"\b"
    r"(?:\s+(?:and|or)\s+(?:[\w-]+\s+){0,4}?" + REVIEW_WORD + r")?"
    r"(?:\s*\([^)]*\)|,[^,.]{0,60},)?\s+(?:also\s+)?(?:has\s+|have\s+)?(?:also\s+)?" + _FOUND_VERB + r"\b"
    r"|\blearning (?:was|has been|were|have been) identified (?:regarding|about|around|in relation to|relating to|on|in)\b"
    r"|\bit was (?:identified|found) that\b"
    r"|\b(?:was|were|has been|have been) identified as an? (?:feature|theme|factor|issue|concern)\b[^.]{0,40}?\b(?:in|by|from|through|across)\b[^.]{0,40}?\b" + REVIEW_WORD + r"\b"
    r"|^(?:the\s+)?(?:key\s+|main\s+)?(?:findings|conclusions)(?: and implications for practice)?\s+(?:(?:were|are) that|included|include|showed)\b"
    r"|^(?:the\s+)?(?:key\s+|main\s+)?areas? for (?:development|improvement|further work)\s+(?:included|include)\b",
    re.IGNORECASE,
)
# "The report identifies ...": a report as the subject, when the sentences before name a review.
_REPORT_FINDING = re.compile(r"^the (?:review'?s? )?report\s+(?:also\s+)?" + _FOUND_VERB + r"\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:did not|does not|no (?:further )?(?:learning|issues|concerns|areas))\b", re.IGNORECASE)
# Where a run of findings stops: what the partnership or its board did, a quote of feedback.
_OWN_WORK = re.compile(r"^(?:we|our|the (?:partnership|board|scp|lscb|safeguarding (?:children )?partners(?:hip)?s?)\b)", re.IGNORECASE)


def is_action(sentence: str) -> bool:
    """Whether a sentence reports what was done (or is in hand) rather than what was learnt."""
    return bool(ACTION_START.match(sentence) or _ACTION_VERB.search(sentence))


def unnamed_finding(sentence: str, before: str) -> bool:
    """Whether ``sentence`` says what a review or audit found without naming a pseudonym;
    ``before`` holds the sentences just above it, which must name the review when the sentence
    does not ("Learning was identified regarding ..." after "Received the findings of the ...
    audit.")."""
    s = sentence.strip(" -•–*")
    if _NEGATED.search(s):
        return False
    if _UNNAMED_FINDING.search(s):
        return True
    return bool(_REPORT_FINDING.search(s)) and bool(re.search(r"\b" + REVIEW_WORD + r"\b", before, re.IGNORECASE))


def is_found_intro(cue: str) -> bool:
    """An introduction whose subject is a review that found ("The audit found that")."""
    return bool(re.search(r"\b" + REVIEW_WORD + r"\b[^:]{0,60}?\b" + _FOUND_VERB + r"\b", cue, re.IGNORECASE))


def ends_run(sentence: str) -> bool:
    """Whether a sentence after a finding no longer reports one: an action or work in hand, what
    the partnership did, the review's own course, an introduction, or a quote of feedback."""
    s = sentence.strip()
    return (is_action(s) or bool(_OWN_WORK.match(s)) or bool(PROCESS.search(s)) or s.endswith(":")
            or s[:1] in "\"“‘'")
