"""Helpers the benchmark scripts share: the timed inputs, the timing loop, percentiles, the floor, sizes."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from retrieval.index.store import PaperStore

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

# (first question, follow-up, what the follow-up is): conversations' second turns, timed by bench_conversation.py
# in one process and by bench_bot.py through the local Discord server
FOLLOW_UPS = [
    ("which robotics papers did he write?", "the second one", "reference"),
    ("what is RT-2?", "compare it with RT-1", "reference"),
    ("compare RT-1 and RT-2", "what do both do?", "reference"),
    ("newest papers on language models", "what about 2022?", "filter"),
    ("which papers did Kevin Lu write?", "only 2021", "filter"),
    ("anything recent from him?", "more", "more"),
    ("How do language models plan for embodied agents?", "more", "more"),
    ("what is VeLO?", "summarize it", "summary"),
    ("what is VeLO?", "similar to it", "similar"),
]


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


def warm_and_time(
    function: Callable[[str], object], inputs: Sequence[str], iterations: int, reset: Callable[[], None]
) -> list[float]:
    """Every input once untimed (model load, indexes), then `time_calls`."""
    for text in inputs:
        function(text)
    return time_calls(function, inputs, iterations, reset)


def warm_and_time_interleaved(
    operations: dict[str, tuple[Callable[[str], object], Sequence[str]]], iterations: int, reset: Callable[[], None]
) -> dict[str, list[float]]:
    """`warm_and_time` for several operations at once, one call of each in turn: on a shared machine a change of
    load then slows all of them alike, and their ratios hold."""
    for function, inputs in operations.values():
        for text in inputs:
            function(text)
    timings: dict[str, list[float]] = {name: [] for name in operations}
    for index in range(iterations):
        for name, (function, inputs) in operations.items():
            timings[name] += time_calls(function, [inputs[index % len(inputs)]], 1, reset)
    return timings


def floor_query(store: PaperStore) -> Callable[[str], object]:
    """What a dense search cannot go below: one query embedding plus one raw Chroma nearest-neighbour query."""

    def floor(query: str) -> object:
        return store.papers.query(query_embeddings=[store.embeddings.embed_query(query)], n_results=10)

    return floor


def query_cache_reset(store: PaperStore) -> Callable[[], None]:
    return getattr(store.embeddings, "clear_query_cache", lambda: None)


def folder_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())
