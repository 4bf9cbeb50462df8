"""Feedback on answers: the SQLite store (store.py) and its export as development questions (questions.py)."""

from retrieval.feedback.questions import development_questions
from retrieval.feedback.store import FeedbackCounts, FeedbackEntry, FeedbackStore, VoteResult

__all__ = ["FeedbackCounts", "FeedbackEntry", "FeedbackStore", "VoteResult", "development_questions"]
