"""One writer at a time across processes: a second process's ingest waits for the first, or gives up cleanly."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from retrieval.errors import UserFacingError
from retrieval.index.write_lock import lock_file
from tests.conftest import service_at

HOLDER = """
import sys
from filelock import FileLock
with FileLock(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes our stdin
"""


@contextmanager
def lock_held_by_another_process(path: Path) -> Iterator[subprocess.Popen[str]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        if holder.stdin and not holder.stdin.closed:
            holder.stdin.close()
        holder.wait(timeout=30)


def test_a_writer_gives_up_cleanly_while_another_process_writes(tmp_path: Path, embeddings) -> None:
    research = service_at(tmp_path / "chroma", embeddings, write_lock_timeout=0.5)
    with lock_held_by_another_process(lock_file(tmp_path / "chroma", None, 8000)):
        with pytest.raises(UserFacingError, match=r"Another research-bot process .* Nothing was changed\."):
            research.ingest()
        assert research.store_is_empty()
    research.ingest()  # the other process has finished: this one writes
    assert len(research.papers()) == 50


def test_a_writer_waits_for_the_other_process_to_finish(tmp_path: Path, embeddings) -> None:
    research = service_at(tmp_path / "chroma", embeddings, write_lock_timeout=60)
    with lock_held_by_another_process(lock_file(tmp_path / "chroma", None, 8000)) as holder:
        assert holder.stdin is not None
        threading.Timer(0.5, holder.stdin.close).start()  # the other writer finishes while this one waits
        report = research.ingest()
    assert report.added == 50


def test_a_chroma_servers_lock_is_per_server_in_the_user_cache(tmp_path: Path) -> None:
    first, second = lock_file(tmp_path, "10.0.0.5", 8000), lock_file(tmp_path, "10.0.0.5", 8001)
    assert first != second and tmp_path not in first.parents
