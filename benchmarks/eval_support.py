"""How well the sentence-level support check of LLM answers separates supported from unsupported sentences.

tests/data/support_sentences.jsonl: 160 hand-labelled sentences (80 to tune on, 80 written as a check), each
citing one or two of the bundled papers. A sentence is *kept* when its support score reaches the threshold.
Reports, per half: precision (kept sentences that are supported), recall (supported sentences kept) and the
share of unsupported sentences removed, by kind. `--grid` prints the tuning grid (tune half only).

    python benchmarks/eval_support.py [--grid]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from retrieval.answers.guards import SUPPORT_SIMILARITY_WEIGHT, support_evidence, support_score, unsupported_figures
from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.index.sentence_vectors import SentenceVectors
from retrieval.ingest.profile_format import parse_profile_file
from retrieval.settings import BUNDLED_PROFILES, PROJECT_ROOT, Settings

LABELLED = PROJECT_ROOT / "tests" / "data" / "support_sentences.jsonl"


def load() -> list[dict]:
    papers = {
        paper.id: paper for file in BUNDLED_PROFILES.glob("*.txt") for paper in parse_profile_file(Path(file)).papers
    }
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    vectors = SentenceVectors(MiniLMEmbeddings())
    cited = [[papers[paper_id] for paper_id in row["cites"]] for row in rows]
    for row, evidence, papers_cited in zip(
        rows, support_evidence([r["sentence"] for r in rows], cited, vectors), cited, strict=True
    ):
        row["similarity"], row["overlap"] = evidence
        row["bad_figure"] = bool(unsupported_figures(row["sentence"], papers_cited))
    return rows


def kept(row: dict, weight: float, threshold: float) -> bool:
    return not row["bad_figure"] and support_score(row["similarity"], row["overlap"], weight) >= threshold


def scores(rows: list[dict], weight: float, threshold: float) -> tuple[float, float, float]:
    keep = [kept(row, weight, threshold) for row in rows]
    true_kept = sum(k and row["supported"] for k, row in zip(keep, rows, strict=True))
    precision = true_kept / max(1, sum(keep))
    recall = true_kept / max(1, sum(row["supported"] for row in rows))
    removed = sum(not k and not row["supported"] for k, row in zip(keep, rows, strict=True))
    return precision, recall, removed / max(1, sum(not row["supported"] for row in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", action="store_true", help="print the tuning grid on the tune half")
    args = parser.parse_args()
    rows = load()
    halves = {half: [row for row in rows if row["half"] == half] for half in ("tune", "check")}
    if args.grid:
        print("weight threshold precision recall unsupported_removed (tune half)")
        for weight in (0.0, 0.25, 0.5, 0.75, 1.0):
            for threshold in [round(0.3 + 0.025 * i, 3) for i in range(21)]:
                precision, recall, removed = scores(halves["tune"], weight, threshold)
                print(f"{weight:.2f} {threshold:.3f} {precision:.3f} {recall:.3f} {removed:.3f}")
    threshold = Settings(_env_file=None).llm_support_threshold
    print(f"similarity weight {SUPPORT_SIMILARITY_WEIGHT}, threshold {threshold}")
    print("| half | precision (kept that are supported) | recall (supported kept) | unsupported removed |")
    print("|---|---|---|---|")
    for half, half_rows in halves.items():
        precision, recall, removed = scores(half_rows, SUPPORT_SIMILARITY_WEIGHT, threshold)
        print(f"| {half} | {precision:.3f} | {recall:.3f} | {removed:.3f} |")
    for half, half_rows in halves.items():
        caught = Counter(
            row["kind"]
            for row in half_rows
            if not row["supported"] and not kept(row, SUPPORT_SIMILARITY_WEIGHT, threshold)
        )
        total = Counter(row["kind"] for row in half_rows if not row["supported"])
        print(
            f"{half}: removed by kind: " + ", ".join(f"{kind} {caught[kind]}/{n}" for kind, n in sorted(total.items()))
        )


if __name__ == "__main__":
    main()
