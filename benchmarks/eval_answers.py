"""Grades `ask` on tests/data/answer_questions.jsonl, per intent and per half (tune / check).

A question counts as right when the answer does what its intent needs (see `grade`): the expected paper cited
first, every compared paper cited, a complete listing, every asked metric's value, an abstention for an
uncovered topic, and so on. `--show-wrong` prints what went wrong.

    python benchmarks/eval_answers.py [--half SET [SET ...]] [--intent INTENT] [--show-wrong] [--search] [--rules]

The intent classifier and the coverage model learn from these same questions (retrieval/answers/intent_examples.jsonl,
benchmarks/fit_coverage.py), so each half is answered by models fitted without that half's questions: the figures
stay out-of-sample for them. `--rules`
grades the cue rules alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from langchain_core.embeddings import Embeddings

from retrieval.answers.coverage import CoverageModel, coverage_features
from retrieval.answers.intents import IntentClassifier, load_examples
from retrieval.metrics import compute_metrics
from retrieval.models import Answer, PaperFilter
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT, Settings
from retrieval.text.names import paper_has_author

QUESTIONS = PROJECT_ROOT / "tests" / "data" / "answer_questions.jsonl"
HALVES = [
    "tune",
    "check",
    "check2",
    "check3",
    "check4",
    "check5",
    "check6",
    "check7",
    "check8",
    "check9",
    "check10",
    "check11",
    "check12",
    "check13",
    "check14",
    "check15",
    "check16",
    "check17",
    "check18",
    "check19",
    "check20",
    "check21",
    "check22",
    "check23",
    "check24",
    "check25",
    "check26",
    "check27",
    "check28",
    "check29",
    "check30",
    "check31",
    "check32",
    "check33",
    "check34",
    "check35",
    "check36",
    "check37",
    "check38",
    "check39",
    "check40",
    "check41",
    "check42",
    "check43",
    "check44",
    "check45",
    "check46",
    "check47",
    "check48",
    "check49",
    "check50",
    "check51",
    "check52",
    "check53",
    "check54",
    "check55",
    "check56",
    "check57",
    "check58",
    "check59",
    "check60",
    "check61",
    "check62",
    "check63",
    "check64",
    "check65",
    "check66",
    "check67",
    "check68",
    "check69",
    "check70",
    "check71",
    "check72",
    "check73",
    "check74",
    "check75",
    "check76",
    "check77",
    "check78",
    "check79",
    "check80",
    "check81",
    "check82",
    "check83",
    "check84",
    "check85",
    "check86",
    "check87",
    "check88",
    "check89",
    "check90",
    "check91",
    "check92",
    "check93",
    "check94",
]
INTENTS = ["lookup", "definition", "comparison", "overview", "recency", "listing", "metrics", "not_in_profile"]


def metric_values(service: ResearchService, key: str, year: int | None) -> list[str]:
    report = compute_metrics(service.store.get_snapshots(service.resolve_profile(None)), service.papers())
    if key == "by_year" and year is not None:
        return [str(report.by_year.get(year, 0))]
    if key == "by_year":
        return [str(count) for count in report.by_year.values()]
    if key == "by_category":
        return [f"{category}: {count}" for category, count in report.by_category.items()][:3]
    if key == "top_coauthors":
        return list(report.top_coauthors)[:1]
    if key == "affiliations":
        return list(report.affiliations)[:1]
    if key == "peak_year":
        return [str(max(report.by_year, key=report.by_year.__getitem__))]
    if key == "citations":
        return [f"{report.citations:,}"]
    if key == "novelty":
        return [f"{report.novelty}%"]
    value = getattr(report, key)
    return [str(value)]


def expected_listing(service: ResearchService, filters: dict) -> set[str]:
    author = filters.get("author")
    paper_filter = PaperFilter(**{k: v for k, v in filters.items() if k != "author"})
    return {p.id for p in service.papers(paper_filter) if not author or paper_has_author(author, p.authors)}


def grade(service: ResearchService, row: dict, answer: Answer) -> str | None:
    """None when right, else what went wrong."""
    intent, expected = row["intent"], row["expected"]
    cited = [c.id for c in answer.citations]
    if intent == "uncovered":
        return None if answer.abstained else f"answered ({answer.intent}): {answer.answer[:100]}"
    if answer.abstained:
        return "abstained"
    if intent == "not_in_profile":
        return None if answer.intent == "not_in_profile" else f"intent {answer.intent}: {answer.answer[:100]}"
    if intent == "metrics":
        missing = [
            v
            for key in expected["metrics"]
            for v in metric_values(service, key, expected.get("year"))
            if v not in answer.answer
        ]
        return f"missing {missing}: {answer.answer[:120]}" if missing else None
    if intent == "listing":
        wanted = expected_listing(service, expected["filters"])
        if expected.get("topic"):
            ok = set(expected["papers"]) <= set(cited) and set(cited) <= wanted
        else:
            ok = set(cited) == wanted
        return (
            None
            if ok
            else f"intent {answer.intent}, cited {len(cited)}, expected {len(wanted)} ({expected.get('papers', '')})"
        )
    papers = expected.get("papers", [])
    if intent in ("lookup", "definition"):
        if not cited or cited[0] not in papers:
            return f"first cited {cited[:1]} not in {papers} ({answer.intent})"
        figures = [f for f in expected.get("figures", []) if f not in answer.answer]
        return f"figures {figures} missing: {answer.answer[:150]}" if figures else None
    if intent == "comparison":
        missing = set(papers) - set(cited)
        return f"not cited {missing} ({answer.intent})" if missing else None
    if intent == "recency":
        return (
            None if cited and cited[0] == papers[0] else f"first {cited[:1]}, expected {papers[:1]} ({answer.intent})"
        )
    if intent == "overview":
        if expected.get("scope") == "researcher":
            themes = answer.answer.count("\n•")
            return (
                None if themes >= 3 and len(cited) >= 8 else f"{themes} themes, {len(cited)} papers ({answer.intent})"
            )
        relevant = set(papers)
        inside = sum(c in relevant for c in cited)
        return (
            None
            if len(cited) >= 2 and inside / len(cited) >= 2 / 3
            else f"{inside}/{len(cited)} relevant ({answer.intent})"
        )
    return f"unknown intent {intent}"


class RememberedEmbeddings(Embeddings):
    """Each text embedded once per run: every half's classifier is fitted on nearly the same examples."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", type(inner).__name__)  # the classifier's cache key stays the model's
        self.vectors: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        new = list(dict.fromkeys(text for text in texts if text not in self.vectors))
        if new:
            self.vectors.update(zip(new, self.inner.embed_documents(new), strict=True))
        return [self.vectors[text] for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


SKIPPED_INTENTS = ("metrics", "not_in_profile", "comparison")


def labelled_features(service: ResearchService, rows: list[dict]) -> list[tuple[str, bool, list[float]]]:
    """(half, uncovered?, features) of every question the coverage test applies to."""
    searcher, vectors = service._answer_tools()
    index = searcher.lexical_index()
    out = []
    for row in rows:
        if row["intent"] in SKIPPED_INTENTS:
            continue
        plan = service.plan(row["question"])
        if plan.papers or not plan.topic:
            continue
        hits = searcher.search(plan.topic, k=5)
        out.append(
            (
                row["half"],
                row["intent"] == "uncovered",
                coverage_features(plan.topic, row["question"], hits, index, vectors),
            )
        )
    return out


def search_mrr(service: ResearchService, rows: list[dict]) -> None:
    """MRR of each search mode on the lookup and definition questions (their expected papers), per half."""
    halves = sorted({row["half"] for row in rows}, key=HALVES.index)
    print("| mode | " + " | ".join(halves) + " |")
    print("|---|" + "---|" * len(halves))
    for mode in ("hybrid", "dense", "bm25"):
        cells = []
        for half in halves:
            ranks = []
            for row in rows:
                if row["half"] != half or row["intent"] not in ("lookup", "definition"):
                    continue
                ids = [hit.paper.id for hit in service.search(row["question"], k=10, mode=mode)]
                rank = next((n for n, paper_id in enumerate(ids, 1) if paper_id in row["expected"]["papers"]), None)
                ranks.append(1 / rank if rank else 0.0)
            cells.append(f"{sum(ranks) / len(ranks):.3f} (n={len(ranks)})")
        print(f"| {mode} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=HALVES, nargs="+", help="only these halves (sets)")
    parser.add_argument("--show-wrong", action="store_true")
    parser.add_argument("--search", action="store_true", help="also the MRR of each search mode per half")
    parser.add_argument("--rules", action="store_true", help="intents by the cue rules, no classifier")
    parser.add_argument("--intent", choices=[*INTENTS, "uncovered"], help="only the questions of this intent")
    args = parser.parse_args()
    all_rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [
        row for row in all_rows if (not args.half or row["half"] in args.half) and args.intent in (None, row["intent"])
    ]
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(_env_file=None, chroma_path=Path(folder), llm=None, learned_intents=not args.rules)
        service = ResearchService(settings)
        service.ingest()
        if args.search:
            search_mrr(service, rows)
        results: dict[tuple[str, str], list[bool]] = defaultdict(list)
        examples = load_examples()
        coverage_samples = labelled_features(service, all_rows)
        held_out_models: dict[str, tuple[IntentClassifier, CoverageModel]] = {}
        remembered = RememberedEmbeddings(service.store.embeddings)
        for row in rows:
            half = row["half"]
            if half not in held_out_models:  # fitted without this half's questions
                held_out = {other["question"] for other in all_rows if other["half"] == half}
                kept = [(question, intent) for question, intent in examples if question not in held_out]
                held_out_models[half] = (
                    IntentClassifier(remembered, kept),
                    CoverageModel.fit([sample for sample in coverage_samples if sample[0] != half]),
                )
            service.intent_classifier, service.coverage_model = held_out_models[half]
            answer = service.ask(row["question"])
            problem = grade(service, row, answer)
            kind = (
                row["intent"]
                if row["intent"] != "uncovered"
                else ("uncovered-near" if row["expected"]["near"] else "uncovered-far")
            )
            results[(row["half"], kind)].append(problem is None)
            if problem and args.show_wrong:
                print(f"WRONG [{row['half']} {kind}] {row['question']}\n    {problem}", file=sys.stderr)
    halves = sorted({half for half, _ in results}, key=HALVES.index)
    kinds = [*INTENTS, "uncovered-near", "uncovered-far"]
    print("| intent | " + " | ".join(halves) + " |")
    print("|---|" + "---|" * len(halves))
    for kind in kinds:
        cells = []
        for half in halves:
            marks = results.get((half, kind), [])
            cells.append(f"{sum(marks)}/{len(marks)}" if marks else "–")
        print(f"| {kind} | " + " | ".join(cells) + " |")
    for half in halves:
        covered = [
            ok for (h, kind), marks in results.items() if h == half and not kind.startswith("uncovered") for ok in marks
        ]
        print(
            f"{half}: {sum(covered)}/{len(covered)} covered right; "
            + ", ".join(
                f"{kind} {sum(results[(half, kind)])}/{len(results[(half, kind)])}"
                for kind in ("uncovered-near", "uncovered-far")
                if (half, kind) in results
            )
        )


if __name__ == "__main__":
    main()
