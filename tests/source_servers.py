"""OpenAlex and arXiv played by one aiohttp server on 127.0.0.1, for the sources tests.

The real clients (retrieval/sources/) talk to it over HTTP through RESEARCH_BOT_OPENALEX_URL / ARXIV_URL. The
responses have the documented shapes, kept small: OpenAlex author search, author by id or ORCID, works pages with
a cursor and abstracts as inverted indexes; arXiv's Atom feed with its OpenSearch counts. A test adds researchers,
and may script the next replies of a path (an HTTP error with headers, a malformed body, a reply that hangs).
The server runs its own event loop in a thread, so synchronous code (the CLI in-process) can call it too.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from aiohttp import web

from retrieval.models import Paper
from tests.threaded_server import ThreadedServer

WORKS_PAGE = 20  # the server's default page size, whatever per_page asks: small, so every fetch pages
TOPICS = {  # category → a real OpenAlex topic name and its subfield
    "LG": ("Machine Learning and Algorithms", "Artificial Intelligence"),
    "RO": ("Robot Manipulation and Learning", "Control and Systems Engineering"),
    "CL": ("Natural Language Processing Techniques", "Artificial Intelligence"),
    "CV": ("Advanced Image and Video Retrieval Techniques", "Computer Vision and Pattern Recognition"),
    "MA": ("Multi-Agent Systems and Negotiation", "Artificial Intelligence"),
    "AI": ("Artificial Intelligence in Games", "Artificial Intelligence"),
}


@dataclass
class Status:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Raw:
    """A 200 with exactly this body."""

    body: str
    content_type: str = "application/json"


@dataclass
class Hang:
    """No answer until the client gives up (or the server stops)."""


Reply = Status | Raw | Hang


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    at: float


def inverted_index(text: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for position, word in enumerate(text.split()):
        index[word].append(position)
    return dict(index)


def openalex_work(number: int, paper: Paper, cited_by: int, *, abstract: bool = True) -> dict[str, Any]:
    topic, subfield = TOPICS.get(paper.category, ("Materials Science Applications", "Materials Chemistry"))
    return {
        "id": f"https://openalex.org/W{number}",
        "doi": f"https://doi.org/10.5555/{number}",
        "display_name": paper.title,
        "publication_date": paper.date.isoformat(),
        "publication_year": paper.year,
        "authorships": [
            {
                "author": {"id": f"https://openalex.org/A9{index}", "display_name": name},
                "institutions": [{"id": "https://openalex.org/I1", "display_name": paper.affiliations[0]}]
                if paper.affiliations
                else [],
            }
            for index, name in enumerate(paper.authors)
        ],
        "abstract_inverted_index": inverted_index(paper.abstract) if abstract else None,
        "cited_by_count": cited_by,
        "primary_topic": {
            "id": "https://openalex.org/T1",
            "display_name": topic,
            "subfield": {"id": "https://openalex.org/subfields/1", "display_name": subfield},
            "field": {"id": "https://openalex.org/fields/17", "display_name": "Computer Science"},
        },
    }


def openalex_author(
    author_id: str,
    name: str,
    *,
    works: int,
    citations: int,
    h_index: int,
    institution: str = "Example University",
    orcid: str | None = None,
    topics: tuple[str, ...] = ("Reinforcement Learning in Robotics",),
) -> dict[str, Any]:
    return {
        "id": f"https://openalex.org/{author_id}",
        "orcid": f"https://orcid.org/{orcid}" if orcid else None,
        "display_name": name,
        "works_count": works,
        "cited_by_count": citations,
        "summary_stats": {"2yr_mean_citedness": 3.5, "h_index": h_index, "i10_index": h_index + 20},
        "counts_by_year": [
            {"year": 2024, "works_count": 5, "cited_by_count": citations // 3},
            {"year": 2023, "works_count": 9, "cited_by_count": citations // 4},
        ],
        "last_known_institutions": [{"id": "https://openalex.org/I1", "display_name": institution}],
        "topics": [{"id": "https://openalex.org/T1", "display_name": topic, "count": 10} for topic in topics],
    }


def arxiv_entry(arxiv_id: str, paper: Paper, comment: str | None = None) -> str:
    authors = "".join(f"<author><name>{escape(name)}</name></author>" for name in paper.authors)
    published = dt.datetime.combine(paper.date, dt.time(17, 0)).isoformat() + "Z"
    comment_xml = f"<arxiv:comment>{escape(comment)}</arxiv:comment>" if comment else ""
    category = {"MES-HALL": "cond-mat.mes-hall", "MTRL-SCI": "cond-mat.mtrl-sci"}.get(
        paper.category, f"cs.{paper.category}"
    )
    return (
        f"<entry><id>http://arxiv.org/abs/{arxiv_id}v1</id><updated>{published}</updated>"
        f"<published>{published}</published><title>{escape(paper.title)}</title>"
        f"<summary>  {escape(paper.abstract)}\n</summary>{authors}{comment_xml}"
        f'<link href="http://arxiv.org/abs/{arxiv_id}v1" rel="alternate" type="text/html"/>'
        f"<arxiv:primary_category term={quoteattr(category)} scheme='http://arxiv.org/schemas/atom'/>"
        f"<category term={quoteattr(category)} scheme='http://arxiv.org/schemas/atom'/></entry>"
    )


def arxiv_feed(entries: list[str], total: int, start: int) -> str:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">'
        "<id>https://arxiv.org/api/x</id><title>arXiv Query</title><updated>2026-11-26T00:00:00Z</updated>"
        f"<opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>"
        f"<opensearch:totalResults>{total}</opensearch:totalResults>"
        f"<opensearch:startIndex>{start}</opensearch:startIndex>" + "".join(entries) + "</feed>"
    )


class FakeSources(ThreadedServer):
    name = "fake source server"

    def __init__(self) -> None:
        super().__init__()
        self.authors: dict[str, dict[str, Any]] = {}  # short id → author object
        self.works: dict[str, list[dict[str, Any]]] = {}  # short author id → works
        self.arxiv: dict[str, list[str]] = {}  # author name → entry XML, newest first
        self.arxiv_by_id: dict[str, str] = {}
        self.arxiv_page = 2  # entries per arXiv page
        self.works_page = WORKS_PAGE
        self.scripts: dict[str, list[Reply]] = defaultdict(list)
        self.seen: list[Seen] = []

    # --- test side ---

    @property
    def openalex_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/openalex"

    @property
    def arxiv_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/arxiv/api"

    def add_openalex(self, author: dict[str, Any], works: list[dict[str, Any]]) -> None:
        short = author["id"].rsplit("/", 1)[1]
        self.authors[short] = author
        self.works[short] = works

    def add_arxiv(self, name: str, entries: dict[str, str]) -> None:
        """`entries`: arXiv id → entry XML."""
        self.arxiv[name] = list(entries.values())
        self.arxiv_by_id.update(entries)

    def script(self, path: str, *replies: Reply) -> None:
        """The next requests to `path` (e.g. "/openalex/works") get these replies, then the normal ones."""
        self.scripts[path].extend(replies)

    def requests_to(self, path: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path == path]

    def reset(self) -> None:
        """No researchers, no scripted replies, no requests seen."""
        for state in (self.authors, self.works, self.arxiv, self.arxiv_by_id, self.scripts):
            state.clear()
        self.seen.clear()

    # --- server side ---

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._scripted])
        app.router.add_get("/openalex/authors", self._author_search)
        app.router.add_get("/openalex/authors/{ref}", self._author)
        app.router.add_get("/openalex/works", self._works)
        app.router.add_get("/arxiv/api/query", self._arxiv_query)
        return app

    @web.middleware
    async def _scripted(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.seen.append(Seen(request.path, dict(request.query), time.monotonic()))
        script = self.scripts.get(request.path)
        if not script:
            return await handler(request)
        reply = script.pop(0)
        if isinstance(reply, Status):
            return web.json_response(
                {"error": "scripted", "message": "scripted"}, status=reply.status, headers=reply.headers
            )
        if isinstance(reply, Raw):
            return web.Response(text=reply.body, content_type=reply.content_type)
        await self.release.wait()
        return web.Response(status=503)

    async def _author_search(self, request: web.Request) -> web.Response:
        wanted = request.query.get("search", "").casefold()
        found = [a for a in self.authors.values() if wanted and wanted in a["display_name"].casefold()]
        return web.json_response({"meta": {"count": len(found), "per_page": 25, "page": 1}, "results": found})

    async def _author(self, request: web.Request) -> web.Response:
        ref = request.match_info["ref"]
        if ref.startswith("orcid:"):
            orcid = ref.removeprefix("orcid:")
            found = [a for a in self.authors.values() if (a.get("orcid") or "").endswith(orcid)]
        else:
            found = [self.authors[ref]] if ref in self.authors else []
        if not found:
            return web.json_response({"error": "Not Found", "message": f"{ref} not found"}, status=404)
        return web.json_response(found[0])

    async def _works(self, request: web.Request) -> web.Response:
        author = request.query.get("filter", "").removeprefix("author.id:")
        works = self.works.get(author, [])
        cursor = request.query.get("cursor", "*")
        start = 0 if cursor == "*" else int(cursor.removeprefix("c"))
        page = works[start : start + self.works_page]
        following = start + len(page)
        next_cursor = f"c{following}" if page else None  # like OpenAlex: a cursor until a page comes back empty
        meta = {"count": len(works), "per_page": self.works_page, "next_cursor": next_cursor}
        return web.json_response({"meta": meta, "results": page})

    async def _arxiv_query(self, request: web.Request) -> web.Response:
        start = int(request.query.get("start", "0"))
        if "id_list" in request.query:
            ids = request.query["id_list"].split(",")
            entries = [self.arxiv_by_id[i] for i in ids if i in self.arxiv_by_id]
            return web.Response(text=arxiv_feed(entries, len(entries), 0), content_type="application/atom+xml")
        query = request.query.get("search_query", "")
        name = query.removeprefix("au:").strip('"')
        entries = self.arxiv.get(name, [])
        page = entries[start : start + self.arxiv_page]
        return web.Response(text=arxiv_feed(page, len(entries), start), content_type="application/atom+xml")


@pytest.fixture(scope="module")
def sources_server() -> Iterator[FakeSources]:
    server = FakeSources()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sources(sources_server: FakeSources) -> FakeSources:
    """The module's source server, with no researchers and no scripted replies."""
    sources_server.reset()
    return sources_server
