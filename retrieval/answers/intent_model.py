"""The fitted intent classifier as plain arrays: scores a question with numpy alone.

scikit-learn fits it (retrieval/answers/intents.py), but importing scikit-learn and fitting cost ~2.5 s, most of
a cold start. The fitted model is a linear one over tf-idf n-grams and the question vector, so it is saved as its
vocabularies, idf weights and coefficients, and a new process reads those instead. The n-gram analyzers below
restate scikit-learn's two (`analyzer="word"` with ngram_range (1, 2), `analyzer="char_wb"` with (2, 5));
tests/test_intents.py checks that the probabilities match scikit-learn's to 1e-9 on every shipped example.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WORD_PATTERN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
WHITESPACE_RUNS = re.compile(r"\s\s+")
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)


def word_grams(text: str) -> list[str]:
    tokens = WORD_PATTERN.findall(text.lower())
    low, high = WORD_NGRAMS
    return [" ".join(tokens[i : i + n]) for n in range(low, high + 1) for i in range(len(tokens) - n + 1)]


def char_grams(text: str) -> list[str]:
    """Character n-grams inside word boundaries, each word padded with a space on both sides."""
    grams = []
    low, high = CHAR_NGRAMS
    for word in WHITESPACE_RUNS.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
            if len(padded) <= n:  # a short word counts once, whatever n
                break
    return grams


@dataclass(frozen=True)
class TfidfBlock:
    vocabulary: dict[str, int]
    idf: np.ndarray

    def weights(self, grams: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(column indexes, sublinear tf-idf weights, l2-normalised) of the grams in the vocabulary."""
        counts = Counter(gram for gram in grams if gram in self.vocabulary)
        columns = np.fromiter((self.vocabulary[gram] for gram in counts), dtype=np.int64, count=len(counts))
        values = (1 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[columns]
        return columns, values / (np.linalg.norm(values) or 1.0)


@dataclass(frozen=True)
class LinearIntentModel:
    labels: tuple[str, ...]
    words: TfidfBlock
    chars: TfidfBlock
    coefficients: np.ndarray  # (labels, word columns + char columns + vector dimensions)
    intercepts: np.ndarray

    @classmethod
    def from_sklearn(cls, word: object, chars: object, model: object) -> LinearIntentModel:
        def block(vectorizer: object) -> TfidfBlock:
            vocabulary = {str(term): int(column) for term, column in vectorizer.vocabulary_.items()}  # type: ignore[attr-defined]
            return TfidfBlock(vocabulary, np.asarray(vectorizer.idf_, dtype=np.float64))  # type: ignore[attr-defined]

        return cls(
            tuple(str(label) for label in model.classes_),  # type: ignore[attr-defined]
            block(word),
            block(chars),
            np.asarray(model.coef_, dtype=np.float64),  # type: ignore[attr-defined]
            np.asarray(model.intercept_, dtype=np.float64),  # type: ignore[attr-defined]
        )

    def probabilities(self, question: str, vector: np.ndarray) -> dict[str, float]:
        word_columns, word_values = self.words.weights(word_grams(question))
        char_columns, char_values = self.chars.weights(char_grams(question))
        offset = len(self.words.idf)
        vector_start = offset + len(self.chars.idf)
        logits = (
            self.intercepts
            + self.coefficients[:, word_columns] @ word_values
            + self.coefficients[:, offset + char_columns] @ char_values
            + self.coefficients[:, vector_start:] @ np.asarray(vector, dtype=np.float64)
        )
        exp = np.exp(logits - logits.max())  # softmax: the multinomial model's predict_proba
        return dict(zip(self.labels, (exp / exp.sum()).tolist(), strict=True))

    def save(self, path: Path) -> None:
        def terms(block: TfidfBlock) -> np.ndarray:
            return np.asarray(sorted(block.vocabulary, key=block.vocabulary.__getitem__))

        with path.open("wb") as handle:
            np.savez(
                handle,
                labels=np.asarray(self.labels),
                word_terms=terms(self.words),
                word_idf=self.words.idf,
                char_terms=terms(self.chars),
                char_idf=self.chars.idf,
                coefficients=self.coefficients,
                intercepts=self.intercepts,
            )

    @classmethod
    def load(cls, path: Path) -> LinearIntentModel:
        with np.load(path, allow_pickle=False) as data:

            def block(name: str) -> TfidfBlock:
                return TfidfBlock({str(t): i for i, t in enumerate(data[f"{name}_terms"])}, data[f"{name}_idf"])

            return cls(
                tuple(str(label) for label in data["labels"]),
                block("word"),
                block("char"),
                data["coefficients"],
                data["intercepts"],
            )
