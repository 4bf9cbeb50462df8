"""arXiv's Atom API (https://info.arxiv.org/help/api/user-manual.html): papers by author query or by id list.

One request every `arxiv_interval_seconds` (3 s, as arXiv asks) and one at a time. The feed is parsed with the
standard library's ElementTree (expat refuses entity expansion attacks) into the models below; a feed without its
OpenSearch counts, or an entry without id, title, date or category, is a `SourceResponseError`. arXiv reports a bad
query as a feed whose one entry is an error: that becomes a `SourceError` with arXiv's own message.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import AsyncIterator

from pydantic import BaseModel

from retrieval.sources.http import UNCHANGED, HttpSource, SourceError, SourceResponseError

PER_PAGE = 100
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
ID_IN_URL = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v\d+)?$")
CODE_LINK = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)/\S+[\w/]", re.IGNORECASE)


class ArxivAuthor(BaseModel):
    name: str
    affiliations: list[str] = []


class Entry(BaseModel):
    arxiv_id: str
    title: str
    summary: str
    published: dt.datetime
    authors: list[ArxivAuthor]
    primary_category: str
    comment: str | None = None
    doi: str | None = None

    @property
    def code_link(self) -> str | None:
        """A repository link the authors put in the comments ("Code at github.com/…"), if any."""
        match = CODE_LINK.search(self.comment or "")
        return match.group(0) if match else None


class Feed(BaseModel):
    total_results: int
    start_index: int
    entries: list[Entry]


def squash(text: str | None) -> str:
    """arXiv wraps titles and abstracts at ~80 columns: one line, single spaces."""
    return " ".join((text or "").split())


def parse_feed(xml: str) -> Feed:
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        raise SourceResponseError(f"arXiv sent a feed that is not valid XML ({error}). {UNCHANGED}") from error
    if root.tag != f"{{{NS['atom']}}}feed":
        raise SourceResponseError(f"arXiv sent something other than an Atom feed ({root.tag}). {UNCHANGED}")
    entries = root.findall("atom:entry", NS)
    for entry in entries:
        if "/api/errors" in (entry.findtext("atom:id", "", NS)):
            raise SourceError(f"arXiv refused the query: {squash(entry.findtext('atom:summary', '', NS))}")
    try:
        return Feed(
            total_results=int(root.findtext("opensearch:totalResults", "", NS)),
            start_index=int(root.findtext("opensearch:startIndex", "", NS)),
            entries=[parse_entry(entry) for entry in entries],
        )
    except (ValueError, TypeError) as error:  # pydantic's ValidationError is a ValueError
        raise SourceResponseError(f"arXiv sent a feed of an unexpected shape ({error}). {UNCHANGED}") from error


def parse_entry(entry: ElementTree.Element) -> Entry:
    url = entry.findtext("atom:id", "", NS)
    match = ID_IN_URL.search(url)
    if not match:
        raise ValueError(f"an entry id that is not an arXiv abstract URL: {url!r}")
    primary = entry.find("arxiv:primary_category", NS)
    return Entry(
        arxiv_id=match.group("id"),
        title=squash(entry.findtext("atom:title", None, NS)) or None,  # type: ignore[arg-type]
        summary=squash(entry.findtext("atom:summary", "", NS)),
        published=entry.findtext("atom:published", None, NS),  # type: ignore[arg-type]
        authors=[
            ArxivAuthor(
                name=squash(author.findtext("atom:name", "", NS)),
                affiliations=[squash(a.text) for a in author.findall("arxiv:affiliation", NS) if a.text],
            )
            for author in entry.findall("atom:author", NS)
        ],
        primary_category=primary.get("term") if primary is not None else None,  # type: ignore[arg-type]
        comment=squash(entry.findtext("arxiv:comment", "", NS)) or None,
        doi=squash(entry.findtext("arxiv:doi", "", NS)) or None,
    )


class ArxivClient(HttpSource):
    name = "arXiv"

    def __init__(
        self,
        base_url: str,
        *,
        interval: float = 3.0,
        timeout: float = 30.0,
        attempts: int = 4,
        max_wait: float = 60.0,
    ) -> None:
        super().__init__(
            base_url,
            timeout=timeout,
            attempts=attempts,
            max_wait=max_wait,
            requests_per_second=1 / interval if interval > 0 else 0,
            concurrency=1,
        )

    async def feed(self, params: dict[str, str | int]) -> Feed:
        return parse_feed(await self.get_text("/query", params))

    async def by_author(self, name: str, start: int = 0) -> AsyncIterator[Feed]:
        """The author's papers, newest first, a page at a time from `start`."""
        query = f'au:"{name}"'
        while True:
            page = await self.feed(
                {
                    "search_query": query,
                    "start": start,
                    "max_results": PER_PAGE,
                    "sortBy": "submittedDate",
                    "sortOrder": "descending",
                }
            )
            yield page
            start += len(page.entries)
            if not page.entries or start >= page.total_results:
                return

    async def by_ids(self, ids: list[str]) -> list[Entry]:
        entries: list[Entry] = []
        for offset in range(0, len(ids), PER_PAGE):
            chunk = ids[offset : offset + PER_PAGE]
            page = await self.feed({"id_list": ",".join(chunk), "max_results": len(chunk)})
            entries.extend(page.entries)
        return entries
