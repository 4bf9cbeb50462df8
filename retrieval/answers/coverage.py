"""Is the question's topic covered by the profile at all? A small logistic model over profile-relative signals.

Each signal alone misses near-topic questions ("neural architecture search": every word is in some abstract,
never together; "theory of mind in LLMs": the nearest sentences are about LLMs). Together they separate better
(benchmarks/RESULTS.md). The weights are fitted on the labelled questions by `benchmarks/fit_coverage.py` and
ship as `coverage_model.json`; the signals are relative to the store, so they carry over to other profiles.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.answers.extractive import topic_words, uncovered_terms
from retrieval.index.search import LexicalIndex
from retrieval.index.sentence_vectors import SentenceVectors
from retrieval.models import SearchHit
from retrieval.text.lexical import WORD, terms

FEATURES = (
    "absent_share",  # share of the topic's words that no paper uses
    "length",  # topic words, capped at 8, over 8
    "topic_sentence_cosine",  # best cosine of the topic to a sentence of the top hits
    "question_sentence_cosine",  # the same for the whole question
    "adjacent_share",  # share of the topic's consecutive term pairs that occur consecutively in some paper
    "top_score",  # the best hybrid search score
    "rarest_idf",  # the topic's rarest term's idf, over 5
    "paper_term_share",  # the largest idf-weighted share of the topic's terms that one of the top papers has
    "absent_centrality",  # how much a word no paper uses carries the topic's meaning (see `absent_centrality`)
)


def coverage_features(
    topic: str, question: str, hits: list[SearchHit], index: LexicalIndex, vectors: SentenceVectors
) -> list[float]:
    words = topic_words(topic)
    topic_terms = terms(topic)
    sentences = np.vstack([vectors.of(hit.paper)[1] for hit in hits]) if hits else np.zeros((1, 1))
    embeddings = vectors.embeddings

    def best_cosine(text: str) -> float:
        return float((sentences @ np.asarray(embeddings.embed_query(text))).max()) if hits else 0.0

    pairs = list(itertools.pairwise(topic_terms))
    return [
        len(uncovered_terms(topic, index)) / max(1, len(words)),
        min(len(words), 8) / 8,
        best_cosine(topic),
        best_cosine(question),
        sum(pair in index.adjacent_pairs for pair in pairs) / max(1, len(pairs)),
        hits[0].score if hits else 0.0,
        max((index.idf(term) for term in topic_terms), default=0.0) / 5,
        max((index.coverage(topic, hit.paper.id) for hit in hits), default=0.0),
        absent_centrality(topic, index, embeddings),
    ]


def absent_centrality(topic: str, index: LexicalIndex, embeddings: Embeddings) -> float:
    """The best cosine between the whole topic and one of its words that no paper uses; 0 when every word is used.
    A missing word that names the topic ("SLAM" in "visual SLAM for robot navigation") is close to it; a missing
    filler or aside ("etc", "walk or hop" after "locomotion") is not, so the share of missing words alone misleads."""
    missing = [match.group() for match in WORD.finditer(topic) if uncovered_terms(match.group(), index)]
    if not missing:
        return 0.0
    whole = np.asarray(embeddings.embed_query(topic))
    return max(float(np.asarray(vector) @ whole) for vector in embeddings.embed_documents(missing))


@dataclass(frozen=True)
class CoverageModel:
    weights: tuple[float, ...]
    intercept: float

    @classmethod
    def from_json(cls, text: str) -> CoverageModel:
        data = json.loads(text)
        if tuple(data["features"]) != FEATURES:
            raise ValueError("coverage_model.json was fitted on other features; run benchmarks/fit_coverage.py")
        return cls(tuple(data["weights"]), data["intercept"])

    def to_json(self) -> str:
        return json.dumps({"features": FEATURES, "weights": self.weights, "intercept": self.intercept}, indent=1)

    @classmethod
    def fit(cls, samples: list[tuple[str, bool, list[float]]]) -> CoverageModel:
        """From (group, uncovered?, features) samples (benchmarks/fit_coverage.py)."""
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=1.0, max_iter=1000).fit([s[2] for s in samples], [s[1] for s in samples])
        return cls(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]))

    def uncovered_probability(self, features: list[float]) -> float:
        z = self.intercept + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1 / (1 + math.exp(-z))


@lru_cache(maxsize=1)
def shipped_model() -> CoverageModel:
    return CoverageModel.from_json(files("retrieval.answers").joinpath("coverage_model.json").read_text("utf-8"))
