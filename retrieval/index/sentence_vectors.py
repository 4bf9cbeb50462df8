"""Abstract sentences and their embeddings: computed at ingest and stored with the paper (PaperStore), read once
per paper version and kept in memory (the most recently used papers), shared by all threads. A store written
before sentences were stored (or a paper whose sentences are missing) gets them computed here on first use."""

from __future__ import annotations

import base64
import hashlib
import threading
from collections import OrderedDict
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


def encode_vectors(vectors: np.ndarray) -> str:
    """Sentence vectors as text for Chroma's metadata: float16 (cosines move by ~1e-5), base64."""
    return base64.b64encode(np.asarray(vectors, dtype="<f2").tobytes()).decode("ascii")


def decode_vectors(text: str, rows: int) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f2").astype(np.float32).reshape(rows, -1)


def sentences_digest(sentences: list[str]) -> str:
    return hashlib.sha256("\n".join(sentences).encode()).hexdigest()[:16]


# papers whose sentences stay in memory (about 12 KB each): answers read the few top papers of each question, so
# a bounded cache keeps the hot ones without holding a 100k-paper store in RAM
CACHED_PAPERS = 20_000


class SentenceVectors:
    def __init__(self, embeddings: Embeddings, stored: SentenceReader | None = None) -> None:
        self.embeddings = embeddings
        self.stored = stored
        self._cache: OrderedDict[str, tuple[list[str], np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, paper: Paper) -> tuple[list[str], np.ndarray]:
        key = f"{paper.id}@{paper.content_fingerprint()}"
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        cached = self.stored(paper) if self.stored else None
        if cached is None:
            sentences = quotable_sentences(paper)
            cached = (sentences, np.asarray(self.embeddings.embed_documents(sentences), dtype=np.float32))
        with self._lock:
            self._cache[key] = cached
            while len(self._cache) > CACHED_PAPERS:
                self._cache.popitem(last=False)
        return cached
