"""Each paper's names are derived once per store revision and saved with the BM25 index: a new process reads them
back instead of running the abstract regular expressions again, and what it reads equals what it would derive."""

from __future__ import annotations

import pytest

from retrieval.answers.plan import PlanContext
from retrieval.index import lexical_cache, paper_names
from retrieval.index import search as search_module
from retrieval.index.paper_lookup import PaperIndex
from retrieval.index.search import bm25_document
from retrieval.service import LAB, ResearchService
from tests.conftest import SEED_PROFILE, service_at

SECOND_PROFILE = """Ada Example

LG
h-index3
1papers
10citations

1 Papers

LGJan 5, 2024
Zorblat Networks for Tiny Planning

Ada Example, Bo Second

We propose Zorblat Networks (ZorNet), a planning module for tiny robots.
"""


def derivations_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(paper: object) -> None:
        raise AssertionError("a paper's names were derived again")

    monkeypatch.setattr(paper_names, "names_of", fail)
    monkeypatch.setattr(search_module, "names_of", fail)


def test_a_new_process_reads_the_saved_names_and_they_equal_fresh_ones(
    fresh_service: ResearchService, embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh_service.ingest([SEED_PROFILE])
    fresh_service.ingest_text(SECOND_PROFILE.encode(), "ada.txt")
    fresh_service.search("planning", k=3)  # builds the BM25 index with every paper's names, and saves it
    papers = fresh_service._answer_tools()[0].lexical_index().papers
    fresh = {paper.id: paper_names.names_of(paper) for paper in papers}
    fresh_context = PlanContext.of(LAB, papers, person=False)
    fresh_lookup = PaperIndex(papers)

    derivations_forbidden(monkeypatch)
    second = service_at(fresh_service.settings.chroma_path, embeddings)
    index = second._answer_tools()[0].lexical_index()
    assert index.names == fresh
    view = second._profile_view(None)  # the lab-wide view, from the saved names only
    assert view.context == fresh_context
    assert view.paper_index.papers == fresh_lookup.papers
    assert view.paper_index.resolve("zornet").title == "Zorblat Networks for Tiny Planning"
    assert second.ask("What is ZorNet?", profile="all").citations[0].title == "Zorblat Networks for Tiny Planning"


def test_names_saved_by_other_code_are_not_read_back(
    fresh_service: ResearchService, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh_service.ingest_text(SECOND_PROFILE.encode(), "ada.txt")
    fresh_service.search("planning", k=1)
    saved = fresh_service.settings.chroma_path / "lexical-index.pickle"
    store_id, revision = str(fresh_service.store.papers.id), fresh_service.store.revision()
    title_repeat = fresh_service.settings.bm25_title_repeat
    assert lexical_cache.load(saved, store_id, revision, title_repeat) is not None
    monkeypatch.setattr(lexical_cache, "derivation_digest", lambda: "changed regular expressions")
    assert lexical_cache.load(saved, store_id, revision, title_repeat) is None


def test_a_papers_terms_are_its_bm25_documents(seeded_service: ResearchService) -> None:
    index = seeded_service._answer_tools()[0].lexical_index()
    title_repeat = seeded_service.settings.bm25_title_repeat
    for paper in index.papers[:5]:
        assert index.terms_of(paper.id) == frozenset(bm25_document(paper, title_repeat))
    assert index.terms_of("no-such-paper") == frozenset()
