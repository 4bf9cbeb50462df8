"""One writer at a time, across processes: an ingest, a fetch, a refresh or a remove holds the store's write lock.

Two writers would both write their records as the next revision and the first commit would show the other's half
(retrieval/index/store.py). A thread lock orders the writers of one process; a file lock (filelock) those of other
processes: beside an embedded store, or in the user cache for a Chroma server (so writers to one server must run
on one machine; README "Deploying for many servers"). A writer waits up to `write_lock_timeout` seconds, then
gives up with a clear message and changes nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from platformdirs import user_cache_path

from retrieval.errors import UserFacingError

log = logging.getLogger(__name__)


def lock_file(chroma_path: Path, chroma_host: str | None, chroma_port: int) -> Path:
    if chroma_host:
        return user_cache_path("research-bot") / f"write-{chroma_host}-{chroma_port}.lock"
    return chroma_path / "write.lock"


class StoreWriteLock:
    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._thread_lock = threading.Lock()

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._thread_lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            file_lock = FileLock(self.path, thread_local=False)
            try:
                file_lock.acquire(timeout=0)
            except Timeout:
                log.info("another process is writing to the store; waiting up to %.0f s", self.timeout)
                try:
                    file_lock.acquire(timeout=self.timeout)
                except Timeout as error:
                    raise UserFacingError(
                        f"Another research-bot process has been writing to the store for over {self.timeout:.0f} s "
                        "(an ingest, fetch or refresh). Try again when it has finished. Nothing was changed."
                    ) from error
            try:
                yield
            finally:
                file_lock.release()
