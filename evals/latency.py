"""Answer latency over HTTP, one client: ``python -m evals.latency --index var/index+hartwell``.

Starts ``reportqa serve`` on the index in a child process, waits for ``/api/health``, asks every
question of the bundled test split and of Hartwell once as a warm-up and then ``--rounds``
times, one at a time, and prints p50 / p95 / max of the wall time of each ``/api/ask`` call
(client side, so JSON and HTTP are included). The index given should hold both partnerships,
as ``reportqa eval --collection hartwell`` leaves it in ``<index>+hartwell``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from evals.collections import load_collections
from evals.load_report import percentile
from evals.questions import load_questions

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ask(port: int, question: str) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    t = time.perf_counter()
    conn.request("POST", "/api/ask", json.dumps({"question": question}), {"Content-Type": "application/json"})
    resp = conn.getresponse()
    resp.read()
    elapsed = (time.perf_counter() - t) * 1000
    conn.close()
    if resp.status != 200:
        raise RuntimeError(f"/api/ask answered {resp.status} to {question!r}")
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
    port = _free_port()
    # One client asking as fast as it can would meet the per-client rate limit, which is not measured here.
    env = dict(os.environ, HF_HUB_OFFLINE="1", REPORTQA_RATE_ASK_PER_MINUTE="100000", REPORTQA_RATE_BURST="100000")
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--index", str(args.index), "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 300
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/health")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("error: the server did not become healthy")
            time.sleep(0.5)
        qs = questions()
        for q in qs:
            _ask(port, q)  # warm-up: first-use caches
        times = [_ask(port, q) for _ in range(args.rounds) for q in qs]
    finally:
        server.terminate()
        server.wait(timeout=30)
    ordered = sorted(times)
    result = {"requests": len(times), "p50_ms": percentile(ordered, 50), "p95_ms": percentile(ordered, 95), "max_ms": ordered[-1]}
    print(json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in result.items()}))
    return result


if __name__ == "__main__":
    main()
