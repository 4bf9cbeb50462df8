"""Where a serving process's memory goes: RSS (and its peak) after each first use of a store, in one process.

    RESEARCH_BOT_CHROMA_PATH=STORE python benchmarks/memory_steps.py

Steps: open the service, read the profile ids, load the model, the first two lab-wide searches, the first ask of
six profiles, then one lab-wide ask. Point it at a store `bench_scale.py --keep DIR` built (e.g. the 100k one).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from retrieval.service import ResearchService
from retrieval.settings import Settings

T = TypeVar("T")


def memory() -> str:
    with open("/proc/self/status") as status:  # Linux
        fields = dict(line.split(":", 1) for line in status if line.startswith(("VmRSS", "VmHWM")))
    return f"RSS {int(fields['VmRSS'].split()[0]) / 1e6:.2f} GB, peak {int(fields['VmHWM'].split()[0]) / 1e6:.2f} GB"


def step(name: str, function: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = function()
    print(f"{name:<24} {time.perf_counter() - started:6.1f} s   {memory()}", flush=True)
    return result


def main() -> None:
    service = step("service", lambda: ResearchService(Settings(llm=None)))
    profiles = step("profile ids", service.profile_ids)
    step("model loaded", lambda: service.store.embeddings.embed_query("hello"))
    step("first lab-wide search", lambda: service.search("robots that follow language instructions", k=10))
    step("second lab-wide search", lambda: service.search("learned optimizers", k=10))
    question = "How do language models plan for embodied agents?"
    for number, profile in enumerate(profiles[:: max(1, len(profiles) // 6)][:6]):
        step(f"first ask, profile {number + 1}", lambda profile=profile: service.ask(question, profile=profile))
    step("first lab-wide ask", lambda: service.ask("who works on diffusion?", profile="all"))


if __name__ == "__main__":
    main()
