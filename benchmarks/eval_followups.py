"""Grades follow-up resolution on tests/data/followups.jsonl: each case asks a question (or nothing), then a
follow-up, and checks how the follow-up was read: the kind of reply (an answer, a summary, similar papers, or a
message that it cannot be read), the follow-up type (reference, more, filter, or none: a question of its own),
the papers it resolved to ("@2": the second paper the first reply showed), the intent, the filter, and for
"more" that only new papers are shown.

    python benchmarks/eval_followups.py [--split tuning|held_out] [--show-wrong] [--chroma PATH]

The `tuning` cases were written while the rules (retrieval/conversation/) were developed; the `held_out` cases
after they were frozen, and measured once (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from retrieval.conversation.models import ConversationReply
from retrieval.errors import UserFacingError
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT, Settings

CASES = PROJECT_ROOT / "tests" / "data" / "followups.jsonl"


def expected_ids(service: ResearchService, names: list[str], first: ConversationReply | None) -> list[str]:
    """The ids meant: "@n" is the n-th paper the first reply showed ("@-1" the last); anything else names one."""
    shown = (first.answer.citations or first.answer.suggestions) if first else []
    return [shown[int(name[1:]) - (name[1] != "-")].id if name.startswith("@") else service.resolve_paper(name).id
            for name in names]  # fmt: skip


def resolved_ids(reply: ConversationReply) -> list[str]:
    if reply.summary:
        return [reply.summary.paper.id]
    if reply.similar:
        return [reply.similar.paper.id]
    return list((reply.answer.plan or {}).get("papers", []))


def grade(service: ResearchService, case: dict[str, Any]) -> str | None:
    """None when the follow-up was read as expected, else what differed."""
    key = uuid.uuid4().hex
    first = service.converse(key, case["previous"]) if case["previous"] else None
    expected = case["expected"]
    try:
        reply = service.converse(key, case["message"])
    except UserFacingError as error:
        return None if expected["kind"] == "error" else f"error: {error}"
    followup = reply.followup.type if reply.followup else None
    got = {"kind": reply.kind, "followup": followup, "intent": reply.answer.intent}
    wrong = [f"{field} {got[field]!r} (expected {expected[field]!r})" for field in got
             if field in expected and got[field] != expected[field]]  # fmt: skip
    if "papers" in expected and resolved_ids(reply) != expected_ids(service, expected["papers"], first):
        wrong.append(f"papers {resolved_ids(reply)} (expected {expected['papers']})")
    filters = (reply.answer.plan or {}).get("filters", {})
    if "filter" in expected and any(filters.get(field) != value for field, value in expected["filter"].items()):
        wrong.append(f"filters {filters} (expected {expected['filter']})")
    if expected.get("new_papers"):
        before = {paper.id for paper in first.answer.citations} if first else set()
        now = {paper.id for paper in reply.answer.citations}
        if not now or now & before:
            wrong.append("not only new papers")
    return "; ".join(wrong) or None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["tuning", "held_out"])
    parser.add_argument("--show-wrong", action="store_true")
    parser.add_argument("--chroma", type=Path, help="an already-ingested store (default: a fresh temporary one)")
    args = parser.parse_args()
    cases = [json.loads(line) for line in CASES.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder:
        service = ResearchService(Settings(_env_file=None, chroma_path=args.chroma or Path(folder), llm=None))
        service.ensure_ingested()
        right: dict[str, list[bool]] = defaultdict(list)
        for case in cases:
            if args.split and case["split"] != args.split:
                continue
            wrong = grade(service, case)
            right[case["split"]].append(wrong is None)
            if wrong and args.show_wrong:
                print(f"[{case['split']}] {case['previous']!r} → {case['message']!r}: {wrong}")
    for split, marks in right.items():
        print(f"{split:<10} {sum(marks)}/{len(marks)} read as expected ({sum(marks) / len(marks):.0%})")


if __name__ == "__main__":
    main()
