"""Finish a scale run stopped after some sizes: time adding and removing one report, the HNSW
recall and the bundled-PDF ingest on the index as it stands, then write docs/performance.md.

    python -m evals.scale_finish --work var/scale
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from evals.questions import load_questions
from evals.scale import ANN, HARTWELL, LOAD, ROOT, _child, _env, _ingest
from evals.scale_report import write_report


def finish(work: Path, docs: Path) -> dict:
    result = json.loads((work / "scale.json").read_text())
    index = work / "index"
    result["sizes"] = [s["n"] for s in result["steps"]]
    one = sorted((work / "reports").glob("*.pdf"))[-1]  # the last report, never ingested by a step
    result["add_one"] = _ingest(index, [one], work)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "api.cli", "remove", one.name, "--index", str(index)],
                   env=_env(), cwd=ROOT, check=True, capture_output=True)
    result["remove_one_s"] = time.perf_counter() - t
    # Loaded again now that a save of this code has written the whole learning catalogue.
    result["load_after_save"] = _child(LOAD, str(index))
    qlist = work / "questions.json"
    qlist.write_text(json.dumps([q.question for q in load_questions(HARTWELL / "questions.jsonl")]))
    result["ann"] = _child(ANN, str(index), str(qlist))
    bundled = work / "bundled-index"
    subprocess.run(["rm", "-rf", str(bundled)], check=True)
    result["bundled"] = _ingest(bundled, sorted((ROOT / "data" / "reports").glob("*.pdf")), work)
    (work / "scale.json").write_text(json.dumps(result, indent=1))
    write_report(result, docs)
    return result


def main() -> None:  # pragma: no cover - command line
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", type=Path, default=Path("var/scale"))
    ap.add_argument("--docs", type=Path, default=Path("docs/performance.md"))
    a = ap.parse_args()
    r = finish(a.work, a.docs)
    print(json.dumps({k: r[k] for k in ("add_one", "remove_one_s", "ann", "bundled")}, indent=1))


if __name__ == "__main__":  # pragma: no cover
    main()
