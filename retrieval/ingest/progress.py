"""Ingest progress for people: a tqdm bar on a terminal; without one (a service, a pipe, CI) a line every few
seconds, so a long ingest never looks hung."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm

LOG_EVERY_SECONDS = 5.0


class IngestProgress:
    """A `ProgressCallback` (papers embedded so far, papers to embed); use as a context manager."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr  # read at call time: tests and the CLI may have replaced it
        self.bar: tqdm | None = None
        if self.stream.isatty():
            from tqdm import tqdm  # only a terminal pays for the import

            self.bar = tqdm(desc="embedding papers", unit="paper", file=self.stream)
        self.started = time.monotonic()
        self.last_line = self.started

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.total = total
            self.bar.update(done - self.bar.n)
            return
        now = time.monotonic()
        if done < total and now - self.last_line < LOG_EVERY_SECONDS:
            return
        self.last_line = now
        rate = done / max(now - self.started, 1e-9)
        left = f", ~{(total - done) / rate:.0f} s left" if done < total else ""
        print(f"embedded {done}/{total} papers ({rate:.1f} papers/s{left})", file=self.stream, flush=True)

    def __enter__(self) -> IngestProgress:
        return self

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.close()
