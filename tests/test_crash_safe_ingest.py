"""A real ingest process killed at several points of its writes: the store then shows every profile as it was
before that ingest or as it is after, never half; the next ingest completes it and leaves no orphan records.

The old version: the seed profile. The new one: its header, three abstracts and two papers removed, one added,
and a second profile. The kills are made by tests/crash_ingest.py."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import chromadb
import numpy as np
import pytest

from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.index.passages import paper_passages
from retrieval.index.sentence_vectors import quotable_sentences
from retrieval.index.store import PaperStore
from retrieval.ingest.profile_format import parse_profile_file
from retrieval.models import Paper, PaperFilter, ParsedProfile
from retrieval.service import ResearchService
from tests.bot_fixtures import second_profile
from tests.conftest import SEED_PROFILE, make_settings
from tests.crash_ingest import CHUNK, KILLED, Recording, run

QUERY = "Zebra crossings teach quadruped robots patience."
EDITED = ("VeLO: Training", "PaLM-E: An Embodied", "Learning Iterative Reasoning")
REMOVED = ("RODec 13, 2022", "CLMay 23, 2023")  # RT-1 and the multiagent-debate paper: header lines of their blocks
ADDED = (
    "ROJan 5, 2026\nZebra Crossing Policies for Quadruped Robots\n\nAda Byron, Igor Mordatch · mit\n\n"
    f"We teach quadruped robots to wait at zebra crossings. {QUERY}\n\n"
)
NEWEST_QUESTION = "what are his newest papers?"
TOPIC_QUESTION = "Which papers teach quadruped robots patience or how to follow instructions?"


def new_seed_text() -> str:
    """The seed profile edited: h-index, three abstracts (QUERY appended), two papers removed, one added."""
    lines = SEED_PROFILE.read_text(encoding="utf-8").split("\n")
    for title in EDITED:
        abstract = lines.index(next(line for line in lines if line.startswith(title))) + 4
        lines[abstract] += f" {QUERY}"
    for header in REMOVED:
        start = lines.index(header)
        del lines[start : start + 7]  # header, title, blank, authors, blank, abstract, blank
    first_paper = lines.index("LGNov 17, 2022Code")
    text = "\n".join(lines[:first_paper]) + "\n" + ADDED + "\n".join(lines[first_paper:])
    return text.replace("h-index117", "h-index120")


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory, embeddings: MiniLMEmbeddings) -> dict[str, object]:
    """The profile files of both versions, the real model's recording for them, and a store of the old version
    written by a process of its own (this one must not open a store before the killed process has written it)."""
    folder = tmp_path_factory.mktemp("crash")
    new_igor, ada = folder / "igor.txt", folder / "ada.txt"
    new_igor.write_text(new_seed_text(), encoding="utf-8")
    ada.write_bytes(second_profile("Ada Lovelace", papers=3))
    old = {"igor-mordatch": parse_profile_file(SEED_PROFILE)}
    new = {"igor-mordatch": parse_profile_file(new_igor), "ada-lovelace": parse_profile_file(ada)}
    recording = folder / "recording.pickle"
    papers = [paper for version in (old, new) for item in version.values() for paper in item.papers]
    recording.write_bytes(pickle.dumps(Recording.of(embeddings, papers)))
    old_store = folder / "old-store"
    assert run(old_store, recording, "none", [SEED_PROFILE]) == 0
    return {"old": old, "new": new, "files": [new_igor, ada], "recording": recording, "old_store": old_store}


def test_the_new_version_differs_in_every_way_checked(versions: dict) -> None:
    old, new = versions["old"]["igor-mordatch"], versions["new"]["igor-mordatch"]
    assert (old.profile.h_index, new.profile.h_index, len(old.papers), len(new.papers)) == (117, 120, 50, 49)
    changed = {p.id for p in new.papers} ^ {p.id for p in old.papers}
    edited = {p.id for p in new.papers if p.abstract.endswith(QUERY)} - changed
    assert (len(changed), len(edited)) == (3, 3)
    ingested = len({p.id for p in new.papers} - {p.id for p in old.papers} | edited) + 3  # + Ada's three
    assert ingested > 2 * CHUNK  # so the kills after a chunk fall inside the write


def assert_shows(service: ResearchService, version: dict[str, ParsedProfile], embeddings: MiniLMEmbeddings) -> None:
    """Every read of the service shows exactly this version of every profile."""
    papers: dict[str, Paper] = {paper.id: paper for item in version.values() for paper in item.papers}
    assert service.profile_ids() == sorted(version)
    assert sorted(service.papers(), key=lambda p: p.id) == sorted(papers.values(), key=lambda p: p.id)
    if not version:
        assert service.store.is_empty()
        return
    for profile_id, item in version.items():
        assert sorted(p.id for p in service.papers(PaperFilter(profile=profile_id))) == sorted(
            p.id for p in item.papers
        )
        metrics = service.metrics(profile_id)
        assert (metrics.h_index, metrics.papers_listed) == (item.profile.h_index, len(item.papers))
    # dense scores come from this version's passages only, paper vectors and sentences are this version's
    count_tokens, max_tokens = embeddings.count_tokens, embeddings.max_tokens
    best = service.store.best_passages(QUERY, k=len(papers))
    vectors = service.store.paper_vectors(list(papers))
    query = np.asarray(embeddings.embed_query(QUERY))
    assert set(best) == set(vectors) == set(papers)
    for paper in papers.values():
        passage_vectors = np.asarray(embeddings.embed_documents(paper_passages(paper, count_tokens, max_tokens)))
        assert best[paper.id] == pytest.approx(float(np.max(passage_vectors @ query)), abs=1e-4)
        mean = passage_vectors.mean(axis=0)
        assert np.allclose(vectors[paper.id], mean / np.linalg.norm(mean), atol=1e-4)
        assert service.store.stored_sentences(paper)[0] == quotable_sentences(paper)
    # what users see: search hits (dense scores as the passages' metadata gives them), similar papers, citations
    dense = {hit.paper.id: hit.score for hit in service.search(QUERY, k=len(papers), mode="dense")}
    assert dense == pytest.approx({paper_id: best[paper_id] for paper_id in list(best)[: len(dense)]}, abs=1e-6)
    for mode in ("hybrid", "dense", "bm25"):
        assert all(hit.paper == papers[hit.paper.id] for hit in service.search(QUERY, k=len(papers), mode=mode))
    similar = service.similar("PaLM-E", profile="igor-mordatch")
    assert similar and all(hit.paper == papers[hit.paper.id] for hit in similar)
    newest = max(version["igor-mordatch"].papers, key=lambda p: p.date)
    assert f"“{newest.title}”" in service.ask(NEWEST_QUESTION, profile="igor-mordatch").answer
    for profile in ("igor-mordatch", "all"):
        citations = service.ask(TOPIC_QUESTION, profile=profile).citations
        assert all(citation.title == papers[citation.id].title for citation in citations)


def assert_no_orphans(service: ResearchService, version: dict[str, ParsedProfile], embeddings) -> None:
    """The store holds this version's records and nothing else, none of them marked retired."""
    store, papers = service.store, [paper for item in version.values() for paper in item.papers]
    count_tokens, max_tokens = embeddings.count_tokens, embeddings.max_tokens
    assert store.papers.count() == len(papers)
    assert store.passages.count() == sum(len(paper_passages(p, count_tokens, max_tokens)) for p in papers)
    assert store.sentences.count() == len(papers)
    assert store.snapshots.count() == len(store.get_snapshots())
    for collection in (store.papers, store.passages, store.sentences, store.snapshots):
        metadatas = collection.get(include=["metadatas"])["metadatas"]
        assert all("retired" not in m and m["revision"] <= store.revision() for m in metadatas)


KILLS = {  # name: the kills, one process each, and the version the store shows after them
    "after the retire marks": (["_retire:after:1"], "old"),
    "after the first chunk": (["_write_papers:after:1"], "old"),
    "second profile half written": (["_write_papers:after:3"], "old"),
    "everything written, before the commit": (["_commit:before:1"], "old"),
    "after the commit": (["_commit:after:1"], "new"),
    "during the cleanup after the commit": (["_sweep_records:after:6"], "new"),  # 4 per sweep; one before
    "again while sweeping the first crash": (["_write_papers:after:2", "_sweep_records:after:2"], "old"),
}


def killed(versions: dict, store_path: Path, kills: list[str], embeddings: MiniLMEmbeddings) -> ResearchService:
    """The store after one process per kill ingested the new version and died there; then opened here."""
    for kill in kills:
        assert run(store_path, versions["recording"], kill, versions["files"]) == KILLED
    client = chromadb.PersistentClient(path=str(store_path))
    return ResearchService(make_settings(store_path), store=PaperStore(client, embeddings))


@pytest.mark.parametrize("kills, shown", KILLS.values(), ids=KILLS.keys())
def test_a_killed_ingest_leaves_the_old_or_the_new_version(
    versions: dict, tmp_path: Path, embeddings: MiniLMEmbeddings, kills: list[str], shown: str
) -> None:
    shutil.copytree(versions["old_store"], tmp_path / "chroma")
    service = killed(versions, tmp_path / "chroma", kills, embeddings)
    assert_shows(service, versions[shown], embeddings)
    report = service.ingest(versions["files"])
    counts = (report.added, report.updated, report.unchanged, report.removed, report.snapshots_added)
    assert counts == ((4, 3, 45, 2, 2) if shown == "old" else (0, 0, 52, 0, 0))
    assert_shows(service, versions["new"], embeddings)
    assert_no_orphans(service, versions["new"], embeddings)
    assert [s.h_index for s in service.store.get_snapshots("igor-mordatch")] == [117, 120]


def test_a_killed_first_ingest_leaves_an_empty_store(versions: dict, tmp_path: Path, embeddings) -> None:
    service = killed(versions, tmp_path / "chroma", ["_write_papers:after:2"], embeddings)
    assert_shows(service, {}, embeddings)  # and empty, so the bot's start ingests the bundled profiles
    assert service.ingest(versions["files"]).added == 52
    assert_shows(service, versions["new"], embeddings)
    assert_no_orphans(service, versions["new"], embeddings)


def test_the_retire_marks_of_a_killed_ingest_are_lifted(versions: dict, tmp_path: Path, embeddings) -> None:
    """The edit is undone after the crash: the papers the killed ingest was replacing stay, also once a later
    ingest commits the revision it had taken."""
    shutil.copytree(versions["old_store"], tmp_path / "chroma")
    service = killed(versions, tmp_path / "chroma", ["_write_papers:after:1"], embeddings)
    report = service.ingest([SEED_PROFILE])
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 0, 50, 0)
    service.ingest([versions["files"][1]])  # Ada alone
    expected = {"igor-mordatch": versions["old"]["igor-mordatch"], "ada-lovelace": versions["new"]["ada-lovelace"]}
    assert_shows(service, expected, embeddings)
    assert_no_orphans(service, expected, embeddings)


@pytest.mark.parametrize("kill", ["_write_papers:after:1", "_commit:before:1"])
def test_a_killed_rebuild_leaves_the_store_as_it_was(
    versions: dict, tmp_path: Path, embeddings: MiniLMEmbeddings, kill: str
) -> None:
    """`ingest --rebuild` of only the new Igor file: it re-embeds his papers and drops Ada, in one commit."""
    shutil.copytree(versions["old_store"], tmp_path / "chroma")
    assert run(tmp_path / "chroma", versions["recording"], "none", versions["files"]) == 0
    igor_file = versions["files"][:1]
    assert run(tmp_path / "chroma", versions["recording"], kill, igor_file, rebuild=True) == KILLED
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"))
    service = ResearchService(make_settings(tmp_path / "chroma"), store=PaperStore(client, embeddings))
    assert_shows(service, versions["new"], embeddings)  # Ada still there, every paper as before

    report = service.ingest(igor_file, rebuild=True)
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 49, 0, 3)
    igor_only = {"igor-mordatch": versions["new"]["igor-mordatch"]}
    assert_shows(service, igor_only, embeddings)
    assert_no_orphans(service, igor_only, embeddings)
    assert [s.h_index for s in service.store.get_snapshots("igor-mordatch")] == [117, 120]  # history kept
