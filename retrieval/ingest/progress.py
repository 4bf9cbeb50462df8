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
    """A `ProgressCallback` (papers embedded so far, papers to embed); use as a context manager. The words are
    parameters so a fetch shows "fetched 120/340 works" the same way; a total may be unknown (None) for a while."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        label: str = "embedding papers",
        verb: str = "embedded",
        noun: str = "paper",
    ) -> None:
        self.stream = stream or sys.stderr  # read at call time: tests and the CLI may have replaced it
        self.verb, self.noun = verb, noun
        self.bar: tqdm | None = None
        if self.stream.isatty():
            from tqdm import tqdm  # only a terminal pays for the import

            self.bar = tqdm(desc=label, unit=noun, file=self.stream)
        self.started = time.monotonic()
        self.last_line = self.started

    def __call__(self, done: int, total: int | None) -> None:
        if self.bar is not None:
            self.bar.total = total
            self.bar.update(done - self.bar.n)
            return
        now = time.monotonic()
        finished = total is not None and done >= total
        if not finished and now - self.last_line < LOG_EVERY_SECONDS:
            return
        self.last_line = now
        rate = done / max(now - self.started, 1e-9)
        left = f", ~{(total - done) / rate:.0f} s left" if total is not None and not finished and rate else ""
        of_total = f"/{total}" if total is not None else ""
        print(
            f"{self.verb} {done}{of_total} {self.noun}s ({rate:.1f} {self.noun}s/s{left})", file=self.stream, flush=True
        )

    def __enter__(self) -> IngestProgress:
        return self

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.close()
