"""Latency of a conversation's turns in one warmed process: a follow-up next to the first answer of a
conversation and to a plain `ask`.

Run: python benchmarks/bench_conversation.py [--iterations 40]

Each timed follow-up gets a conversation of its own whose first question is asked untimed; the query-vector
cache is emptied before every timed call, as in bench_services.py.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from timing import ASK_QUESTIONS, FOLLOW_UPS, percentile, query_cache_reset

from retrieval.service import ResearchService
from retrieval.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=40)
    iterations = parser.parse_args().iterations

    with tempfile.TemporaryDirectory() as tmp:
        service = ResearchService(Settings(_env_file=None, chroma_path=Path(tmp) / "chroma", llm=None))
        service.ingest()
        reset = query_cache_reset(service.store)
        for first, follow_up, _ in FOLLOW_UPS:  # warm: model, indexes, summaries' sentence vectors
            service.converse("warm", first)
            service.converse("warm", follow_up)
        for question in ASK_QUESTIONS:
            service.ask(question)

        timings: dict[str, list[float]] = defaultdict(list)
        for index in range(iterations):
            question = ASK_QUESTIONS[index % len(ASK_QUESTIONS)]
            reset()
            started = time.perf_counter()
            service.ask(question)
            timings["ask (fresh, no conversation)"].append((time.perf_counter() - started) * 1000)

            first, follow_up, kind = FOLLOW_UPS[index % len(FOLLOW_UPS)]
            key = f"bench-{index}"
            reset()
            started = time.perf_counter()
            service.converse(key, first)
            timings["first turn of a conversation"].append((time.perf_counter() - started) * 1000)
            reset()
            started = time.perf_counter()
            service.converse(key, follow_up)
            elapsed = (time.perf_counter() - started) * 1000
            timings["follow-up (all kinds)"].append(elapsed)
            timings[f"  follow-up: {kind}"].append(elapsed)

    print(f"{'turn':<34} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'calls':>6}")
    for name, values in timings.items():
        p50, mean = statistics.median(values), statistics.fmean(values)
        p95 = percentile(values, 0.95) if len(values) > 1 else values[0]
        print(f"{name:<34} {p50:>8.1f} {p95:>8.1f} {mean:>8.1f} {len(values):>6}")


if __name__ == "__main__":
    main()
