"""Hybrid search: acronyms, rare terms and paraphrases find their paper; filters hold; the BM25 index follows
the store's revision and is built once under concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from retrieval.errors import UserFacingError
from retrieval.index import lexical_cache
from retrieval.index import search as search_module
from retrieval.ingest.profile_format import parse_profile_file
from retrieval.models import Paper, PaperFilter
from retrieval.service import ResearchService
from retrieval.text.lexical import terms
from tests.conftest import SEED_PROFILE, service_at


def title_of(service: ResearchService, query: str, mode: str = "hybrid", rank: int = 1) -> list[str]:
    return [hit.paper.title for hit in service.search(query, k=rank, mode=mode)]


@pytest.mark.parametrize(
    ("query", "title_start"),
    [
        ("UniMat", "Scalable Diffusion for Materials"),
        ("What is PIRS?", "Frontier Language Models are not Robust"),
        ("LatCo", "Model-Based Reinforcement Learning via Latent-Space"),
        ("Kalamang", "Gemini 1.5"),
        ("OSIL", "Semi-Supervised One-Shot"),
        ("D4RL", "Implicit Behavioral Cloning"),
    ],
)
def test_acronyms_and_rare_terms_rank_first(seeded_service: ResearchService, query: str, title_start: str) -> None:
    assert title_of(seeded_service, query)[0].startswith(title_start)


@pytest.mark.parametrize(
    ("query", "title_start"),
    [
        ("can chatbots be fooled into doing bad math?", "Frontier Language Models are not Robust"),
        (
            "guiding single atoms through a one-layer carbon sheet with an electron microscope",
            "Learning and Controlling",
        ),
        ("one shared network that makes differently shaped creatures walk and hop", "One Policy to Control"),
        ("a software library for simulating physics quickly on GPUs and TPUs", "Brax"),
    ],
)
def test_paraphrases_without_title_words_reach_the_top_3(
    seeded_service: ResearchService, query: str, title_start: str
) -> None:
    assert any(title.startswith(title_start) for title in title_of(seeded_service, query, rank=3))


def test_hybrid_ranks_acronyms_and_paraphrases_first(seeded_service: ResearchService) -> None:
    acronym, paraphrase = "UniMat", "does making a model larger reduce how often it makes things up?"
    assert title_of(seeded_service, acronym)[0].startswith("Scalable Diffusion")
    assert title_of(seeded_service, paraphrase)[0].startswith("Training Language Models on the Knowledge")


def test_dense_reads_past_the_model_window(seeded_service: ResearchService, embeddings) -> None:
    # Gemini 1.5's abstract says this only in its last sentence, which a single whole-abstract vector never
    # saw (MiniLM drops everything past 256 word pieces): with one vector per paper it missed the top 2
    query = "translating into a language with fewer than two hundred speakers after reading its grammar book"
    gemini = next(paper for paper in seeded_service.papers() if paper.title.startswith("Gemini 1.5"))
    last_sentence_starts = gemini.abstract.index("Finally, we highlight")
    assert embeddings.count_tokens(f"{gemini.title}\n\n{gemini.abstract[:last_sentence_starts]}") > 256
    assert title_of(seeded_service, query, "dense")[0] == gemini.title


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_hits_are_ranked_and_bounded(seeded_service: ResearchService, mode: str) -> None:
    hits = seeded_service.search("energy-based models", k=4, mode=mode)
    assert [hit.rank for hit in hits] == [1, 2, 3, 4]
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
@pytest.mark.parametrize(
    ("paper_filter", "holds"),
    [
        (PaperFilter(year=2022), lambda paper: paper.year == 2022),
        (PaperFilter(year_from=2021, year_to=2022), lambda paper: 2021 <= paper.year <= 2022),
        (PaperFilter(category="ro"), lambda paper: paper.category == "RO"),
        (PaperFilter(has_code=True), lambda paper: paper.has_code),
        (PaperFilter(author="yilun du"), lambda paper: "Yilun Du" in paper.authors),
        (PaperFilter(profile="Igor Mordatch", year_to=2020), lambda paper: paper.year <= 2020),
    ],
)
def test_every_hit_matches_the_filter(seeded_service: ResearchService, mode: str, paper_filter, holds) -> None:
    hits = seeded_service.search("learning robots and language models", k=50, mode=mode, paper_filter=paper_filter)
    assert hits, "the filter leaves papers to find"
    assert all(holds(hit.paper) for hit in hits)


def test_a_filter_nothing_matches_gives_no_hits(seeded_service: ResearchService) -> None:
    assert seeded_service.search("robots", paper_filter=PaperFilter(author="Nobody Atall")) == []


def test_unknown_mode_and_empty_query_are_user_errors(seeded_service: ResearchService) -> None:
    with pytest.raises(UserFacingError, match="mode"):
        seeded_service.search("robots", mode="fuzzy")
    with pytest.raises(UserFacingError, match="empty"):
        seeded_service.search("   ")


PROFILE = """Ada Example

LG
h-index3
2papers
10citations

2 Papers

LGJan 5, 2024
Zorblat Networks for Tiny Planning

Ada Example, Bo Second

We introduce the zorblat, a planning module for tiny robots.

LGFeb 6, 2024
Quiet Gradients

Ada Example

We study gradients that stay small during training.
"""


def test_the_bm25_index_follows_new_ingests(fresh_service: ResearchService) -> None:
    fresh_service.ingest_text(PROFILE.encode(), "ada.txt")
    assert title_of(fresh_service, "zorblat", "bm25") == ["Zorblat Networks for Tiny Planning"]
    assert title_of(fresh_service, "quuxification", "bm25") == []
    updated = PROFILE.replace("stay small during training", "undergo quuxification")
    fresh_service.ingest_text(updated.encode(), "ada.txt")
    assert title_of(fresh_service, "quuxification", "bm25") == ["Quiet Gradients"]


def test_an_ingest_leaves_the_index_built_and_saved(fresh_service: ResearchService, embeddings, monkeypatch) -> None:
    builds = []
    original = search_module.LexicalIndex.build
    monkeypatch.setattr(search_module.LexicalIndex, "build", lambda *a, **k: builds.append(1) or original(*a, **k))
    fresh_service.ingest_text(PROFILE.encode(), "ada.txt")
    assert builds == [1]
    second = service_at(fresh_service.settings.chroma_path, embeddings)  # another process on the same store
    assert title_of(second, "zorblat", "bm25") == ["Zorblat Networks for Tiny Planning"]
    assert title_of(fresh_service, "zorblat", "bm25") == ["Zorblat Networks for Tiny Planning"]
    assert builds == [1]


def test_concurrent_searches_build_the_index_once(fresh_service: ResearchService, embeddings, monkeypatch) -> None:
    fresh_service.ingest_text(PROFILE.encode(), "ada.txt")
    (fresh_service.settings.chroma_path / "lexical-index.pickle").unlink()
    searcher = service_at(fresh_service.settings.chroma_path, embeddings)  # a process with no index yet
    builds = []
    original = search_module.LexicalIndex.build

    def counting_build(*args, **kwargs):
        builds.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(search_module.LexicalIndex, "build", counting_build)
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda _: title_of(searcher, "zorblat planning", "bm25"), range(32)))
    assert len(builds) == 1
    assert all(result == ["Zorblat Networks for Tiny Planning"] for result in results)


def test_a_new_process_loads_the_saved_index_instead_of_rebuilding(
    fresh_service: ResearchService, embeddings, monkeypatch
) -> None:
    fresh_service.ingest_text(PROFILE.encode(), "ada.txt")
    assert title_of(fresh_service, "zorblat", "bm25") == ["Zorblat Networks for Tiny Planning"]  # built and saved
    builds = []
    original = search_module.LexicalIndex.build
    monkeypatch.setattr(search_module.LexicalIndex, "build", lambda *a, **k: builds.append(1) or original(*a, **k))
    second = service_at(fresh_service.settings.chroma_path, embeddings)  # another process on the same store
    assert title_of(second, "zorblat", "bm25") == ["Zorblat Networks for Tiny Planning"]
    assert builds == []
    second.ingest_text(PROFILE.replace("stay small during training", "undergo quuxification").encode(), "ada.txt")
    assert title_of(fresh_service, "quuxification", "bm25") == ["Quiet Gradients"]  # a newer revision: rebuilt
    assert builds == [1]


def test_a_damaged_saved_index_is_rebuilt(fresh_service: ResearchService, embeddings) -> None:
    fresh_service.ingest_text(PROFILE.encode(), "ada.txt")
    title_of(fresh_service, "zorblat", "bm25")
    saved = fresh_service.settings.chroma_path / "lexical-index.pickle"
    saved.write_bytes(saved.read_bytes()[:100])
    second = service_at(fresh_service.settings.chroma_path, embeddings)
    assert title_of(second, "zorblat", "bm25") == ["Zorblat Networks for Tiny Planning"]


def test_a_saved_index_of_an_older_paper_model_is_rebuilt(
    fresh_service: ResearchService, embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an upgrade that adds a field to `Paper`, papers unpickled from the old index would lack it."""
    fresh_service.ingest_text(PROFILE.encode(), "ada.txt")
    title_of(fresh_service, "zorblat", "bm25")  # saved, with this model's fields
    saved = fresh_service.settings.chroma_path / "lexical-index.pickle"
    store_id, revision = str(fresh_service.store.papers.id), fresh_service.store.revision()
    title_repeat = fresh_service.settings.bm25_title_repeat
    assert lexical_cache.load(saved, store_id, revision, title_repeat) is not None
    monkeypatch.setattr(Paper, "model_fields", {**Paper.model_fields, "added_later": Paper.model_fields["url"]})
    assert lexical_cache.load(saved, store_id, revision, title_repeat) is None


def test_hyphenated_and_joined_spellings_meet(seeded_service: ResearchService) -> None:
    joined = title_of(seeded_service, "multiagent debate", "bm25")
    hyphenated = title_of(seeded_service, "multi-agent debate", "bm25")
    assert joined == hyphenated and "Multiagent Debate" in joined[0]


def test_an_acronyms_plural_is_the_acronym() -> None:
    assert terms("LLMs EBMs GNNs") == terms("LLM EBM GNN") == ["llm", "ebm", "gnn"]
    assert terms("gyms its crystals") == ["gym", "it", "crystal"]  # words with a vowel are the stemmer's


@pytest.mark.parametrize("query", ["robots that follow language instructions", "RT-2", "energy landscapes"])
def test_one_profiles_dense_ranking_in_memory_equals_chromas(seeded_service: ResearchService, query: str) -> None:
    profile = seeded_service.profile_ids()[0]
    in_memory = seeded_service.search(query, k=15, mode="dense", paper_filter=PaperFilter(profile=profile))
    by_chroma = seeded_service.store.best_passages(query, 15, PaperFilter(profile=profile))
    assert [hit.paper.id for hit in in_memory] == list(by_chroma)
    assert [hit.score for hit in in_memory] == pytest.approx(list(by_chroma.values()), abs=1e-5)


def test_the_in_memory_passages_follow_new_ingests(fresh_service: ResearchService) -> None:
    fresh_service.ingest_text(PROFILE.encode(), "ada.txt")
    only_ada = PaperFilter(profile="ada-example")
    assert fresh_service.search("zorblat planning module", k=1, mode="dense", paper_filter=only_ada)[0].paper.title == (
        "Zorblat Networks for Tiny Planning"
    )
    renamed = PROFILE.replace("Zorblat Networks for Tiny Planning", "Quasar Lattices for Tiny Planning").replace(
        "We introduce the zorblat, a planning module for tiny robots.", "We introduce quasar lattices for astronomy."
    )
    fresh_service.ingest_text(renamed.encode(), "ada.txt")
    hits = fresh_service.search("quasar lattices astronomy", k=2, mode="dense", paper_filter=only_ada)
    assert hits[0].paper.title == "Quasar Lattices for Tiny Planning"
    searcher = fresh_service._answer_tools()[0]
    passages = searcher.profile_passages("ada-example", fresh_service.store.revision())
    assert sorted(passages.paper_ids) == sorted(paper.id for paper in fresh_service.papers())  # no old version's


def test_a_profile_without_passages_ranks_nothing(seeded_service: ResearchService) -> None:
    """As when an ingest another process committed after this one's BM25 index was read removed all its papers."""
    searcher = seeded_service._answer_tools()[0]
    passages = searcher.profile_passages("nobody", seeded_service.store.revision())
    vector = np.asarray(seeded_service.store.embeddings.embed_query("robots"), dtype=np.float32)
    assert passages.paper_ids == [] and passages.best(vector, None, 5) == {}


@pytest.mark.parametrize("paper_filter", [PaperFilter(year=2023), PaperFilter(profile="igor-mordatch", year_from=2022)])
def test_a_filtered_bm25_ranking_is_the_full_ranking_filtered(
    seeded_service: ResearchService, embeddings, paper_filter: PaperFilter
) -> None:
    """Only the allowed papers' scores are ranked: the same papers, scores and order as filtering every paper's."""
    every_paper = service_at(seeded_service.settings.chroma_path, embeddings, search_candidates=100)
    for query in ("language models for robots", "energy", "multi-agent debate"):
        allowed = {paper.id for paper in every_paper.papers(paper_filter)}
        full = [hit for hit in every_paper.search(query, k=100, mode="bm25") if hit.paper.id in allowed]
        filtered = every_paper.search(query, k=100, mode="bm25", paper_filter=paper_filter)
        assert [(hit.paper.id, hit.score) for hit in filtered] == [(hit.paper.id, hit.score) for hit in full]
        assert filtered


def test_dense_search_reads_no_passage_metadata_only_once_retired_passages_are_swept(
    fresh_service: ResearchService, embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without metadata a passage's visibility is its id's revision: true only when no retired passage is left."""
    fresh_service.ingest_text(PROFILE.encode(), "ada.txt")
    assert fresh_service._answer_tools()[0].lexical_index().swept
    with monkeypatch.context() as patched:  # an ingest that dies after its commit, before its sweep
        patched.setattr(type(fresh_service.store), "_sweep", lambda self, revision: None)
        fresh_service.ingest_text(PROFILE.replace("tiny robots", "tiny robots and quuxification").encode(), "ada.txt")
    second = service_at(fresh_service.settings.chroma_path, embeddings)
    assert not second._answer_tools()[0].lexical_index().swept
    for query in ("zorblat planning module", "gradients that stay small"):
        dense = {hit.paper.id: hit.score for hit in second.search(query, k=2, mode="dense")}
        assert dense == pytest.approx(second.store.best_passages(query, 2), abs=1e-6)


def test_a_write_whose_index_build_fails_still_reports_its_commit(fresh_service: ResearchService, monkeypatch) -> None:
    def failing_build(*args, **kwargs):
        raise MemoryError("no room for the index")

    monkeypatch.setattr(search_module.LexicalIndex, "build", failing_build)
    report = fresh_service.ingest_text(PROFILE.encode(), "ada.txt")
    assert report.added == 2 and fresh_service.store.revision() == 1
    monkeypatch.undo()  # the next question builds it
    assert title_of(fresh_service, "zorblat", "bm25") == ["Zorblat Networks for Tiny Planning"]


def test_a_paper_uses_a_hyphenated_word_in_either_spelling(seeded_service: ResearchService) -> None:
    index = seeded_service._answer_tools()[0].lexical_index()
    debate = next(paper for paper in index.papers if "Multiagent Debate" in paper.title)
    ebm = next(paper for paper in index.papers if paper.title.startswith("Energy-Based Models for Continual"))
    assert index.uses_words("multi-agent", debate.id)  # written "multiagent"
    assert index.uses_words("energy based models", ebm.id)  # written "Energy-Based"
    assert not index.uses_words("multi-agent robots", ebm.id)
    assert not index.uses_words("zzqx", ebm.id)  # a word no paper uses proves nothing


def test_a_paper_uses_a_topics_words_only_side_by_side(seeded_service: ResearchService) -> None:
    index = seeded_service._answer_tools()[0].lexical_index()
    composing = next(paper for paper in index.papers if paper.title.startswith("Compositional Visual Generation"))
    assert index.uses_words("visual generation", composing.id)
    assert index.uses_words("generation visual", composing.id)  # any order
    assert not index.uses_words("energy generation", composing.id)  # both words, never side by side


def test_an_authors_place_in_the_list_filters_papers() -> None:
    paper = parse_profile_file(SEED_PROFILE).papers[0]
    second = paper.authors[1]
    assert search_module.matches(paper, PaperFilter(author=second, author_position=2))
    assert not search_module.matches(paper, PaperFilter(author=second, author_position=1))


@pytest.mark.parametrize("query", ["condensed matter physics", "physical sciences", "chemistry"])
def test_a_field_asked_by_its_name_finds_the_papers_filed_under_it(seeded_service: ResearchService, query: str) -> None:
    """No materials abstract says "physics" or "chemistry"; the arXiv category they are filed under does."""
    hits = seeded_service.search(query, k=3, mode="bm25")
    assert hits and hits[0].paper.category in {"MTRL-SCI", "MES-HALL"}


def test_ml_is_machine_learning_to_the_absent_word_test(seeded_service: ResearchService) -> None:
    from retrieval.answers.extractive import uncovered_terms

    assert uncovered_terms("ML for robotics", seeded_service._answer_tools()[0].lexical_index()) == []
