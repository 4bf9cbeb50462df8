"""The Chroma store: a `papers` collection (through langchain-chroma), `paper_passages`, `paper_sentences` and
`profile_snapshots`.

Papers: document = title + abstract, metadata for every filter, and one vector: the normalised mean of its
passage vectors (so ingest embeds each text once; `similar` and overview themes read it). Vectors are always
computed by us, never by Chroma.
Passages: pieces of each paper that fit the model's input window (see retrieval.index.passages), with the
paper's filter fields; dense search ranks papers by their best passage. They are written with their paper
and removed with it, so they always follow its fingerprint.
Sentences: each abstract's quotable sentences with their vectors, for the answers (computed here, at ingest,
not per question); written and removed with their paper like the passages.
Snapshots: one record per change of a profile's header, read by metadata only.
The papers collection's metadata carries the schema version and a revision counter that every write
bumps, so in-memory indexes built on top (BM25) know when to rebuild, even across processes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property
from typing import Any

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from retrieval.errors import SchemaMismatchError, UserFacingError
from retrieval.index.chroma_server import server_client
from retrieval.index.embeddings import embeddings_for, token_budget
from retrieval.index.passages import paper_passages
from retrieval.index.sentence_vectors import quotable_sentences
from retrieval.models import MetricSnapshot, Paper, PaperFilter, ParsedProfile, Profile

SCHEMA_VERSION = 2  # 2: paper_passages
PAPERS_COLLECTION = "papers"
PASSAGES_COLLECTION = "paper_passages"
SENTENCES_COLLECTION = "paper_sentences"
SNAPSHOTS_COLLECTION = "profile_snapshots"
# Chroma needs a vector per record; snapshots are never searched by similarity, so they get this one
# instead of costing an embedding-model load.
SNAPSHOT_PLACEHOLDER_VECTOR = [0.0]
# Papers embedded per model call: ~10 texts each, so one call is a few seconds on 2 cores (a progress line
# between calls) and holds enough texts for length-sorted batches to pad little.
EMBED_CHUNK = 64

ProgressCallback = Callable[[int, int], None]  # (papers embedded so far, papers to embed)


def make_client(chroma_path: str, chroma_host: str | None, chroma_port: int, timeout: float = 30.0) -> ClientAPI:
    """A Chroma server's client when a host is set (`timeout`: seconds per request), else the embedded store."""
    if chroma_host:
        return server_client(chroma_host, chroma_port, timeout)
    return chromadb.PersistentClient(path=chroma_path)


class PaperStore:
    def __init__(self, client: ClientAPI, embedding: str | Embeddings = "minilm") -> None:
        self.client = client
        # cheap: the model itself loads on the first embedding, once (MiniLMEmbeddings holds a lock)
        self.embeddings = embedding if isinstance(embedding, Embeddings) else embeddings_for(embedding)
        self.embedding_name = (
            embedding if isinstance(embedding, str) else getattr(embedding, "name", type(embedding).__name__)
        )

    @cached_property
    def vectorstore(self) -> Chroma:
        vectorstore = Chroma(
            client=self.client,
            collection_name=PAPERS_COLLECTION,
            embedding_function=self.embeddings,
            collection_metadata={"schema_version": SCHEMA_VERSION, "embedding": self.embedding_name, "revision": 0},
            collection_configuration={"hnsw": {"space": "cosine"}},
        )
        self._check_schema(vectorstore._collection.metadata or {})
        return vectorstore

    @property
    def papers(self) -> chromadb.Collection:
        return self.vectorstore._collection

    @cached_property
    def passages(self) -> chromadb.Collection:
        _ = self.vectorstore  # the schema check comes first: never add this collection beside an old store
        return self.client.get_or_create_collection(
            PASSAGES_COLLECTION, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )

    @cached_property
    def sentences(self) -> chromadb.Collection:
        _ = self.vectorstore
        return self.client.get_or_create_collection(
            SENTENCES_COLLECTION, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )

    @cached_property
    def snapshots(self) -> chromadb.Collection:
        return self.client.get_or_create_collection(SNAPSHOTS_COLLECTION, embedding_function=None)

    def _check_schema(self, metadata: dict[str, Any]) -> None:
        if metadata.get("schema_version") != SCHEMA_VERSION:
            raise SchemaMismatchError(metadata.get("schema_version"), SCHEMA_VERSION)
        if metadata.get("embedding", self.embedding_name) != self.embedding_name:
            raise UserFacingError(
                f"The store was built with the {metadata['embedding']!r} embedding, but settings ask for "
                f"{self.embedding_name!r}. Run `research-bot ingest --rebuild` to re-embed."
            )

    # --- reading ---

    def revision(self) -> int:
        metadata = self.client.get_collection(PAPERS_COLLECTION).metadata or {}
        return int(metadata.get("revision", 0))

    def is_empty(self) -> bool:
        return self.papers.count() == 0

    def get_papers(self, paper_filter: PaperFilter | None = None) -> list[Paper]:
        """Papers matching the metadata filters (author matching is the caller's), newest first."""
        result = self.papers.get(where=chroma_where(paper_filter), include=["metadatas", "documents"])
        papers = [paper_from_record(m, d) for m, d in zip(result["metadatas"], result["documents"], strict=True)]
        return sorted(papers, key=lambda paper: (paper.date, paper.title), reverse=True)

    def best_passages(self, query: str, k: int, paper_filter: PaperFilter | None = None) -> dict[str, float]:
        """The cosine similarity of the best passage of each of the top `k` papers, by paper id, best first."""
        return self._best_passages(self.embeddings.embed_query(query), k, chroma_where(paper_filter))

    def dense_search(self, query: str, k: int, paper_filter: PaperFilter | None = None) -> list[tuple[Paper, float]]:
        """(paper, cosine similarity of its best passage) pairs, best first."""
        best = self.best_passages(query, k, paper_filter)
        if not best:
            return []
        result = self.papers.get(ids=list(best), include=["metadatas", "documents"])
        papers = [paper_from_record(m, d) for m, d in zip(result["metadatas"], result["documents"], strict=True)]
        return sorted(((paper, best[paper.id]) for paper in papers), key=lambda pair: pair[1], reverse=True)

    def paper_vectors(self, paper_ids: list[str]) -> dict[str, list[float]]:
        """The stored paper vectors (the mean of each paper's passage vectors), by id."""
        if not paper_ids:
            return {}
        result = self.papers.get(ids=paper_ids, include=["embeddings"])
        return {id_: list(map(float, vector)) for id_, vector in zip(result["ids"], result["embeddings"], strict=True)}

    def _best_passages(self, vector: list[float], k: int, where: dict[str, Any] | None) -> dict[str, float]:
        """Best passage similarity of the top `k` papers, asking for more passages until k papers are found."""
        total = self.passages.count()
        wanted = min(total, 4 * k)  # a paper has 1-3 passages, so this almost always suffices at once
        while True:
            result = self.passages.query(
                query_embeddings=[vector], n_results=max(wanted, 1), where=where, include=["metadatas", "distances"]
            )
            best: dict[str, float] = {}
            for metadata, distance in zip(result["metadatas"][0], result["distances"][0], strict=True):
                # cosine space: distance = 1 - similarity; results come best first, so the first per paper wins
                best.setdefault(str(metadata["paper_id"]), 1.0 - distance)
            if len(best) >= k or wanted >= total:
                return dict(list(best.items())[:k])
            wanted = min(total, 2 * wanted)

    def profile_ids(self) -> list[str]:
        result = self.snapshots.get(include=["metadatas"])
        return sorted({str(metadata["profile"]) for metadata in result["metadatas"]})

    def get_snapshots(self, profile_id: str) -> list[MetricSnapshot]:
        result = self.snapshots.get(where={"profile": profile_id}, include=["metadatas"])
        snapshots = [snapshot_from_metadata(metadata) for metadata in result["metadatas"]]
        return sorted(snapshots, key=lambda snapshot: snapshot.taken_at)

    # --- writing ---

    def sync_profiles(
        self, parsed: list[ParsedProfile], on_embedded: ProgressCallback | None = None
    ) -> list[tuple[int, int, int, int]]:
        """Make the store hold exactly these files' papers: (added, updated, unchanged, removed) per file.

        Changed papers of all files are embedded together, in chunks (one model call each), so batches are full
        and sorted by length across profiles rather than per file."""
        counts, changed, stale = [], [], []
        for item in parsed:
            existing = self.papers.get(where={"profile": item.profile.id}, include=["metadatas"])
            stored = {id_: m.get("fingerprint") for id_, m in zip(existing["ids"], existing["metadatas"], strict=True)}
            incoming = {paper.id for paper in item.papers}
            item_changed = [p for p in item.papers if stored.get(p.id) != p.content_fingerprint()]
            item_stale = [id_ for id_ in stored if id_ not in incoming]
            added = sum(1 for paper in item_changed if paper.id not in stored)
            counts.append((added, len(item_changed) - added, len(item.papers) - len(item_changed), len(item_stale)))
            changed.extend(item_changed)
            stale.extend(item_stale)
        for start in range(0, len(changed), EMBED_CHUNK):
            self._write_papers(changed[start : start + EMBED_CHUNK])
            if on_embedded:
                on_embedded(min(start + EMBED_CHUNK, len(changed)), len(changed))
        if stale:
            self._delete_derived(stale)
            self.papers.delete(ids=stale)
        if changed or stale:
            self._bump_revision()
        return counts

    def _write_papers(self, papers: list[Paper]) -> None:
        """Embed every passage and sentence of these papers in one model call (it sorts texts by length, so batches
        pad little); write passages and sentences, then the papers: a paper's fingerprint, written last, marks its
        set complete. The paper vector is the mean of its passage vectors, so no text is embedded twice."""
        count_tokens, max_tokens = token_budget(self.embeddings)
        passages = [paper_passages(paper, count_tokens, max_tokens) for paper in papers]
        sentences = [quotable_sentences(paper) for paper in papers]
        groups = [*passages, *sentences]
        vectors = np.asarray(self.embeddings.embed_documents([text for group in groups for text in group]))
        vector_groups = np.split(vectors, np.cumsum([len(group) for group in groups])[:-1])
        passage_rows: dict[str, list[Any]] = {"ids": [], "metadatas": [], "documents": []}
        sentence_rows: dict[str, list[Any]] = {"ids": [], "metadatas": [], "documents": []}
        for paper, paper_passage_texts, paper_sentences in zip(papers, passages, sentences, strict=True):
            for number, text in enumerate(paper_passage_texts):
                passage_rows["ids"].append(f"{paper.id}#{number}")
                passage_rows["metadatas"].append(passage_metadata(paper))
                passage_rows["documents"].append(text)
            fingerprint = paper.content_fingerprint()
            for position, sentence in enumerate(paper_sentences):
                sentence_rows["ids"].append(f"{paper.id}~{position}")
                sentence_rows["metadatas"].append(
                    {"paper_id": paper.id, "position": position, "fingerprint": fingerprint}
                )
                sentence_rows["documents"].append(sentence)
        self._delete_derived([paper.id for paper in papers])  # an edited paper may now have fewer of them
        self.passages.upsert(embeddings=np.concatenate(vector_groups[: len(papers)]), **passage_rows)
        self.sentences.upsert(embeddings=np.concatenate(vector_groups[len(papers) :]), **sentence_rows)
        self.papers.upsert(  # same id → replaced
            ids=[paper.id for paper in papers],
            embeddings=np.stack([normalized(group.mean(axis=0)) for group in vector_groups[: len(papers)]]),
            metadatas=[paper_metadata(paper) for paper in papers],
            documents=[paper_document(paper) for paper in papers],
        )

    def stored_sentences(self, paper: Paper) -> tuple[list[str], np.ndarray] | None:
        """The paper's sentences and vectors as ingested; None when this version of it has none stored."""
        result = self.sentences.get(where={"paper_id": paper.id}, include=["documents", "embeddings", "metadatas"])
        fingerprint = paper.content_fingerprint()
        rows = sorted(
            (
                (metadata["position"], document, vector)
                for metadata, document, vector in zip(
                    result["metadatas"], result["documents"], result["embeddings"], strict=True
                )
                if metadata.get("fingerprint") == fingerprint
            ),
            key=lambda row: row[0],
        )
        sentences = [document for _, document, _ in rows]
        if not rows or sentences != quotable_sentences(paper):
            return None  # none stored, a partial write, or stored under an older quoting rule: recompute
        return sentences, np.asarray([vector for _, _, vector in rows], dtype=np.float32)

    def _delete_derived(self, paper_ids: list[str]) -> None:
        """Passages and sentences of these papers: an edited paper may now have fewer of them."""
        if paper_ids:
            self.passages.delete(where={"paper_id": {"$in": paper_ids}})
            self.sentences.delete(where={"paper_id": {"$in": paper_ids}})

    def append_snapshot_if_changed(self, profile: Profile, papers_listed: int, now: dt.datetime) -> bool:
        previous = self.snapshots.get(where={"profile": profile.id}, include=["metadatas"])["metadatas"]
        fingerprint = profile.header_fingerprint()
        latest = max(previous, key=lambda m: str(m["taken_at"]), default=None)
        if latest is not None and latest.get("fingerprint") == fingerprint:
            return False
        snapshot = MetricSnapshot(
            taken_at=now, papers_listed=papers_listed, profile=profile.id, **profile.model_dump(exclude={"id"})
        )
        metadata = {k: v for k, v in snapshot.model_dump(mode="json").items() if v is not None}
        metadata["fingerprint"] = fingerprint
        self.snapshots.add(
            ids=[f"{profile.id}@{now.isoformat()}"],
            embeddings=[SNAPSHOT_PLACEHOLDER_VECTOR],
            metadatas=[metadata],
            documents=[f"{profile.name}: metrics snapshot taken {now.isoformat()}"],
        )
        return True

    def reset(self) -> None:
        """Drop every collection (used by `ingest --rebuild`)."""
        for name in (PAPERS_COLLECTION, PASSAGES_COLLECTION, SENTENCES_COLLECTION, SNAPSHOTS_COLLECTION):
            if name in {collection.name for collection in self.client.list_collections()}:
                self.client.delete_collection(name)
        for attribute in ("vectorstore", "passages", "sentences", "snapshots"):
            self.__dict__.pop(attribute, None)

    def _bump_revision(self) -> None:
        metadata = dict(self.papers.metadata or {})
        metadata["revision"] = int(metadata.get("revision", 0)) + 1
        self.papers.modify(metadata=metadata)


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
    return metadata


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
    )


def snapshot_from_metadata(metadata: dict[str, Any]) -> MetricSnapshot:
    return MetricSnapshot.model_validate({k: v for k, v in metadata.items() if k != "fingerprint"})
