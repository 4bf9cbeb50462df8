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
from collections.abc import Callable, Sequence
from pathlib import Path

from timing import ASK_QUESTIONS, SEARCH_QUERIES, floor_query, percentile, query_cache_reset, warm_and_time

from retrieval.service import ResearchService
from retrieval.settings import Settings

SUMMARY_PAPERS = ["VeLO", "RT-2", "PaLM-E", "Decision Transformer", "knowledge graph hallucinations", "Brax"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=50)
    iterations = parser.parse_args().iterations

    with tempfile.TemporaryDirectory() as tmp:
        service = ResearchService(Settings(_env_file=None, chroma_path=Path(tmp) / "chroma", llm=None))
        service.ingest()
        store = service.store
        reset = query_cache_reset(store)
        operations: list[tuple[str, Callable[[str], object], Sequence[str]]] = [
            ("floor: embed query + raw Chroma query", floor_query(store), SEARCH_QUERIES),
            ("floor: embed query only", store.embeddings.embed_query, SEARCH_QUERIES),
            ("search (hybrid, k=10)", lambda query: service.search(query, k=10), SEARCH_QUERIES),
            ("ask (extractive)", service.ask, ASK_QUESTIONS),
            ("summary", service.summary, SUMMARY_PAPERS),
            ("metrics", lambda _: service.metrics(), [""]),
        ]
        rows = []
        for name, function, inputs in operations:
            timings = warm_and_time(function, inputs, iterations, reset)
            rows.append((name, percentile(timings, 0.50), percentile(timings, 0.95), statistics.fmean(timings)))

    print(f"{'operation':<40} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}   ({iterations} calls each)")
    for name, p50, p95, mean in rows:
        print(f"{name:<40} {p50:>8.1f} {p95:>8.1f} {mean:>8.1f}")


if __name__ == "__main__":
    main()
