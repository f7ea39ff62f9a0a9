"""docs/reliability.md from the figures of evals.load, stamped with the commit they were measured at."""

from __future__ import annotations

import math
import os
import platform
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMITS = (
    ("REPORTQA_MAX_JSON_KB", "64", "body of /api/ask and /api/ask/stream (413 past it, counted as it arrives)"),
    ("REPORTQA_MAX_FEEDBACK_KB", "128", "body of /api/feedback"),
    ("REPORTQA_MAX_UPLOAD_MB", "50", "an uploaded file (its body may add 64 KB of multipart framing)"),
    ("REPORTQA_MAX_QUESTION_CHARS", "2000", "a question"),
    ("REPORTQA_MAX_HISTORY_ITEMS", "20", "earlier questions sent as history"),
    ("REPORTQA_MAX_HISTORY_ITEM_CHARS", "2000", "each of them"),
    ("REPORTQA_RATE_ASK_PER_MINUTE", "120", "asks (plain and streamed together) per client address; 0 is off"),
    ("REPORTQA_RATE_FEEDBACK_PER_MINUTE", "30", "ratings per client address; 0 is off"),
    ("REPORTQA_RATE_BURST", "30", "requests a client may send at once before the rate applies (429 + Retry-After)"),
)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values (0.0 for none), in seconds to 3 places."""
    if not sorted_values:
        return 0.0
    k = max(0, math.ceil(p / 100 * len(sorted_values)) - 1)
    return round(sorted_values[k], 3)


def commit() -> str:
    """The commit measured, with '+changes' when the work tree differs from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def write_reliability(out: Path, results: dict, args: dict) -> None:
    load, writes, big = results["load"], results["writes"], results["big"]
    quiet, busy = writes["quiet"], writes["during_writes"]
    json_big = [b for b in big if b["path"] != "/api/documents"]
    lines = [
        "# Reliability under load and abuse",
        "",
        f"Measured by `make load` (`python -m evals.load`) at commit `{commit()}` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPU cores "
        f"({platform.machine()}, Python {platform.python_version()}), against `reportqa serve` on 127.0.0.1 "
        "over the bundled reports' index, rate limits off (`REPORTQA_RATE_*_PER_MINUTE=0`; they are per "
        "client address and every load client shares one). Each client asks the benchmark's questions one "
        "after another, alternating `/api/ask` and `/api/ask/stream` (a stream counts only if it ends with "
        "`done`); an extra client sends malformed and oversized requests every 0.25 s, each of which must "
        "get its exact 4xx with a JSON `detail`. Times are seconds per request, as the client saw them; "
        "the load clients run on the same cores as the server, so compare figures within one run.",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
        f"| {load['clients']} clients for {load['seconds']:.0f} s: zero errors | {load['errors']} errors in "
        f"{load['requests']} asks and {load['abuse_requests']} abusive requests | {verdict(load['errors'] == 0)} |",
        f"| memory growth of the server after the first minute <= 10% | {load['growth_after_minute']:.1%} "
        f"({load['rss_minute_mb']} MB at 60 s, {load['rss_end_mb']} MB at {load['seconds']:.0f} s) | "
        f"{verdict(load['growth_after_minute'] <= 0.10)} |",
        f"| during an upload and a delete: p95 <= 2x the quiet p95 | {busy['p95']} s vs {quiet['p95']} s "
        f"(x{writes['p95_ratio']}) | {verdict(writes['p95_ratio'] is not None and writes['p95_ratio'] <= 2)} |",
        f"| ... and zero failed asks | {writes['failed_asks']} | {verdict(writes['failed_asks'] == 0)} |",
        f"| no input produces a 5xx | {load['abuse_wrong']} abusive requests answered other than expected | "
        f"{verdict(load['abuse_wrong'] == 0)} |",
        f"| a 100 MB request costs < 50 MB and < 0.5 s before its 413 | at most "
        f"{max(b['rss_growth_mb'] for b in json_big)} MB and {max(b['seconds'] for b in json_big)} s (JSON "
        f"endpoints) | {verdict(all(b['status'] == 413 and b['rss_growth_mb'] < 50 and b['seconds'] < 0.5 for b in json_big))} |",
        "",
        f"## {load['clients']} clients for {load['seconds']:.0f} s",
        "",
        "| asks | per second | errors | p50 | p95 | p99 | server RSS: idle, start, 60 s, end, max (MB) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| {load['requests']} | {load['rate']} | {load['errors']} | {load['p50']} | {load['p95']} | {load['p99']} | "
        f"{results['rss_idle_mb']}, {load['rss_start_mb']}, {load['rss_minute_mb']}, {load['rss_end_mb']}, "
        f"{load['rss_max_mb']} |",
        "",
        f"## {writes['clients']} clients, without and during writes",
        "",
        f"First {writes['seconds']:.0f} s with no write, then {writes['seconds']:.0f} s in which a "
        f"{UPLOAD_KB} KB bundled report is uploaded under a new name, indexed, and deleted again, over and "
        f"over ({busy['writes']} times; each upload-to-delete took {', '.join(map(str, busy['write_seconds']))} s). "
        "'During writes' counts the asks started while a write ran or within 10 s after it ended (the "
        "stall this replaced lasted 5-10 s past each write).",
        "",
        "| asks | errors | p50 | p95 | p99 |",
        "| --- | --- | --- | --- | --- |",
        f"| quiet: {quiet['requests']} | {quiet['errors']} | {quiet['p50']} | {quiet['p95']} | {quiet['p99']} |",
        f"| during writes: {busy['requests']} | {busy['errors']} | {busy['p50']} | {busy['p95']} | {busy['p99']} |",
        "",
        "## 100 MB requests",
        "",
        "| endpoint | body | status | seconds to the answer | MB sent by then | server RSS growth (MB) |",
        "| --- | --- | --- | --- | --- | --- |",
        *(f"| {b['path']} | {b['body']} | {b['status']} | {b['seconds']} | {b['sent_mb']} | {b['rss_growth_mb']} |"
          for b in big),
        "",
        "A declared length over the limit is refused from the headers; a chunked body is counted as it "
        "arrives and refused at the limit (64 KB for asks, 128 KB for feedback; for uploads "
        "`REPORTQA_MAX_UPLOAD_MB` plus 64 KB of multipart framing, which the server does read).",
        "",
        f"`server` header on responses: `{results['server_header'] or '(none)'}`.",
        "",
        "## Fault and abuse tests (in `make test`)",
        "",
        "- `tests/test_upload_faults.py`: the server is killed (SIGKILL) at many moments of an upload "
        "and a replace; after a restart the index loads, holds the old or the new document, and no "
        "`.incoming-*` folder, parked `.previous-*` file or unindexed file is left (startup says what it removed).",
        "- `tests/test_limits.py`, `tests/test_security_headers.py`, `tests/test_fuzz.py` (Hypothesis over "
        "the ask, feedback and upload inputs: no 5xx, always a JSON `detail`), `tests/test_csp_browser.py` "
        "(the page and /docs in Chromium under the CSP, no console violations), and `tests/test_load_short.py` "
        "(10 clients for 5 s against a real server, zero errors).",
        "",
        "## Limits (all in `Settings`, environment `REPORTQA_*`)",
        "",
        "| setting | default | what |",
        "| --- | --- | --- |",
        *(f"| `{name}` | {default} | {what} |" for name, default, what in LIMITS),
        "",
        "Every response carries `Content-Security-Policy` (own scripts and styles only, `frame-ancestors "
        "'none'`), `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` and `Referrer-Policy: "
        "no-referrer`, and no `server` header. An uploaded file other than a PDF is served as a plain-text "
        "attachment under a CSP that runs nothing. `/docs` is Swagger UI from the `swagger-ui-py` package.",
        "",
        "Run: `make load` (about five minutes; options: `python -m evals.load --help`).",
        "",
    ]
    Path(out).write_text("\n".join(lines))


UPLOAD_KB = round((ROOT / "data" / "reports" / "002_9b8a39fd266776b3.pdf").stat().st_size / 1024)
