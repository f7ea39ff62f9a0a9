"""Learning from reviews, grouped by theme across years for trainers."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Recurring themes of case-review learning (national panel and local reviews use these words).
THEMES: tuple[tuple[str, str], ...] = (
    ("Babies and infants", r"\bbab(y|ies)\b|infant|pre-?birth|non-?mobile|under (the age of )?(one|12 months)|safer sleep"),
    ("Information sharing", r"information[- ]sharing|share[sd]? (more )?(detailed )?information|sharing information"),
    ("Domestic abuse", r"domestic (abuse|violence)|coercive"),
    ("Neglect", r"\bneglect"),
    ("Mental health, self-harm and suicide", r"mental health|self-harm|suicid"),
    ("Exploitation and harm outside the home", r"exploitation|county lines|extra-familial|outside the home|\bCSE\b"),
    ("Sexual abuse", r"sexual(ly)? (abuse|active|harm)|underage sexual"),
    ("Fathers and male carers", r"fathers?|male carers?|men in"),
    ("Voice of the child", r"voice of (the )?child|lived experience|child'?s voice"),
    ("Professional curiosity and challenge", r"professional curiosity|curious|escalat|challenge"),
    ("Procedures, briefings and training", r"procedure|briefing|training|guidance|tool\b|toolkit"),
)


def theme_of(sentence: str) -> str:
    """The first theme whose words the sentence uses, else "Other learning"."""
    for name, pattern in THEMES:
        if re.search(pattern, sentence, re.IGNORECASE):
            return name
    return "Other learning"


def group_by_theme(items: Sequence[tuple[str, str]]) -> list[tuple[str, list[int]]]:
    """Group (period, sentence) items by theme; themes that span more years come first.

    Returns (theme, indexes into ``items``) with indexes oldest period first.
    """
    groups: dict[str, list[int]] = {}
    for i, (_, sentence) in enumerate(items):
        groups.setdefault(theme_of(sentence), []).append(i)
    order = sorted(
        groups.items(),
        key=lambda kv: (kv[0] == "Other learning", -len({items[i][0] for i in kv[1]}), min(kv[1])),
    )
    return [(theme, sorted(idx, key=lambda i: (items[i][0], i))) for theme, idx in order]
