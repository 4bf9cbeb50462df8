"""Shared fixtures: settings isolated from the developer's env, a session-wide embedding model, and
services over fresh or pre-seeded Chroma stores."""

from __future__ import annotations

from pathlib import Path

import chromadb
import pytest

from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.index.store import PaperStore
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT, Settings

pytest_plugins = ["tests.discord_fixtures", "tests.chroma_fixtures", "tests.source_servers"]

SEED_PROFILE = PROJECT_ROOT / "data" / "profiles" / "igor_mordatch_profile.txt"


def make_settings(chroma_path: Path, **overrides: object) -> Settings:
    """Settings that ignore `.env` and point the store at a temporary folder."""
    values: dict[str, object] = {"chroma_path": chroma_path, "profiles_dir": SEED_PROFILE.parent}
    values.update(overrides)
    return Settings(_env_file=None, **values)


class MemoizedMiniLM(MiniLMEmbeddings):
    """The real model, remembering vectors: many tests re-ingest the same 50 abstracts."""

    def __init__(self) -> None:
        super().__init__()
        self._vectors: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, super().embed_documents(missing), strict=True))
        return [self._vectors[text] for text in texts]


@pytest.fixture(scope="session")
def embeddings() -> MiniLMEmbeddings:
    """One MiniLM for the whole run: loading it costs ~10 s."""
    return MemoizedMiniLM()


def service_at(path: Path, embeddings: MiniLMEmbeddings, **overrides: object) -> ResearchService:
    settings = make_settings(path, **overrides)
    store = PaperStore(chromadb.PersistentClient(path=str(path)), embeddings)
    return ResearchService(settings, store=store)


@pytest.fixture
def fresh_service(tmp_path: Path, embeddings: MiniLMEmbeddings) -> ResearchService:
    """An empty store of its own: for tests that write."""
    return service_at(tmp_path / "chroma", embeddings)


@pytest.fixture(scope="session")
def seeded_service(tmp_path_factory: pytest.TempPathFactory, embeddings: MiniLMEmbeddings) -> ResearchService:
    """The bundled profile, ingested once per run. Read-only: tests must not write to it."""
    service = service_at(tmp_path_factory.mktemp("seeded") / "chroma", embeddings)
    service.ingest()
    return service
