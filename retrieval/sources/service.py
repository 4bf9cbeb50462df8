"""Add, refresh and remove researchers from live sources; the CLI and the bot both call this.

A fetch reads every page first (kept in a checkpoint, so an interrupted one resumes), maps the result to a
`ParsedProfile` and ingests it like a profile file: one commit, so the store shows the old version or the new one.
Re-fetching updates what changed; a snapshot is appended only when a header metric changed (the store decides
that by the header's fingerprint).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from retrieval.database import Database
from retrieval.errors import UserFacingError
from retrieval.models import IngestReport, MetricSnapshot, ParsedProfile
from retrieval.sources import arxiv, openalex
from retrieval.sources.checkpoints import Checkpoints
from retrieval.sources.fetchers import (
    IDS_PREFIX,
    ArxivSource,
    NoAuthorFoundError,
    OpenAlexSource,
    Progress,
    ResearcherSource,
)
from retrieval.sources.followed import FollowedResearcher, FollowedResearchers

if TYPE_CHECKING:
    from retrieval.service import ResearchService
    from retrieval.settings import Settings

TRACKED_CHANGES = ("h_index", "citations", "i10_index", "papers_claimed")


class FetchReport(BaseModel):
    profile: str
    name: str
    source: str
    reference: str
    papers: int = Field(description="Papers stored for the researcher (works without a title or date are skipped).")
    without_abstract: int = Field(description="Papers kept with their title only: the source had no abstract.")
    resumed_from: int = Field(0, description="Works read from the checkpoint of an interrupted fetch.")
    ingest: IngestReport
    h_index: int | None = Field(None, description="The researcher's h-index after the fetch (arXiv has none).")
    citations: int | None = Field(None, description="Their citation total after the fetch (arXiv has none).")
    changes: dict[str, tuple[int | None, int | None]] = Field(
        default_factory=dict, description="Header metric → (before, after), for the metrics that changed."
    )


class AmbiguousAuthorError(UserFacingError):
    """A name that fits several people: the caller shows them and asks for one (`--pick N`, a select menu)."""

    def __init__(self, query: str, candidates: list[openalex.AuthorCandidate]) -> None:
        self.query, self.candidates = query, candidates
        lines = [f"{n}. {describe(candidate)}" for n, candidate in enumerate(candidates, 1)]
        super().__init__(f"{len(candidates)} researchers match {query!r}; pick one:\n" + "\n".join(lines))


def describe(candidate: openalex.AuthorCandidate) -> str:
    parts = [candidate.name, candidate.institution or "no institution listed", f"{candidate.works_count:,} works"]
    if candidate.topics:
        parts.append(", ".join(candidate.topics))
    return f"{' · '.join(parts)} ({candidate.id})"


class SourceService:
    def __init__(
        self,
        settings: Settings,
        research: ResearchService,
        *,
        database: Database | None = None,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.settings = settings
        self.research = research
        self.followed = FollowedResearchers(database or Database(settings.database_file))
        self.checkpoints = Checkpoints(settings.checkpoint_dir)
        self.clock = clock
        self.sources: dict[str, ResearcherSource] = {
            "openalex": OpenAlexSource(self.openalex, self.checkpoints, lambda: self.clock()),
            "arxiv": ArxivSource(self.arxiv, self.checkpoints, lambda: self.clock()),
        }

    # --- clients ---

    def openalex(self) -> openalex.OpenAlexClient:
        settings = self.settings
        return openalex.OpenAlexClient(
            settings.openalex_url,
            mailto=settings.openalex_mailto,
            api_key=settings.openalex_api_key.get_secret_value() if settings.openalex_api_key else None,
            timeout=settings.source_timeout,
            attempts=settings.source_attempts,
            max_wait=settings.source_retry_max_seconds,
            requests_per_second=settings.openalex_requests_per_second,
        )

    def arxiv(self) -> arxiv.ArxivClient:
        settings = self.settings
        return arxiv.ArxivClient(
            settings.arxiv_url,
            interval=settings.arxiv_interval_seconds,
            timeout=settings.source_timeout,
            attempts=settings.source_attempts,
            max_wait=settings.source_retry_max_seconds,
        )

    # --- OpenAlex ---

    async def candidates(self, query: str, limit: int = 10) -> list[openalex.AuthorCandidate]:
        """OpenAlex authors for a name (or the one author of an id / ORCID)."""
        async with self.openalex() as client:
            path = openalex.author_path(query)
            authors = [await client.author(path)] if path else await client.search_authors(query, limit)
        return [openalex.AuthorCandidate.of(author) for author in authors]

    async def add_openalex(
        self, reference: str, *, pick: int | None = None, progress: Progress | None = None
    ) -> FetchReport:
        """Fetch and ingest one OpenAlex author: by id or ORCID, or by name when exactly one author matches or
        `pick` (1-based) chooses among the matches; otherwise `AmbiguousAuthorError` lists them."""
        reference = reference.strip()
        if not reference:
            raise UserFacingError("Give a researcher's name, OpenAlex id (A…) or ORCID.")
        author_id = await self._openalex_author_id(reference, pick)
        return await self._fetch("openalex", author_id, None, progress)

    async def _openalex_author_id(self, reference: str, pick: int | None) -> str:
        if match := openalex.AUTHOR_ID.match(reference):
            return match.group(1).upper()
        candidates = await self.candidates(reference)  # a name, or the one author of an ORCID
        if not candidates:
            raise NoAuthorFoundError(f"OpenAlex has no researcher named {reference!r}.")
        if pick is not None:
            if not 1 <= pick <= len(candidates):
                raise UserFacingError(f"--pick takes 1 to {len(candidates)} for {reference!r}.")
            return candidates[pick - 1].id
        if len(candidates) > 1:
            raise AmbiguousAuthorError(reference, candidates)
        return candidates[0].id

    # --- arXiv ---

    async def add_arxiv(
        self,
        author: str | None = None,
        *,
        ids: list[str] | None = None,
        name: str | None = None,
        progress: Progress | None = None,
    ) -> FetchReport:
        """Fetch and ingest a researcher's arXiv papers: by author query, or by an id list (named `name`, or else
        the one author every listed paper shares)."""
        if ids:
            return await self._fetch("arxiv", IDS_PREFIX + ",".join(i.strip() for i in ids), name, progress)
        if not author or not author.strip():
            raise UserFacingError("Give an author name, or --ids with arXiv ids.")
        return await self._fetch("arxiv", author.strip(), name, progress)

    async def _fetch(self, source: str, reference: str, name: str | None, progress: Progress | None) -> FetchReport:
        fetched = await self.sources[source].fetch(reference, name, progress)
        report = await self._ingest(fetched.parsed, source, reference, fetched.resumed_from)
        self.checkpoints.drop(source, reference)  # ingested: nothing left to resume
        return report

    # --- refresh and remove ---

    async def refresh(self, profile: str | None = None, *, progress: Progress | None = None) -> list[FetchReport]:
        """Fetch again one followed researcher (a profile id or name), or every one when `profile` is None."""
        followed = self.followed.all()
        if profile is not None:
            wanted = profile.casefold()
            followed = [f for f in followed if wanted in (f.profile_id.casefold(), f.name.casefold())]
            if not followed:
                raise UserFacingError(
                    f"{profile!r} is not a researcher fetched from OpenAlex or arXiv; refresh works on those "
                    "(profile files are updated with `research-bot ingest`)."
                )
        return [await self._fetch(f.source, f.reference, f.name, progress) for f in followed]

    def remove(self, profile: str) -> tuple[str, int]:
        """Remove a profile (fetched or from a file) and stop following it: (its name, papers removed)."""
        profile_id = self.research.resolve_profile(profile)
        name = self.research.profile_names().get(profile_id, profile_id)
        removed = self.research.remove_profiles([profile_id])
        self.followed.forget(profile_id)
        return name, removed

    def followed_researchers(self) -> list[FollowedResearcher]:
        return self.followed.all()

    # --- ingest ---

    async def _ingest(self, parsed: ParsedProfile, source: str, reference: str, resumed_from: int) -> FetchReport:
        previous = await asyncio.to_thread(self._latest_snapshot, parsed.profile.id)
        if previous is not None and previous.source != parsed.profile.source:
            raise UserFacingError(
                f"A profile {parsed.profile.id!r} already exists ({origin(previous.source)}), and this is "
                f"{origin(parsed.profile.source)}: two people, or one person from two sources, are never merged. "
                f"Remove it first (`research-bot remove {parsed.profile.id}`) to replace it. Nothing was changed."
            )
        ingest = await asyncio.to_thread(self.research.ingest_parsed, [parsed])
        self.followed.record(parsed.profile.id, parsed.profile.name, source, reference, self.clock())
        return FetchReport(
            profile=parsed.profile.id,
            name=parsed.profile.name,
            source=source,
            reference=reference,
            papers=len(parsed.papers),
            without_abstract=sum(not paper.has_abstract for paper in parsed.papers),
            resumed_from=resumed_from,
            ingest=ingest,
            h_index=parsed.profile.h_index,
            citations=parsed.profile.citations,
            changes=changes(previous, parsed.profile.model_dump()),
        )

    def _latest_snapshot(self, profile_id: str) -> MetricSnapshot | None:
        snapshots = self.research.store.get_snapshots(profile_id)
        return snapshots[-1] if snapshots else None


def origin(source: str | None) -> str:
    return f"from {source}" if source else "from a profile file"


def changes(previous: MetricSnapshot | None, current: dict[str, Any]) -> dict[str, tuple[int | None, int | None]]:
    if previous is None:
        return {}
    before = previous.model_dump()
    return {key: (before[key], current[key]) for key in TRACKED_CHANGES if before[key] != current[key]}
