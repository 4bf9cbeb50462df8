"""One interface for every live source: `ResearcherSource.fetch(reference, name, progress)` reads a researcher
whole (resuming from a checkpoint when an earlier fetch of the same reference was cut off) and returns the
`ParsedProfile` to ingest. The service (retrieval/sources/service.py) ingests it and then drops the checkpoint."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Awaitable, Callable
from typing import NamedTuple, Protocol

from retrieval.errors import UserFacingError
from retrieval.models import ParsedProfile
from retrieval.sources import arxiv, mapping, openalex
from retrieval.sources.checkpoints import Checkpoint, Checkpoints, dumped

# (works read so far, works in all, or None while unknown); may be a coroutine function (the bot edits a message)
Progress = Callable[[int, int | None], Awaitable[None] | None]
Clock = Callable[[], dt.datetime]
IDS_PREFIX = "ids:"  # an arXiv reference that is a list of papers rather than an author query


class NoAuthorFoundError(UserFacingError):
    pass


class Fetched(NamedTuple):
    parsed: ParsedProfile
    resumed_from: int  # items read from an interrupted fetch's checkpoint


class ResearcherSource(Protocol):
    name: str

    async def fetch(self, reference: str, name: str | None, progress: Progress | None) -> Fetched: ...


async def report_progress(progress: Progress | None, done: int, total: int | None) -> None:
    if progress is not None:
        result = progress(done, total)
        if inspect.isawaitable(result):
            await result


class OpenAlexSource:
    """`reference`: an OpenAlex author id (A…); works are read by cursor, each page saved to the checkpoint."""

    name = "openalex"

    def __init__(self, client: Callable[[], openalex.OpenAlexClient], checkpoints: Checkpoints, clock: Clock) -> None:
        self.client, self.checkpoints, self.clock = client, checkpoints, clock

    async def fetch(self, reference: str, name: str | None, progress: Progress | None) -> Fetched:
        now = self.clock()
        checkpoint = self.checkpoints.load(self.name, reference, now) or Checkpoint(
            source=self.name, reference=reference, started_at=now, cursor="*"
        )
        resumed_from = len(checkpoint.items)
        async with self.client() as client:
            if checkpoint.header is None:
                checkpoint.header = dumped([await client.author(f"/authors/{reference}")])[0]
                self.checkpoints.save(checkpoint)
            await report_progress(progress, len(checkpoint.items), checkpoint.total)
            if checkpoint.cursor:
                async for page in client.works(reference, checkpoint.cursor):
                    checkpoint.items.extend(dumped(page.results))
                    checkpoint.cursor = page.meta.next_cursor if page.results else None
                    checkpoint.total = page.meta.count
                    self.checkpoints.save(checkpoint)
                    await report_progress(progress, len(checkpoint.items), checkpoint.total)
        author = openalex.Author.model_validate(checkpoint.header)
        works = [openalex.Work.model_validate(item) for item in checkpoint.items]
        return Fetched(mapping.from_openalex(author, works), resumed_from)


class ArxivSource:
    """`reference`: an author name (paged by start index, checkpointed), or `ids:<id>,<id>…` (one request per
    100 ids); `name` is whose profile it becomes (default: the author, or the one author all the ids share)."""

    name = "arxiv"

    def __init__(self, client: Callable[[], arxiv.ArxivClient], checkpoints: Checkpoints, clock: Clock) -> None:
        self.client, self.checkpoints, self.clock = client, checkpoints, clock

    async def fetch(self, reference: str, name: str | None, progress: Progress | None) -> Fetched:
        if reference.startswith(IDS_PREFIX):
            return await self._by_ids(reference, name, progress)
        return await self._by_author(reference, name or reference, progress)

    async def _by_author(self, author: str, name: str, progress: Progress | None) -> Fetched:
        now = self.clock()
        checkpoint = self.checkpoints.load(self.name, author, now) or Checkpoint(
            source=self.name, reference=author, started_at=now, cursor="0"
        )
        resumed_from = len(checkpoint.items)
        if checkpoint.cursor is not None:
            async with self.client() as client:
                async for page in client.by_author(author, int(checkpoint.cursor)):
                    checkpoint.items.extend(dumped(page.entries))
                    checkpoint.total = page.total_results
                    start = page.start_index + len(page.entries)
                    checkpoint.cursor = str(start) if page.entries and start < page.total_results else None
                    self.checkpoints.save(checkpoint)
                    await report_progress(progress, len(checkpoint.items), checkpoint.total)
        entries = [arxiv.Entry.model_validate(item) for item in checkpoint.items]
        if not entries:
            raise NoAuthorFoundError(f"arXiv has no papers by {author!r}. Nothing was changed.")
        return Fetched(mapping.from_arxiv(name, entries, source=f"arxiv:{author}"), resumed_from)

    async def _by_ids(self, reference: str, name: str | None, progress: Progress | None) -> Fetched:
        ids = [i.strip() for i in reference.removeprefix(IDS_PREFIX).split(",") if i.strip()]
        if not ids:
            raise UserFacingError("Give at least one arXiv id.")
        async with self.client() as client:
            entries = await client.by_ids(ids)
        await report_progress(progress, len(entries), len(ids))
        found = {entry.arxiv_id for entry in entries}
        missing = [i for i in ids if i not in found and i.rsplit("v", 1)[0] not in found]
        if missing:
            raise NoAuthorFoundError(f"arXiv has no paper {', '.join(missing)}. Nothing was changed.")
        parsed = mapping.from_arxiv(name or shared_author(entries), entries, source=f"arxiv:{reference}")
        return Fetched(parsed, 0)


def shared_author(entries: list[arxiv.Entry]) -> str:
    """The one author on every entry (an id list names no researcher); else ask for a name."""
    common = set.intersection(*({author.name for author in entry.authors} for entry in entries))
    if len(common) != 1:
        raise UserFacingError(
            "Name the researcher these arXiv papers belong to (--name): "
            + ("no author is on all of them." if not common else f"{len(common)} authors are on all of them.")
        )
    return common.pop()
