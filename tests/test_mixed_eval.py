"""evals.mixed: the bundled questions with another partnership's reports beside them."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from evals.collections import Collection
from evals.mixed import changed, names_partnership, table

NORTHFIELD = Collection("northfield", Path("."), Path("q.jsonl"), "Northfield Safeguarding Children Partnership",
                        ("Northfield",), ("NSCP",), "hash")


@pytest.mark.parametrize("question,named", [
    ("How many rapid reviews did the Northfield partnership hold?", True),
    ("What did the NSCP spend on training?", True),
    ("what did the northfield safeguarding children partnership fund?", True),
    ("How many rapid reviews were held in Northfieldshire?", False),  # a whole name, not a prefix
    ("How many rapid reviews were held?", False),
])
def test_a_question_names_the_partnership_by_any_name_its_collection_gives(question, named):
    assert names_partnership(question, NORTHFIELD) is named


def scored(qid, r):
    return SimpleNamespace(question=SimpleNamespace(id=qid, question=f"question {qid}"),
                           record={"evidence_recall_400w": r})


def test_changed_lists_only_the_questions_whose_measure_moved():
    alone = [scored("q1", 1.0), scored("q2", 0.5), scored("q3", None)]
    mixed = [scored("q1", 1.0), scored("q2", 0.0), scored("q3", None)]
    assert changed(alone, mixed) == [{"id": "q2", "question": "question q2", "alone": 0.5, "mixed": 0.0}]


def test_the_table_has_a_row_per_index_and_group_and_a_dash_for_no_figure():
    result = {"summary": {"alone": {"train": {"n": 2, "evidence_recall_400w": 0.5, "correct_abstention": None}}}}
    lines = table(result).splitlines()
    assert len(lines) == 3
    assert lines[2].startswith("| alone | train | 2 | 0.500 | –")
