"""The Chroma store: a `papers` collection, `paper_passages`, `paper_sentence_vectors` and
`profile_snapshots`.

Papers: document = title + abstract, metadata for every filter, and one vector: the normalised mean of its
passage vectors (so ingest embeds each text once; `similar` and overview themes read it). Vectors are always
computed by us, never by Chroma.
Passages: pieces of each paper that fit the model's input window (see retrieval.index.passages), with the
paper's filter fields; dense search ranks papers by their best passage. They are written and removed with their
paper.
Sentence vectors: one record per paper holding the vectors of its abstract's quotable sentences, for the
answers (computed here, at ingest, not per question); written and removed with their paper like the passages.
They are only ever read by paper, never searched, so they live in the metadata (`sentence_vectors`) beside a
placeholder vector: a record per sentence with its vector made Chroma load an index of every sentence into memory
on the first read (1.2 GB at 100k papers).
Snapshots: one record per change of a profile's header, read by metadata only.

Crash-safe ingest (Chroma has no transactions; one call is the only atomic write). The papers collection's
metadata carries the schema version and the committed revision. Every paper, passage, sentence and snapshot
record carries the revision of the ingest that wrote it (`revision`), and a record an ingest replaced or removed
carries that ingest's revision (`retired`). A record is visible while its revision <= committed < retired
(`visible`). An ingest at revision r = committed + 1 marks the records it replaces `retired=r`, writes the new
ones (ids include r: a paper's own id never changes) and the snapshots of changed headers, then commits by
setting the committed revision to r: one write. So a crash before the commit leaves the old version of every
profile visible, and after it the new one; unchanged papers are never rewritten. What is left unreachable (an
interrupted ingest's records, the records a commit retired) is deleted by `_sweep`: after each commit and at
the start of the next ingest. The revision also tells in-memory indexes built on top (BM25) when to rebuild,
even across processes. One writer at a time: the service serialises ingests (a second process ingesting into
the same store at once is not supported).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any, TypeVar

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from langchain_core.embeddings import Embeddings
from pydantic import ValidationError

from retrieval.errors import EmbeddingMismatchError, SchemaMismatchError
from retrieval.index.chroma_server import server_client
from retrieval.index.embeddings import embeddings_for, token_budget
from retrieval.index.passages import paper_passages
from retrieval.index.sentence_vectors import decode_vectors, encode_vectors, quotable_sentences, sentences_digest
from retrieval.models import MetricSnapshot, Paper, PaperFilter, ParsedProfile, Profile

if TYPE_CHECKING:
    from langchain_chroma import Chroma

SCHEMA_VERSION = 3  # 2: paper_passages; 3: records carry the revision that wrote (and retired) them
PAPERS_COLLECTION = "papers"
PASSAGES_COLLECTION = "paper_passages"
SENTENCES_COLLECTION = "paper_sentence_vectors"
# the record-per-sentence collection of stores written before: dropped by the next write; until their papers
# are ingested again, their sentence vectors are computed on first use (SentenceVectors)
LEGACY_SENTENCES_COLLECTION = "paper_sentences"
SNAPSHOTS_COLLECTION = "profile_snapshots"
COLLECTIONS = (PAPERS_COLLECTION, PASSAGES_COLLECTION, SENTENCES_COLLECTION, SNAPSHOTS_COLLECTION)
# Chroma needs a vector per record; snapshots and sentence vectors are never searched by similarity, so they
# get this one (snapshots would otherwise cost an embedding-model load).
PLACEHOLDER_VECTOR = [0.0]
# Papers embedded per model call: ~10 texts each, so one call is a few seconds on 2 cores (a progress line
# between calls) and holds enough texts for length-sorted batches to pad little.
EMBED_CHUNK = 64
# Paper ids per `$in` filter: Chroma's SQLite refuses a statement of more than ~32k variables
IDS_PER_FILTER = 1000
# Records per read of many papers: a single get of 100k papers failed ("too many SQL variables")
READ_PAGE = 5000

ProgressCallback = Callable[[int, int], None]  # (papers embedded so far, papers to embed)
SyncCounts = tuple[int, int, int, int, bool]  # per file: added, updated, unchanged, removed, snapshot added
T = TypeVar("T")


def make_client(chroma_path: str, chroma_host: str | None, chroma_port: int, timeout: float = 30.0) -> ClientAPI:
    """A Chroma server's client when a host is set (`timeout`: seconds per request), else the embedded store."""
    if chroma_host:
        return server_client(chroma_host, chroma_port, timeout)
    return chromadb.PersistentClient(path=chroma_path)


class PaperStore:
    def __init__(self, client: ClientAPI, embedding: str | Embeddings = "minilm") -> None:
        self.client = client
        self._pinned: ContextVar[int | None] = ContextVar(f"pinned_revision_{id(self)}", default=None)
        # cheap: the model itself loads on the first embedding, once (MiniLMEmbeddings holds a lock)
        self.embeddings = embedding if isinstance(embedding, Embeddings) else embeddings_for(embedding)
        self.embedding_name = (
            embedding if isinstance(embedding, str) else getattr(embedding, "name", type(embedding).__name__)
        )

    @cached_property
    def papers(self) -> chromadb.Collection:
        """Opened directly, not through langchain-chroma: importing that costs a new process ~0.35 s."""
        papers = self.client.get_or_create_collection(
            PAPERS_COLLECTION,
            embedding_function=None,
            metadata={"schema_version": SCHEMA_VERSION, "embedding": self.embedding_name, "revision": 0},
            configuration={"hnsw": {"space": "cosine"}},
        )
        self._check_schema(papers.metadata or {})
        return papers

    @cached_property
    def passages(self) -> chromadb.Collection:
        _ = self.papers  # the schema check comes first: never add this collection beside an old store
        return self.client.get_or_create_collection(
            PASSAGES_COLLECTION, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )

    @cached_property
    def sentences(self) -> chromadb.Collection:
        _ = self.papers
        return self.client.get_or_create_collection(SENTENCES_COLLECTION, embedding_function=None)

    @cached_property
    def snapshots(self) -> chromadb.Collection:
        return self.client.get_or_create_collection(SNAPSHOTS_COLLECTION, embedding_function=None)

    def _check_schema(self, metadata: dict[str, Any]) -> None:
        if metadata.get("schema_version") != SCHEMA_VERSION:
            raise SchemaMismatchError(metadata.get("schema_version"), SCHEMA_VERSION)
        if metadata.get("embedding", self.embedding_name) != self.embedding_name:
            raise EmbeddingMismatchError(metadata["embedding"], self.embedding_name)

    def readable(self) -> bool:
        """Written with this schema and embedding (or new): `ingest --rebuild` can then re-embed it in one commit;
        otherwise its collections must be dropped first."""
        try:
            _ = self.papers
        except (SchemaMismatchError, EmbeddingMismatchError):
            return False
        return True

    # --- reading ---

    def revision(self) -> int:
        """The committed revision: what readers see (module docstring); within `one_revision`, the one read on
        entering it."""
        pinned = self._pinned.get()
        return pinned if pinned is not None else self.committed_revision()

    @contextmanager
    def one_revision(self) -> Iterator[int]:
        """Lookups within read the revision once: a question's dozen index and profile lookups then cost one
        metadata read, not one each (~0.7 ms), and all see the same revision. Per thread and task (a ContextVar);
        consistency checks and writes still read the committed revision afresh."""
        token = self._pinned.set(self.revision())  # (nested: the outer question's)
        try:
            yield self._pinned.get()
        finally:
            self._pinned.reset(token)

    def committed_revision(self) -> int:
        """The committed revision read afresh, pinned or not."""
        return int(self._papers_metadata().get("revision", 0))

    def _papers_metadata(self) -> dict[str, Any]:
        """Read afresh: another process may have committed since `self.papers` was opened."""
        _ = self.papers  # created, and its schema checked, on first use
        # no embedding function: Chroma would otherwise make and inspect a default one on every read
        return dict(self.client.get_collection(PAPERS_COLLECTION, embedding_function=None).metadata or {})

    def _consistent(self, read: Callable[[], T], revision: int | None = None) -> tuple[T, int]:
        """`read()` and the committed revision it saw; read again if an ingest in another process committed (and
        deleted what it retired) meanwhile. `revision`: the committed revision the caller has just read."""
        before = self.committed_revision() if revision is None else revision
        while True:
            result = read()
            after = self.committed_revision()
            if after == before:
                return result, before
            before = after

    def is_empty(self) -> bool:
        """No ingest has committed yet (an interrupted first ingest leaves only records no one sees)."""
        return self.revision() == 0

    def get_papers(self, paper_filter: PaperFilter | None = None) -> list[Paper]:
        """Papers matching the metadata filters (author matching is the caller's), newest first."""
        papers = self._read_papers(chroma_where(paper_filter))
        return sorted(papers, key=lambda paper: (paper.date, paper.title), reverse=True)

    def _read_papers(self, where: dict[str, Any] | None) -> list[Paper]:
        def read() -> list[tuple[Any, Any]]:
            rows: list[tuple[Any, Any]] = []
            for offset in itertools.count(0, READ_PAGE):
                page = self.papers.get(where=where, include=["metadatas", "documents"], limit=READ_PAGE, offset=offset)
                rows.extend(zip(page["metadatas"], page["documents"], strict=True))
                if len(page["ids"]) < READ_PAGE:
                    return rows

        rows, revision = self._consistent(read)
        return [paper_from_record(metadata, document) for metadata, document in rows if visible(metadata, revision)]

    def best_passages(
        self,
        query: str,
        k: int,
        paper_filter: PaperFilter | None = None,
        revision: int | None = None,
        swept: bool = False,
    ) -> dict[str, float]:
        """The cosine similarity of the best passage of each of the top `k` papers, by paper id, best first.
        `revision`: the committed revision the caller has just read (one read of it fewer). `swept`: at that
        revision no retired passage is left (`passages_swept`), so no passage metadata need be read."""
        vector = self.embeddings.embed_query(query)
        where = chroma_where(paper_filter)
        if swept and revision is not None:
            best = self._nearest(self.passages, vector, k, where, "paper_id", revision, by_id=True)
            if best is not None:
                return best
        return self._nearest(self.passages, vector, k, where, "paper_id", revision) or {}

    def passages_swept(self) -> int | None:
        """The committed revision, if no passage an ingest at or before it retired is left (a sweep is done): then,
        until the next commit, a passage is visible exactly when its id's revision is committed. None otherwise."""
        revision = self.committed_revision()
        left = self.passages.get(where={"retired": {"$lte": revision}}, limit=1, include=[])["ids"]
        return revision if not left and self.committed_revision() == revision else None

    def dense_search(self, query: str, k: int, paper_filter: PaperFilter | None = None) -> list[tuple[Paper, float]]:
        """(paper, cosine similarity of its best passage) pairs, best first."""
        return self._ranked(self.best_passages(query, k, paper_filter))

    @cached_property
    def vectorstore(self) -> Chroma:
        """The papers collection as a LangChain vector store (langchain-chroma), for `similar`. Imported on first
        use: a question's path reads the collection directly, and the import costs a new process ~0.35 s."""
        from langchain_chroma import Chroma

        _ = self.papers  # created with this store's metadata and schema-checked first
        return Chroma(client=self.client, collection_name=PAPERS_COLLECTION, embedding_function=self.embeddings)

    def nearest_papers(self, vector: list[float], k: int, paper_filter: PaperFilter) -> list[tuple[Paper, float]]:
        """(paper, cosine similarity of its paper vector) pairs, best first, of the visible papers; asks for twice
        as many while uncommitted or retired records take places."""
        wanted = k
        while True:
            search = partial(
                self.vectorstore.similarity_search_by_vector_with_relevance_scores,
                vector,
                k=wanted,
                filter=chroma_where(paper_filter),
            )
            found, revision = self._consistent(search)
            nearest = [
                (paper_from_record(document.metadata, document.page_content), 1.0 - distance)  # cosine distance
                for document, distance in found
                if visible(document.metadata, revision)
            ]
            if len(nearest) >= k or len(found) < wanted:
                return nearest[:k]
            wanted *= 2

    def profile_passages(self, profile_id: str) -> tuple[list[str], np.ndarray, int]:
        """Every visible passage of one profile: (paper id per row, float32 vectors, the revision read at). A
        profile's few hundred passages are ranked in memory faster than a filtered Chroma query ranks them."""
        read = partial(self.passages.get, where={"profile": profile_id}, include=["metadatas", "embeddings"])
        result, revision = self._consistent(read)
        rows = [
            (str(metadata["paper_id"]), vector)
            for metadata, vector in zip(result["metadatas"], result["embeddings"], strict=True)
            if visible(metadata, revision)
        ]
        vectors = np.asarray([vector for _, vector in rows], dtype=np.float32)
        if not rows:  # a profile an ingest has just emptied: no rows, no width
            vectors = vectors.reshape(0, 0)
        return [paper_id for paper_id, _ in rows], vectors, revision

    def _ranked(self, best: dict[str, float]) -> list[tuple[Paper, float]]:
        if not best:
            return []
        papers = self._read_papers({"id": {"$in": list(best)}})
        return sorted(((paper, best[paper.id]) for paper in papers), key=lambda pair: pair[1], reverse=True)

    def paper_vectors(self, paper_ids: list[str]) -> dict[str, list[float]]:
        """The stored paper vectors (the mean of each paper's passage vectors), by id."""
        if not paper_ids:
            return {}

        def read() -> list[tuple[Any, Any]]:
            rows: list[tuple[Any, Any]] = []
            for batch in batches(paper_ids, IDS_PER_FILTER):
                result = self.papers.get(where={"id": {"$in": batch}}, include=["metadatas", "embeddings"])
                rows.extend(zip(result["metadatas"], result["embeddings"], strict=True))
            return rows

        rows, revision = self._consistent(read)
        return {str(m["id"]): list(map(float, vector)) for m, vector in rows if visible(m, revision)}

    def _nearest(
        self,
        collection: chromadb.Collection,
        vector: list[float],
        k: int,
        where: dict[str, Any] | None,
        key: str,
        revision: int | None = None,
        by_id: bool = False,
    ) -> dict[str, float] | None:
        """The best similarity per paper (`key`: its id field) for the top `k` papers, best first, from the visible
        records; asks for more records until k papers are found or none are left. `by_id`: visibility from the
        record ids alone (see `passages_swept`; reading the metadata is most of a query's cost); None if the store
        has moved past `revision` meanwhile."""
        wanted = max(k + k // 2, 1)  # most top passages are of distinct papers; if not, ask again for twice as many
        while True:
            include = ["distances"] if by_id else ["metadatas", "distances"]
            query = partial(collection.query, query_embeddings=[vector], n_results=wanted, where=where, include=include)
            result, seen = self._consistent(query, revision)
            if by_id and seen != revision:
                return None
            revision = seen
            ids, distances = result["ids"][0], result["distances"][0]
            metadatas = result["metadatas"][0] if not by_id else [None] * len(ids)
            best: dict[str, float] = {}
            for record_id, metadata, distance in zip(ids, metadatas, distances, strict=True):
                paper_id = visible_paper(record_id, metadata, key, revision)
                if paper_id is not None:  # distance = 1 - cosine; results come best first: the first per paper wins
                    best.setdefault(paper_id, 1.0 - distance)
            if len(best) >= k or len(ids) < wanted:  # fewer rows than asked for: Chroma had no more
                return dict(list(best.items())[:k])
            wanted *= 2

    def get_snapshots(self, profile_id: str | None = None) -> list[MetricSnapshot]:
        """The profile's snapshots (every profile's when None), oldest first."""
        where = {"profile": profile_id} if profile_id else None
        result, revision = self._consistent(partial(self.snapshots.get, where=where, include=["metadatas"]))
        snapshots = [snapshot_from_metadata(m) for m in result["metadatas"] if visible(m, revision)]
        return sorted(snapshots, key=lambda snapshot: snapshot.taken_at)

    # --- writing ---

    def sync_profiles(
        self,
        parsed: list[ParsedProfile],
        now: dt.datetime,
        on_embedded: ProgressCallback | None = None,
        *,
        everything: bool = False,
        history: list[dict[str, Any]] | None = None,
    ) -> list[SyncCounts]:
        """Make the store hold exactly these files' papers and headers, all visible at once when the ingest commits
        (module docstring); (added, updated, unchanged, removed, snapshot added) per file.

        Changed papers of all files are embedded together, in chunks (one model call each), so batches are full
        and sorted by length across profiles rather than per file. `everything` (`ingest --rebuild`): every paper
        is embedded again and the profiles of no file are removed, still as one commit (metric history kept).
        `history`: snapshot records read before a reset (`metric_history`), written back in this commit."""
        committed = self.committed_revision()
        self._sweep(committed)  # what an interrupted ingest left: from here on every record is visible
        revision = committed + 1
        history = history or []
        size = self.client.get_max_batch_size()
        for batch in (history[start : start + size] for start in range(0, len(history), size)):
            # first, so a header that has not changed since adds no snapshot
            self.snapshots.upsert(
                ids=[record["id"] for record in batch],
                embeddings=[PLACEHOLDER_VECTOR] * len(batch),
                metadatas=[{**record["metadata"], "revision": revision} for record in batch],
                documents=[record["document"] for record in batch],
            )
        counts: list[SyncCounts] = []
        changed: list[Paper] = []
        replaced: list[str] = []
        snapshots: list[dict[str, Any]] = []
        restamped: list[Paper] = []  # only cited_by or url changed: a new paper record, the same vectors
        for item in parsed:
            existing = self.papers.get(where={"profile": item.profile.id}, include=["metadatas"])["metadatas"]
            stored = {str(metadata["id"]): metadata for metadata in existing}
            incoming = {paper.id for paper in item.papers}
            item_changed = [
                p for p in item.papers if everything or stored_fingerprint(stored.get(p.id)) != p.content_fingerprint()
            ]
            changed_ids = {paper.id for paper in item_changed}
            item_restamped = [
                p
                for p in item.papers
                if p.id not in changed_ids and volatile_fields(stored[p.id]) != volatile_fields(paper_metadata(p))
            ]
            updated = [paper.id for paper in item_changed if paper.id in stored]
            stale = [id_ for id_ in stored if id_ not in incoming]
            snapshot = self._snapshot_if_changed(item.profile, len(item.papers), now, revision)
            unchanged = len(item.papers) - len(item_changed) - len(item_restamped)
            counts.append(
                (
                    len(item_changed) - len(updated),
                    len(updated) + len(item_restamped),
                    unchanged,
                    len(stale),
                    snapshot is not None,
                )
            )
            changed.extend(item_changed)
            restamped.extend(item_restamped)
            replaced.extend(updated + stale)
            if snapshot is not None:
                snapshots.append(snapshot)
        dropped_papers: list[str] = []
        dropped_snapshots: list[str] = []
        if everything:  # the profiles no file names go too
            dropped = self._stored_profiles() - {item.profile.id for item in parsed}
            dropped_papers, dropped_snapshots = self._profile_records(dropped)
            counts.append((0, 0, 0, len(set(dropped_papers)), False))
        if not (changed or replaced or restamped or snapshots or dropped_papers or dropped_snapshots or history):
            return counts
        self._retire([*replaced, *dropped_papers], revision)
        self._mark(self.snapshots, dropped_snapshots, revision)
        self._restamp(restamped, revision)
        for start in range(0, len(changed), EMBED_CHUNK):
            self._write_papers(changed[start : start + EMBED_CHUNK], revision)
            if on_embedded:
                on_embedded(min(start + EMBED_CHUNK, len(changed)), len(changed))
        if snapshots:
            self.snapshots.add(**{key: [snapshot[key] for snapshot in snapshots] for key in snapshots[0]})
        self._commit(revision)
        self._sweep(revision)  # what this ingest replaced or removed
        return counts

    def _retire(self, paper_ids: list[str], revision: int) -> None:
        """Mark the records of these papers (paper, passages, sentences) as replaced or removed by the ingest at
        `revision`: still visible until it commits. Called before the new records are written."""
        for batch in batches(paper_ids, IDS_PER_FILTER):
            for collection, field in ((self.papers, "id"), (self.passages, "paper_id"), (self.sentences, "paper_id")):
                self._mark(collection, collection.get(where={field: {"$in": batch}}, include=[])["ids"], revision)

    def _restamp(self, papers: list[Paper], revision: int) -> None:
        """Papers whose text is unchanged but whose citation count or link changed: the paper record is replaced
        by one of `revision` with the same vector; passages and sentences stay as they are."""
        by_id = {paper.id: paper for paper in papers}
        for batch in batches(list(by_id), IDS_PER_FILTER):
            current = self.papers.get(where={"id": {"$in": batch}}, include=["metadatas", "embeddings"])
            rows = [
                (record_id, by_id[str(metadata["id"])], vector)
                for record_id, metadata, vector in zip(
                    current["ids"], current["metadatas"], current["embeddings"], strict=True
                )
                if metadata.get("retired") is None  # the visible record (an older retired one may wait for a sweep)
            ]
            if not rows:
                continue
            self._mark(self.papers, [record_id for record_id, _, _ in rows], revision)
            self.papers.upsert(
                ids=[f"{paper.id}@{revision}" for _, paper, _ in rows],
                embeddings=np.stack([np.asarray(vector) for _, _, vector in rows]),
                metadatas=[{**paper_metadata(paper), "revision": revision} for _, paper, _ in rows],
                documents=[paper_document(paper) for _, paper, _ in rows],
            )

    def remove_profiles(self, profile_ids: list[str]) -> int:
        """Remove these profiles' papers and snapshots in one commit (all go, or, on a crash, none); the number of
        papers removed."""
        committed = self.committed_revision()
        self._sweep(committed)
        revision = committed + 1
        paper_ids, snapshot_ids = self._profile_records(set(profile_ids))
        if not (paper_ids or snapshot_ids):
            return 0
        self._retire(paper_ids, revision)
        self._mark(self.snapshots, snapshot_ids, revision)
        self._commit(revision)
        self._sweep(revision)
        return len(set(paper_ids))

    def _stored_profiles(self) -> set[str]:
        return {str(metadata["profile"]) for metadata in self.snapshots.get(include=["metadatas"])["metadatas"]}

    def _profile_records(self, profile_ids: set[str]) -> tuple[list[str], list[str]]:
        """These profiles' paper ids and snapshot record ids (after a sweep: every record is a visible one)."""
        paper_ids = [
            str(metadata["id"])
            for profile_id in sorted(profile_ids)
            for metadata in self.papers.get(where={"profile": profile_id}, include=["metadatas"])["metadatas"]
        ]
        snapshot_ids = [
            record_id
            for profile_id in sorted(profile_ids)
            for record_id in self.snapshots.get(where={"profile": profile_id}, include=[])["ids"]
        ]
        return paper_ids, snapshot_ids

    def _mark(self, collection: chromadb.Collection, ids: list[str], retired: int | None) -> None:
        """Set the `retired` mark of these records (None lifts it), in batches of the size Chroma accepts."""
        for batch in batches(ids, self.client.get_max_batch_size()):
            collection.update(ids=batch, metadatas=[{"retired": retired}] * len(batch))  # merged into the metadata

    def _write_papers(self, papers: list[Paper], revision: int) -> None:
        """Embed every passage and sentence of these papers in one model call (it sorts texts by length, so batches
        pad little); write passages, sentences and papers as records of `revision` (seen once it commits). The paper
        vector is the mean of its passage vectors, so no text is embedded twice."""
        count_tokens, max_tokens = token_budget(self.embeddings)
        passages = [paper_passages(paper, count_tokens, max_tokens) for paper in papers]
        sentences = [quotable_sentences(paper) for paper in papers]
        groups = [*passages, *sentences]
        vectors = np.asarray(self.embeddings.embed_documents([text for group in groups for text in group]))
        vector_groups = np.split(vectors, np.cumsum([len(group) for group in groups])[:-1])
        passage_rows: dict[str, list[Any]] = {"ids": [], "metadatas": [], "documents": []}
        for paper, paper_passage_texts in zip(papers, passages, strict=True):
            record_id = f"{paper.id}@{revision}"  # beside the paper's current records until the commit
            for number, text in enumerate(paper_passage_texts):
                passage_rows["ids"].append(f"{record_id}#{number}")
                passage_rows["metadatas"].append({**passage_metadata(paper), "revision": revision})
                passage_rows["documents"].append(text)
        self.passages.upsert(embeddings=np.concatenate(vector_groups[: len(papers)]), **passage_rows)
        self.sentences.upsert(
            ids=[f"{paper.id}@{revision}" for paper in papers],
            embeddings=[PLACEHOLDER_VECTOR] * len(papers),
            metadatas=[
                sentence_vectors_metadata(paper, paper_sentences, vectors, revision)
                for paper, paper_sentences, vectors in zip(papers, sentences, vector_groups[len(papers) :], strict=True)
            ],
        )
        self.papers.upsert(
            ids=[f"{paper.id}@{revision}" for paper in papers],
            embeddings=np.stack([normalized(group.mean(axis=0)) for group in vector_groups[: len(papers)]]),
            metadatas=[{**paper_metadata(paper), "revision": revision} for paper in papers],
            documents=[paper_document(paper) for paper in papers],
        )

    def _snapshot_if_changed(
        self, profile: Profile, papers_listed: int, now: dt.datetime, revision: int
    ) -> dict[str, Any] | None:
        """The snapshot record to add when the header differs from the latest snapshot's; None when it does not."""
        previous = self.snapshots.get(where={"profile": profile.id}, include=["metadatas"])["metadatas"]
        fingerprint = profile.header_fingerprint()
        latest = max(previous, key=lambda m: str(m["taken_at"]), default=None)
        if latest is not None and latest.get("fingerprint") == fingerprint:
            return None
        snapshot = MetricSnapshot(
            taken_at=now, papers_listed=papers_listed, profile=profile.id, **profile.model_dump(exclude={"id"})
        )
        metadata = {k: v for k, v in snapshot.model_dump(mode="json").items() if v not in (None, {})}
        if snapshot.citations_by_year:  # Chroma metadata holds scalars: the per-year counts go as JSON text
            metadata["citations_by_year"] = json.dumps(metadata["citations_by_year"])
        return {
            "ids": f"{profile.id}@{now.isoformat()}",
            "embeddings": PLACEHOLDER_VECTOR,
            "metadatas": {**metadata, "fingerprint": fingerprint, "revision": revision},
            "documents": f"{profile.name}: metrics snapshot taken {now.isoformat()}",
        }

    def _commit(self, revision: int) -> None:
        """The ingest's one atomic write: its records become visible, the ones it retired invisible."""
        self.papers.modify(metadata={**self._papers_metadata(), "revision": revision})

    def _sweep(self, committed: int) -> None:
        """Delete the records no one sees now or ever will (written by an ingest that did not commit, or retired by
        one that did) and lift the retire marks of an ingest that did not commit."""
        for collection in (self.passages, self.sentences, self.papers, self.snapshots):
            self._sweep_records(collection, committed)
        if LEGACY_SENTENCES_COLLECTION in {collection.name for collection in self.client.list_collections()}:
            self.client.delete_collection(LEGACY_SENTENCES_COLLECTION)

    def _sweep_records(self, collection: chromadb.Collection, committed: int) -> None:
        collection.delete(where={"$or": [{"revision": {"$gt": committed}}, {"retired": {"$lte": committed}}]})
        self._mark(collection, collection.get(where={"retired": {"$gt": committed}}, include=[])["ids"], None)

    def stored_sentences(self, paper: Paper) -> tuple[list[str], np.ndarray] | None:
        """The paper's sentences and vectors as ingested; None when this version of it has none stored."""
        read = partial(self.sentences.get, where={"paper_id": paper.id}, include=["metadatas"])
        result, revision = self._consistent(read)
        sentences = quotable_sentences(paper)
        for metadata in result["metadatas"]:
            # this version's visible record (a rebuild writes a second copy of the same version until it commits),
            # stored under the current quoting rule
            if (
                metadata.get("fingerprint") == paper.content_fingerprint()
                and metadata.get("sentences") == sentences_digest(sentences)
                and visible(metadata, revision)
            ):
                return sentences, decode_vectors(str(metadata["sentence_vectors"]), len(sentences))
        return None

    def metric_history(self) -> list[dict[str, Any]]:
        """The visible snapshot records of a store this code may not otherwise read (an older schema or another
        embedding), as {id, metadata, document}: snapshots have no vector that matters, so `ingest --rebuild`
        carries them over the reset. Records whose fields no longer validate are left out."""
        names = {collection.name for collection in self.client.list_collections()}
        if SNAPSHOTS_COLLECTION not in names:
            return []
        papers: dict[str, Any] = {}
        if PAPERS_COLLECTION in names:
            papers = dict(self.client.get_collection(PAPERS_COLLECTION, embedding_function=None).metadata or {})
        committed = papers.get("revision")  # schema 3 on: records newer than the committed revision are not visible
        snapshots = self.client.get_collection(SNAPSHOTS_COLLECTION, embedding_function=None)
        stored = snapshots.get(include=["metadatas", "documents"])
        history = []
        for record_id, metadata, document in zip(stored["ids"], stored["metadatas"], stored["documents"], strict=True):
            if committed is not None and "revision" in metadata and not visible(metadata, int(committed)):
                continue
            try:
                snapshot_from_metadata(metadata)
            except ValidationError:
                continue
            kept = {key: value for key, value in metadata.items() if key not in ("revision", "retired")}
            history.append({"id": record_id, "metadata": kept, "document": document})
        return history

    def reset(self) -> None:
        """Drop every collection (used by `ingest --rebuild`)."""
        for name in (*COLLECTIONS, LEGACY_SENTENCES_COLLECTION):
            if name in {collection.name for collection in self.client.list_collections()}:
                self.client.delete_collection(name)
        for attribute in ("papers", "passages", "sentences", "snapshots"):
            self.__dict__.pop(attribute, None)


def chroma_where(paper_filter: PaperFilter | None) -> dict[str, Any] | None:
    if paper_filter is None:
        return None
    clauses: list[dict[str, Any]] = []
    if paper_filter.profile:
        clauses.append({"profile": paper_filter.profile})
    if paper_filter.year is not None:
        clauses.append({"year": paper_filter.year})
    if paper_filter.year_from is not None:
        clauses.append({"year": {"$gte": paper_filter.year_from}})
    if paper_filter.year_to is not None:
        clauses.append({"year": {"$lte": paper_filter.year_to}})
    # dates narrow to their years here; `matches` checks the day (the store keeps the date as text)
    if paper_filter.date_from is not None:
        clauses.append({"year": {"$gte": paper_filter.date_from.year}})
    if paper_filter.date_to is not None:
        clauses.append({"year": {"$lte": paper_filter.date_to.year}})
    if paper_filter.category:
        clauses.append({"category": paper_filter.category.upper()})
    if paper_filter.has_code is not None:
        clauses.append({"has_code": paper_filter.has_code})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def normalized(vector: np.ndarray) -> np.ndarray:
    return vector / (np.linalg.norm(vector) or 1.0)


def paper_document(paper: Paper) -> str:
    return f"{paper.title}\n\n{paper.abstract}"


def paper_metadata(paper: Paper) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "id": paper.id,
        "profile": paper.profile,
        "title": paper.title,
        "date": paper.date.isoformat(),
        "year": paper.year,
        "category": paper.category,
        "has_code": paper.has_code,
        "et_al": paper.et_al,
        "fingerprint": paper.content_fingerprint(),
    }
    # Chroma refuses empty lists, so an empty field is simply absent
    if paper.authors:
        metadata["authors"] = paper.authors
    if paper.affiliations:
        metadata["affiliations"] = paper.affiliations
    if paper.cited_by is not None:
        metadata["cited_by"] = paper.cited_by
    if paper.url:
        metadata["url"] = paper.url
    return metadata


def sentence_vectors_metadata(paper: Paper, sentences: list[str], vectors: np.ndarray, revision: int) -> dict[str, Any]:
    return {
        "paper_id": paper.id,
        "fingerprint": paper.content_fingerprint(),
        "sentences": sentences_digest(sentences),  # the quoting rule may change; then these are computed again
        "sentence_vectors": encode_vectors(vectors),
        "revision": revision,
    }


def passage_metadata(paper: Paper) -> dict[str, Any]:
    """The paper's id and the fields `chroma_where` filters on."""
    return {
        "paper_id": paper.id,
        "profile": paper.profile,
        "year": paper.year,
        "category": paper.category,
        "has_code": paper.has_code,
    }


def paper_from_record(metadata: dict[str, Any], document: str) -> Paper:
    title, _, abstract = document.partition("\n\n")
    return Paper(
        id=str(metadata["id"]),
        title=title,
        date=dt.date.fromisoformat(str(metadata["date"])),
        year=int(metadata["year"]),
        category=str(metadata["category"]),
        has_code=bool(metadata["has_code"]),
        authors=list(metadata.get("authors") or []),
        et_al=bool(metadata.get("et_al")),
        affiliations=list(metadata.get("affiliations") or []),
        abstract=abstract,
        profile=str(metadata["profile"]),
        cited_by=metadata.get("cited_by"),
        url=metadata.get("url"),
    )


def snapshot_from_metadata(metadata: Mapping[str, Any]) -> MetricSnapshot:
    fields = {k: v for k, v in metadata.items() if k not in ("fingerprint", "revision", "retired")}
    if isinstance(fields.get("citations_by_year"), str):
        fields["citations_by_year"] = json.loads(fields["citations_by_year"])
    return MetricSnapshot.model_validate(fields)


def stored_fingerprint(metadata: Mapping[str, Any] | None) -> str | None:
    return None if metadata is None else str(metadata["fingerprint"])


def volatile_fields(metadata: Mapping[str, Any]) -> tuple[Any, ...]:
    """The stored values that may change without the text changing (`Paper.VOLATILE_FIELDS`)."""
    return tuple(metadata.get(field) for field in sorted(Paper.VOLATILE_FIELDS))


def batches(items: list[str], size: int) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def visible_paper(record_id: str, metadata: Mapping[str, Any] | None, key: str, committed: int) -> str | None:
    """The paper of a visible record (its `key` field); without metadata, from an id "paper@revision#n" at a
    revision no retired record is left at (`passages_swept`)."""
    if metadata is not None:
        return str(metadata[key]) if visible(metadata, committed) else None
    paper_id, _, written = record_id.rpartition("@")
    return paper_id if int(written.partition("#")[0]) <= committed else None


def visible(metadata: Mapping[str, Any], committed: int) -> bool:
    """Written by a committed ingest and not retired by one (module docstring)."""
    return int(metadata["revision"]) <= committed < int(metadata.get("retired", committed + 1))
