"""Finding one paper from what a person types: ids, acronyms, fragments with typos; ambiguity; autocomplete."""

from __future__ import annotations

import chromadb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langchain_core.embeddings import Embeddings

from retrieval.errors import AmbiguousPaperError, PaperNotFoundError
from retrieval.index.paper_lookup import PaperIndex
from retrieval.index.paper_names import title_head
from retrieval.index.store import PaperStore
from retrieval.ingest.profile_format import parse_profile_bytes
from retrieval.models import Paper
from retrieval.service import ResearchService
from tests.conftest import SEED_PROFILE

SEED_PAPERS = parse_profile_bytes(SEED_PROFILE.read_bytes(), SEED_PROFILE.name).papers
INDEX = PaperIndex(SEED_PAPERS)


def paper_titled(prefix: str) -> Paper:
    (paper,) = [paper for paper in SEED_PAPERS if paper.title.startswith(prefix)]
    return paper


@pytest.mark.parametrize(
    ("query", "title_prefix"),
    [
        ("VeLO", "VeLO:"),
        ("velo", "VeLO:"),
        ("RT-2", "RT-2:"),
        ("rt2", "RT-2:"),
        ("RT 1", "RT-1:"),
        ("PaLM-E", "PaLM-E:"),
        ("palm e", "PaLM-E:"),
        ("Brax", "Brax"),
        ("Decision Transformer", "Decision Transformer:"),
        ("Gemini 2.5", "Gemini 2.5:"),
        # acronyms an abstract defines: "Forgetful Causal Masking (FCM)", "which we call ReST$^{EM}$"
        ("FCM", "Towards Better Few-Shot"),
        ("LOLA", "Learning with Opponent-Learning Awareness"),
        ("ReST-EM", "Beyond Human Data"),
        # fragments, typos, word order
        ("learned optimizers", "VeLO:"),
        ("multiagent debate", "Improving Factuality"),
        ("inner monolog", "Inner Monologue"),
        ("implict behavioral clonning", "Implicit Behavioral Cloning"),
        ("graphene silicon dopant", "Learning and Controlling Silicon"),
    ],
)
def test_resolves_acronyms_fragments_and_typos(query: str, title_prefix: str) -> None:
    assert INDEX.resolve(query) == paper_titled(title_prefix)


def test_resolves_full_ids_and_their_hash() -> None:
    paper = paper_titled("RT-2:")
    assert INDEX.resolve(paper.id) == paper
    assert INDEX.resolve(paper.id.split(":")[1].upper()) == paper


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gemini", {"Gemini 1.5:", "Gemini 2.5:"}),
        ("melting pot", {"Melting Pot 2.0", "Scalable Evaluation of Multi-Agent"}),
        ("RT", {"RT-1:", "RT-2:"}),
        ("energy based models", {"Energy-Based Models for", "Improved Contrastive", "Compositional Visual"}),
    ],
)
def test_ambiguous_queries_list_every_close_candidate(query: str, expected: set[str]) -> None:
    with pytest.raises(AmbiguousPaperError) as raised:
        INDEX.resolve(query)
    candidates = raised.value.candidates
    for prefix in expected:
        assert any(candidate.startswith(prefix) for candidate in candidates), (prefix, candidates)
    assert len(candidates) <= 5


@pytest.mark.parametrize("query", ["quantum chromodynamics on the lattice", "protein folding", "zzzz", "  "])
def test_unknown_papers_raise_with_suggestions(query: str) -> None:
    with pytest.raises(PaperNotFoundError) as raised:
        INDEX.resolve(query)
    if query.strip():
        assert 1 <= len(raised.value.suggestions) <= 3


def test_every_title_and_unique_head_resolves_to_its_paper() -> None:
    heads = [title_head(paper.title) for paper in SEED_PAPERS]
    for paper, head in zip(SEED_PAPERS, heads, strict=True):
        assert INDEX.resolve(paper.title) == paper
        assert INDEX.resolve(paper.title.lower()) == paper
        if head and heads.count(head) == 1:
            assert INDEX.resolve(head) == paper


def test_empty_suggestion_text_gives_the_newest_papers() -> None:
    newest = sorted(SEED_PAPERS, key=lambda paper: paper.date, reverse=True)
    assert INDEX.suggest("", limit=25) == newest[:25]
    assert INDEX.suggest("   ", limit=3) == newest[:3]


def test_suggestions_follow_partial_typing() -> None:
    assert INDEX.suggest("vel", limit=25)[0] == paper_titled("VeLO:")
    assert {paper.title[:10] for paper in INDEX.suggest("gemin", limit=2)} == {"Gemini 1.5", "Gemini 2.5"}
    robotics = INDEX.suggest("robotics transf", limit=25)
    assert robotics[0] == paper_titled("RT-1:")


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60), limit=st.integers(min_value=1, max_value=25))
def test_suggest_never_fails_and_respects_the_limit(text: str, limit: int) -> None:
    suggestions = INDEX.suggest(text, limit=limit)
    assert len(suggestions) <= limit
    assert len({paper.id for paper in suggestions}) == len(suggestions)


class NoModel(Embeddings):
    """Stands in for MiniLM to prove a code path never embeds anything."""

    name = "minilm"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise AssertionError("the embedding model was used")

    def embed_query(self, text: str) -> list[float]:
        raise AssertionError("the embedding model was used")


def test_service_lookup_needs_no_model(seeded_service: ResearchService) -> None:
    path = seeded_service.settings.chroma_path
    service = ResearchService(seeded_service.settings, PaperStore(chromadb.PersistentClient(path=str(path)), NoModel()))
    assert service.resolve_paper("VeLO").title.startswith("VeLO")
    assert service.resolve_paper("velo", profile="Igor Mordatch").title.startswith("VeLO")
    for text in ["", "r", "ro", "rob", "robo", "robot"]:
        assert 1 <= len(service.suggest_papers(text)) <= 25
