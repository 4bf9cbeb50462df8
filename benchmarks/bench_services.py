"""In-process latency of the services the bot calls, next to the floor every query pays.

Run: python benchmarks/bench_services.py [--iterations 50]

Ingests the bundled profile into a temporary store, warms every service once (model load, BM25 index),
then times each over varied inputs and prints p50/p95. The floor is one MiniLM query embedding plus
one raw Chroma nearest-neighbour query: what a dense search cannot go below.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from retrieval.service import ResearchService
from retrieval.settings import Settings

SEARCH_QUERIES = [
    "learned optimizer that needs no hyperparameter tuning",
    "RT-2",
    "robots that follow language instructions",
    "energy landscapes for reasoning",
    "agents debating to improve factuality",
    "materials discovery with diffusion",
    "Brax physics engine",
    "opponent shaping in multi-agent learning",
]
ASK_QUESTIONS = [
    "By how much did iterative consensus improve grade school math accuracy?",
    "How many parameters does the largest PaLM-E model have?",
    "What is VeLO?",
    "What is Igor Mordatch's h-index?",
    "Which year had the most papers?",
    "Which papers did Yilun Du write?",
    "What is the boiling point of tungsten?",
    "How do language models plan for embodied agents?",
]
SUMMARY_PAPERS = ["VeLO", "RT-2", "PaLM-E", "Decision Transformer", "knowledge graph hallucinations", "Brax"]


def time_calls(
    function: Callable[[str], object], inputs: Sequence[str], iterations: int, reset: Callable[[], None]
) -> list[float]:
    """Milliseconds per call, cycling through `inputs`; `reset` (untimed) empties the query-vector cache first."""
    timings = []
    for index in range(iterations):
        reset()
        started = time.perf_counter()
        function(inputs[index % len(inputs)])
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentile(values: list[float], fraction: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=50)
    iterations = parser.parse_args().iterations

    with tempfile.TemporaryDirectory() as tmp:
        service = ResearchService(Settings(_env_file=None, chroma_path=Path(tmp) / "chroma", llm=None))
        service.ingest()
        store = service.store
        reset = getattr(store.embeddings, "clear_query_cache", lambda: None)

        def floor(query: str) -> None:
            store.papers.query(query_embeddings=[store.embeddings.embed_query(query)], n_results=10)

        operations: list[tuple[str, Callable[[str], object], Sequence[str]]] = [
            ("floor: embed query + raw Chroma query", floor, SEARCH_QUERIES),
            ("floor: embed query only", store.embeddings.embed_query, SEARCH_QUERIES),
            ("search (hybrid, k=10)", lambda query: service.search(query, k=10), SEARCH_QUERIES),
            ("ask (extractive)", service.ask, ASK_QUESTIONS),
            ("summary", service.summary, SUMMARY_PAPERS),
            ("metrics", lambda _: service.metrics(), [""]),
        ]
        rows = []
        for name, function, inputs in operations:
            for text in inputs:  # warm-up: model load, indexes, and every input once
                function(text)
            timings = time_calls(function, inputs, iterations, reset)
            rows.append((name, percentile(timings, 0.50), percentile(timings, 0.95), statistics.fmean(timings)))

    print(f"{'operation':<40} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}   ({iterations} calls each)")
    for name, p50, p95, mean in rows:
        print(f"{name:<40} {p50:>8.1f} {p95:>8.1f} {mean:>8.1f}")


if __name__ == "__main__":
    main()
