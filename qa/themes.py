"""The themes of case-review learning, and how a learning point is given its themes.

The taxonomy follows the headings the national Child Safeguarding Practice Review Panel and
local reviews use for recurring learning. Each theme has keywords (words that name the theme
outright), example sentences in the field's words (qa.theme_examples) and a one-line description
(what a question's embedding is compared with, qa.learning_answer). A point gets every theme whose
keywords it uses, plus the themes whose nearest example sentence is at least ``threshold`` like
it and within ``MARGIN`` of its best theme's; a point with none is "other". The method and its
constants were chosen by cross-validation on the bundled labels (evals.fit_themes) and are
reported on the other partnership's labels (evals.learning_eval).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from qa.theme_examples import EXAMPLES

OTHER = "other"
DEFAULT_THRESHOLD = 0.65  # chosen on the bundled labels by evals.fit_themes
MARGIN = 0.0  # how close to the nearest theme a second one must be: 0, the nearest only (evals.fit_themes tried up to 0.1)


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    description: str
    keywords: str  # a regular expression, matched case-insensitively


TAXONOMY: tuple[Theme, ...] = (
    Theme("professional-curiosity", "Professional curiosity",
          "practitioners did not think critically, test what they were told or seek further information; explanations and self-reports accepted at face value; respectful uncertainty",
          r"professional curiosity|curious|face value|explanation (was )?(given|accepted)"
          r"|disguised compliance|respectful uncertainty|triangulat|follow(ing|ed)? up|avoid(ing|ed) contact|fabricated (or|and) induced|\bFII\b"),
    Theme("information-sharing", "Information sharing",
          "information was not shared between agencies in a timely and effective way, or was shared but not acted on; records and case history did not follow a family between services",
          r"information[- ]shar|shar(e|ed|ing) (the |this )?information|was not passed|intelligence"
          r"|information gathering|(multi-agency |inter-?agency )communication|communication between|chronolog|joined[- ]up"),
    Theme("voice-of-child", "Voice and lived experience of the child",
          "the child's voice, views, wishes and daily lived experience were not heard, recorded or acted on",
          r"voice|lived experience|views of the child|what life is like|wishes and feelings|seen alone|spoken to alone"),
    Theme("fathers-male-carers", "Fathers and male carers",
          "fathers, male carers, partners of mothers and men in the household were not known, assessed or engaged",
          r"\bfathers?\b|male carers?|\bmen\b who|perpetrators?|\bdads?\b|step-?fathers?|male partners?"),
    Theme("safe-sleep", "Safe sleep and babies",
          "unsafe sleeping, co-sleeping, sudden infant death, bruising and injury to non-mobile babies, crying babies, pre-birth work",
          r"safe(r)? sleep|co[- ]?sleep|sudden (unexpected )?infant|non-?mobile|pre-?mobile|crying|pre-?birth|\bbab(y|ies)\b|infant"
          r"|\bbath|shaken|head (injur|trauma)|new-?born|neonat"),
    Theme("neglect", "Neglect",
          "neglect of a child's care, health, hygiene or supervision, cumulative harm, drift, poverty and neglect, children not brought to appointments",
          r"neglect|not brought|did not attend|cumulative harm|drift|home conditions|hygiene|unmet needs"),
    Theme("domestic-abuse", "Domestic abuse",
          "domestic abuse and violence between adults in the household, coercive control and its impact on children",
          r"domestic (abuse|violence)|coercive|abusive relationship|controlling behaviour|intimate partner violence"),
    Theme("exploitation", "Exploitation and harm outside the home",
          "criminal and sexual exploitation, county lines, going missing, grooming, online harm, extra-familial harm, harmful sexual behaviour",
          r"exploit|county line|missing|groom|trafficking|national referral mechanism|sexual(ly)? (harm|abuse|images|behaviour)|harmful sexual|online"
          r"|modern slavery|radicali[sz]|\bgangs?\b|extra-?familial|contextual safeguarding|youth violence"),
    Theme("escalation-challenge", "Escalation and challenge",
          "practitioners did not escalate concerns or challenge decisions of other agencies; professional disagreement; thresholds",
          r"escalat|challeng|professional (disagreement|difference)"),
    Theme("mental-health", "Mental health",
          "parental or child mental health, depression, self-harm and suicide, emotional wellbeing",
          r"mental health|depressi|self-?harm|suicid|emotional (difficult|wellbeing|health)|perinatal|anxiety|psychiatr|psycholog|\bCAMHS\b"),
    Theme("missing-education", "Missing education",
          "children missing or removed from school, elective home education, exclusion, attendance",
          r"home education|school roll|exclu(ded|sion)|missing (from )?education|attendance at school|off-?roll|part-?time timetable|absen(t|ce) from school"),
    Theme("send-neurodiversity", "SEND and neurodiversity",
          "children with special educational needs and disabilities, autism, ADHD, communication needs, diagnostic overshadowing, learning difficulties",
          r"(?-i:\bSEND\b)|autis|neurodiver|ADHD|disabilit|communication needs|overshadowing|learning difficult|special educational|\bEHCP\b|special needs|disabled|\bdeaf"),
    Theme("transitions", "Transitions",
          "moves between schools, services, areas or to adult services; transition at 18; transfers of cases between areas; step-down",
          r"transition|adult services|transfers? of cases|step-?down|between areas|out of area|transient|moving (home|house|area)|care leavers?|leaving care"),
)
LABELS: dict[str, str] = {t.key: t.label for t in TAXONOMY} | {OTHER: "Other"}
_KEYWORDS = [(t.key, re.compile(t.keywords, re.IGNORECASE)) for t in TAXONOMY]


def keyword_themes(text: str) -> list[str]:
    """The themes whose keywords ``text`` uses, in taxonomy order."""
    return [key for key, rx in _KEYWORDS if rx.search(text)]


class ThemeAssigner:
    """Gives learning points their themes: keywords, plus the themes whose example sentences
    the point's embedding is near. Holds the example sentences' vectors, and the descriptions'
    (``theme_vectors``, which questions are compared with)."""

    def __init__(self, embedder, threshold: float = DEFAULT_THRESHOLD, margin: float = MARGIN) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
        if not 0.0 <= margin <= 1.0:
            raise ValueError(f"margin must be between 0 and 1, not {margin}")
        self.embedder = embedder
        self.threshold, self.margin = threshold, margin
        self.theme_vectors = np.asarray(embedder.encode([f"{t.label}: {t.description}" for t in TAXONOMY]), dtype=np.float32)
        sentences = [(i, s) for i, t in enumerate(TAXONOMY) for s in EXAMPLES[t.key]]
        self.example_vectors = np.asarray(embedder.encode([s for _, s in sentences]), dtype=np.float32)
        self.example_theme = np.array([i for i, _ in sentences])

    def encode(self, texts: list[str]) -> np.ndarray:
        """The texts' embeddings (rows), normalised as the theme vectors are."""
        if not texts:
            return np.zeros((0, self.theme_vectors.shape[1]), dtype=np.float32)
        return np.asarray(self.embedder.encode(texts), dtype=np.float32)

    def theme_similarities(self, vectors: np.ndarray) -> np.ndarray:
        """Each embedding's similarity with each theme: the cosine of its nearest example
        sentence of that theme (rows: ``vectors``, columns: TAXONOMY)."""
        return nearest_example(vectors @ self.example_vectors.T, self.example_theme, len(TAXONOMY))

    def similarities(self, texts: list[str]) -> np.ndarray:
        return self.theme_similarities(self.encode(texts))

    def assign(self, texts: list[str], sims: np.ndarray | None = None) -> list[list[str]]:
        """Themes of each text, in taxonomy order; ``["other"]`` for a text with none.
        ``sims``: the texts' ``theme_similarities``, when already computed."""
        sims = self.similarities(texts) if sims is None else sims
        return [assign_one(t, row, self.threshold, self.margin) for t, row in zip(texts, sims)]


def nearest_example(sims: np.ndarray, example_theme: np.ndarray, n_themes: int) -> np.ndarray:
    """Per theme, the largest of ``sims``' columns whose example belongs to it (-1 without any)."""
    out = np.full((sims.shape[0], n_themes), -1.0, dtype=np.float32)
    for j in range(n_themes):
        cols = example_theme == j
        if cols.any() and sims.shape[0]:
            out[:, j] = sims[:, cols].max(axis=1)
    return out


def assign_one(text: str, sims: np.ndarray, threshold: float, margin: float = MARGIN) -> list[str]:
    """Keyword themes plus the embedding themes at or above ``threshold`` within ``margin`` of the best."""
    chosen = set(keyword_themes(text))
    if len(sims):
        best = float(np.max(sims))
        if best >= threshold:
            chosen |= {TAXONOMY[i].key for i, s in enumerate(sims) if s >= threshold and s >= best - margin}
    return [t.key for t in TAXONOMY if t.key in chosen] or [OTHER]
