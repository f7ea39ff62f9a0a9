"""Tags for chunks from review and learning sections, used by the "learning" mode."""

from __future__ import annotations

import dataclasses
import re

from ingest.model import Chunk

LEARNING = "learning"

# Words that mark a passage as learning from case reviews or the actions that followed.
_LEARNING_SECTION = re.compile(
    r"review|learning|lessons|key areas|further work|actions? taken|serious case|practice review|"
    r"rapid review|national panel|improvement",
    re.IGNORECASE,
)
_LEARNING_TEXT = re.compile(
    r"rapid reviews?|child safeguarding practice reviews?|serious case reviews?|\bCSPRs?\b|\bSCRs?\b|"
    r"national (?:safeguarding practice review )?panel|learning from (?:local|national|case|the) ?reviews?|"
    r"lessons learn|key areas for further work|actions taken|learning (?:was|has been) (?:shared|identified)|"
    r"learning briefing|review panel|practice learning",
    re.IGNORECASE,
)


def is_learning(chunk: Chunk) -> bool:
    """Learning when the section is about reviews and the text names them, or the text names them often."""
    if re.search(r"financ|budget|expenditure|income|contribution", chunk.section, re.IGNORECASE):
        return False
    mentions = len(_LEARNING_TEXT.findall(chunk.text))
    if re.search(r"rapid review|practice review|serious case review|key areas for further work|learning",
                 chunk.section, re.IGNORECASE):
        return True
    return (bool(_LEARNING_SECTION.search(chunk.section)) and mentions >= 1) or mentions >= 3


def tag_chunks(chunks: list[Chunk]) -> list[Chunk]:
    """Return the chunks with the "learning" tag added where it applies."""
    out = []
    for c in chunks:
        if is_learning(c) and LEARNING not in c.tags:
            c = dataclasses.replace(c, tags=tuple(sorted({*c.tags, LEARNING})))
        out.append(c)
    return out
