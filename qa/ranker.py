"""The fitted sentence ranker: a logistic regression over ``qa.features``, fitted on the train
split by ``reportqa fit`` (``evals.fit_ranker``) and saved beside this module as JSON with its
feature names, version and the threshold below which the engine declines.

Its output is the probability that a sentence states the answer to the question. The engine
orders sentences by it (``qa.rank``), and declines when the quoted sentence's probability is
under ``abstain_below`` (chosen on the train split, reported on the test split and other collections).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IndexLoadError as _IndexError
from qa.features import FEATURES

WEIGHTS_FILE = Path(__file__).with_name("ranker.json")
VERSION = 2


@dataclass(frozen=True)
class Ranker:
    """Weights of a fitted logistic regression, by feature name."""

    weights: dict[str, float]
    intercept: float
    abstain_below: float
    version: int = VERSION
    trained_on: str = ""

    def logit(self, x: Sequence[float]) -> float:
        """intercept + sum of weight * feature, features in ``FEATURES`` order."""
        return self.intercept + sum(self.weights[name] * v for name, v in zip(FEATURES, x))

    def probability(self, x: Sequence[float]) -> float:
        """sigmoid(logit): the probability that the sentence states the answer."""
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, self.logit(x)))))

    def to_json(self) -> dict:
        return {"version": self.version, "features": list(FEATURES), "weights": self.weights,
                "intercept": self.intercept, "abstain_below": self.abstain_below,
                "trained_on": self.trained_on}


def load_ranker(path: Path = WEIGHTS_FILE) -> Ranker:
    """The ranker saved at ``path``; refuses a file whose version or features differ from the code's."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _IndexError(f"{path}: cannot read the ranker's weights ({exc})") from exc
    if data.get("version") != VERSION:
        raise _IndexError(f"{path}: ranker version {data.get('version')} is not {VERSION}; run `reportqa fit`")
    if tuple(data.get("features", ())) != FEATURES:
        raise _IndexError(f"{path}: ranker features differ from qa.features.FEATURES; run `reportqa fit`")
    return Ranker({k: float(v) for k, v in data["weights"].items()}, float(data["intercept"]),
                  float(data["abstain_below"]), VERSION,
                  str(data.get("trained_on", "")))


def save_ranker(ranker: Ranker, path: Path = WEIGHTS_FILE) -> None:
    tmp = Path(path).with_suffix(".tmp")
    tmp.write_text(json.dumps(ranker.to_json(), indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
