"""The Chroma store through the service: idempotent ingest, snapshots, atomicity, schema, filters."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import chromadb
import numpy as np
import pytest

import bot.cli
import retrieval.index.store as store_module
import retrieval.ingest.progress as progress_module
from retrieval.errors import ProfileFormatError, SchemaMismatchError, UnknownProfileError, UserFacingError
from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.index.passages import paper_passages
from retrieval.index.sentence_vectors import quotable_sentences
from retrieval.index.store import PAPERS_COLLECTION, PASSAGES_COLLECTION, PaperStore
from retrieval.models import PaperFilter
from retrieval.service import ResearchService
from tests.conftest import SEED_PROFILE, make_settings, service_at

SEED_TEXT = SEED_PROFILE.read_text(encoding="utf-8")


def write_profile(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def store_state(service: ResearchService) -> tuple[int, int, list[str], list[str]]:
    store = service.store
    passage_ids = sorted(store.passages.get()["ids"])
    return store.papers.count(), store.revision(), sorted(store.snapshots.get()["ids"]), passage_ids


def passages_of(service: ResearchService, paper_id: str) -> list[str]:
    result = service.store.passages.get(where={"paper_id": paper_id}, include=["documents"])
    return [document for _, document in sorted(zip(result["ids"], result["documents"], strict=True))]


def test_first_ingest_adds_every_paper_and_one_snapshot(fresh_service: ResearchService) -> None:
    report = fresh_service.ingest([SEED_PROFILE])
    assert (report.added, report.updated, report.unchanged, report.removed) == (50, 0, 0, 0)
    assert report.snapshots_added == 1
    assert fresh_service.store.papers.count() == 50


def test_passages_cover_each_abstract_within_the_model_window(seeded_service: ResearchService, embeddings) -> None:
    long_papers = 0
    for paper in seeded_service.papers():
        passages = passages_of(seeded_service, paper.id)
        assert passages == paper_passages(paper, embeddings.count_tokens, embeddings.max_tokens)
        assert all(embeddings.count_tokens(passage) <= embeddings.max_tokens for passage in passages)
        assert passages[-1].endswith(paper.abstract.split()[-1])  # the abstract's end is embedded
        long_papers += len(passages) > 1
    assert long_papers == 20  # the abstracts longer than MiniLM's 256 word pieces


class CountingMiniLM(MiniLMEmbeddings):
    """The session's model, recording every text it is asked to embed."""

    def __init__(self, inner: MiniLMEmbeddings) -> None:
        super().__init__()
        self._encoder = inner.encoder
        self.inner = inner
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts.extend(texts)
        return self.inner.embed_documents(texts)


def counting_service(path: Path, embeddings: MiniLMEmbeddings) -> tuple[ResearchService, CountingMiniLM]:
    counting = CountingMiniLM(embeddings)
    store = PaperStore(chromadb.PersistentClient(path=str(path)), counting)
    return ResearchService(make_settings(path), store=store), counting


def test_ingest_embeds_each_text_once_and_reingest_embeds_nothing(tmp_path: Path, embeddings) -> None:
    service, counting = counting_service(tmp_path / "chroma", embeddings)
    service.ingest([SEED_PROFILE])
    passages = service.store.passages.get()["documents"]
    sentences = [sentence for paper in service.papers() for sentence in quotable_sentences(paper)]
    assert sorted(counting.texts) == sorted(passages + sentences)  # no whole-paper text embedded on top
    before = store_state(service)
    counting.texts.clear()
    report = service.ingest([SEED_PROFILE])
    assert (report.added, report.updated, report.unchanged, report.removed, report.snapshots_added) == (0, 0, 50, 0, 0)
    assert counting.texts == []
    assert store_state(service) == before


def test_paper_vector_is_the_normalised_mean_of_its_passages(seeded_service: ResearchService) -> None:
    papers = seeded_service.papers()
    stored = seeded_service.store.paper_vectors([paper.id for paper in papers])
    for paper in papers:
        passages = seeded_service.store.passages.get(where={"paper_id": paper.id}, include=["embeddings"])
        mean = np.mean(passages["embeddings"], axis=0)
        assert np.allclose(stored[paper.id], mean / np.linalg.norm(mean), atol=1e-5)


def test_ingest_prints_progress_lines_without_a_terminal(fresh_service: ResearchService, monkeypatch, capsys) -> None:
    monkeypatch.setattr(store_module, "EMBED_CHUNK", 16)
    monkeypatch.setattr(progress_module, "LOG_EVERY_SECONDS", 0.0)
    monkeypatch.setattr(bot.cli, "ResearchService", lambda settings: fresh_service)
    assert bot.cli.main(["ingest", str(SEED_PROFILE)]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("embedded")]
    assert [line.split(" papers")[0] for line in lines] == [f"embedded {n}/50" for n in (16, 32, 48, 50)]


def test_edited_and_removed_papers_are_synced(fresh_service: ResearchService, tmp_path: Path) -> None:
    fresh_service.ingest([SEED_PROFILE])
    lines = SEED_TEXT.splitlines()
    velo_abstract = next(i for i, line in enumerate(lines) if line.startswith("While deep learning models"))
    lines[velo_abstract] += " An added sentence."
    rt1 = lines.index("RODec 13, 2022")
    rt1_id = next(p.id for p in fresh_service.papers() if p.title.startswith("RT-1"))
    rt1_passages = passages_of(fresh_service, rt1_id)
    passage_count = len(fresh_service.store.passages.get()["ids"])
    assert rt1_passages
    del lines[rt1 : rt1 + 7]  # header, title, blank, authors, blank, abstract, blank
    edited = write_profile(tmp_path / "edited", "igor.txt", "\n".join(lines))
    report = fresh_service.ingest([edited])
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 1, 48)
    velo = next(p for p in fresh_service.papers() if p.title.startswith("VeLO"))
    assert velo.abstract.endswith("An added sentence.")
    assert passages_of(fresh_service, velo.id)[-1].endswith("An added sentence.")
    assert not [p for p in fresh_service.papers() if p.title.startswith("RT-1")]
    assert passages_of(fresh_service, rt1_id) == []
    assert len(fresh_service.store.passages.get()["ids"]) == passage_count - len(rt1_passages)
    assert fresh_service.store.stored_sentences(velo)[0][-1] == "An added sentence."
    assert fresh_service.store.sentences.get(where={"paper_id": rt1_id})["ids"] == []


def test_a_read_while_another_process_commits_sees_one_version(
    fresh_service: ResearchService, tmp_path: Path, embeddings, monkeypatch
) -> None:
    """An ingest (of another process, as far as the reader knows) commits and deletes what it replaced between the
    reader's look at the revision and its read of the papers: the reader reads again, at the new revision."""
    fresh_service.ingest([SEED_PROFILE])
    edited = write_profile(tmp_path / "v2", "igor.txt", SEED_TEXT.replace("While deep learning", "While deep nets"))
    reader = PaperStore(chromadb.PersistentClient(path=str(tmp_path / "chroma")), embeddings)
    revision, ingested = PaperStore.committed_revision, []

    def revision_then_ingest(store: PaperStore) -> int:
        seen = revision(store)
        if store is reader and not ingested:
            ingested.append(fresh_service.ingest([edited]))
        return seen

    monkeypatch.setattr(PaperStore, "committed_revision", revision_then_ingest)
    papers = reader.get_papers()
    assert ingested[0].updated == 1
    assert len(papers) == 50
    assert next(p for p in papers if p.title.startswith("VeLO")).abstract.startswith("While deep nets")


def test_a_question_reads_the_revision_once_and_keeps_it(
    fresh_service: ResearchService, tmp_path: Path, embeddings, monkeypatch
) -> None:
    fresh_service.ingest([SEED_PROFILE])
    edited = write_profile(tmp_path / "v2", "igor.txt", SEED_TEXT.replace("While deep learning", "While deep nets"))
    reader = PaperStore(chromadb.PersistentClient(path=str(tmp_path / "chroma")), embeddings)
    before = reader.revision()
    with reader.one_revision() as pinned:
        fresh_service.ingest([edited])  # another writer commits meanwhile
        assert pinned == before and reader.revision() == before
        velo = next(p for p in reader.get_papers() if p.title.startswith("VeLO"))  # (a consistent read: afresh)
        assert velo.abstract.startswith("While deep nets")
    assert reader.revision() == before + 1
    reads = []
    committed = PaperStore.committed_revision
    monkeypatch.setattr(PaperStore, "committed_revision", lambda store: reads.append(1) or committed(store))
    fresh_service.ask("what is VeLO?")  # (the profile's view and the BM25 index: read at this revision already)
    reads.clear()
    fresh_service.ask("which papers did he write with yilun du since 2021?")
    assert len(reads) == 1


def test_a_question_begun_before_a_commit_keeps_the_newer_index(
    fresh_service: ResearchService, tmp_path: Path, embeddings
) -> None:
    fresh_service.ingest([SEED_PROFILE])
    edited = write_profile(tmp_path / "v2", "igor.txt", SEED_TEXT.replace("While deep learning", "While deep nets"))
    reader = service_at(tmp_path / "chroma", embeddings)
    searcher = reader._answer_tools()[0]
    before = searcher.lexical_index().revision
    with reader.store.one_revision():  # a question begins ...
        fresh_service.ingest([edited])  # ... another process commits ...
        newer = threading.Thread(target=searcher.lexical_index)  # ... and a later question reads the new revision
        newer.start()
        newer.join()
        assert searcher.lexical_index().revision == before + 1  # the first question does not rebuild the old one
    assert searcher.lexical_index().revision == before + 1


def test_several_query_vectors_take_one_model_call_and_are_remembered(embeddings) -> None:
    counting = CountingMiniLM(embeddings)
    vectors = counting.embed_queries(["robots", "energy", "robots"])
    assert counting.texts == ["robots", "energy"] and vectors[0] == vectors[2] != vectors[1]
    assert counting.embed_query("energy") == vectors[1] and counting.texts == ["robots", "energy"]
    assert np.allclose(vectors[0], embeddings.embed_documents(["robots"])[0])


def test_answer_sentences_are_stored_at_ingest(seeded_service: ResearchService, embeddings) -> None:
    """Every paper's quotable sentences and their vectors are written at ingest, so a question embeds only itself."""
    for paper in seeded_service.papers():
        sentences, vectors = seeded_service.store.stored_sentences(paper)
        assert sentences == quotable_sentences(paper)
        assert vectors.shape == (len(sentences), 384)
    paper = seeded_service.papers()[0]
    fresh = np.asarray(embeddings.embed_documents(quotable_sentences(paper)))
    stored = seeded_service.store.stored_sentences(paper)[1]
    assert np.allclose(stored, fresh, rtol=1e-3, atol=1e-4)  # kept as float16
    assert np.allclose(np.sum(stored * fresh, axis=1), np.sum(fresh * fresh, axis=1), atol=1e-4)  # same cosines


def test_snapshot_is_appended_only_when_the_header_changes(fresh_service: ResearchService, tmp_path: Path) -> None:
    fresh_service.ingest([SEED_PROFILE])
    changed = write_profile(
        tmp_path / "v2", "igor.txt", SEED_TEXT.replace("h-index117", "h-index120").replace("35,895", "36,001")
    )
    assert fresh_service.ingest([changed]).snapshots_added == 1
    assert fresh_service.ingest([changed]).snapshots_added == 0
    report = fresh_service.metrics()
    assert (report.h_index, report.citations) == (120, 36_001)
    assert [s.h_index for s in report.snapshots] == [117, 120]
    assert report.snapshots[0].change == {}
    assert report.snapshots[1].change == {"h_index": 3, "citations": 106}
    assert report.snapshots[0].taken_at <= report.snapshots[1].taken_at


@pytest.mark.parametrize(
    "corrupt",
    [
        # cut after a title: a cut inside an abstract is indistinguishable from a shorter abstract
        lambda text: text[: text.index("Grounded Decoding: Guiding") + 40],
        lambda text: text.replace("RODec 13, 2022", "RODec 33, 2022"),  # wrong date
        lambda text: text.replace("PaLM-E: An Embodied Multimodal Language Model\n", ""),  # missing title
        lambda text: "",  # empty
    ],
    ids=["truncated", "wrong-date", "missing-title", "empty"],
)
def test_a_bad_file_leaves_the_store_untouched(fresh_service: ResearchService, tmp_path: Path, corrupt) -> None:
    fresh_service.ingest([SEED_PROFILE])
    before = store_state(fresh_service)
    folder = tmp_path / "batch"
    write_profile(folder, "a_good_other.txt", SEED_TEXT.replace("Igor Mordatch\n", "Ada Lovelace\n", 1))
    write_profile(folder, "b_bad.txt", corrupt(SEED_TEXT.replace("h-index117", "h-index999")))
    with pytest.raises(ProfileFormatError, match=r"b_bad.txt:\d+: expected"):
        fresh_service.ingest([folder])
    assert store_state(fresh_service) == before
    assert fresh_service.profile_ids() == ["igor-mordatch"]


def test_binary_and_oversized_uploads_leave_the_store_untouched(fresh_service: ResearchService) -> None:
    fresh_service.ingest([SEED_PROFILE])
    before = store_state(fresh_service)
    with pytest.raises(ProfileFormatError, match=r"upload\.txt:1"):
        fresh_service.ingest_text(b"\xff\xd8\xff\xe0 binary", "upload.txt")
    with pytest.raises(UserFacingError, match="larger than"):
        fresh_service.ingest_text(b"x" * 10_000_001, "big.txt")
    assert store_state(fresh_service) == before


def test_profiles_live_side_by_side(fresh_service: ResearchService, tmp_path: Path) -> None:
    lines = SEED_TEXT.splitlines()
    first_paper = lines.index("LGNov 17, 2022Code")
    other = ["Ada Lovelace", "", "MA", "h-index5", "3papers", "120citations", "", "2 Papers", ""]
    other += lines[first_paper : first_paper + 14]  # two papers
    folder = tmp_path / "profiles"
    write_profile(folder, "igor.txt", SEED_TEXT)
    write_profile(folder, "ada.txt", "\n".join(other))
    report = fresh_service.ingest([folder])
    assert report.added == 52 and sorted(report.profiles) == ["ada-lovelace", "igor-mordatch"]
    assert fresh_service.profile_ids() == ["ada-lovelace", "igor-mordatch"]
    assert len(fresh_service.papers(PaperFilter(profile="Ada Lovelace"))) == 2
    assert len(fresh_service.papers(PaperFilter(profile="igor-mordatch"))) == 50
    ada = fresh_service.metrics("ada-lovelace")
    assert (ada.h_index, ada.citations, ada.papers_claimed, ada.papers_listed, ada.novelty) == (5, 120, 3, 2, None)
    with pytest.raises(UnknownProfileError, match="ada-lovelace, igor-mordatch"):
        fresh_service.metrics("Grace Hopper")


def test_schema_mismatch_asks_for_a_rebuild(fresh_service: ResearchService, tmp_path: Path, embeddings) -> None:
    fresh_service.ingest([SEED_PROFILE])
    changed = write_profile(tmp_path / "v2", "igor.txt", SEED_TEXT.replace("h-index117", "h-index120"))
    fresh_service.ingest([changed])
    path = str(tmp_path / "chroma")
    client = chromadb.PersistentClient(path=path)
    collection = client.get_collection(PAPERS_COLLECTION)
    collection.modify(metadata={**collection.metadata, "schema_version": 0})
    with pytest.raises(SchemaMismatchError, match="research-bot ingest --rebuild"):
        _ = PaperStore(client, embeddings).papers
    with pytest.raises(SchemaMismatchError):  # nor is an old store searched through its passages
        PaperStore(client, embeddings).dense_search("robots", k=3)
    passages = client.get_collection(PASSAGES_COLLECTION)
    passages.add(ids=["stale#0"], embeddings=[[0.0] * 384], metadatas=[{"paper_id": "stale"}], documents=["x"])
    rebuilt = ResearchService(fresh_service.settings, store=PaperStore(client, embeddings))
    report = rebuilt.ingest([changed], rebuild=True)
    assert report.rebuilt and report.added == 50
    assert PaperStore(client, embeddings).papers.count() == 50
    assert "stale#0" not in PaperStore(client, embeddings).passages.get()["ids"]  # --rebuild dropped passages
    # the metric history carried over, and the unchanged header added no snapshot
    assert [s.h_index for s in rebuilt.metrics().snapshots] == [117, 120] and report.snapshots_added == 0


def test_store_reopens_in_a_new_client(fresh_service: ResearchService, tmp_path: Path, embeddings) -> None:
    fresh_service.ingest([SEED_PROFILE])
    reopened = PaperStore(chromadb.PersistentClient(path=str(tmp_path / "chroma")), embeddings)
    assert len(reopened.get_papers()) == 50
    assert [s.h_index for s in reopened.get_snapshots("igor-mordatch")] == [117]


def test_paper_filters(seeded_service: ResearchService) -> None:
    assert len(seeded_service.papers(PaperFilter(year=2022))) == 14
    assert {p.category for p in seeded_service.papers(PaperFilter(category="ro"))} == {"RO"}
    assert len(seeded_service.papers(PaperFilter(category="RO"))) == 10
    assert len(seeded_service.papers(PaperFilter(has_code=True))) == 5
    assert len(seeded_service.papers(PaperFilter(year_from=2024, year_to=2025))) == 7
    freeman = seeded_service.papers(PaperFilter(author="C. Freeman"))
    assert {p.title.split(":")[0] for p in freeman} >= {
        "VeLO",
        "Brax -- A Differentiable Physics Engine for Large Scale Rigid Body Simulation",
    }
    assert all(any("Freeman" in a for a in p.authors) for p in freeman)
    # "Daniel Freeman" also matches the paper that lists him without the initial C.
    daniel = seeded_service.papers(PaperFilter(author="Daniel Freeman"))
    assert {p.id for p in freeman} < {p.id for p in daniel}
    assert any(p.title.startswith("Blocks Assemble!") for p in daniel)
    assert not any(p.title.startswith("Blocks Assemble!") for p in freeman)
    dates = [p.date for p in seeded_service.papers()]
    assert dates == sorted(dates, reverse=True)


def test_metrics_match_the_file(seeded_service: ResearchService) -> None:
    report = seeded_service.metrics("Igor Mordatch")
    assert (report.h_index, report.citations, report.papers_claimed, report.papers_listed) == (117, 35_895, 67, 50)
    assert (report.novelty, report.ai_score, report.category) == (56, 48, "LG")
    assert report.by_year == {2017: 1, 2020: 9, 2021: 9, 2022: 14, 2023: 10, 2024: 4, 2025: 3}
    assert report.by_category == {
        "LG": 22,
        "RO": 10,
        "CL": 7,
        "CV": 3,
        "AI": 3,
        "MA": 2,
        "MES-HALL": 1,
        "ML": 1,
        "MTRL-SCI": 1,
    }
    assert report.with_code == 5 and report.with_code_share == 0.1
    assert report.first_date == dt.date(2017, 9, 13) and report.last_date == dt.date(2025, 9, 18)
    assert report.affiliations["deepmind"] == 8
    assert "Igor Mordatch" not in report.top_coauthors
    assert next(iter(report.top_coauthors)) == "Yilun Du"


def test_many_papers_are_read_in_pages(seeded_service: ResearchService, monkeypatch: pytest.MonkeyPatch) -> None:
    """One get of 100k papers fails in Chroma's SQLite ("too many SQL variables"): reads go page by page."""
    whole = seeded_service.store.get_papers()
    monkeypatch.setattr(store_module, "READ_PAGE", 7)  # 50 papers: 8 pages, the last one short
    assert seeded_service.store.get_papers() == whole
    monkeypatch.setattr(store_module, "READ_PAGE", 10)  # 50 papers: 5 full pages, then an empty one
    assert seeded_service.store.get_papers() == whole


def test_the_next_write_drops_the_record_per_sentence_collection_of_older_stores(fresh_service) -> None:
    fresh_service.ingest([SEED_PROFILE])
    client = fresh_service.store.client
    client.create_collection(store_module.LEGACY_SENTENCES_COLLECTION, embedding_function=None)
    fresh_service.ingest([SEED_PROFILE])
    names = {collection.name for collection in client.list_collections()}
    assert store_module.LEGACY_SENTENCES_COLLECTION not in names
    assert store_module.SENTENCES_COLLECTION in names
