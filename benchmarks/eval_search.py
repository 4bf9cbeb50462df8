"""Evaluate search and ask on the development questions (tests/data/dev_questions.jsonl).

    .venv/bin/python benchmarks/eval_search.py [--misses] [--half odd|even] [--set NAME]

Ingests the bundled profile into a temporary store, then prints Recall@1, Recall@5 and MRR per search mode
over the retrieval questions with expected papers, and for `ask`: route accuracy, abstention precision and
recall, how often the answer cites an expected paper first, and how often a fact question's answer contains
the expected figure as written. `--half` keeps the odd or even lines of the file (a held-out check: tune on
one half, report on the other); `--set` keeps the rows tagged with that "set" (questions added after tuning).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import chromadb

from retrieval.index.search import SEARCH_MODES
from retrieval.index.store import PaperStore
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT, Settings

DEV_QUESTIONS = PROJECT_ROOT / "tests" / "data" / "dev_questions.jsonl"


@dataclass(frozen=True)
class SearchScores:
    recall_at_1: float
    recall_at_5: float
    mrr: float
    misses: list[str]


def load_questions(path: Path = DEV_QUESTIONS, half: str | None = None, subset: str | None = None) -> list[dict]:
    """The rows of the question file; `half`: only its odd or even (1-based) lines; `subset`: only that "set"."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [(n, json.loads(line)) for n, line in enumerate(lines, 1) if line.strip()]
    if half:
        rows = [(n, row) for n, row in rows if n % 2 == (half == "odd")]
    return [row for _, row in rows if subset is None or row.get("set") == subset]


def abstentions_by_kind(questions: list[dict], abstained: list[bool]) -> str:
    """Abstained/total per kind of papers question: where abstention errs, at a glance."""
    counts: dict[str, list[int]] = {}
    for row, did in zip(questions, abstained, strict=True):
        if row["route"] == "papers":
            counts.setdefault(row["kind"], [0, 0])
            counts[row["kind"]][0] += did
            counts[row["kind"]][1] += 1
    return ", ".join(f"{kind} {done}/{total}" for kind, (done, total) in sorted(counts.items()))


def evaluate_search(service: ResearchService, questions: list[dict], mode: str) -> SearchScores:
    """Ranked retrieval over questions that name expected papers; any expected paper counts as a hit."""
    ranks: list[int | None] = []
    misses = []
    for row in questions:
        ids = [hit.paper.id for hit in service.search(row["question"], k=10, mode=mode)]
        rank = next((i for i, paper_id in enumerate(ids, 1) if paper_id in row["expected_ids"]), None)
        ranks.append(rank)
        if rank != 1:
            misses.append(f"  {mode:<6} rank {rank or '>10'}: {row['question']}")
    count = len(ranks) or 1
    return SearchScores(
        recall_at_1=sum(rank == 1 for rank in ranks) / count,
        recall_at_5=sum(rank is not None and rank <= 5 for rank in ranks) / count,
        mrr=sum(1 / rank for rank in ranks if rank) / count,
        misses=misses,
    )


def evaluate_ask(service: ResearchService, questions: list[dict]) -> tuple[dict[str, str], list[str]]:
    routed = abstained_right = abstained = should_abstain = cites_first = citable = facts = fact_total = 0
    misses = []
    abstained_each = []
    for row in questions:
        answer = service.ask(row["question"])
        abstained_each.append(answer.abstained)
        routed += answer.route == row["route"]
        if answer.route != row["route"]:
            misses.append(f"  route {answer.route} (expected {row['route']}): {row['question']}")
        if row["route"] == "papers":
            abstained += answer.abstained
            should_abstain += row["abstain"]
            abstained_right += answer.abstained and row["abstain"]
            if answer.abstained != row["abstain"]:
                misses.append(f"  abstained={answer.abstained}: {row['question']}")
        if row["route"] == "papers" and row["expected_ids"]:
            citable += 1
            cites_first += bool(answer.citations) and answer.citations[0].id in row["expected_ids"]
        if row.get("fact"):
            fact_total += 1
            found = row["fact"] in answer.answer or row["fact"].replace(",", "") in answer.answer
            facts += found
            if not found:
                misses.append(f"  fact {row['fact']!r} missing: {row['question']} → {answer.answer[:160]}")
    summary = {
        "route accuracy": f"{routed / len(questions):.3f} ({routed}/{len(questions)})",
        "abstention precision": f"{abstained_right / max(abstained, 1):.3f} ({abstained_right}/{abstained})",
        "abstention recall": f"{abstained_right / max(should_abstain, 1):.3f} ({abstained_right}/{should_abstain})",
        "answer cites an expected paper as [1]": f"{cites_first / max(citable, 1):.3f} ({cites_first}/{citable})",
        "expected figure in the answer": f"{facts / max(fact_total, 1):.3f} ({facts}/{fact_total})",
        "abstained, by kind": abstentions_by_kind(questions, abstained_each),
    }
    return summary, misses


def seeded_service(folder: str) -> ResearchService:
    settings = Settings(_env_file=None, chroma_path=Path(folder))
    service = ResearchService(settings, store=PaperStore(chromadb.PersistentClient(path=folder), settings.embedding))
    service.ingest()
    return service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="also list the questions each part gets wrong")
    parser.add_argument("--half", choices=("odd", "even"), help="only the odd or even lines of the question file")
    parser.add_argument("--set", dest="subset", help='only the rows whose "set" is this (e.g. unseen-2)')
    args = parser.parse_args()
    questions = load_questions(half=args.half, subset=args.subset)
    searchable = [row for row in questions if row["route"] == "papers" and row["expected_ids"]]
    with tempfile.TemporaryDirectory() as folder:
        service = seeded_service(folder)
        print(f"search: {len(searchable)} questions with expected papers")
        print(f"{'mode':<8}{'R@1':>7}{'R@5':>7}{'MRR':>7}")
        misses: list[str] = []
        for mode in SEARCH_MODES:
            scores = evaluate_search(service, searchable, mode)
            print(f"{mode:<8}{scores.recall_at_1:>7.3f}{scores.recall_at_5:>7.3f}{scores.mrr:>7.3f}")
            misses += scores.misses
        print(f"\nask: {len(questions)} questions")
        summary, ask_misses = evaluate_ask(service, questions)
        for name, value in summary.items():
            print(f"  {name:<40}{value}")
        if args.misses:
            print("\nmisses:", *misses, *ask_misses, sep="\n")


if __name__ == "__main__":
    main()
