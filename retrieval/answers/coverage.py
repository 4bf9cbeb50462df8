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
    "topic_sentence_cosine",  # best cosine of the topic to a sentence of the top hits
    "question_sentence_cosine",  # the same for the whole question
    "adjacent_share",  # share of the topic's consecutive term pairs that occur consecutively in some paper
    "top_score",  # the best hybrid search score
    "rarest_idf",  # the topic's rarest term's idf, over 5
    "paper_term_share",  # the largest idf-weighted share of the topic's terms that one of the top papers has
    "absent_centrality",  # how much a word no paper uses carries the topic's meaning (see `absent_centrality`)
    "central_absent_share",  # the share of the topic's meaning (its words' cosines to it) in words no paper uses
    "central_paper_share",  # the largest share of the question's meaning in topic words one top paper has
)


def coverage_features(
    topic: str, question: str, hits: list[SearchHit], index: LexicalIndex, vectors: SentenceVectors
) -> list[float]:
    """The signals of FEATURES. Chat left in the topic ("before 2022 rolled around") lengthens it and adds words no
    paper uses; weighting each word by its cosine to the topic or question lets the words that carry it count most."""
    words = topic_words(topic)
    topic_terms = terms(topic)
    embeddings = vectors.embeddings
    topic_vector, question_vector = (
        np.asarray(embeddings.embed_query(topic)),
        np.asarray(embeddings.embed_query(question)),
    )

    def best_cosine(vector: np.ndarray) -> float:
        return best_sentence_cosine(vector, hits, vectors)

    pairs = list(itertools.pairwise(topic_terms))
    centrality = word_centrality(topic, index, embeddings, topic_vector, question_vector)
    return [
        len(uncovered_terms(topic, index)) / max(1, len(words)),
        best_cosine(topic_vector),
        best_cosine(question_vector),
        sum(pair in index.adjacent_pairs for pair in pairs) / max(1, len(pairs)),
        hits[0].score if hits else 0.0,
        max((index.idf(term) for term in topic_terms), default=0.0) / 5,
        max((index.coverage(topic, hit.paper.id) for hit in hits), default=0.0),
        max((to_topic for _, to_topic, _, absent in centrality if absent), default=0.0),
        _weighted_share([(to_topic, absent) for _, to_topic, _, absent in centrality]),
        max(
            (
                _weighted_share(
                    [
                        (to_question, bool(set(terms(word)) & index.terms_of(hit.paper.id)))
                        for word, _, to_question, _ in centrality
                    ]
                )
                for hit in hits
            ),
            default=0.0,
        ),
    ]


def best_sentence_cosine(vector: np.ndarray, hits: list[SearchHit], vectors: SentenceVectors) -> float:
    """The best cosine of `vector` to a sentence of the hits' abstracts; 0 without hits."""
    if not hits:
        return 0.0
    return float((np.vstack([vectors.of(hit.paper)[1] for hit in hits]) @ vector).max())


def _embed_queries(embeddings: Embeddings, texts: list[str]) -> list[list[float]]:
    """In one model call where the embeddings can (MiniLMEmbeddings, whose query vectors are remembered: words
    recur); one by one otherwise."""
    several = getattr(embeddings, "embed_queries", None)
    return several(texts) if several else [embeddings.embed_query(text) for text in texts]


def word_centrality(
    topic: str, index: LexicalIndex, embeddings: Embeddings, topic_vector: np.ndarray, question_vector: np.ndarray
) -> list[tuple[str, float, float, bool]]:
    """Each word of the topic: its cosine to the topic, to the question, and whether no paper uses it."""
    words = [match.group() for match in WORD.finditer(topic)]
    if not words:
        return []
    vectors = np.asarray(_embed_queries(embeddings, words))
    return [
        (word, float(vector @ topic_vector), float(vector @ question_vector), bool(uncovered_terms(word, index)))
        for word, vector in zip(words, vectors, strict=True)
    ]


def _weighted_share(weighted: list[tuple[float, bool]]) -> float:
    """The share of the (non-negative) weight on the items marked true."""
    total = sum(max(weight, 0.0) for weight, _ in weighted)
    return sum(max(weight, 0.0) for weight, marked in weighted if marked) / total if total > 0 else 0.0


def absent_centrality(topic: str, index: LexicalIndex, embeddings: Embeddings) -> float:
    """The best cosine between the whole topic and one of its words that no paper uses; 0 when every word is used.
    A missing word that names the topic ("SLAM" in "visual SLAM for robot navigation") is close to it; a missing
    filler or aside ("etc", "walk or hop" after "locomotion") is not, so the share of missing words alone misleads."""
    topic_vector = np.asarray(embeddings.embed_query(topic))
    centrality = word_centrality(topic, index, embeddings, topic_vector, topic_vector)
    return max((to_topic for _, to_topic, _, absent in centrality if absent), default=0.0)


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
