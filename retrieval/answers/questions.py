"""Question input limits, checked before any work (the bot checks before deferring)."""

from __future__ import annotations

from retrieval.errors import InvalidQuestionError


def validate_question(text: str, max_chars: int) -> str:
    """The question stripped of surrounding whitespace, or InvalidQuestionError saying what is wrong."""
    question = text.strip()
    if not question:
        raise InvalidQuestionError("Please ask a question: the text was empty.")
    if not any(character.isalnum() for character in question):
        raise InvalidQuestionError("Please ask a question in words, e.g. “What is RT-2?” or “What does he work on?”.")
    if len(question) > max_chars:
        raise InvalidQuestionError(
            f"That question is {len(question):,} characters long; please keep it under {max_chars} "
            "and ask about one thing at a time."
        )
    return question
