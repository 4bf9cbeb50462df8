"""Passages of a paper that each fit the embedding model's input window.

all-MiniLM-L6-v2 reads at most 256 word pieces and silently drops the rest: 20 of the 50 bundled
abstracts are longer (up to 408), so their last sentences never reached the paper's vector. Each
passage is the title plus consecutive whole sentences, packed up to the window; the next passage
starts one sentence back, so a statement spanning a boundary is still read in one piece. A paper
that fits the window is one passage.
"""

from __future__ import annotations

from collections.abc import Callable

from retrieval.models import Paper
from retrieval.text.lexical import split_sentences

TokenCounter = Callable[[str], int]
OVERLAP_SENTENCES = 1  # measured 0, 1 and 2 on the dev set: 1 ranked best in hybrid and dense


def passage_text(title: str, sentences: list[str]) -> str:
    return f"{title}\n\n" + " ".join(sentences)


def paper_passages(paper: Paper, count_tokens: TokenCounter, max_tokens: int) -> list[str]:
    sentences = split_sentences(paper.abstract)
    if not sentences:
        return [paper.title]
    passages: list[str] = []
    start = 0
    while True:
        end = packed_end(paper.title, sentences, start, count_tokens, max_tokens)
        passages.append(passage_text(paper.title, sentences[start:end]))
        if end >= len(sentences):
            return passages
        start = max(end - OVERLAP_SENTENCES, start + 1)


def packed_end(title: str, sentences: list[str], start: int, count_tokens: TokenCounter, max_tokens: int) -> int:
    """End of the longest run of sentences from `start` that fits with the title; at least one sentence
    (one longer than the window is kept whole: the model reads its beginning)."""
    end = start + 1
    while end < len(sentences) and count_tokens(passage_text(title, sentences[start : end + 1])) <= max_tokens:
        end += 1
    return end
