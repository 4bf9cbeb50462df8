"""Server mode: the same service over a real `chroma run` on 127.0.0.1 instead of the embedded store."""

from __future__ import annotations

from pathlib import Path

from retrieval.index.store import PaperStore, make_client
from retrieval.models import PaperFilter
from retrieval.service import ResearchService
from tests.chroma_fixtures import ChromaServer
from tests.conftest import SEED_PROFILE, make_settings


def test_ingest_and_read_through_a_chroma_server(chroma_server: ChromaServer, tmp_path: Path, embeddings) -> None:
    settings = make_settings(tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=chroma_server.port)
    client = make_client(str(settings.chroma_path), settings.chroma_host, settings.chroma_port)
    service = ResearchService(settings, store=PaperStore(client, embeddings))

    first = service.ingest([SEED_PROFILE])
    assert first.added == 50 and first.snapshots_added == 1
    again = service.ingest([SEED_PROFILE])
    assert (again.added, again.unchanged, again.snapshots_added) == (0, 50, 0)

    assert len(service.papers(PaperFilter(category="RO"))) == 10
    assert service.metrics().h_index == 117
    hits = service.store.dense_search("robots that follow language instructions", k=3)
    assert len(hits) == 3 and all(0.0 < score <= 1.0 for _, score in hits)
    assert not (tmp_path / "unused").exists()  # nothing was written to the embedded path
