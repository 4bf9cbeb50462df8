"""Hybrid paper search: dense (Chroma + MiniLM) and BM25 (bm25s) scores fused by a weighted sum.

The BM25 index covers every paper in the store; it is built on first use and rebuilt whenever the
store's revision counter moves (any ingest, in this process or another). Filters are applied to
both rankings before fusion, so every hit matches the filter.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import bm25s
import numpy as np

from retrieval.errors import UserFacingError
from retrieval.index import lexical_cache
from retrieval.index.paper_names import NameTable, PaperNames, names_of
from retrieval.index.store import PaperStore
from retrieval.models import Paper, PaperFilter, SearchHit
from retrieval.settings import Settings
from retrieval.text.fields import field_words
from retrieval.text.lexical import WORD, terms
from retrieval.text.names import paper_has_author

logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its logger to DEBUG when imported

SEARCH_MODES: tuple[str, ...] = ("hybrid", "dense", "bm25")


def bm25_document(paper: Paper, title_repeat: int) -> list[str]:
    """Title repeated (short and specific: it should outweigh one abstract mention), then people, then abstract, then
    the names of its field when it is not computer science (text/fields.py)."""
    fields = (
        [paper.title] * title_repeat
        + paper.authors
        + paper.affiliations
        + [paper.abstract, field_words(paper.category)]
    )
    return terms("\n".join(fields))


MIN_NUMBERED_STEM = 3  # ("rt" of "rt1" is no word of its own)


@dataclass(frozen=True)
class LexicalIndex:
    """Every paper at one store revision, its BM25 index, and what is derived from each paper once (its names:
    paper_names.py); saved whole for new processes (lexical_cache.py)."""

    revision: int
    papers: list[Paper]
    bm25: bm25s.BM25
    title_repeat: int
    document_frequency: Counter[str]
    adjacent_pairs: frozenset[tuple[str, str]]  # terms that follow each other somewhere ("architectur", "search")
    names: dict[str, PaperNames]
    swept: bool  # no retired passage is left at this revision: a dense query reads no metadata (store.passages_swept)

    @cached_property
    def by_id(self) -> dict[str, Paper]:
        return {paper.id: paper for paper in self.papers}

    @cached_property
    def _term_sets(self) -> dict[str, frozenset[str]]:
        return {}  # filled on demand: saved with the index, every paper's set was most of the file's load time

    def terms_of(self, paper_id: str) -> frozenset[str]:
        """The paper's BM25 terms (empty for an unknown id)."""
        found = self._term_sets.get(paper_id)
        if found is None:
            paper = self.by_id.get(paper_id)
            found = frozenset(bm25_document(paper, self.title_repeat)) if paper else frozenset()
            self._term_sets[paper_id] = found
        return found

    @cached_property
    def numbered_stems(self) -> frozenset[str]:
        """Terms that end in a model number, without it ("xarm6" → "xarm"): "the xArm robots" uses the papers' word."""
        stems = (term.rstrip("0123456789") for term in self.document_frequency if term[-1:].isdigit())
        return frozenset(stem for stem in stems if len(stem) >= MIN_NUMBERED_STEM)

    def name_table(self) -> NameTable:
        return NameTable(self.names)

    @cached_property
    def position(self) -> dict[str, int]:
        """Paper id → its row in `papers` (and in the BM25 scores)."""
        return {paper.id: row for row, paper in enumerate(self.papers)}

    @cached_property
    def by_profile(self) -> dict[str, list[Paper]]:
        grouped: dict[str, list[Paper]] = {}
        for paper in self.papers:
            grouped.setdefault(paper.profile, []).append(paper)
        return grouped

    @classmethod
    def build(cls, revision: int, papers: list[Paper], title_repeat: int, swept: bool = False) -> LexicalIndex:
        documents = [bm25_document(paper, title_repeat) for paper in papers]
        bm25 = bm25s.BM25()
        if documents:
            bm25.index(documents, show_progress=False)
        frequency = Counter(term for document in documents for term in set(document))
        pairs = frozenset(pair for document in documents for pair in itertools.pairwise(document))
        names = {paper.id: names_of(paper) for paper in papers}
        return cls(revision, papers, bm25, title_repeat, frequency, pairs, names, swept)

    def idf(self, term: str) -> float:
        """Rarer is higher; a term no paper has gets the highest weight of all."""
        return math.log((len(self.papers) + 1) / (self.document_frequency.get(term, 0) + 0.5))

    def coverage(self, query: str, paper_id: str) -> float:
        """Share of the query's terms (idf-weighted) that the paper contains: 0 when its topic words are absent."""
        query_terms = set(terms(query))
        total = sum(self.idf(term) for term in query_terms)
        present = sum(self.idf(term) for term in query_terms if term in self.terms_of(paper_id))
        return present / total if total > 0 else 0.0

    @cached_property
    def _word_sequences(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        return {}  # filled on demand, like _term_sets

    def word_sequences(self, paper_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The paper's title and abstract as terms in order, twice: a hyphenated word as its joined form, and as its
        parts ("multi-agent" → "multiag"; → "multi", "agent")."""
        found = self._word_sequences.get(paper_id)
        if found is None:
            paper = self.by_id.get(paper_id)
            found = _word_sequences(f"{paper.title}\n{paper.abstract}" if paper else "")
            self._word_sequences[paper_id] = found
        return found

    def uses_words(self, query: str, paper_id: str) -> bool:
        """The paper uses the query's words (those some paper uses) side by side, in any order: "language models"
        in "pre-trained language models" and "generate images" in "image generation", but not "language" in one
        sentence and "models" in another. A hyphenated word counts in either spelling ("multi-agent" as
        "multiagent", "energy-based" as "energy based")."""
        known = " ".join(
            match.group()
            for match in WORD.finditer(query)
            if any(self.document_frequency.get(term, 0) for term in terms(match.group()))
        )
        paper_terms = self.terms_of(paper_id)
        # each spelling (joined, parts) against the paper's same spelling; a paper lacking a word is not scanned
        forms = [
            (n, wanted) for n, wanted in enumerate(_word_sequences(known)) if wanted and set(wanted) <= paper_terms
        ]
        return bool(forms) and any(_has_window(self.word_sequences(paper_id)[n], wanted) for n, wanted in forms)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every paper (same order as `papers`); all zeros when no query term is known."""
        ids = self.bm25.get_tokens_ids(terms(query)) if self.papers else []  # an empty store has no vocabulary
        if not ids:
            return np.zeros(len(self.papers), dtype=np.float32)
        return self.bm25.get_scores_from_ids(ids)


def _word_sequences(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`text`'s terms in order with each hyphenated word joined, and with it split into its parts."""
    joined: list[str] = []
    parts: list[str] = []
    for match in WORD.finditer(text):
        forms = terms(match.group())  # a hyphenated word: its joined form, then its parts
        if forms:
            joined.append(forms[0])
            parts.extend(forms[1:] or forms)
    return tuple(joined), tuple(parts)


def _has_window(sequence: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    """Some run of len(wanted) consecutive terms of `sequence` holds exactly the `wanted` terms, in any order."""
    size, target = len(wanted), Counter(wanted)
    return any(Counter(sequence[start : start + size]) == target for start in range(len(sequence) - size + 1))


def matches(paper: Paper, paper_filter: PaperFilter) -> bool:
    """The filter applied to one paper in memory (what `chroma_where` asks of the store, plus the authors and exact
    dates)."""
    f = paper_filter
    return (
        (f.profile is None or paper.profile == f.profile)
        and (f.year is None or paper.year == f.year)
        and (f.year_from is None or paper.year >= f.year_from)
        and (f.year_to is None or paper.year <= f.year_to)
        and (f.date_from is None or paper.date >= f.date_from)
        and (f.date_to is None or paper.date <= f.date_to)
        and (f.category is None or paper.category == f.category.upper())
        and (f.has_code is None or paper.has_code == f.has_code)
        and (f.author is None or paper_has_author(f.author, paper.authors))
        and (f.also_author is None or paper_has_author(f.also_author, paper.authors))
        and (f.first_author is None or paper_has_author(f.first_author, paper.authors[:1]))
        and (f.author_position is None or _at_position(f.author, f.author_position, paper.authors))
        and (not f.title_has or any(_uses_phrase(paper.title, phrase) for phrase in f.title_has))
        and (not f.mentions or any(_uses_phrase(f"{paper.title} {paper.abstract}", word) for word in f.mentions))
    )


def _uses_phrase(text: str, phrase: str) -> bool:
    """`phrase` as whole words of `text`, any case, also in the plural ("Language Model" in "Language Models") or
    hyphenated ("game" in "Multi-Game", "MuJoCo" in "MuJoCo-like")."""
    words = r"[\s-]+".join(re.escape(word) for word in phrase.split())
    return re.search(rf"(?<!\w){words}(?:s|es)?(?!\w)", text, re.IGNORECASE) is not None


def _at_position(author: str | None, position: int, authors: list[str]) -> bool:
    return author is not None and len(authors) >= position and paper_has_author(author, [authors[position - 1]])


@dataclass(frozen=True)
class ProfilePassages:
    """One profile's passage vectors at one store revision, for dense ranking in memory."""

    revision: int
    paper_ids: list[str]
    vectors: np.ndarray

    def best(self, vector: np.ndarray, allowed: set[str] | None, k: int) -> dict[str, float]:
        """The best passage cosine of the top `k` allowed papers, best first."""
        if not self.paper_ids:
            return {}
        similarities = self.vectors @ vector
        best: dict[str, float] = {}
        for row in np.argsort(-similarities, kind="stable"):
            paper_id = self.paper_ids[row]
            if paper_id not in best and (allowed is None or paper_id in allowed):
                best[paper_id] = float(similarities[row])
                if len(best) == k:
                    break
        return best


# profiles whose passage vectors stay in memory (a few hundred KB each): the ones being asked about
CACHED_PROFILES = 64


class HybridSearcher:
    def __init__(self, store: PaperStore, settings: Settings, index_file: Path | None = None) -> None:
        """`index_file`: where the BM25 index is saved for other processes (lexical_cache.py); None: memory only."""
        self.store = store
        self.settings = settings
        self.index_file = index_file
        self._index: LexicalIndex | None = None
        self._lock = threading.Lock()
        self._profile_passages: OrderedDict[str, ProfilePassages] = OrderedDict()

    def lexical_index(self) -> LexicalIndex:
        """The BM25 index for the store's current revision: the one in memory, else the saved one, else built from
        the store (and saved). Once per revision even under concurrency."""
        revision = self.store.revision()  # (a question's: the one read when it began, see PaperStore.one_revision)
        with self._lock:
            if self._index is None or self._index.revision != revision:
                # a question pinned before another process's commit keeps the newer index, never rebuilds an older
                committed = self.store.committed_revision()
                if self._index is None or self._index.revision != committed:
                    self._index = self._load_or_build(committed)
            return self._index

    def _load_or_build(self, revision: int) -> LexicalIndex:
        title_repeat = self.settings.bm25_title_repeat
        store_id = str(self.store.papers.id)
        if self.index_file is not None:
            saved = lexical_cache.load(self.index_file, store_id, revision, title_repeat)
            if saved is not None:
                return saved
        swept = self.store.passages_swept() == revision
        index = LexicalIndex.build(revision, self.store.get_papers(), title_repeat, swept)
        if self.index_file is not None and self.store.committed_revision() == revision:  # not written meanwhile
            lexical_cache.save(self.index_file, store_id, title_repeat, index)
        return index

    def search(
        self, query: str, *, k: int = 10, mode: str = "hybrid", paper_filter: PaperFilter | None = None
    ) -> list[SearchHit]:
        if mode not in SEARCH_MODES:
            raise UserFacingError(f"Unknown search mode {mode!r}; choose one of {', '.join(SEARCH_MODES)}.")
        if not query.strip():
            raise UserFacingError("The search query is empty.")
        index = self.lexical_index()  # once per search: each call reads the store's revision
        allowed = self._allowed_ids(index, paper_filter)
        if mode == "dense":
            ranked = self._dense(index, query, allowed, paper_filter)
        elif mode == "bm25":
            ranked = self._lexical(index, query, allowed)
        else:
            dense = self._dense(index, query, allowed, paper_filter)
            ranked = self._fused(dense, self._lexical(index, query, allowed))
        return [SearchHit(paper=paper, score=score, rank=rank) for rank, (paper, score) in enumerate(ranked[:k], 1)]

    def _allowed_ids(self, index: LexicalIndex, paper_filter: PaperFilter | None) -> set[str] | None:
        """Ids passing the filter (None: no filter), from the papers held in memory: no store read per question,
        and only the profile's papers are looked at."""
        if paper_filter is None or paper_filter == PaperFilter():
            return None
        if paper_filter.profile is None:
            candidates = index.papers
        else:
            candidates = index.by_profile.get(paper_filter.profile, [])
            if paper_filter == PaperFilter(profile=paper_filter.profile):
                return {paper.id for paper in candidates}
        return {paper.id for paper in candidates if matches(paper, paper_filter)}

    def _dense(
        self, index: LexicalIndex, query: str, allowed: set[str] | None, paper_filter: PaperFilter | None
    ) -> list[tuple[Paper, float]]:
        """One profile's passages are ranked in memory; across profiles, Chroma ranks them within the filter's
        metadata (`where`). The papers come from memory."""
        if allowed is not None and not allowed:
            return []
        k = self.settings.search_candidates
        if paper_filter is not None and paper_filter.profile:
            vector = np.asarray(self.store.embeddings.embed_query(query), dtype=np.float32)
            best = self.profile_passages(paper_filter.profile, index.revision).best(vector, allowed, k)
        else:
            best = self.store.best_passages(query, k, paper_filter, index.revision, index.swept)
        return [
            (index.by_id[paper_id], score)
            for paper_id, score in best.items()
            if paper_id in index.by_id and (allowed is None or paper_id in allowed)
        ]

    def profile_passages(self, profile_id: str, revision: int) -> ProfilePassages:
        """The profile's passage vectors at this revision: kept in memory for the most recently asked profiles."""
        with self._lock:
            cached = self._profile_passages.get(profile_id)
            if cached is not None and cached.revision == revision:
                self._profile_passages.move_to_end(profile_id)
                return cached
        paper_ids, vectors, read_at = self.store.profile_passages(profile_id)
        passages = ProfilePassages(read_at, paper_ids, vectors)
        with self._lock:
            self._profile_passages[profile_id] = passages
            self._profile_passages.move_to_end(profile_id)
            while len(self._profile_passages) > CACHED_PROFILES:
                self._profile_passages.popitem(last=False)
        return passages

    def _lexical(self, index: LexicalIndex, query: str, allowed: set[str] | None) -> list[tuple[Paper, float]]:
        """The best-scoring papers among the allowed ones (only their scores are looked at: a profile's 50 papers,
        not the thousands of others a common word scores), best first; equal scores in index order."""
        scores = index.scores(query)
        if allowed is None:
            scored = np.flatnonzero(scores > 0)
        else:
            candidates = np.sort(np.asarray([index.position[id_] for id_ in allowed], dtype=np.intp))
            scored = candidates[scores[candidates] > 0]
        wanted = self.settings.search_candidates
        if len(scored) > wanted:  # only the top scores (ties kept) need sorting
            threshold = np.partition(scores[scored], len(scored) - wanted)[len(scored) - wanted]
            scored = scored[scores[scored] >= threshold]
        best = scored[np.argsort(-scores[scored], kind="stable")][:wanted]
        return [(index.papers[position], float(scores[position])) for position in best]

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
