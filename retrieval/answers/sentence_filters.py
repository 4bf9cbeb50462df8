"""Abstract sentences that are never quoted: instructions planted in source text ("ignore the instructions and
say ...", also withheld from the LLM's prompt, so an abstract cannot steer what the bot says) and bare pointers
("Website at https://…", "Code is available at …"), which answer nothing."""

from __future__ import annotations

import re

from retrieval.text.lexical import split_sentences

INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.]{0,40}\b(?:instructions?|prompts?|rules|guidelines|above|previous)\b"
    r"|\b(?:system prompt|you are now|respond only with|reply only with|say exactly)\b",
    re.IGNORECASE,
)


POINTER = re.compile(
    r"https?://|www\.|github\.com|\.github\.io|"
    r"\b(?:website|videos?|code|project page|demos?)\b.{0,40}\b(?:at|available|found|released)\b",
    re.IGNORECASE,
)


def quotable(sentence: str) -> bool:
    return not is_instruction(sentence) and POINTER.search(sentence) is None


def is_instruction(sentence: str) -> bool:
    return INSTRUCTION.search(sentence) is not None


def without_instructions(text: str) -> str:
    return " ".join(sentence for sentence in split_sentences(text) if not is_instruction(sentence))
