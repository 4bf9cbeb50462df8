"""Abstract sentences and their embeddings: computed at ingest and stored with the paper (PaperStore), read once
per paper version and kept in memory, shared by all threads. A store written before sentences were stored (or a
paper whose sentences are missing) gets them computed here on first use."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.answers.sentence_filters import quotable
from retrieval.models import Paper
from retrieval.text.lexical import split_sentences

SentenceReader = Callable[[Paper], tuple[list[str], np.ndarray] | None]


def quotable_sentences(paper: Paper) -> list[str]:
    """The abstract's sentences an answer may quote: planted instructions and bare pointers left out."""
    return [s for s in split_sentences(paper.abstract) if quotable(s)] or [paper.title]


class SentenceVectors:
    def __init__(self, embeddings: Embeddings, stored: SentenceReader | None = None) -> None:
        self.embeddings = embeddings
        self.stored = stored
        self._cache: dict[str, tuple[list[str], np.ndarray]] = {}
        self._lock = threading.Lock()

    def of(self, paper: Paper) -> tuple[list[str], np.ndarray]:
        key = f"{paper.id}@{paper.content_fingerprint()}"
        with self._lock:
            cached = self._cache.get(key)
        if cached is None:
            cached = self.stored(paper) if self.stored else None
            if cached is None:
                sentences = quotable_sentences(paper)
                cached = (sentences, np.asarray(self.embeddings.embed_documents(sentences)))
            with self._lock:
                self._cache[key] = cached
        return cached
