"""Load and abuse test of a real server (``reportqa serve`` in a child process), run by ``make load``.

Phases: (1) many clients asking through /api/ask and /api/ask/stream for a while, with oversized
and malformed requests mixed in; (2) fewer clients asking, first quietly, then while a report is
uploaded and deleted again and again; (3) requests of 100 MB. It reports requests, errors, p50,
p95, p99 and the server's memory, and writes them to docs/reliability.md with the commit.

A short run (``run_short``) is part of ``make test``: 10 clients for 5 s, zero errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from evals.load_report import percentile, write_reliability

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
TOKEN = "load-test-token"
UPLOAD_SOURCE = ROOT / "data" / "reports" / "002_9b8a39fd266776b3.pdf"
# Malformed requests mixed into the load; each must get exactly this status.
ABUSE = (
    ("/api/ask", b'{"question": "\\ud800 training"}', 422),
    ("/api/ask", b'{"question": "caf\xe9"}', 400),
    ("/api/ask", b'{"question": 12}', 422),
    ("/api/ask", b'{"question": "x", "history": "not a list"}', 422),
    ("/api/ask", b'{"question": "x"', 400),
    ("/api/ask", b'{"question": "' + b"a" * 200_000 + b'"}', 413),
    ("/api/ask/stream", b'{"question": "x", "history": ["' + b"b" * 30_000 + b'"]}', 422),
    ("/api/feedback", b'{"rating": "sideways"}', 422),
)


@dataclass
class Sample:
    start: float
    seconds: float
    ok: bool
    kind: str
    detail: str = ""


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    root: Path
    log: Path
    env: dict = field(default_factory=dict)

    def rss_mb(self) -> float:
        """Resident memory of the server process, from /proc."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index_dir: Path, root: Path, extra_env: dict | None = None, timeout: float = 180) -> Server:
    """``reportqa serve`` over a copy of ``index_dir`` in ``root``; rate limits off unless given."""
    root.mkdir(parents=True, exist_ok=True)
    if Path(index_dir).resolve() != (root / "index").resolve():  # a restart serves the index it has
        shutil.copytree(index_dir, root / "index", dirs_exist_ok=True)
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
           "REPORTQA_ADMIN_TOKEN": TOKEN, "REPORTQA_UPLOAD_DIR": str(root / "uploads"),
           "REPORTQA_FEEDBACK_DB": str(root / "feedback.sqlite3"),
           "REPORTQA_RATE_ASK_PER_MINUTE": "0", "REPORTQA_RATE_FEEDBACK_PER_MINUTE": "0", **(extra_env or {})}
    log = root / "server.log"
    log.write_bytes(b"")
    cmd = [str(Path(sys.executable).with_name("reportqa")), "serve", "--index", str(root / "index"),
           "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    server = Server(proc, port, root, log, env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            status, _, _ = request(port, "GET", "/api/health", timeout=2)
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"the server did not answer /api/health within {timeout:.0f} s")


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 120, conn: http.client.HTTPConnection | None = None) -> tuple[int, dict, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        if own:
            conn.close()


def questions() -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "evals" / "questions.jsonl").read_text().splitlines() if line.strip()]
    return [r["question"] for r in rows]


def ask_once(port: int, question: str, stream: bool, conn: http.client.HTTPConnection) -> Sample:
    path = "/api/ask/stream" if stream else "/api/ask"
    t0 = time.perf_counter()
    status, _, data = request(port, "POST", path, json.dumps({"question": question}).encode(), conn=conn)
    seconds = time.perf_counter() - t0
    if status != 200:
        return Sample(t0, seconds, False, path, f"{status} {data[:200]!r}")
    if stream:
        events = [line[7:] for line in data.decode().splitlines() if line.startswith("event: ")]
        ok = events[-1:] == ["done"]
        return Sample(t0, seconds, ok, path, "" if ok else f"stream ended with {events[-1:]}")
    ok = "answer" in json.loads(data)
    return Sample(t0, seconds, ok, path, "" if ok else "no answer")


def asker(port: int, until: float, out: list[Sample], seed: int) -> None:
    """One client: questions one after another, alternating /api/ask and the stream."""
    rng = random.Random(seed)
    qs = questions()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    n = 0
    while time.perf_counter() < until:
        try:
            out.append(ask_once(port, rng.choice(qs), n % 2 == 1, conn))
        except (OSError, http.client.HTTPException, ValueError) as exc:
            out.append(Sample(time.perf_counter(), 0.0, False, "ask", f"{exc.__class__.__name__}: {exc}"))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        n += 1
    conn.close()


def abuser(port: int, until: float, out: list[Sample], pause: float = 0.25) -> None:
    """Malformed and oversized requests, each expected to get its exact 4xx with a JSON detail."""
    i = 0
    while time.perf_counter() < until:
        path, body, expected = ABUSE[i % len(ABUSE)]
        t0 = time.perf_counter()
        try:
            status, _, data = request(port, "POST", path, body)
            ok = status == expected and isinstance(json.loads(data).get("detail"), str)
            detail = "" if ok else f"{path}: expected {expected}, got {status} {data[:120]!r}"
        except (OSError, http.client.HTTPException, ValueError) as exc:
            ok, detail = False, f"{path}: {exc.__class__.__name__}: {exc}"
        out.append(Sample(t0, time.perf_counter() - t0, ok, "abuse", detail))
        i += 1
        time.sleep(pause)


def run_clients(port: int, clients: int, seconds: float, abuse: bool = True) -> list[Sample]:
    until = time.perf_counter() + seconds
    out: list[Sample] = []
    threads = [threading.Thread(target=asker, args=(port, until, out, i), daemon=True) for i in range(clients)]
    if abuse:
        threads.append(threading.Thread(target=abuser, args=(port, until, out), daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def summary(samples: list[Sample]) -> dict:
    asks = [s for s in samples if s.kind != "abuse"]
    abuse = [s for s in samples if s.kind == "abuse"]
    times = sorted(s.seconds for s in asks if s.ok)
    errors = [s.detail for s in samples if not s.ok]
    return {"requests": len(asks), "errors": len(errors), "abuse_requests": len(abuse),
            "abuse_wrong": sum(not s.ok for s in abuse), "first_errors": errors[:5],
            "p50": percentile(times, 50), "p95": percentile(times, 95), "p99": percentile(times, 99)}


def sample_memory(server: Server, until: float, out: list[tuple[float, float]], every: float = 1.0) -> None:
    t0 = time.perf_counter()
    while time.perf_counter() < until:
        out.append((time.perf_counter() - t0, server.rss_mb()))
        time.sleep(every)


def phase_load(server: Server, clients: int, seconds: float) -> dict:
    """Many clients with abuse mixed in; memory sampled every second."""
    memory: list[tuple[float, float]] = []
    sampler = threading.Thread(target=sample_memory, args=(server, time.perf_counter() + seconds, memory), daemon=True)
    sampler.start()
    samples = run_clients(server.port, clients, seconds)
    sampler.join()
    result = summary(samples)
    at_minute = [mb for t, mb in memory if t <= 60] or [memory[0][1]]
    result.update(clients=clients, seconds=seconds, rate=round(result["requests"] / seconds, 1),
                  rss_start_mb=round(memory[0][1], 1), rss_minute_mb=round(at_minute[-1], 1),
                  rss_end_mb=round(memory[-1][1], 1), rss_max_mb=round(max(mb for _, mb in memory), 1))
    result["growth_after_minute"] = round(result["rss_end_mb"] / result["rss_minute_mb"] - 1, 4)
    return result


def upload_and_delete(server: Server, name: str) -> tuple[float, float]:
    """Upload a real report under ``name``, wait for its job, delete it; the write's (start, end)."""
    t0 = time.perf_counter()
    boundary = "loadtestboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode() + UPLOAD_SOURCE.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    status, _, data = request(server.port, "POST", "/api/documents", body, headers)
    if status != 202:
        raise RuntimeError(f"upload of {name} got {status}: {data[:300]!r}")
    job = json.loads(data)
    while True:
        _, _, data = request(server.port, "GET", f"/api/jobs/{job['job_id']}")
        state = json.loads(data)
        if state["state"] in ("done", "failed"):
            break
        time.sleep(0.2)
    if state["state"] != "done":
        raise RuntimeError(f"upload of {name} failed: {state['detail']}")
    status, _, data = request(server.port, "DELETE", f"/api/documents/{job['doc_id']}", headers=headers)
    if status != 200:
        raise RuntimeError(f"delete of {name} got {status}: {data[:300]!r}")
    return t0, time.perf_counter()


def phase_writes(server: Server, clients: int, seconds: float, after: float = 10.0) -> dict:
    """p95 of asks with no write, then of asks started during an upload/delete or up to ``after``
    seconds past one (the old stall lasted 5-10 s past each write)."""
    quiet = summary(run_clients(server.port, clients, seconds, abuse=False))
    until = time.perf_counter() + seconds
    out: list[Sample] = []
    threads = [threading.Thread(target=asker, args=(server.port, until, out, 100 + i), daemon=True)
               for i in range(clients)]
    for t in threads:
        t.start()
    windows = []
    n = 0
    while time.perf_counter() < until - 2:
        windows.append(upload_and_delete(server, f"load-upload-{n}.pdf"))
        n += 1
    for t in threads:
        t.join()
    during = [s for s in out if any(a <= s.start <= b + after for a, b in windows)]
    busy = summary(during)
    busy.update(writes=n, write_seconds=[round(b - a, 1) for a, b in windows])
    return {"clients": clients, "seconds": seconds, "quiet": quiet, "during_writes": busy,
            "failed_asks": sum(not s.ok for s in out),
            "p95_ratio": round(busy["p95"] / quiet["p95"], 2) if quiet["p95"] else None}


def big_request(port: int, path: str, size: int, chunked: bool, headers: dict | None = None) -> dict:
    """Send up to ``size`` bytes to ``path`` (declared, or chunked with no length) until the server
    answers; the seconds to its answer, its status and how much was sent by then."""
    block = b"x" * (1 << 20)
    upload = path == "/api/documents"
    kind = "multipart/form-data; boundary=big" if upload else "application/json"
    head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Type: {kind}", "Connection: close",
            *(f"{k}: {v}" for k, v in (headers or {}).items()),
            "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"]
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    t0 = time.perf_counter()
    sent, reply = 0, b""
    try:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        if upload:  # a file part that never ends
            prefix = b'--big\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n'
            sock.sendall(f"{len(prefix):x}\r\n".encode() + prefix + b"\r\n" if chunked else prefix)
            sent += len(prefix)
        sock.setblocking(False)
        while sent < size and not reply:
            try:
                reply = sock.recv(65536)
                break
            except BlockingIOError:
                pass
            piece = block[:min(len(block), size - sent)]
            frame = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
            try:
                sock.setblocking(True)
                sock.settimeout(5)
                sock.sendall(frame)
                sock.setblocking(False)
            except OSError:
                break  # the server answered and closed while we were still sending
            sent += len(piece)
        sock.setblocking(True)
        sock.settimeout(30)
        if chunked and sent >= size:
            sock.sendall(b"0\r\n\r\n")
        while b"\r\n\r\n" not in reply:
            more = sock.recv(65536)
            if not more:
                break
            reply += more
    finally:
        sock.close()
    status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0
    return {"status": status, "seconds": round(time.perf_counter() - t0, 3), "sent_mb": round(sent / (1 << 20), 1)}


def phase_big(server: Server, size_mb: int = 100) -> list[dict]:
    """Requests of ``size_mb`` MB, each with the server's peak memory growth while it was refused."""
    out = []
    cases = [("/api/ask", False, {}), ("/api/ask", True, {}), ("/api/feedback", True, {}),
             ("/api/documents", False, {"Authorization": f"Bearer {TOKEN}"}),
             ("/api/documents", True, {"Authorization": f"Bearer {TOKEN}"})]
    for path, chunked, headers in cases:
        base = server.rss_mb()
        peak = [base]
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                peak.append(server.rss_mb())
                time.sleep(0.005)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        result = big_request(server.port, path, size_mb << 20, chunked, headers)
        time.sleep(0.2)
        done.set()
        watcher.join()
        result.update(path=path, body="chunked, no length" if chunked else "Content-Length",
                      rss_growth_mb=round(max(peak) - base, 1))
        out.append(result)
    return out


def run_short(index_dir: Path, clients: int = 10, seconds: float = 5.0) -> dict:
    """The short run of ``make test``: a fresh server, ``clients`` askers and the abuser."""
    root = Path(tempfile.mkdtemp(prefix="reportqa-load-"))
    server = start_server(index_dir, root)
    try:
        return summary(run_clients(server.port, clients, seconds))
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load and abuse test of a real reportqa server.")
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "index")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120.0, help="of the main phase (memory: after minute 1)")
    parser.add_argument("--write-clients", type=int, default=20)
    parser.add_argument("--write-seconds", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "reliability.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if not (args.index / "manifest.json").is_file():
        print(f"error: no index at {args.index}; run 'make index' first", file=sys.stderr)
        return 2
    root = Path(tempfile.mkdtemp(prefix="reportqa-load-"))
    server = start_server(args.index, root)
    try:
        results = {"rss_idle_mb": round(server.rss_mb(), 1)}
        logger.info("phase 1: %d clients for %.0f s", args.clients, args.seconds)
        results["load"] = phase_load(server, args.clients, args.seconds)
        logger.info("%s", results["load"])
        logger.info("phase 2: %d clients, quiet then during uploads and deletes", args.write_clients)
        results["writes"] = phase_writes(server, args.write_clients, args.write_seconds)
        logger.info("%s", results["writes"])
        logger.info("phase 3: 100 MB requests")
        results["big"] = phase_big(server)
        logger.info("%s", results["big"])
        results["server_header"] = request(server.port, "GET", "/api/health")[1].get("server", "")
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
    write_reliability(args.out, results, vars(args))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
