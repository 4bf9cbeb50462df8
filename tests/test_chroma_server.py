"""Server mode: the same service over a real `chroma run` on 127.0.0.1 instead of the embedded store."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest

from retrieval.index.store import PaperStore, make_client
from retrieval.models import PaperFilter
from retrieval.service import ResearchService
from tests.conftest import SEED_PROFILE, make_settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    executable = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    process = subprocess.Popen(
        [executable, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
                break
            except Exception:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("chroma run did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_ingest_and_read_through_a_chroma_server(chroma_server: int, tmp_path: Path, embeddings) -> None:
    settings = make_settings(tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=chroma_server)
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
