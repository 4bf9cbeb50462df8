"""OpenAlex (https://docs.openalex.org): authors by search, id or ORCID; their works by cursor paging.

Field names follow the API's author and work objects. Each response is validated by the models below: a missing
required field or a wrong type is a `SourceResponseError`, fields not modelled here are ignored. `mailto` and
`api_key` go with every request, as OpenAlex asks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator

from pydantic import BaseModel, Field

from retrieval.sources.http import HttpSource

PER_PAGE = 100  # works per page (the API's maximum for cursor paging)
AUTHOR_ID = re.compile(r"^(?:https?://openalex\.org/)?(A\d+)$", re.IGNORECASE)
ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.IGNORECASE)
WORK_FIELDS = (
    "id,doi,display_name,publication_date,publication_year,authorships,abstract_inverted_index,cited_by_count,"
    "primary_topic,primary_location"
)


class Named(BaseModel):
    id: str | None = None
    display_name: str


class Institution(Named):
    pass


class Topic(Named):
    count: int | None = None
    subfield: Named | None = None
    field: Named | None = None


class SummaryStats(BaseModel):
    h_index: int | None = None
    i10_index: int | None = None


class YearCounts(BaseModel):
    year: int
    works_count: int = 0
    cited_by_count: int = 0


class Author(BaseModel):
    id: str
    display_name: str
    orcid: str | None = None
    works_count: int
    cited_by_count: int
    summary_stats: SummaryStats | None = None
    counts_by_year: list[YearCounts] = []
    last_known_institutions: list[Institution] | None = None
    topics: list[Topic] | None = None

    @property
    def short_id(self) -> str:
        return self.id.rsplit("/", 1)[-1]


class Meta(BaseModel):
    count: int
    next_cursor: str | None = None


class AuthorList(BaseModel):
    meta: Meta
    results: list[Author]


class Authorship(BaseModel):
    author: Named
    institutions: list[Institution] = []


class Location(BaseModel):
    landing_page_url: str | None = None


class Work(BaseModel):
    id: str
    doi: str | None = None
    display_name: str | None = None
    publication_date: dt.date | None = None
    publication_year: int | None = None
    authorships: list[Authorship] = []
    abstract_inverted_index: dict[str, list[int]] | None = None
    cited_by_count: int = 0
    primary_topic: Topic | None = None
    primary_location: Location | None = None

    @property
    def abstract(self) -> str:
        """The abstract rebuilt from its inverted index (word → positions); empty when the work has none."""
        if not self.abstract_inverted_index:
            return ""
        positions = {at: word for word, ats in self.abstract_inverted_index.items() for at in ats}
        return " ".join(positions[at] for at in sorted(positions))


class WorksPage(BaseModel):
    meta: Meta
    results: list[Work]


class AuthorCandidate(BaseModel):
    """What a user needs to tell two people of one name apart."""

    source: str = "openalex"
    id: str
    name: str
    institution: str | None
    works_count: int
    cited_by_count: int
    topics: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, author: Author) -> AuthorCandidate:
        institutions = author.last_known_institutions or []
        return cls(
            id=author.short_id,
            name=author.display_name,
            institution=institutions[0].display_name if institutions else None,
            works_count=author.works_count,
            cited_by_count=author.cited_by_count,
            topics=[topic.display_name for topic in (author.topics or [])[:3]],
        )


def author_path(reference: str) -> str | None:
    """The API path of an author given by OpenAlex id (or its URL) or ORCID; None for a name to search."""
    reference = reference.strip()
    if match := AUTHOR_ID.match(reference):
        return f"/authors/{match.group(1).upper()}"
    if match := ORCID.match(reference):
        return f"/authors/orcid:{match.group(1).upper()}"
    return None


class OpenAlexClient(HttpSource):
    name = "OpenAlex"

    def __init__(
        self,
        base_url: str,
        *,
        mailto: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
        attempts: int = 4,
        max_wait: float = 60.0,
        requests_per_second: float = 5.0,
    ) -> None:
        params = {key: value for key, value in (("mailto", mailto), ("api_key", api_key)) if value}
        super().__init__(
            base_url,
            timeout=timeout,
            attempts=attempts,
            max_wait=max_wait,
            requests_per_second=requests_per_second,
            concurrency=2,
            params=params,
        )

    async def search_authors(self, name: str, limit: int = 10) -> list[Author]:
        data = await self.get_json("/authors", {"search": name, "per_page": limit})
        return self.parse(AuthorList, data, "an author search").results

    async def author(self, path: str) -> Author:
        return self.parse(Author, await self.get_json(path), "an author")

    async def works(self, author_id: str, cursor: str = "*") -> AsyncIterator[WorksPage]:
        """The author's works, a page at a time from `cursor` ("*" is the start); each page's `meta.next_cursor`
        resumes after it. Ends when a page has no next cursor or no results."""
        while cursor:
            params = {"filter": f"author.id:{author_id}", "per_page": PER_PAGE, "cursor": cursor, "select": WORK_FIELDS}
            page: WorksPage = self.parse(WorksPage, await self.get_json("/works", params), "a page of works")
            yield page
            if not page.results:
                return
            cursor = page.meta.next_cursor or ""
