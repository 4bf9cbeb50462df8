"""Fits the coverage model (retrieval/answers/coverage.py) on tests/data/answer_questions.jsonl: the uncovered
questions against the covered ones that name no paper and leave a topic. Prints how it does on each half when
fitted on the others, then writes retrieval/answers/coverage_model.json (fitted on all).

    python benchmarks/fit_coverage.py [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
from eval_answers import QUESTIONS, labelled_features

from retrieval.answers.coverage import FEATURES, CoverageModel
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT, Settings

MODEL = PROJECT_ROOT / "retrieval" / "answers" / "coverage_model.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the held-out figures, write nothing")
    args = parser.parse_args()
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder:
        service = ResearchService(Settings(_env_file=None, chroma_path=Path(folder), llm=None))
        service.ingest()
        samples = labelled_features(service, rows)
    threshold = Settings(_env_file=None).abstain_uncovered_probability
    print(f"| half (fitted on the others) | uncovered caught | covered flagged |  threshold {threshold}")
    print("|---|---|---|")
    for half in dict.fromkeys(s[0] for s in samples):
        model = CoverageModel.fit([s for s in samples if s[0] != half])
        held = [(s[1], model.uncovered_probability(s[2]) >= threshold) for s in samples if s[0] == half]
        uncovered = [flag for is_uncovered, flag in held if is_uncovered]
        covered = [flag for is_uncovered, flag in held if not is_uncovered]
        print(f"| {half} | {sum(uncovered)}/{len(uncovered)} | {sum(covered)}/{len(covered)} |")
    model = CoverageModel.fit(samples)
    print(
        "weights:",
        {"intercept": round(model.intercept, 2)}
        | dict(zip(FEATURES, np.round(model.weights, 2).tolist(), strict=True)),
    )
    if not args.dry_run:
        MODEL.write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"wrote {MODEL.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
