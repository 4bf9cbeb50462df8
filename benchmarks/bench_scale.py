"""How ingest, search, ask, cold start, memory and store size grow with the number of papers.

Run: python benchmarks/bench_scale.py [--sizes 1000,10000] [--large] [--keep DIR] [--iterations 30] [--interleaved]

For each N, a synthetic corpus (benchmarks/synthetic_corpus.py: N/50 profiles of 50 papers built from the
bundled abstracts' sentences) is ingested into a fresh store, each step in a subprocess of its own so its peak
RSS is its own:
- ingest: papers/s, next to the raw model's encode of the texts ingest embeds (passages + sentences, sampled
  when N is large) in the same process, on the backend ingest uses: the floor ingest cannot beat; and the
  ONNX Runtime backend's encode speed next to sentence-transformers' (torch) on the same texts;
- search / ask p50 and p95, next to the floor of bench_services (one query embedding + one raw Chroma query);
  `--interleaved` times one floor, one search and one ask in turn instead of 30 of each in a row, so a change of
  the machine's load moves all three alike;
- cold start: `python -m bot ask` / `search` against the built store, process start to answer;
- peak RSS of each process, and the store's size on disk.
`--large` adds N=100k with cached vectors (`--cached-vectors`): each text's vector is the mean of the real
model's vectors of its sentences, cached per sentence, so the index part is measured without 40+ minutes
of embedding; the table says so. `--keep DIR` keeps corpora and stores in DIR and reuses a store already built.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FLOOR_SAMPLE_PAPERS = 1000  # the raw-encode floor embeds this many papers' texts (all of them below)
BACKEND_SAMPLE_TEXTS = 1500  # texts each MiniLM backend encodes for the ONNX-vs-torch row
LARGE_SIZE = 100_000
COLD_QUESTION = "How do language models plan for embodied agents?"
COLD_QUERY = "robots that follow language instructions"


def worker(store: Path, corpus: Path, *args: str) -> dict[str, Any]:
    """Run this script as a worker subprocess against one store; it prints its figures as one JSON line."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("RESEARCH_BOT_")}
    env.update(RESEARCH_BOT_CHROMA_PATH=str(store), RESEARCH_BOT_PROFILES_DIR=str(corpus))
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", *args]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"worker {args[0]} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_size(papers: int, base: Path, iterations: int, cached: bool, interleaved: bool) -> dict[str, Any]:
    from synthetic_corpus import write_corpus
    from timing import folder_size

    folder = base / f"n{papers}"
    corpus, store = folder / "profiles", folder / "chroma"
    write_corpus(corpus, papers)
    result: dict[str, Any] = {"papers": papers, "cached": cached}
    if store.exists() and (folder / "ingest.json").exists():
        result["ingest"] = json.loads((folder / "ingest.json").read_text()) | {"reused": True}
    else:
        shutil.rmtree(store, ignore_errors=True)
        result["ingest"] = worker(store, corpus, "ingest", *(["--cached-vectors"] if cached else []))
        (folder / "ingest.json").write_text(json.dumps(result["ingest"]))
    serve_args = ["--iterations", str(iterations), *(["--interleaved"] if interleaved else [])]
    result["serve"] = worker(store, corpus, "serve", *serve_args)
    for name, command in (("cold_ask", ["ask", COLD_QUESTION]), ("cold_search", ["search", COLD_QUERY])):
        # run from the checkout's root, so `-m bot` imports this checkout's code
        result[name] = worker(store, corpus, "rss", sys.executable, "-m", "bot", *command)
    result["store_bytes"] = folder_size(store)
    return result


# --- workers: each prints one JSON line ---


def peak_rss() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def ingest_worker(cached: bool) -> dict[str, Any]:
    import random

    import chromadb
    from synthetic_corpus import CachedSentenceEmbeddings

    import retrieval
    from retrieval.index.embeddings import MiniLMEmbeddings, token_budget
    from retrieval.index.passages import paper_passages
    from retrieval.index.sentence_vectors import quotable_sentences
    from retrieval.index.store import PaperStore, paper_document
    from retrieval.ingest.profiles import collect_profile_files, ingest_profiles, parse_all
    from retrieval.settings import Settings

    settings = Settings()
    started = time.perf_counter()
    embeddings = CachedSentenceEmbeddings() if cached else MiniLMEmbeddings(backend=settings.embedding_backend)
    embeddings.embed_query("warm up")  # loads MiniLM on the configured backend
    model_load = time.perf_counter() - started
    parsed = parse_all(collect_profile_files([settings.profiles_dir]), settings.max_profile_bytes)
    papers = [paper for item in parsed for paper in item.papers]

    sample = random.Random(0).sample(papers, min(len(papers), FLOOR_SAMPLE_PAPERS))
    count_tokens, max_tokens = token_budget(embeddings)
    texts = [text for paper in sample for text in paper_passages(paper, count_tokens, max_tokens)]
    texts += [sentence for paper in sample for sentence in quotable_sentences(paper)]
    floor = one_text_floor = None  # with cached vectors ingest runs no model: no floor to compare with
    backends: dict[str, float] = {}
    if not cached:
        encoder = embeddings.encoder  # the backend ingest uses (settings.embedding_backend)
        started = time.perf_counter()
        encoder.encode(texts, batch_size=32)
        floor = len(sample) / (time.perf_counter() - started)
        started = time.perf_counter()
        encoder.encode([paper_document(paper) for paper in sample], batch_size=32)  # the "abstracts/s"
        one_text_floor = len(sample) / (time.perf_counter() - started)
        backends = compare_backends(texts[:BACKEND_SAMPLE_TEXTS])

    store = PaperStore(chromadb.PersistentClient(path=str(settings.chroma_path)), embeddings)
    started = time.perf_counter()
    report = ingest_profiles(store, parsed)
    seconds = time.perf_counter() - started
    return {
        "code": str(Path(retrieval.__file__).parent),
        "model_load_s": model_load,
        "floor_papers_per_s": floor,
        "backend": settings.embedding_backend,
        "backend_texts_per_s": backends,
        "one_text_papers_per_s": one_text_floor,
        "floor_sample": len(sample),
        "texts_per_paper": len(texts) / len(sample),
        "ingest_s": seconds,
        "papers_per_s": report.added / seconds,
        "peak_rss": peak_rss(),
    }


def compare_backends(texts: list[str]) -> dict[str, float]:
    """Texts/s of each MiniLM backend on the same texts, each warmed first (the ONNX-vs-torch row)."""
    from retrieval.index.embeddings import load_encoder

    speeds = {}
    for backend in ("onnx", "torch"):
        encoder = load_encoder(backend)
        encoder.encode(texts[:32])
        started = time.perf_counter()
        encoder.encode(texts, batch_size=32)
        speeds[backend] = len(texts) / (time.perf_counter() - started)
    return speeds


def serve_worker(iterations: int, interleaved: bool) -> dict[str, Any]:
    from timing import (
        ASK_QUESTIONS,
        SEARCH_QUERIES,
        floor_query,
        percentile,
        query_cache_reset,
        warm_and_time,
        warm_and_time_interleaved,
    )

    from retrieval.service import ResearchService
    from retrieval.settings import Settings

    service = ResearchService(Settings(llm=None))
    profile = service.profile_ids()[0]
    store = service.store
    operations = {
        "floor": (floor_query(store), SEARCH_QUERIES),
        "search": (lambda query: service.search(query, k=10), SEARCH_QUERIES),
        "ask": (lambda question: service.ask(question, profile=profile), ASK_QUESTIONS),
    }
    reset = query_cache_reset(store)
    if interleaved:
        timings = warm_and_time_interleaved(operations, iterations, reset)
    else:
        timings = {name: warm_and_time(*operation, iterations, reset) for name, operation in operations.items()}
    result = {name: {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95)} for name, times in timings.items()}
    return result | {"peak_rss": peak_rss()}


def rss_worker(command: list[str]) -> dict[str, Any]:
    """Run a command, as a user would, and report its wall time and its own peak RSS (os.wait4)."""
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if status != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed: {errors.read()[-3000:]}")
    return {"seconds": seconds, "peak_rss": usage.ru_maxrss * 1024}


# --- the table ---


def megabytes(value: float) -> str:
    return f"{value / 1e6:,.0f} MB"


def rows(results: list[dict[str, Any]]) -> list[tuple[str, list[str], str]]:
    """(figure, one cell per N, growth from the smallest to the largest N)."""

    def row(name: str, cells: list[float | None], render: Any) -> tuple[str, list[str], str]:
        growth = f"{cells[-1] / cells[0]:.2f}×" if len(cells) > 1 and cells[0] and cells[-1] else ""
        return name, ["n/a" if cell is None else render(cell) for cell in cells], growth

    def ratio(a: float | None, b: float | None) -> float | None:
        return a / b if a is not None and b else None

    ing = [r["ingest"] for r in results]
    serve = [r["serve"] for r in results]
    table = [
        row("ingest, papers/s", [i["papers_per_s"] for i in ing], lambda v: f"{v:.1f}"),
        row("raw encode of the same texts, papers/s (floor)", [i["floor_papers_per_s"] for i in ing], "{:.1f}".format),
        row("ingest ÷ floor", [ratio(i["papers_per_s"], i["floor_papers_per_s"]) for i in ing], "{:.2f}×".format),
        row(
            "raw encode of title + abstract only (1 text/paper, truncated), papers/s",
            [i.get("one_text_papers_per_s") for i in ing],
            "{:.1f}".format,
        ),
        row(
            "raw encode, ONNX Runtime ÷ torch backend (same texts)",
            [ratio(*(i.get("backend_texts_per_s", {}).get(b) for b in ("onnx", "torch"))) for i in ing],
            "{:.2f}×".format,
        ),
        row("ingest wall time", [i["ingest_s"] for i in ing], lambda v: f"{v:.0f} s"),
        row("ingest peak RSS", [i["peak_rss"] for i in ing], megabytes),
    ]
    for op in ("search", "ask"):
        for q in ("p50", "p95"):
            table.append(row(f"{op} {q}, ms", [s[op][q] for s in serve], "{:.1f}".format))
        for q in ("p50", "p95"):
            table.append(row(f"{op} {q} ÷ floor p50", [s[op][q] / s["floor"]["p50"] for s in serve], "{:.1f}×".format))
    table += [
        row("floor p50 (embed query + raw Chroma query), ms", [s["floor"]["p50"] for s in serve], "{:.1f}".format),
        row("serving process peak RSS", [s["peak_rss"] for s in serve], megabytes),
        row("cold start → first ask answer", [r["cold_ask"]["seconds"] for r in results], "{:.1f} s".format),
        row("cold start → first search result", [r["cold_search"]["seconds"] for r in results], "{:.1f} s".format),
        row("cold ask process peak RSS", [r["cold_ask"]["peak_rss"] for r in results], megabytes),
        row("store size on disk", [r["store_bytes"] for r in results], megabytes),
    ]
    return table


def print_table(results: list[dict[str, Any]]) -> None:
    def header(r: dict[str, Any]) -> str:
        return f"N={r['papers']:,}" + (" (cached vectors)" if r["cached"] else "")

    print(f"code measured: {results[0]['ingest'].get('code', '?')}, backend {results[0]['ingest'].get('backend', '?')}")
    samples = ", ".join(f"N={r['papers']:,}: {r['ingest']['floor_sample']:,} papers" for r in results)
    print(f"floor sample ({results[0]['ingest']['texts_per_paper']:.1f} texts per paper): {samples}")
    print()
    print("| figure | " + " | ".join(header(r) for r in results) + " | growth |")
    print("|---|" + "---:|" * len(results) + "---:|")
    for name, cells, growth in rows(results):
        print(f"| {name} | " + " | ".join(cells) + f" | {growth} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated paper counts")
    parser.add_argument("--large", action="store_true", help=f"add N={LARGE_SIZE:,} (cached vectors)")
    parser.add_argument("--cached-vectors", action="store_true", help="cached vectors at every N")
    parser.add_argument("--keep", type=Path, help="keep corpora and stores here; reuse a store already built")
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--interleaved", action="store_true", help="floor, search and ask timed in turn")
    parser.add_argument("--worker", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # this checkout's code, not the copy installed in the venv
    if args.worker:
        print(json.dumps(run_worker(args.worker)))
        return
    sizes = [int(size) for size in args.sizes.split(",")] + ([LARGE_SIZE] if args.large else [])
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        results = []
        for size in sizes:
            cached = args.cached_vectors or size >= LARGE_SIZE
            results.append(measure_size(size, base, args.iterations, cached, args.interleaved))
            print(f"measured N={size:,}", file=sys.stderr, flush=True)
        print_table(results)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


def run_worker(argv: list[str]) -> dict[str, Any]:
    kind, rest = argv[0], argv[1:]
    if kind == "ingest":
        return ingest_worker(cached="--cached-vectors" in rest)
    if kind == "serve":
        return serve_worker(int(rest[rest.index("--iterations") + 1]), "--interleaved" in rest)
    return rss_worker(rest)


if __name__ == "__main__":
    main()
