"""The coverage model's features (retrieval/answers/coverage.py)."""

from __future__ import annotations

from retrieval.answers.coverage import absent_centrality
from retrieval.answers.extractive import uncovered_terms
from retrieval.service import ResearchService


def test_a_missing_word_that_names_the_topic_counts_more_than_a_missing_aside(
    seeded_service: ResearchService,
) -> None:
    """A word no paper uses that carries the topic ("origami") is close to the whole topic; missing asides and
    chat words ("whatnot", "yep") are not; a topic whose words the papers all use has none."""
    searcher, vectors = seeded_service._answer_tools()
    index = searcher.lexical_index()

    def centrality(topic: str) -> float:
        return absent_centrality(topic, index, vectors.embeddings)

    named = [centrality(t) for t in ("origami robots", "hyperspectral imaging", "wildfire prediction")]
    asides = [
        centrality(t)
        for t in ("language models and whatnot honestly", "multi-agent games, cool ones", "reinforcement learning yep")
    ]
    assert min(named) > max(asides) > 0
    assert centrality("energy-based models") == 0.0


def test_an_acronym_of_words_the_papers_use_is_no_absent_word(seeded_service: ResearchService) -> None:
    """The papers write "vision-language models", not "VLMs"; "brains" they never use."""
    index = seeded_service._answer_tools()[0].lexical_index()
    assert uncovered_terms("VLMs as the brains of robots", index) == ["brain"]
