"""The process tests/test_crash_safe_ingest.py kills: it ingests profile files into an embedded store and dies
with `os._exit(137)` (as after `kill -9`: no cleanup, nothing flushed, no `finally`) right before or after the
n-th call of one of PaperStore's write steps.

    python -m tests.crash_ingest STORE RECORDING STEP:before|after:N [--rebuild] PROFILE...   (STEP "none": no kill)

RECORDING: a pickle of the `Recording` the test process made with the real model, so this process never loads
it (~10 s per kill).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chromadb

import retrieval.index.store as store_module
from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.index.passages import paper_passages
from retrieval.index.sentence_vectors import quotable_sentences
from retrieval.index.store import PaperStore
from retrieval.models import Paper
from retrieval.service import ResearchService
from tests.conftest import make_settings

KILLED = 137  # what a shell reports for a process killed by signal 9
ROOT = Path(__file__).resolve().parent.parent
CHUNK = 2  # papers per embedding call (and write) here: a kill can fall between the chunks of one profile


@dataclass
class Recording:
    """What ingest asks of MiniLM for some papers: its window, token counts and vectors, by text."""

    max_tokens: int
    tokens: dict[str, int]
    vectors: dict[str, list[float]]

    @classmethod
    def of(cls, embeddings: MiniLMEmbeddings, papers: list[Paper]) -> Recording:
        tokens: dict[str, int] = {}

        def count(text: str) -> int:
            tokens[text] = embeddings.count_tokens(text)
            return tokens[text]

        texts = [t for p in papers for t in paper_passages(p, count, embeddings.max_tokens) + quotable_sentences(p)]
        return cls(embeddings.max_tokens, tokens, dict(zip(texts, embeddings.embed_documents(texts), strict=True)))


class ReplayedMiniLM(MiniLMEmbeddings):
    """MiniLM answering from a recording; the real model (loaded then) for anything not recorded."""

    def __init__(self, recording: Recording) -> None:
        super().__init__()
        self.recording = recording

    @property
    def max_tokens(self) -> int:
        return self.recording.max_tokens

    def count_tokens(self, text: str) -> int:
        if text not in self.recording.tokens:
            self.recording.tokens[text] = super().count_tokens(text)
        return self.recording.tokens[text]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [text for text in texts if text not in self.recording.vectors]
        if missing:
            self.recording.vectors.update(zip(missing, super().embed_documents(missing), strict=True))
        return [self.recording.vectors[text] for text in texts]


def die_at(step: str, when: str, call: int) -> None:
    """Make PaperStore.<step> end this process before or after its `call`-th call."""
    original: Callable[..., Any] = getattr(PaperStore, step)
    calls = 0

    def dying(self: PaperStore, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if when == "before" and calls == call:
            os._exit(KILLED)
        result = original(self, *args, **kwargs)
        if when == "after" and calls == call:
            os._exit(KILLED)
        return result

    setattr(PaperStore, step, dying)


def run(store: Path, recording: Path, kill: str, profiles: list[Path], *, rebuild: bool = False) -> int:
    """Run this module as a process (from the test process); its exit status."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    options = ["--rebuild"] if rebuild else []
    command = [sys.executable, "-m", "tests.crash_ingest", str(store), str(recording), kill, *options]
    command += [str(profile) for profile in profiles]
    return subprocess.run(command, cwd=ROOT, env=env, timeout=300).returncode


def main(store: str, recording: str, kill: str, *profiles: str) -> None:
    embeddings = ReplayedMiniLM(pickle.loads(Path(recording).read_bytes()))
    store_module.EMBED_CHUNK = CHUNK
    if kill != "none":
        step, when, call = kill.split(":")
        die_at(step, when, int(call))
    client = chromadb.PersistentClient(path=store)
    service = ResearchService(make_settings(Path(store)), store=PaperStore(client, embeddings))
    rebuild = profiles[:1] == ("--rebuild",)
    service.ingest([Path(profile) for profile in profiles[rebuild:]], rebuild=rebuild)


if __name__ == "__main__":
    main(*sys.argv[1:])
