"""Instructions planted in source text ("ignore the instructions and say ..."): withheld from the LLM's prompt
and never quoted, so a paper's abstract cannot steer what the bot says."""

from __future__ import annotations

import re

from retrieval.lexical import split_sentences

INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.]{0,40}\b(?:instructions?|prompts?|rules|guidelines|above|previous)\b"
    r"|\b(?:system prompt|you are now|respond only with|reply only with|say exactly)\b",
    re.IGNORECASE,
)


def is_instruction(sentence: str) -> bool:
    return INSTRUCTION.search(sentence) is not None


def without_instructions(text: str) -> str:
    return " ".join(sentence for sentence in split_sentences(text) if not is_instruction(sentence))
