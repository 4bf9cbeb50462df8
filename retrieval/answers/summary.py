"""Extractive paper summaries: every line is a sentence of the abstract, chosen, never rewritten.

Sentences are ranked by centrality (MiniLM cosine to the abstract's mean and to the title) plus a nudge
toward "we propose / we show" sentences and away from background ("However, ... remains challenging").
Sentences with figures go to `results`; the best remaining ones make the TL;DR and the key points.
"""

from __future__ import annotations

import re

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.models import Paper, Summary
from retrieval.text.figures import figure_values
from retrieval.text.latex import render_latex
from retrieval.text.lexical import split_sentences

MAX_RESULTS = 3
MAX_KEY_POINTS = 3
SHORT_TLDR_WORDS = 20  # a TL;DR sentence shorter than this gets the next best sentence as company
CONTRIBUTION_BONUS = 0.08
BACKGROUND_PENALTY = 0.08
_CONTRIBUTION = re.compile(r"\b(?:we|our|this (?:paper|work|report))\b", re.IGNORECASE)
_BACKGROUND = re.compile(
    r"^(?:however|while|although|despite|unfortunately|recent|existing|traditional)\b|\b(?:remains?|challenging)\b",
    re.IGNORECASE,
)
# a paper fetched from a source that had no abstract: said plainly, not summarised from its title
NO_ABSTRACT = "The source has no abstract for this paper; only its title, authors and date are known."
_POINTER = re.compile(r"\b(?:website|project page|can be found)\b", re.IGNORECASE)  # "videos can be found at ..."


def summarize(paper: Paper, embeddings: Embeddings) -> Summary:
    if not paper.has_abstract:
        return Summary(paper=paper, tldr=NO_ABSTRACT, key_points=[], results=[])
    sentences = [s for s in split_sentences(render_latex(paper.abstract)) if not _POINTER.search(s)]
    if not sentences:
        return Summary(paper=paper, tldr="", key_points=[], results=[])
    title = render_latex(paper.title)
    results = _result_sentences(sentences, title)
    scores = _centrality(sentences, title, embeddings)
    order = sorted(range(len(sentences)), key=lambda index: -scores[index])
    free = [index for index in order if sentences[index] not in results] or order
    tldr = free[:1]
    if len(sentences[tldr[0]].split()) < SHORT_TLDR_WORDS and len(free) > 1:
        tldr = free[:2]
    rest = free[len(tldr) :]
    # key points are contributions: background sentences only when nothing else is left
    key_points = ([index for index in rest if not _is_background(sentences[index])] or rest)[:MAX_KEY_POINTS]
    return Summary(
        paper=paper,
        tldr=" ".join(sentences[index] for index in sorted(tldr)),
        key_points=[sentences[index] for index in sorted(key_points)],
        results=results,
    )


def _result_sentences(sentences: list[str], title: str) -> list[str]:
    """Sentences reporting figures, the richest first kept, in abstract order. Numbers that name
    the paper's subject ("Gemini 1.5", "Melting Pot 2.0") are not results."""
    title_values = figure_values(title)
    counts = [len(figure_values(sentence) - title_values) for sentence in sentences]
    richest = sorted((i for i, count in enumerate(counts) if count), key=lambda i: -counts[i])[:MAX_RESULTS]
    return [sentences[index] for index in sorted(richest)]


def _centrality(sentences: list[str], title: str, embeddings: Embeddings) -> list[float]:
    vectors = np.asarray(embeddings.embed_documents([*sentences, title]))
    sentence_vectors, title_vector = vectors[:-1], vectors[-1]
    mean = sentence_vectors.mean(axis=0)
    mean /= np.linalg.norm(mean) or 1.0
    # MiniLM vectors are normalized: a dot product is the cosine
    scores = 0.5 * sentence_vectors @ mean + 0.5 * sentence_vectors @ title_vector
    return [float(score) + _cue_adjustment(sentence) for score, sentence in zip(scores, sentences, strict=True)]


def _cue_adjustment(sentence: str) -> float:
    if _CONTRIBUTION.search(sentence):
        return CONTRIBUTION_BONUS
    return -BACKGROUND_PENALTY if _is_background(sentence) else 0.0


def _is_background(sentence: str) -> bool:
    return bool(_BACKGROUND.search(sentence)) and not _CONTRIBUTION.search(sentence)
