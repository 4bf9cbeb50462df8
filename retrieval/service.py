"""`ResearchService`: the one entry point the CLI and the bot share.

Methods are synchronous and CPU-bound, and safe to call from several threads at once; async callers
(the Discord bot) use `await service.run(service.ask, ...)`, which runs them in a worker thread so the
event loop never blocks.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from retrieval.answer import extractive_answer, llm_cited_answer
from retrieval.errors import UnknownProfileError, UserFacingError
from retrieval.ingest import collect_profile_files, ingest_profiles, parse_all
from retrieval.metrics import compute_metrics
from retrieval.models import (
    Answer,
    IngestReport,
    MetricsReport,
    Paper,
    PaperFilter,
    ProfileSummary,
    SearchHit,
    Summary,
)
from retrieval.names import name_tokens, paper_has_author
from retrieval.paper_lookup import PaperIndex
from retrieval.profile_format import parse_profile_bytes
from retrieval.questions import validate_question
from retrieval.routing import route_question
from retrieval.search import HybridSearcher
from retrieval.sentence_vectors import SentenceVectors
from retrieval.settings import Settings
from retrieval.similar import similar_papers
from retrieval.store import PaperStore, ProgressCallback, make_client
from retrieval.structured_answers import answer_authors, answer_metrics, answer_papers_in_year
from retrieval.summary import summarize

P = ParamSpec("P")
T = TypeVar("T")


class ResearchService:
    def __init__(self, settings: Settings, store: PaperStore | None = None) -> None:
        self.settings = settings
        self._store = store
        self._store_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._lookup_lock = threading.Lock()
        self._paper_indexes: dict[tuple[str | None, int], PaperIndex] = {}
        self._answer_lock = threading.Lock()
        self._searcher: HybridSearcher | None = None
        self._sentence_vectors: SentenceVectors | None = None

    @property
    def store(self) -> PaperStore:
        with self._store_lock:  # opened on first use: `--help` and argument errors never touch Chroma
            if self._store is None:
                settings = self.settings
                client = make_client(str(settings.chroma_path), settings.chroma_host, settings.chroma_port)
                self._store = PaperStore(client, settings.embedding)
            return self._store

    # --- ingest ---

    def ingest(
        self, paths: list[Path] | None = None, *, rebuild: bool = False, on_embedded: ProgressCallback | None = None
    ) -> IngestReport:
        files = collect_profile_files(paths or [self.settings.profiles_dir])
        parsed = parse_all(files, self.settings.max_profile_bytes)  # all or nothing: parse first
        with self._write_lock:
            return ingest_profiles(self.store, parsed, rebuild=rebuild, on_embedded=on_embedded)

    def ingest_text(self, raw: bytes, source: str) -> IngestReport:
        """One uploaded profile (the bot's /ingest): parsed fully before the store is touched."""
        parsed = parse_profile_bytes(raw, source, self.settings.max_profile_bytes)
        with self._write_lock:
            return ingest_profiles(self.store, [parsed])

    def ensure_ingested(self) -> IngestReport | None:
        """Ingest the bundled profiles when the store is empty; returns the report if it did."""
        if not self.store.is_empty():
            return None
        with self._write_lock:
            if not self.store.is_empty():
                return None
            parsed = parse_all(collect_profile_files([self.settings.profiles_dir]), self.settings.max_profile_bytes)
            return ingest_profiles(self.store, parsed)

    # --- profiles ---

    def profile_ids(self) -> list[str]:
        return self.store.profile_ids()

    def resolve_profile(self, requested: str | None) -> str:
        """A profile id from an id, a name or nothing (the default profile, else the first one)."""
        known = self.profile_ids()
        requested = requested or self.settings.default_profile
        if requested is None:
            if not known:
                raise UserFacingError("The store holds no profiles yet; run `research-bot ingest`.")
            return known[0]
        wanted = "-".join(name_tokens(requested))
        for profile_id in known:
            if profile_id in (wanted, requested):
                return profile_id
        raise UnknownProfileError(requested, known)

    def profiles(self) -> list[ProfileSummary]:
        summaries = []
        for profile_id in self.profile_ids():
            latest = self.store.get_snapshots(profile_id)[-1]
            summaries.append(
                ProfileSummary(
                    id=profile_id,
                    name=latest.name,
                    category=latest.category,
                    papers_listed=len(self.store.get_papers(PaperFilter(profile=profile_id))),
                    papers_claimed=latest.papers_claimed,
                    last_snapshot=latest.taken_at,
                )
            )
        return summaries

    # --- papers and metrics ---

    def papers(self, paper_filter: PaperFilter | None = None) -> list[Paper]:
        paper_filter = paper_filter or PaperFilter()
        if paper_filter.profile:
            paper_filter = paper_filter.model_copy(update={"profile": self.resolve_profile(paper_filter.profile)})
        papers = self.store.get_papers(paper_filter)
        if paper_filter.author:
            papers = [paper for paper in papers if paper_has_author(paper_filter.author, paper.authors)]
        return papers

    def metrics(self, profile: str | None = None) -> MetricsReport:
        profile_id = self.resolve_profile(profile)
        snapshots = self.store.get_snapshots(profile_id)
        return compute_metrics(snapshots, self.store.get_papers(PaperFilter(profile=profile_id)))

    def metrics_chart(self, profile: str | None = None) -> bytes:
        """The metrics as a PNG: papers per year and per category."""
        from retrieval.charts import render_metrics_chart

        return render_metrics_chart(self.metrics(profile))

    # --- single papers: lookup, summary, neighbours ---

    def _paper_index(self, profile: str | None) -> PaperIndex:
        """The lookup over one profile (all profiles when none is named or configured), rebuilt on writes."""
        profile_id = self.resolve_profile(profile) if profile or self.settings.default_profile else None
        key = (profile_id, self.store.revision())
        with self._lookup_lock:
            if key not in self._paper_indexes:
                papers = self.store.get_papers(PaperFilter(profile=profile_id))
                current = {k: v for k, v in self._paper_indexes.items() if k[1] == key[1]}
                self._paper_indexes = {**current, key: PaperIndex(papers)}
            return self._paper_indexes[key]

    def resolve_paper(self, query: str, *, profile: str | None = None) -> Paper:
        """One paper from a title fragment, an acronym or an id; AmbiguousPaperError / PaperNotFoundError."""
        return self._paper_index(profile).resolve(query)

    def suggest_papers(self, text: str, *, limit: int = 25, profile: str | None = None) -> list[Paper]:
        """Autocomplete: fuzzy title matches for partly typed text, the newest papers for empty text."""
        return self._paper_index(profile).suggest(text, limit)

    def summary(self, paper_query: str, *, profile: str | None = None) -> Summary:
        return summarize(self.resolve_paper(paper_query, profile=profile), self.store.embeddings)

    def similar(self, paper_query: str, *, k: int = 5, profile: str | None = None) -> list[SearchHit]:
        return similar_papers(self.store, self.resolve_paper(paper_query, profile=profile), k)

    # --- search and ask ---

    def _answer_tools(self) -> tuple[HybridSearcher, SentenceVectors]:
        """Built once, under a lock: the bot calls search/ask from many worker threads at once."""
        with self._answer_lock:
            if self._searcher is None or self._sentence_vectors is None:
                self._searcher = HybridSearcher(self.store, self.settings)
                self._sentence_vectors = SentenceVectors(self.store.embeddings)
            return self._searcher, self._sentence_vectors

    def search(
        self, query: str, *, k: int = 10, mode: str = "hybrid", paper_filter: PaperFilter | None = None
    ) -> list[SearchHit]:
        if paper_filter and paper_filter.profile:
            paper_filter = paper_filter.model_copy(update={"profile": self.resolve_profile(paper_filter.profile)})
        return self._answer_tools()[0].search(query, k=k, mode=mode, paper_filter=paper_filter)

    def ask(self, question: str, *, profile: str | None = None) -> Answer:
        """Routed answer: exact metrics, a complete author listing, or a cited answer from the abstracts."""
        question = validate_question(question, self.settings.max_question_chars)
        profile_id = self.resolve_profile(profile)
        papers = self.store.get_papers(PaperFilter(profile=profile_id))
        snapshots = self.store.get_snapshots(profile_id)
        owner = snapshots[-1].name
        decision = route_question(question, [author for paper in papers for author in paper.authors], owner)
        if decision.metric == "papers_in_year" and decision.year is not None:
            text, citations = answer_papers_in_year(decision.year, papers, owner)
            return Answer(
                question=question,
                answer=text,
                abstained=False,
                route="metrics",
                citations=citations,
                generated_by="metadata",
            )
        if decision.route == "metrics":
            text = answer_metrics(question, decision.metric or "", compute_metrics(snapshots, papers), papers)
            return Answer(question=question, answer=text, abstained=False, route="metrics", generated_by="metadata")
        if decision.route == "authors":
            text, citations = answer_authors(decision.people, papers, owner)
            return Answer(
                question=question,
                answer=text,
                abstained=False,
                route="authors",
                citations=citations,
                generated_by="metadata",
            )
        searcher, vectors = self._answer_tools()
        hits = self._search_for_answer(searcher, question, profile_id, decision.year)
        answer = extractive_answer(question, hits, owner, vectors, searcher.lexical_index(), self.settings)
        if self.settings.llm and not answer.abstained:
            return llm_cited_answer(question, hits, owner, vectors, self.settings, answer)
        return answer

    def _search_for_answer(
        self, searcher: HybridSearcher, question: str, profile_id: str, year: int | None
    ) -> list[SearchHit]:
        """A year the question names narrows the search, unless no paper is from that year."""
        k = self.settings.answer_sources
        if year is not None:
            hits = searcher.search(question, k=k, paper_filter=PaperFilter(profile=profile_id, year=year))
            if hits:
                return hits
        return searcher.search(question, k=k, paper_filter=PaperFilter(profile=profile_id))

    # --- async use (the bot) ---

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await asyncio.to_thread(function, *args, **kwargs)
