"""Feedback → development questions: rows in the format of tests/data/answer_questions.jsonl, so a person can
turn what users said into graded questions (benchmarks/eval_answers.py).

One row per distinct question. `intent` is the intent the bot chose (correct it if the bot misread the question;
`uncovered` means the papers do not cover it and the answer should abstain); `expected` holds the fields that
intent is graded on, empty for a person to fill; `feedback` shows what the bot answered and what voters said.
"""

from __future__ import annotations

import copy
from typing import Any

from retrieval.feedback.store import FeedbackEntry

FEEDBACK_HALF = "feedback"
# the fields benchmarks/eval_answers.py `grade` reads for each intent
EXPECTED_FIELDS: dict[str, dict[str, Any]] = {
    "lookup": {"papers": [], "figures": []},
    "definition": {"papers": []},
    "comparison": {"papers": []},
    "overview": {"papers": []},
    "recency": {"papers": []},
    "listing": {"filters": {}},
    "metrics": {"metrics": []},
    "not_in_profile": {},
    "uncovered": {"near": True},
}


def development_questions(entries: list[FeedbackEntry]) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for entry in entries:
        key = " ".join(entry.question.casefold().split())
        intent = entry.intent or "uncovered"
        row = rows.setdefault(
            key,
            {
                "question": entry.question,
                "intent": intent,
                "half": FEEDBACK_HALF,
                "expected": copy.deepcopy(EXPECTED_FIELDS.get(intent, {})),
                "feedback": {
                    "answer": entry.answer,
                    "abstained": entry.abstained,
                    "cited": [citation["id"] for citation in entry.citations],
                    "up": 0,
                    "down": 0,
                    "reasons": [],
                },
            },
        )
        row["feedback"]["up" if entry.vote == 1 else "down"] += 1
        if entry.reason:
            row["feedback"]["reasons"].append(entry.reason)
    return list(rows.values())
