"""Query expansion with the words these reports use for common question words.

Practitioners ask "how much was spent" where a report says "expenditure", or "how many people"
where it says "individuals", "participants" or "delegates". Expansions are added to the keyword
query and count at half weight in sentence scoring.
"""

from __future__ import annotations

import re

from index.keyword import tokenize

SYNONYMS: dict[str, tuple[str, ...]] = {
    "spend": ("expenditure", "spent", "cost"),
    "spent": ("expenditure", "spend", "cost"),
    "spending": ("expenditure", "spend"),
    "cost": ("expenditure", "spend"),
    "costs": ("expenditure", "spend"),
    "money": ("budget", "funding", "income", "contributions", "£"),
    "funding": ("budget", "income", "contributions", "funded"),
    "funded": ("funding", "contributions", "income"),
    "budget": ("income", "expenditure", "contributions"),
    "contribute": ("contributions", "income"),
    "contributed": ("contributions", "income"),
    "pay": ("contributions", "income"),
    "paid": ("contributions", "income"),
    "people": ("individuals", "participants", "attendees", "delegates", "staff"),
    "staff": ("practitioners", "workforce", "professionals", "individuals"),
    "attended": ("attendees", "participants", "participated", "delegates", "attendance"),
    "attend": ("attendees", "participants", "delegates", "attendance"),
    "attendance": ("attendees", "participants", "attended", "delegates", "individuals"),
    "training": ("courses", "events", "trained"),
    "courses": ("training", "events"),
    "sessions": ("events", "courses", "training"),
    "learned": ("learning", "lessons", "findings"),
    "learnt": ("learning", "lessons", "findings"),
    "lessons": ("learning", "findings", "themes"),
    "taught": ("learning", "lessons"),
    "teach": ("learning", "lessons"),
    "themes": ("learning", "findings", "issues"),
    "deaths": ("death", "died", "cdop"),
    "looked": ("care",),  # "children looked after" are "children in care"
    "kids": ("children", "young"),
    "dads": ("fathers",),
    "dad": ("father",),
    "mums": ("mothers",),
    "mum": ("mother",),
    "watched": ("views", "viewed"),
    "watch": ("views", "viewed"),
    "online": ("youtube", "website", "virtual"),
    "youngsters": ("children", "young"),
    "cases": ("reviews", "referrals"),
    "inspection": ("ofsted", "inspected", "jtai"),
    "priorities": ("priority", "aims", "objectives"),
    "goals": ("priorities", "aims"),
    "audit": ("audits", "audited", "assurance"),
}

# Irregular verb forms, which a stemmer leaves apart ("meet" / "met"): a question asks "how
# often did the board meet", a report says "the board has met 4 times".
_IRREGULAR = [("meet", "met"), ("hold", "held"), ("run", "ran"), ("lead", "led"), ("find", "found"),
              ("begin", "began"), ("write", "wrote"), ("send", "sent"), ("keep", "kept"),
              ("bring", "brought"), ("teach", "taught"), ("seek", "sought"), ("choose", "chose"),
              ("give", "gave"), ("take", "took"), ("see", "saw")]
for _base, _past in _IRREGULAR:
    SYNONYMS.setdefault(_base, ())
    SYNONYMS[_base] += (_past,)
    SYNONYMS.setdefault(_past, ())
    SYNONYMS[_past] += (_base,)

_WORD = re.compile(r"[A-Za-z]+")


def expansions(question: str) -> list[str]:
    """Extra words for a question (not already in it), in a stable order."""
    words = [w.lower() for w in _WORD.findall(question)]
    present = set(words)
    out: list[str] = []
    for w in words:
        for extra in SYNONYMS.get(w, ()):
            if extra not in present and extra not in out:
                out.append(extra)
    return out


def expand(question: str) -> str:
    """The question with its expansions appended, for the keyword index."""
    extra = expansions(question)
    return f"{question} {' '.join(extra)}" if extra else question


def term_groups(question: str) -> dict[str, set[str]]:
    """Each keyword stem of the question with the stems of its expansions (itself included)."""
    groups: dict[str, set[str]] = {}
    for w in _WORD.findall(question):
        stems = tokenize(w)
        if not stems:
            continue
        group = groups.setdefault(stems[0], {stems[0]})
        group.update(tokenize(" ".join(SYNONYMS.get(w.lower(), ()))))
    return groups
