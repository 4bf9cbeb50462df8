"""Ingest figures: cold ingest of data/profiles (model load included), re-ingest, store size on disk.

Run: python benchmarks/bench_ingest.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from timing import folder_size

from retrieval.service import ResearchService
from retrieval.settings import Settings


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(tmp) / "chroma"
        service = ResearchService(Settings(_env_file=None, chroma_path=store_path))

        start = time.perf_counter()
        service.store.embeddings.embed_query("warm up")  # imports sentence-transformers, loads MiniLM
        model_load = time.perf_counter() - start

        start = time.perf_counter()
        first = service.ingest()
        cold = time.perf_counter() - start

        start = time.perf_counter()
        again = service.ingest()
        reingest = time.perf_counter() - start

        rows = [
            ("model import + load", f"{model_load:.2f} s"),
            (f"first ingest ({first.added} papers, embed + write)", f"{cold:.2f} s"),
            (f"re-ingest ({again.unchanged} unchanged)", f"{reingest:.3f} s"),
            ("store size on disk", f"{folder_size(store_path) / 1e6:.2f} MB"),
        ]
        width = max(len(name) for name, _ in rows)
        for name, value in rows:
            print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
