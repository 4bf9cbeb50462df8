"""Abstract sentences and their embeddings, computed once per paper version and shared by all threads."""

from __future__ import annotations

import threading

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.answers.sentence_filters import quotable
from retrieval.models import Paper
from retrieval.text.lexical import split_sentences


class SentenceVectors:
    """Embeddings of abstract sentences (planted instructions and bare pointers left out), computed once per
    paper version and shared by all threads."""

    def __init__(self, embeddings: Embeddings) -> None:
        self.embeddings = embeddings
        self._cache: dict[str, tuple[list[str], np.ndarray]] = {}
        self._lock = threading.Lock()

    def of(self, paper: Paper) -> tuple[list[str], np.ndarray]:
        key = f"{paper.id}@{paper.content_fingerprint()}"
        with self._lock:
            cached = self._cache.get(key)
        if cached is None:
            sentences = [s for s in split_sentences(paper.abstract) if quotable(s)] or [paper.title]
            cached = (sentences, np.asarray(self.embeddings.embed_documents(sentences)))
            with self._lock:
                self._cache[key] = cached
        return cached
