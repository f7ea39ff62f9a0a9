"""Answer latency over HTTP, one client: ``python -m evals.latency --index var/index+hartwell``.

Starts ``reportqa serve`` on the index in a child process, waits for ``/api/health``, asks every
question of the bundled test split and of the other collection once as a warm-up and then ``--rounds``
times, one at a time, and prints p50 / p95 / max of the wall time of each ``/api/ask`` call
(client side, so JSON and HTTP are included). The index given should hold both partnerships,
as ``reportqa eval --collection hartwell`` leaves it in ``<index>+hartwell``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from evals.collections import load_collections
from evals.load import request, start_server
from evals.load_report import percentile
from evals.questions import load_questions

ROOT = Path(__file__).resolve().parents[1]


def _ask(port: int, question: str) -> float:
    t = time.perf_counter()
    status, _, _ = request(port, "POST", "/api/ask", json.dumps({"question": question}).encode(), timeout=60)
    elapsed = (time.perf_counter() - t) * 1000
    if status != 200:
        raise RuntimeError(f"/api/ask answered {status} to {question!r}")
    return elapsed


def questions() -> list[str]:
    cols = load_collections()
    bundled, hartwell = cols["bundled"], cols["hartwell"]
    qs = load_questions(bundled.questions)
    split = bundled.splits([q.id for q in qs])
    return [q.question for q in qs if split[q.id] == "test"] + [q.question for q in load_questions(hartwell.questions)]


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, default=ROOT / "var" / "index+hartwell")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    if not (args.index / "manifest.json").is_file():
        raise SystemExit(f"error: {args.index} holds no index; run `reportqa eval --collection hartwell` first")
    with tempfile.TemporaryDirectory() as tmp:
        # evals.load's server: a copy of the index, rate limits off (one client asking as fast as it can).
        server = start_server(args.index, Path(tmp), timeout=300)
        try:
            qs = questions()
            for q in qs:
                _ask(server.port, q)  # warm-up: first-use caches
            times = [_ask(server.port, q) for _ in range(args.rounds) for q in qs]
        finally:
            server.stop()
    ordered = sorted(times)
    result = {"requests": len(times), "p50_ms": percentile(ordered, 50), "p95_ms": percentile(ordered, 95), "max_ms": ordered[-1]}
    print(json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in result.items()}))
    return result


if __name__ == "__main__":
    main()
