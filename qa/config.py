"""Named system configurations, compared side by side by the benchmark."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QAConfig:
    """How a question is answered: retrieval method and which later stages run."""

    name: str = "full"
    retrieval: str = "hybrid"
    second_stage: bool = True
    time_aware: bool = True
    trend: bool = True
    abstain: bool = True
    candidates: int = 20
    max_sentences: int = 2
    # The fitted ranker (qa.ranker) orders the sentences and decides abstention in place of the
    # hand weights of qa.rank; measured beside "full" by the benchmark (docs/evaluation.md).
    fitted: bool = False


CONFIGS: dict[str, QAConfig] = {
    "bm25": QAConfig("bm25", "bm25", second_stage=False, time_aware=False, trend=False, abstain=False),
    "dense": QAConfig("dense", "dense", second_stage=False, time_aware=False, trend=False, abstain=False),
    "hybrid": QAConfig("hybrid", "hybrid", second_stage=False, time_aware=False, trend=False, abstain=False),
    "full": QAConfig("full"),
    "fitted": QAConfig("fitted", fitted=True),
}
