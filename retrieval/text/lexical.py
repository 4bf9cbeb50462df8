"""Lexical helpers shared by BM25 search and answer building: stemmed terms, sentences of an abstract."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

# Words joined by '-' or '.' stay one term ("rt-2", "palm-e", "1.5") and also yield their parts, so
# "RT-2" is a rare term of its own while "RT" still matches "RT-1". A hyphenated word of letters is joined
# ("multi-agent" is the term "multiagent"), so both spellings meet.
WORD = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")
STOPWORDS = frozenset(STOPWORDS_EN) | {"paper", "papers", "work", "works", "does", "did", "which", "what", "how"}
# Sentence ends: '.', '!' or '?' followed by a space and an upper-case letter or a digit, except after
# abbreviations that never end a sentence in these abstracts.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
ACRONYM_PLURAL = re.compile(r"[b-df-hj-np-tv-xz]{3,5}s")  # "llms", "ebms", "gnns": no vowel (not "rts" → "rt")
SHORT_FORMS = {"math": "mathemat", "maths": "mathemat"}  # the stem of the word they shorten ("mathematical")
# several agents are multi-agent: "several LLM instances interact", "a society of language models", "multiple players"
SEVERAL_AGENTS = re.compile(
    r"\b(?:multiple|several|two or more|(?:a )?(?:group|society|team|population)s? of)\s+"
    r"(?:(?:(?:ai|rl|learning|llm|lm|language model)\s+)?(?:agents|players)|llms|language models|"
    r"(?:llm|lm|language model|model)\s+(?:instances|copies))\b|"
    r"\b(?:society|societies|population|team) of models\b|\bmulti-?(?:llms?|lms?)\b",
    re.IGNORECASE,
)
ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "vs.", "cf.", "etc.", "approx.", "Fig.", "Eq.")
# the field's acronyms, written out where a paper may spell the words instead ("LLMs" in a question, "large
# language models" in an abstract)
ACRONYMS = {
    "llm": "large language model",
    "lm": "language model",
    "vlm": "vision-language model",
    "rl": "reinforcement learning",
    "marl": "multi-agent reinforcement learning",
    "nlp": "natural language processing",
    "ml": "machine learning",
    "ebm": "energy-based model",
    "mbrl": "model-based reinforcement learning",
    "cd": "contrastive divergence",
    "ood": "out-of-distribution",
    "cot": "chain of thought",
    "vla": "vision-language-action",
}
ACRONYM = re.compile(rf"\b({'|'.join(ACRONYMS)})s?\b", re.IGNORECASE)


def spelled_out(text: str) -> str:
    """`text` with the field's acronyms followed by their words: "LLMs" → "LLMs (large language model)"."""
    return ACRONYM.sub(lambda match: f"{match.group()} ({ACRONYMS[match.group(1).casefold()]})", text)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed terms without stopwords: the vocabulary of BM25 and of lexical overlap."""
    return list(_terms(text))


@lru_cache(maxsize=16384)  # a question's words are stemmed a dozen times, its profile's sentences on every ask
def _terms(text: str) -> tuple[str, ...]:
    words: list[str] = []
    text = SEVERAL_AGENTS.sub(lambda match: f"{match.group()} multiagent", text)
    for match in WORD.finditer(text.casefold()):
        word = match.group()
        parts = re.split(r"[-.]", word)
        if "-" in word and word.replace("-", "").isalpha():
            word = word.replace("-", "")  # "multi-agent" and "multiagent" are one term
        words.extend([word, *parts] if len(parts) > 1 else parts)
    kept = [word for word in words if word not in STOPWORDS]
    # the stemmer keeps the "s" of a word with no vowel: "LLMs", "EBMs", "GNNs" are the plurals of "LLM", ...
    stems = _stemmer().stemWords(kept)
    return tuple(SHORT_FORMS.get(word, word[:-1] if ACRONYM_PLURAL.fullmatch(word) else word) for word in stems)


def split_sentences(text: str) -> list[str]:
    pieces = SENTENCE_END.split(" ".join(text.split()))
    sentences: list[str] = []
    for piece in pieces:
        if sentences and sentences[-1].endswith(ABBREVIATIONS):
            sentences[-1] += " " + piece  # "e.g. Foo" was split; glue it back
        else:
            sentences.append(piece)
    return [sentence for sentence in sentences if sentence]
