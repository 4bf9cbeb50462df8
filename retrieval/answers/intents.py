"""A learned intent classifier: which kind of question this is (look-up, comparison, overview, ...).

Rules alone over-fitted: every new set of realistic questions found phrasings the cue regexes missed ("what is
he known for", "rundown of his work on ..."). A logistic regression over word and character n-grams plus the
MiniLM question vector, trained on labelled example questions (`intent_examples.jsonl`, shipped with the
package), generalises to new phrasings better (benchmarks/RESULTS.md, leave-one-set-out). The planner
(retrieval/answers/plan.py) still extracts the filters, papers, metrics and topic by rule, and keeps the last word
where a slot rules an intent in or out (a metric answer needs a metric named, a comparison two things).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from importlib.resources import files
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from platformdirs import user_cache_dir

log = logging.getLogger(__name__)


def load_examples() -> list[tuple[str, str]]:
    """(question, intent) pairs shipped with the package."""
    text = files("retrieval.answers").joinpath("intent_examples.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [(row["question"], row["intent"]) for row in rows]


# fitted classifiers by (embedding model, examples): every service of a process (and every test) shares one
_FITTED: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[object, object, object]] = {}


class IntentClassifier:
    """Fitted once, on first use (about 2 s to embed the examples, then cached on disk); thread-safe."""

    def __init__(self, embeddings: Embeddings, examples: list[tuple[str, str]] | None = None) -> None:
        self.embeddings = embeddings
        self.examples = examples if examples is not None else load_examples()
        self._lock = threading.Lock()
        self._fitted: tuple[object, object, object] | None = None

    @property
    def _model_name(self) -> str:
        return getattr(self.embeddings, "name", type(self.embeddings).__name__)

    def scores(self, question: str) -> dict[str, float]:
        """Each intent's probability."""
        word, chars, model = self._fit()
        features = self._features(word, chars, [question], np.asarray([self.embeddings.embed_query(question)]))
        probabilities = model.predict_proba(features)[0]  # type: ignore[attr-defined]
        return {str(label): float(p) for label, p in zip(model.classes_, probabilities, strict=True)}  # type: ignore[attr-defined]

    def _fit(self) -> tuple[object, object, object]:
        if self._fitted is not None:  # the per-question path: nothing to build
            return self._fitted
        key = (self._model_name, tuple(self.examples))
        with self._lock:
            if self._fitted is None:
                self._fitted = _FITTED.get(key)
            if self._fitted is None:
                from sklearn.feature_extraction.text import TfidfVectorizer
                from sklearn.linear_model import LogisticRegression

                questions = [question for question, _ in self.examples]
                word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(questions)
                chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2).fit(
                    questions
                )
                features = self._features(word, chars, questions, self._example_vectors(questions))
                model = LogisticRegression(C=16, max_iter=3000).fit(features, [intent for _, intent in self.examples])
                self._fitted = _FITTED[key] = (word, chars, model)
            return self._fitted

    @staticmethod
    def _features(word: object, chars: object, questions: list[str], vectors: np.ndarray) -> object:
        from scipy.sparse import csr_matrix, hstack

        return hstack(
            [word.transform(questions), chars.transform(questions), csr_matrix(vectors)]  # type: ignore[attr-defined]
        ).tocsr()

    def _example_vectors(self, questions: list[str]) -> np.ndarray:
        """The examples' vectors, from the user cache when this model has embedded these examples before."""
        digest = hashlib.sha256(json.dumps([self._model_name, questions]).encode()).hexdigest()[:16]
        cache = Path(user_cache_dir("research-bot")) / f"intent-vectors-{digest}.npy"
        try:
            vectors = np.load(cache)
            if vectors.shape[0] == len(questions):
                return vectors
        except (OSError, ValueError, EOFError):  # missing, or not a vector file
            pass
        vectors = np.asarray(self.embeddings.embed_documents(questions), dtype=np.float32)
        try:  # written whole or not at all; a read-only cache only costs the 2 s again
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as handle:
                np.save(handle, vectors)
            partial.replace(cache)
        except OSError as error:
            log.debug("intent vectors not cached: %s", error)
        return vectors
