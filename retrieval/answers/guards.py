"""Checks on an LLM's answer, sentence by sentence, against the sources it was given.

A sentence is kept only if it cites a retrieved source, every figure it states appears in a source it
cites, and the abstracts it cites support it: its best cosine to one of their sentences, blended with
the share of its content words they contain, reaches `Settings.llm_support_threshold`. Everything else
is removed, with a warning that says why.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import numpy as np

from retrieval.answers.sentence_filters import without_instructions
from retrieval.index.sentence_vectors import SentenceVectors
from retrieval.models import Paper
from retrieval.text.figures import FIGURE, figure_values
from retrieval.text.latex import render_latex
from retrieval.text.lexical import split_sentences, terms

# "[2]", "[1, 3]", "[1; 4]": a bracket holding citation numbers only
CITATION = re.compile(r"(\s*)\[(\d+(?:\s*[,;]\s*\d+)*)\]")
MISSING_SPACE = re.compile(r"(?<=[^\s\]])\[(?=\d)")  # "tasks[1]" after "tasks [7][1]" lost its [7]
# citations written after the full stop: "... tokens. [1][2]" is read as "... tokens [1][2]."
TRAILING_CITATIONS = re.compile(r"([.!?])((?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+)")
# Weight of the cosine next to word overlap in the support score; chosen with the threshold on the tuning
# half of tests/data/support_sentences.jsonl (benchmarks/eval_support.py, results in benchmarks/RESULTS.md).
SUPPORT_SIMILARITY_WEIGHT = 0.25


def source_text(paper: Paper) -> str:
    """What the model is shown of a paper, and so what its figures may come from."""
    return f"{render_latex(paper.title)} ({paper.year})\n{render_latex(without_instructions(paper.abstract))}"


@dataclass(frozen=True)
class CheckedSentence:
    text: str  # as shown, with its (valid) citations
    cited: tuple[int, ...]
    problem: str | None = None  # why it was removed; None when it is kept


@dataclass(frozen=True)
class CheckedAnswer:
    sentences: list[CheckedSentence]
    warnings: list[str]

    @property
    def kept(self) -> list[CheckedSentence]:
        return [sentence for sentence in self.sentences if sentence.problem is None]

    @property
    def text(self) -> str:
        return " ".join(sentence.text for sentence in self.kept)

    @property
    def cited(self) -> list[int]:
        return sorted({n for sentence in self.kept for n in sentence.cited})


def answer_sentences(text: str) -> list[str]:
    """Sentences of an answer, each with the citations that belong to it."""
    return split_sentences(TRAILING_CITATIONS.sub(r"\2\1", text))


def claim_of(sentence: str) -> str:
    """The sentence without its citation marks."""
    return " ".join(CITATION.sub(" ", sentence).split())


def support_evidence(
    claims: list[str], cited: list[list[Paper]], vectors: SentenceVectors
) -> list[tuple[float, float]]:
    """For each claim and the papers it cites: (best cosine to one of their abstract sentences, share of the
    claim's content terms found in their titles and abstracts)."""
    if not claims:
        return []
    claim_vectors = np.asarray(vectors.embeddings.embed_documents(claims))
    evidence = []
    for claim, claim_vector, papers in zip(claims, claim_vectors, cited, strict=True):
        similarity = max((float(np.max(vectors.of(paper)[1] @ claim_vector)) for paper in papers), default=0.0)
        claim_terms = set(terms(claim))
        source_terms = set().union(*(terms(source_text(paper)) for paper in papers))
        overlap = len(claim_terms & source_terms) / len(claim_terms) if claim_terms else 0.0
        evidence.append((similarity, overlap))
    return evidence


def support_score(similarity: float, overlap: float, similarity_weight: float = SUPPORT_SIMILARITY_WEIGHT) -> float:
    return similarity_weight * similarity + (1 - similarity_weight) * overlap


def unsupported_figures(claim: str, papers: list[Paper]) -> list[str]:
    supported = set().union(*(figure_values(source_text(paper)) for paper in papers))
    return [match.group(0).strip() for match in FIGURE.finditer(claim) if not figure_values(match.group(0)) & supported]


def known_citations(sentence: str, sources: dict[int, Paper], warnings: list[str]) -> tuple[str, tuple[int, ...]]:
    """(the sentence with citations of unknown sources removed, the known numbers it cites)."""
    numbers: list[int] = []

    def keep_known(match: re.Match[str]) -> str:
        found = [int(part) for part in re.split(r"[,;]", match.group(2))]
        warnings.extend(f"Removed citation [{n}]: no source {n} was retrieved." for n in found if n not in sources)
        valid = [n for n in dict.fromkeys(found) if n in sources]
        numbers.extend(valid)
        return match.group(1) + "".join(f"[{n}]" for n in valid) if valid else ""  # a dropped one takes its space

    shown = MISSING_SPACE.sub(" [", CITATION.sub(keep_known, sentence).strip())
    return shown, tuple(dict.fromkeys(numbers))


def check_answer(text: str, sources: dict[int, Paper], vectors: SentenceVectors, threshold: float) -> CheckedAnswer:
    warnings: list[str] = []
    parsed = [known_citations(sentence, sources, warnings) for sentence in answer_sentences(text)]
    scored = [i for i, (_, cited) in enumerate(parsed) if cited]
    scores = dict(
        zip(
            scored,
            [
                support_score(*evidence)
                for evidence in support_evidence(
                    [claim_of(parsed[i][0]) for i in scored],
                    [[sources[n] for n in parsed[i][1]] for i in scored],
                    vectors,
                )
            ],
            strict=True,
        )
    )
    checked = []
    for i, (shown, cited) in enumerate(parsed):
        problem = None
        if not cited:
            problem = "it cites no source"
        elif figures := unsupported_figures(claim_of(shown), [sources[n] for n in cited]):
            problem = f"{', '.join(figures)} appears in no abstract it cites"
        elif scores[i] < threshold:
            problem = "the abstract it cites does not support it"
        if problem:
            warnings.append(f"Removed a sentence because {problem}: “{textwrap.shorten(claim_of(shown), 160)}”")
        checked.append(CheckedSentence(shown, cited, problem))
    return CheckedAnswer(checked, list(dict.fromkeys(warnings)))
