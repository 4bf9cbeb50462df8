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
import threading
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from zipfile import BadZipFile

import numpy as np
from langchain_core.embeddings import Embeddings
from platformdirs import user_cache_dir

from retrieval.answers.intent_model import CHAR_NGRAMS, WORD_NGRAMS, LinearIntentModel
from retrieval.atomic import replace_atomically
from retrieval.text.names import replace_person

log = logging.getLogger(__name__)


EXAMPLES_OWNER = "Igor Mordatch"  # whose profile the shipped example questions ask about


def without_owner(question: str, owner: str) -> str:
    """The owner's names as "the researcher" ("what does igor mordatch work on?" → "what does the researcher work
    on?"): the classifier learns the kind of question, not whose profile the examples happened to be about."""
    return replace_person(question, owner, "the researcher", "the researcher's")


def load_examples() -> list[tuple[str, str]]:
    """(question, intent) pairs shipped with the package."""
    text = files("retrieval.answers").joinpath("intent_examples.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [(row["question"], row["intent"]) for row in rows]


# fitted models by (embedding model, examples): every service of a process (and every test) shares one
_FITTED: dict[tuple[str, tuple[tuple[str, str], ...]], LinearIntentModel] = {}


class IntentClassifier:
    """Fitted once per install and set of examples (~3 s), then read from the user cache as arrays
    (retrieval/answers/intent_model.py); thread-safe."""

    def __init__(self, embeddings: Embeddings, examples: list[tuple[str, str]] | None = None) -> None:
        self.embeddings = embeddings
        self.examples = examples if examples is not None else load_examples()
        self._lock = threading.Lock()
        self._fitted: LinearIntentModel | None = None

    @property
    def _model_name(self) -> str:
        return getattr(self.embeddings, "name", type(self.embeddings).__name__)

    def scores(self, question: str, owner: str = EXAMPLES_OWNER) -> dict[str, float]:
        """Each intent's probability for a question about `owner`'s profile."""
        question = without_owner(question, owner)
        return self.model().probabilities(question, np.asarray(self.embeddings.embed_query(question)))

    def model(self) -> LinearIntentModel:
        if self._fitted is not None:  # the per-question path: nothing to build
            return self._fitted
        key = (self._model_name, tuple(self._questions), tuple(intent for _, intent in self.examples))
        with self._lock:
            if self._fitted is None:
                self._fitted = _FITTED.get(key)
            if self._fitted is None:
                cache = cache_file("intent-model", ".npz", [self._model_name, self._questions, self.examples])
                try:
                    self._fitted = LinearIntentModel.load(cache)
                except (OSError, ValueError, KeyError, EOFError, BadZipFile):  # missing, or not a model file: fit it
                    self._fitted = LinearIntentModel.from_sklearn(*self.fit_sklearn())
                    write_cache(cache, self._fitted.save)
                _FITTED[key] = self._fitted
            return self._fitted

    @property
    def _questions(self) -> list[str]:
        return [without_owner(question, EXAMPLES_OWNER) for question, _ in self.examples]

    def fit_sklearn(self) -> tuple[object, object, object]:
        """(word vectorizer, character vectorizer, logistic regression), fitted on the examples."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        questions = self._questions
        word = TfidfVectorizer(ngram_range=WORD_NGRAMS, sublinear_tf=True).fit(questions)
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True, min_df=2).fit(questions)
        features = self._features(word, chars, questions, self._example_vectors(questions))
        model = LogisticRegression(C=16, max_iter=3000).fit(features, [intent for _, intent in self.examples])
        return word, chars, model

    @staticmethod
    def _features(word: object, chars: object, questions: list[str], vectors: np.ndarray) -> object:
        from scipy.sparse import csr_matrix, hstack

        return hstack(
            [word.transform(questions), chars.transform(questions), csr_matrix(vectors)]  # type: ignore[attr-defined]
        ).tocsr()

    def _example_vectors(self, questions: list[str]) -> np.ndarray:
        """The examples' vectors, from the user cache when this model has embedded these examples before."""
        cache = cache_file("intent-vectors", ".npy", [self._model_name, questions])
        try:
            vectors = np.load(cache)
            if vectors.shape[0] == len(questions):
                return vectors
        except (OSError, ValueError, EOFError):  # missing, or not a vector file
            pass
        vectors = np.asarray(self.embeddings.embed_documents(questions), dtype=np.float32)

        def save(path: Path) -> None:
            with path.open("wb") as file:  # a handle: given a path, numpy would append ".npy" to its name
                np.save(file, vectors, allow_pickle=False)

        write_cache(cache, save)
        return vectors


def cache_file(stem: str, suffix: str, key: object) -> Path:
    """A file in the user cache named after what it was computed from."""
    digest = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:16]
    return Path(user_cache_dir("research-bot")) / f"{stem}-{digest}{suffix}"


def write_cache(path: Path, write: Callable[[Path], None]) -> None:
    """A read-only cache only costs the fit again."""
    try:
        replace_atomically(path, write)
    except OSError as error:
        log.debug("%s not cached: %s", path.name, error)
