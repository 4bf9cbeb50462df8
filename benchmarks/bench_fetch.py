"""Fetching a researcher from OpenAlex: where the time goes, and what a refresh costs.

One synthetic author of N works (sentences of the bundled abstracts, benchmarks/synthetic_corpus.py) served by the
local OpenAlex of tests/source_servers.py, 100 works a page; the real client, mapping and ingest into a fresh
embedded store with the real MiniLM. Printed, in one run:

- the first fetch: HTTP + parsing alone (`fetch only`), and fetch + ingest; the model's raw encode time for the
  same texts as the floor of the ingest;
- a refresh where nothing changed (nothing embedded, no snapshot);
- a refresh where every work's citation count changed (new paper records, the stored vectors reused).

    python benchmarks/bench_fetch.py [--works 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import chromadb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic_corpus import write_corpus
from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.index.passages import paper_passages
from retrieval.index.sentence_vectors import quotable_sentences
from retrieval.index.store import PaperStore
from retrieval.ingest.profile_format import parse_profile_file
from retrieval.service import ResearchService
from retrieval.settings import Settings
from retrieval.sources import openalex
from retrieval.sources.service import SourceService
from tests.source_servers import FakeSources, openalex_author, openalex_work

AUTHOR = "A4242"
T = TypeVar("T")


def synthetic_works(count: int, folder: Path) -> list[dict]:
    papers = [paper for file in write_corpus(folder, count) for paper in parse_profile_file(file).papers]
    return [openalex_work(number, paper, cited_by=number % 500) for number, paper in enumerate(papers[:count])]


async def fetch_only(server: FakeSources) -> float:
    started = time.perf_counter()
    async with openalex.OpenAlexClient(server.openalex_url, requests_per_second=100) as client:
        async for _page in client.works(AUTHOR):
            pass
    return time.perf_counter() - started


def timed(coroutine: Coroutine[Any, Any, T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = asyncio.run(coroutine)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        works = synthetic_works(args.works, folder / "corpus")
        server = FakeSources()
        server.works_page = 100
        server.start()
        server.add_openalex(openalex_author(AUTHOR, "Synthetic Author", works=len(works), citations=9000, h_index=40),
                            works)  # fmt: skip
        embeddings = MiniLMEmbeddings()
        settings = Settings(
            _env_file=None,
            chroma_path=folder / "chroma",
            openalex_url=server.openalex_url,
            openalex_requests_per_second=100,
        )
        research = ResearchService(settings, store=PaperStore(chromadb.PersistentClient(str(folder / "chroma")),
                                                                embeddings))  # fmt: skip
        sources = SourceService(settings, research)

        http_seconds = asyncio.run(fetch_only(server))
        first, report = timed(sources.add_openalex(AUTHOR))
        papers = research.papers()
        count_tokens, max_tokens = embeddings.count_tokens, embeddings.max_tokens
        texts = [t for p in papers for t in (*paper_passages(p, count_tokens, max_tokens), *quotable_sentences(p))]
        started = time.perf_counter()
        embeddings.embed_documents(texts)
        encode_floor = time.perf_counter() - started
        unchanged, unchanged_reports = timed(sources.refresh())
        for work in server.works[AUTHOR]:
            work["cited_by_count"] += 1
        cited, cited_reports = timed(sources.refresh())
        server.stop()

    print(f"{len(works)} works, {report.papers} papers stored ({report.without_abstract} without abstract)")
    print(f"fetch only (HTTP + parse, {len(works) // 100 + 1} pages):  {http_seconds:7.2f} s")
    print(f"first fetch + ingest:                 {first:7.2f} s  (raw encode of the same {len(texts)} texts: "
          f"{encode_floor:.2f} s; ingest ÷ floor {first / encode_floor:.2f}×)")  # fmt: skip
    print(f"refresh, nothing changed:             {unchanged:7.2f} s  {unchanged_reports[0].ingest}")
    print(f"refresh, every citation count changed: {cited:6.2f} s  {cited_reports[0].ingest}")


if __name__ == "__main__":
    main()
