"""Typed results that cross every boundary: parser → store → services → CLI / bot."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field


class Profile(BaseModel):
    """A researcher's header: the metrics the profile page claims."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable slug of the name, e.g. 'igor-mordatch'.")
    name: str
    category: str | None = None
    h_index: int | None = None
    citations: int | None = None
    papers_claimed: int | None = Field(None, description="The paper count the header states.")
    novelty: int | None = Field(None, description="Percent, 56 for 'Novelty56%'.")
    ai_score: int | None = None
    i10_index: int | None = Field(None, description="Papers with at least 10 citations (OpenAlex).")
    citations_by_year: dict[int, int] = Field(
        default_factory=dict, description="Citations received each year (OpenAlex's counts_by_year)."
    )
    source: str | None = Field(None, description="Where a fetched profile came from: 'openalex:A…' or 'arxiv:…'.")

    def header_fingerprint(self) -> str:
        """Changes exactly when a header value changes; decides whether a new snapshot is due. Unset fields are
        left out, so a field added to the model does not change the fingerprint of profiles that lack it."""
        return hashlib.sha1(self.model_dump_json(exclude_defaults=True).encode()).hexdigest()[:16]


class Paper(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    date: dt.date
    year: int
    category: str
    has_code: bool
    authors: list[str]
    et_al: bool = Field(description="The listed authors are the first few; the page says 'et al.'.")
    affiliations: list[str]
    abstract: str = Field(description="Empty when the source has none (the title stands in for it).")
    profile: str = Field(description="Profile id this paper was listed under.")
    cited_by: int | None = Field(None, description="Citations of this paper, when a source counts them.")
    url: str | None = Field(None, description="The paper's page (DOI, arXiv or OpenAlex), when a source gives one.")

    # cited_by and url change without the text changing: a paper whose only change is there keeps its vectors
    VOLATILE_FIELDS: ClassVar[frozenset[str]] = frozenset({"cited_by", "url"})

    def content_fingerprint(self) -> str:
        """Changes exactly when something embedded or quoted changes (so the paper is embedded again)."""
        return hashlib.sha1(self.model_dump_json(exclude=set(self.VOLATILE_FIELDS)).encode()).hexdigest()[:16]

    @property
    def has_abstract(self) -> bool:
        return bool(self.abstract.strip())


class ParsedProfile(BaseModel):
    """One profile file, fully parsed and validated before anything touches the store."""

    source: str
    profile: Profile
    papers: list[Paper]


class MetricSnapshot(BaseModel):
    """The header values as seen at one ingest; a new one is stored only when they change."""

    profile: str
    taken_at: dt.datetime
    name: str
    category: str | None = None
    h_index: int | None = None
    citations: int | None = None
    papers_claimed: int | None = None
    novelty: int | None = None
    ai_score: int | None = None
    i10_index: int | None = None
    citations_by_year: dict[int, int] = Field(default_factory=dict)
    source: str | None = None
    papers_listed: int


class IngestReport(BaseModel):
    files: list[str] = []
    profiles: list[str] = []
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    snapshots_added: int = 0
    rebuilt: bool = False


class ProfileSummary(BaseModel):
    id: str
    name: str
    category: str | None
    papers_listed: int
    papers_claimed: int | None
    last_snapshot: dt.datetime | None
    source: str | None = Field(None, description="'openalex:A…' or 'arxiv:…' for a fetched profile; None for a file.")


class SnapshotDelta(BaseModel):
    """A snapshot with the change of each metric since the one before it."""

    taken_at: dt.datetime
    h_index: int | None
    citations: int | None
    papers_claimed: int | None
    novelty: int | None
    ai_score: int | None
    i10_index: int | None = None
    papers_listed: int
    change: dict[str, int] = Field(default_factory=dict, description="Metric → delta vs previous snapshot.")


class CitedPaper(BaseModel):
    id: str
    title: str
    year: int
    cited_by: int


class MetricsReport(BaseModel):
    profile: str
    name: str
    category: str | None
    h_index: int | None
    citations: int | None
    papers_claimed: int | None
    papers_listed: int
    novelty: int | None
    ai_score: int | None
    by_year: dict[int, int]
    by_category: dict[str, int]
    with_code: int
    with_code_share: float
    affiliations: dict[str, int]
    top_coauthors: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None
    first_paper: str | None = None
    last_paper: str | None = None
    snapshots: list[SnapshotDelta]
    i10_index: int | None = None
    citations_by_year: dict[int, int] = Field(
        default_factory=dict, description="Citations received each year, as the source counts them (OpenAlex)."
    )
    most_cited: list[CitedPaper] = Field(
        default_factory=list, description="The most cited listed papers, when a source counts per-paper citations."
    )
    source: str | None = Field(None, description="'openalex:A…' or 'arxiv:…' for a fetched profile; None for a file.")


class PaperFilter(BaseModel):
    """Filters shared by `papers`, `search` and `ask`."""

    profile: str | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    date_from: dt.date | None = Field(None, description="Published on or after ('after RT-1 came out').")
    date_to: dt.date | None = Field(None, description="Published on or before ('by the end of May 2023').")
    category: str | None = None
    author: str | None = None
    first_author: str | None = Field(None, description="The paper's first author ('where Shuang Li is first author').")
    also_author: str | None = Field(
        None, description="A second co-author on the same paper ('both Yilun Du and Shuang Li')."
    )
    author_position: int | None = Field(
        None, description="Where `author` stands among the listed authors, from 1 ('where he is the second author')."
    )
    has_code: bool | None = None
    title_has: list[str] | None = Field(
        None, description="Phrases the title holds one of ('with \"Language Models\" in the title')."
    )
    mentions: list[str] | None = Field(
        None, description="Words the title or abstract uses one of ('papers that mention MuJoCo')."
    )


class SearchHit(BaseModel):
    paper: Paper
    score: float
    rank: int


class Citation(BaseModel):
    n: int
    id: str
    title: str
    year: int
    authors: list[str]
    researcher: str | None = Field(None, description="Whose profile lists the paper; set when asking every profile.")


Route = Literal["papers", "metrics", "authors"]


class Answer(BaseModel):
    question: str
    answer: str
    abstained: bool
    route: Route
    citations: list[Citation] = []
    suggestions: list[Citation] = Field(default_factory=list, description="Nearest papers when abstaining.")
    warnings: list[str] = Field(default_factory=list, description="e.g. sentences of an LLM answer that were removed.")
    intent: str | None = Field(None, description="What the question asked for (retrieval.answers.plan.Intent).")
    plan: dict[str, Any] | None = Field(None, description="The query plan: filters, named papers, topic, metrics.")
    generated_by: Literal["extractive", "metadata", "llm"] = Field(
        "extractive", description="Abstract sentences quoted, metadata looked up, or an LLM's checked answer."
    )

    @property
    def needs_source_list(self) -> bool:
        """Quoted answers cite by number; listings, overviews and metric answers already name every paper, but not
        whose it is when the question spanned every profile."""
        attributed = any(citation.researcher for citation in self.citations)
        return bool(self.citations) and (
            attributed or (self.route == "papers" and self.intent in (None, "lookup", "definition", "comparison"))
        )


class Summary(BaseModel):
    paper: Paper
    tldr: str
    key_points: list[str]
    results: list[str]
