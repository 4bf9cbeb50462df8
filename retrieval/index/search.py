"""Hybrid paper search: dense (Chroma + MiniLM) and BM25 (bm25s) scores fused by a weighted sum.

The BM25 index covers every paper in the store; it is built on first use and rebuilt whenever the
store's revision counter moves (any ingest, in this process or another). Filters are applied to
both rankings before fusion, so every hit matches the filter.
"""

from __future__ import annotations

import itertools
import logging
import math
import threading
from collections import Counter
from dataclasses import dataclass

import bm25s
import numpy as np

from retrieval.errors import UserFacingError
from retrieval.index.store import PaperStore
from retrieval.models import Paper, PaperFilter, SearchHit
from retrieval.settings import Settings
from retrieval.text.lexical import terms
from retrieval.text.names import paper_has_author

logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its logger to DEBUG when imported

SEARCH_MODES: tuple[str, ...] = ("hybrid", "dense", "bm25")


def bm25_document(paper: Paper, title_repeat: int) -> list[str]:
    """Title repeated (short and specific: it should outweigh one abstract mention), then people, then abstract."""
    fields = [paper.title] * title_repeat + paper.authors + paper.affiliations + [paper.abstract]
    return terms("\n".join(fields))


@dataclass(frozen=True)
class LexicalIndex:
    revision: int
    papers: list[Paper]
    bm25: bm25s.BM25
    term_sets: dict[str, frozenset[str]]
    document_frequency: Counter[str]
    adjacent_pairs: frozenset[tuple[str, str]]  # terms that follow each other somewhere ("architectur", "search")

    @classmethod
    def build(cls, revision: int, papers: list[Paper], title_repeat: int) -> LexicalIndex:
        documents = [bm25_document(paper, title_repeat) for paper in papers]
        bm25 = bm25s.BM25()
        if documents:
            bm25.index(documents, show_progress=False)
        term_sets = {paper.id: frozenset(document) for paper, document in zip(papers, documents, strict=True)}
        frequency = Counter(t for terms_ in term_sets.values() for t in terms_)
        pairs = frozenset(pair for document in documents for pair in itertools.pairwise(document))
        return cls(revision, papers, bm25, term_sets, frequency, pairs)

    def idf(self, term: str) -> float:
        """Rarer is higher; a term no paper has gets the highest weight of all."""
        return math.log((len(self.papers) + 1) / (self.document_frequency.get(term, 0) + 0.5))

    def coverage(self, query: str, paper_id: str) -> float:
        """Share of the query's terms (idf-weighted) that the paper contains: 0 when its topic words are absent."""
        query_terms = set(terms(query))
        total = sum(self.idf(term) for term in query_terms)
        present = sum(self.idf(term) for term in query_terms if term in self.term_sets.get(paper_id, ()))
        return present / total if total > 0 else 0.0

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every paper (same order as `papers`); all zeros when no query term is known."""
        ids = self.bm25.get_tokens_ids(terms(query)) if self.papers else []  # an empty store has no vocabulary
        if not ids:
            return np.zeros(len(self.papers), dtype=np.float32)
        return self.bm25.get_scores_from_ids(ids)


class HybridSearcher:
    def __init__(self, store: PaperStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._index: LexicalIndex | None = None
        self._lock = threading.Lock()

    def lexical_index(self) -> LexicalIndex:
        """The BM25 index for the store's current revision; built once per revision even under concurrency."""
        revision = self.store.revision()
        with self._lock:
            if self._index is None or self._index.revision != revision:
                papers = self.store.get_papers()
                self._index = LexicalIndex.build(revision, papers, self.settings.bm25_title_repeat)
            return self._index

    def search(
        self, query: str, *, k: int = 10, mode: str = "hybrid", paper_filter: PaperFilter | None = None
    ) -> list[SearchHit]:
        if mode not in SEARCH_MODES:
            raise UserFacingError(f"Unknown search mode {mode!r}; choose one of {', '.join(SEARCH_MODES)}.")
        if not query.strip():
            raise UserFacingError("The search query is empty.")
        allowed = self._allowed_ids(paper_filter)
        if mode == "dense":
            ranked = self._dense(query, allowed, paper_filter)
        elif mode == "bm25":
            ranked = self._lexical(query, allowed)
        else:
            ranked = self._fused(self._dense(query, allowed, paper_filter), self._lexical(query, allowed))
        return [SearchHit(paper=paper, score=score, rank=rank) for rank, (paper, score) in enumerate(ranked[:k], 1)]

    def _allowed_ids(self, paper_filter: PaperFilter | None) -> set[str] | None:
        """Ids passing the filter (None: no filter). Author names are matched here, tolerantly."""
        if paper_filter is None or paper_filter == PaperFilter():
            return None
        papers = self.store.get_papers(paper_filter)
        if paper_filter.author:
            papers = [paper for paper in papers if paper_has_author(paper_filter.author, paper.authors)]
        return {paper.id for paper in papers}

    def _dense(
        self, query: str, allowed: set[str] | None, paper_filter: PaperFilter | None
    ) -> list[tuple[Paper, float]]:
        if allowed is not None and not allowed:
            return []
        pairs = self.store.dense_search(query, self.settings.search_candidates, paper_filter)
        return [(paper, score) for paper, score in pairs if allowed is None or paper.id in allowed]

    def _lexical(self, query: str, allowed: set[str] | None) -> list[tuple[Paper, float]]:
        index = self.lexical_index()
        scores = index.scores(query)
        pairs = [
            (paper, float(score))
            for paper, score in zip(index.papers, scores, strict=True)
            if score > 0 and (allowed is None or paper.id in allowed)
        ]
        pairs.sort(key=lambda pair: pair[1], reverse=True)
        return pairs[: self.settings.search_candidates]

    def _fused(self, dense: list[tuple[Paper, float]], lexical: list[tuple[Paper, float]]) -> list[tuple[Paper, float]]:
        """Weighted score: dense_weight * cosine + (1 - dense_weight) * BM25 / best BM25 of this query.

        Chosen over reciprocal-rank fusion by measurement on the dev set (see Settings.dense_weight):
        RRF discards how far ahead the top BM25 hit is, which is exactly what identifies acronym look-ups.
        """
        weight = self.settings.dense_weight
        best_lexical = max((score for _, score in lexical), default=0.0) or 1.0
        papers = {paper.id: paper for paper, _ in dense + lexical}
        fused = dict.fromkeys(papers, 0.0)
        for paper, cosine in dense:
            fused[paper.id] += weight * cosine
        for paper, score in lexical:
            fused[paper.id] += (1.0 - weight) * score / best_lexical
        order = sorted(fused, key=lambda paper_id: fused[paper_id], reverse=True)
        return [(papers[paper_id], fused[paper_id]) for paper_id in order]
