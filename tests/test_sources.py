"""Researchers from OpenAlex and arXiv: the real clients (aiohttp, tenacity) against the local server of
tests/source_servers.py, ingesting into a real embedded Chroma store."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from pathlib import Path

import pytest

from retrieval.errors import UserFacingError
from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.ingest.profile_format import parse_profile_file
from retrieval.models import Paper, PaperFilter
from retrieval.service import ResearchService
from retrieval.sources.http import SourceError, SourceResponseError, SourceUnavailableError
from retrieval.sources.service import AmbiguousAuthorError, SourceService
from tests.conftest import SEED_PROFILE, service_at
from tests.source_servers import FakeSources, Hang, Raw, Status, arxiv_entry, openalex_author, openalex_work

SEED = parse_profile_file(SEED_PROFILE)
IGOR = "A5000000001"


def seed_works(abstracts: bool = True) -> list[dict]:
    return [openalex_work(n, paper, cited_by=1000 - n, abstract=abstracts) for n, paper in enumerate(SEED.papers)]


def make_services(
    tmp_path: Path, embeddings: MiniLMEmbeddings, sources: FakeSources, **overrides: object
) -> tuple[ResearchService, SourceService]:
    values: dict[str, object] = {
        "openalex_url": sources.openalex_url,
        "arxiv_url": sources.arxiv_url,
        "openalex_mailto": "lab@example.org",
        "source_attempts": 3,
        "source_retry_max_seconds": 0.2,
        "arxiv_interval_seconds": 0.0,
        "source_timeout": 5.0,
    }
    values.update(overrides)
    research = service_at(tmp_path / "chroma", embeddings, **values)
    return research, SourceService(research.settings, research)


@pytest.fixture
def services(tmp_path: Path, embeddings: MiniLMEmbeddings, sources: FakeSources):
    return make_services(tmp_path, embeddings, sources)


def add_igor(sources: FakeSources, **author: object) -> None:
    values = {"works": 67, "citations": 35_895, "h_index": 117, "institution": "Google DeepMind"}
    values.update(author)
    sources.add_openalex(openalex_author(IGOR, "Igor Mordatch", **values), seed_works())  # type: ignore[arg-type]


def papers_of(research: ResearchService, profile: str) -> list[Paper]:
    return research.papers(PaperFilter(profile=profile))


async def test_a_fetched_researcher_is_answered_like_the_same_researcher_from_a_file(
    services, sources: FakeSources, seeded_service: ResearchService
) -> None:
    research, fetcher = services
    add_igor(sources)
    report = await fetcher.add_openalex("Igor Mordatch")
    assert (report.profile, report.papers, report.ingest.added, report.without_abstract) == ("igor-mordatch", 50, 50, 0)
    fetched = {p.title: p for p in papers_of(research, "igor-mordatch")}
    from_file = {p.title: p for p in seeded_service.papers()}
    assert fetched.keys() == from_file.keys()
    for title, paper in fetched.items():
        assert (paper.abstract, paper.date, paper.id) == (
            from_file[title].abstract,
            from_file[title].date,
            from_file[title].id,
        )
        assert paper.cited_by is not None and paper.url and paper.url.startswith("https://doi.org/")
    # OpenAlex topics become the profile format's codes wherever the format has one
    assert {p.category for t, p in fetched.items() if from_file[t].category in {"LG", "RO", "CL", "CV", "MA"}} <= {
        "LG",
        "RO",
        "CL",
        "CV",
        "MA",
    }
    assert sum(fetched[t].category == p.category for t, p in from_file.items()) >= 45
    for question in ("What is VeLO?", "How many evaluation trials did RT-2 use?", "Compare PaLM-E and RT-2"):
        expected = seeded_service.ask(question, profile="igor-mordatch")
        answer = research.ask(question, profile="igor-mordatch")
        assert [c.title for c in answer.citations] == [c.title for c in expected.citations], question
        assert answer.answer == expected.answer
    assert research.summary("VeLO", profile="igor-mordatch").tldr == seeded_service.summary("VeLO").tldr
    metrics = research.metrics("igor-mordatch")
    assert (metrics.h_index, metrics.citations, metrics.papers_claimed, metrics.papers_listed) == (117, 35_895, 67, 50)
    snapshot = research.store.get_snapshots("igor-mordatch")[-1]
    assert snapshot.source == f"openalex:{IGOR}" and snapshot.i10_index == 137
    assert snapshot.citations_by_year == {2024: 35_895 // 3, 2023: 35_895 // 4}
    # the contact email goes with every request, as OpenAlex asks
    assert sources.seen and all(seen.query.get("mailto") == "lab@example.org" for seen in sources.seen)


async def test_works_are_read_page_by_page_with_the_cursor(services, sources: FakeSources) -> None:
    research, fetcher = services
    add_igor(sources)
    await fetcher.add_openalex(IGOR)
    cursors = [seen.query["cursor"] for seen in sources.requests_to("/openalex/works")]
    assert cursors == ["*", "c20", "c40", "c50"]  # 20 per page; the last page comes back empty
    assert len(papers_of(research, "igor-mordatch")) == 50


async def test_an_orcid_finds_the_author_and_the_api_key_goes_with_every_request(
    tmp_path: Path, embeddings, sources: FakeSources
) -> None:
    _research, fetcher = make_services(tmp_path, embeddings, sources, openalex_api_key="lab-key")
    sources.add_openalex(
        openalex_author(IGOR, "Igor Mordatch", works=3, citations=10, h_index=2, orcid="0000-0002-1825-0097"),
        seed_works()[:3],
    )
    report = await fetcher.add_openalex("https://orcid.org/0000-0002-1825-0097")
    assert (report.profile, report.papers) == ("igor-mordatch", 3)
    assert sources.seen and all(seen.query.get("api_key") == "lab-key" for seen in sources.seen)


async def test_a_429_is_retried_after_the_servers_retry_after(tmp_path: Path, embeddings, sources: FakeSources) -> None:
    _research, fetcher = make_services(tmp_path, embeddings, sources, source_retry_max_seconds=5.0)
    add_igor(sources)
    sources.script("/openalex/works", Status(429, {"Retry-After": "1"}))
    report = await fetcher.add_openalex(IGOR)
    assert report.papers == 50
    first, second = sources.requests_to("/openalex/works")[:2]
    assert first.query["cursor"] == second.query["cursor"] == "*"
    assert second.at - first.at >= 0.95


async def test_a_retry_after_longer_than_the_client_waits_fails_at_once(services, sources: FakeSources) -> None:
    _research, fetcher = services
    add_igor(sources)
    sources.script("/openalex/works", Status(429, {"Retry-After": "3600"}))
    with pytest.raises(SourceUnavailableError, match="asks to wait 3,600 s"):
        await fetcher.add_openalex(IGOR)
    assert len(sources.requests_to("/openalex/works")) == 1


async def test_three_500s_give_a_clear_error_and_leave_the_store_as_it_was(services, sources: FakeSources) -> None:
    research, fetcher = services
    research.ingest([SEED_PROFILE])
    before = (research.store.revision(), sorted(p.id for p in research.papers()))
    sources.add_openalex(openalex_author("A7", "Yilun Du", works=3, citations=10, h_index=2), seed_works()[:3])
    sources.script("/openalex/works", Status(500), Status(500), Status(500))
    with pytest.raises(SourceUnavailableError, match=r"OpenAlex did not answer after 3 attempts \(HTTP 500\)"):
        await fetcher.add_openalex("Yilun Du")
    assert (research.store.revision(), sorted(p.id for p in research.papers())) == before
    assert research.profile_ids() == ["igor-mordatch"]


@pytest.mark.parametrize(
    "body, message",
    [
        ("{not json", "not JSON"),
        ('{"meta": {"count": 1}, "results": [{"id": "W1", "cited_by_count": "many"}]}', r"results\.0\.cited_by_count"),
        ('{"results": []}', r"meta"),
    ],
    ids=["not json", "wrong type", "missing field"],
)
async def test_a_malformed_body_is_refused_with_its_reason(services, sources: FakeSources, body, message) -> None:
    research, fetcher = services
    add_igor(sources)
    sources.script("/openalex/works", Raw(body))
    with pytest.raises(SourceResponseError, match=message):
        await fetcher.add_openalex(IGOR)
    assert research.store.is_empty()


async def test_a_request_that_never_answers_times_out(tmp_path: Path, embeddings, sources: FakeSources) -> None:
    research, fetcher = make_services(tmp_path, embeddings, sources, source_timeout=0.5, source_attempts=2)
    add_igor(sources)
    sources.script("/openalex/works", Hang(), Hang())
    with pytest.raises(SourceUnavailableError, match=r"after 2 attempts \(timed out\)"):
        await fetcher.add_openalex(IGOR)
    assert research.store.is_empty()


async def test_an_interrupted_fetch_resumes_from_its_cursor(services, sources: FakeSources) -> None:
    research, fetcher = services
    add_igor(sources)

    # the second page fails three times: the first page stays in the checkpoint, the store stays empty
    async def progress(done: int, total: int | None) -> None:
        if done == 20:  # after the first page: the next three requests (page 2) fail
            sources.script("/openalex/works", Status(503), Status(503), Status(503))

    with pytest.raises(SourceUnavailableError):
        await fetcher.add_openalex(IGOR, progress=progress)
    assert research.store.is_empty()
    sources.seen.clear()
    report = await fetcher.add_openalex(IGOR)
    assert report.resumed_from == 20 and report.papers == 50
    assert [seen.query["cursor"] for seen in sources.requests_to("/openalex/works")] == ["c20", "c40", "c50"]
    assert not any(fetcher.checkpoints.folder.glob("*.json"))  # done: nothing left to resume


async def test_an_author_with_no_works_gets_a_profile_with_metrics_only(services, sources: FakeSources) -> None:
    research, fetcher = services
    sources.add_openalex(openalex_author("A3", "Nova Empty", works=0, citations=0, h_index=0), [])
    report = await fetcher.add_openalex("A3")
    assert (report.papers, report.ingest.snapshots_added) == (0, 1)
    assert "nova-empty" in research.profile_ids()
    assert research.metrics("nova-empty").papers_listed == 0
    answer = research.ask("what does she work on?", profile="nova-empty")
    assert answer.abstained


async def test_a_work_without_an_abstract_is_kept_with_its_title(services, sources: FakeSources) -> None:
    research, fetcher = services
    works = seed_works()[:3]
    works[1]["abstract_inverted_index"] = None
    sources.add_openalex(openalex_author(IGOR, "Igor Mordatch", works=3, citations=10, h_index=2), works)
    report = await fetcher.add_openalex(IGOR)
    assert (report.papers, report.without_abstract) == (3, 1)
    bare = next(p for p in papers_of(research, "igor-mordatch") if p.title == SEED.papers[1].title)
    assert (bare.abstract, bare.has_abstract) == ("", False)
    summary = research.summary(SEED.papers[1].title, profile="igor-mordatch")
    assert "no abstract" in summary.tldr.casefold()


async def test_a_name_two_people_share_lists_both_and_a_pick_chooses(services, sources: FakeSources) -> None:
    research, fetcher = services
    sources.add_openalex(
        openalex_author("A11", "Wei Chen", works=300, citations=9000, h_index=40, institution="Tsinghua University"),
        seed_works()[:2],
    )
    sources.add_openalex(
        openalex_author("A12", "Wei Chen", works=12, citations=80, h_index=5, institution="University of Toronto"),
        seed_works()[2:5],
    )
    with pytest.raises(AmbiguousAuthorError) as raised:
        await fetcher.add_openalex("Wei Chen")
    assert [(c.id, c.institution) for c in raised.value.candidates] == [
        ("A11", "Tsinghua University"),
        ("A12", "University of Toronto"),
    ]
    assert "University of Toronto" in str(raised.value) and research.store.is_empty()
    report = await fetcher.add_openalex("Wei Chen", pick=2)
    assert (report.reference, report.papers) == ("A12", 3)


async def test_a_same_named_profile_from_elsewhere_is_never_merged(services, sources: FakeSources) -> None:
    research, fetcher = services
    research.ingest([SEED_PROFILE])
    before = sorted(p.id for p in research.papers())
    add_igor(sources)
    with pytest.raises(UserFacingError, match="never merged"):
        await fetcher.add_openalex(IGOR)
    assert sorted(p.id for p in research.papers()) == before


async def test_a_refresh_appends_a_snapshot_only_when_a_metric_changed(services, sources: FakeSources) -> None:
    research, fetcher = services
    add_igor(sources)
    now = [dt.datetime(2026, 11, 1, tzinfo=dt.UTC)]
    fetcher.clock = lambda: now[0]
    await fetcher.add_openalex(IGOR)
    now[0] += dt.timedelta(days=7)
    unchanged = await fetcher.refresh("igor-mordatch")
    assert [r.changes for r in unchanged] == [{}]
    assert unchanged[0].ingest.model_dump(include={"added", "updated", "snapshots_added"}) == {
        "added": 0,
        "updated": 0,
        "snapshots_added": 0,
    }
    assert len(research.store.get_snapshots("igor-mordatch")) == 1
    # a week later only citations moved: the total and one paper's count
    add_igor(sources, citations=37_099, h_index=119)
    sources.works[IGOR][0]["cited_by_count"] += 25
    revision = research.store.revision()
    now[0] += dt.timedelta(days=7)
    changed = (await fetcher.refresh())[0]
    assert changed.changes == {"h_index": (117, 119), "citations": (35_895, 37_099), "i10_index": (137, 139)}
    assert (changed.ingest.added, changed.ingest.updated, changed.ingest.snapshots_added) == (0, 1, 1)
    assert [s.citations for s in research.store.get_snapshots("igor-mordatch")] == [35_895, 37_099]
    assert research.store.revision() == revision + 1
    velo = next(p for p in papers_of(research, "igor-mordatch") if p.title.startswith(SEED.papers[0].title[:20]))
    assert velo.cited_by == 1000 + 25
    assert research.ask("What is VeLO?", profile="igor-mordatch").citations[0].title == velo.title


async def test_arxiv_by_author_pages_politely_and_maps_categories(
    tmp_path: Path, embeddings, sources: FakeSources
) -> None:
    research, fetcher = make_services(tmp_path, embeddings, sources, arxiv_interval_seconds=0.2)
    papers = SEED.papers[:5]
    comments = {0: "Code at https://github.com/example/velo.", 2: "ICML 2022"}
    sources.add_arxiv(
        "Igor Mordatch",
        {f"2211.0{n:04d}": arxiv_entry(f"2211.0{n:04d}", p, comments.get(n)) for n, p in enumerate(papers)},
    )
    report = await fetcher.add_arxiv("Igor Mordatch")
    assert report.papers == 5
    starts = [seen.query["start"] for seen in sources.requests_to("/arxiv/api/query")]
    assert starts == ["0", "2", "4"]
    times = [seen.at for seen in sources.requests_to("/arxiv/api/query")]
    assert all(later - earlier >= 0.19 for earlier, later in itertools.pairwise(times))
    stored = {p.title: p for p in papers_of(research, "igor-mordatch")}
    for n, paper in enumerate(papers):
        fetched = stored[paper.title]
        assert (fetched.abstract, fetched.category, fetched.date) == (paper.abstract, paper.category, paper.date)
        assert fetched.has_code == (n == 0)
        assert fetched.url == f"https://arxiv.org/abs/2211.0{n:04d}"
    assert research.store.get_snapshots("igor-mordatch")[-1].h_index is None  # arXiv counts no citations


async def test_arxiv_by_ids_names_the_author_they_share(services, sources: FakeSources) -> None:
    _research, fetcher = services
    papers = next(
        pair
        for pair in itertools.combinations([p for p in SEED.papers if "Yilun Du" in p.authors], 2)
        if set(pair[0].authors) & set(pair[1].authors) == {"Yilun Du"}
    )
    sources.add_arxiv("Yilun Du", {f"2206.0000{n}": arxiv_entry(f"2206.0000{n}", p) for n, p in enumerate(papers)})
    report = await fetcher.add_arxiv(ids=["2206.00000", "2206.00001"])
    assert (report.profile, report.papers) == ("yilun-du", 2)
    with pytest.raises(UserFacingError, match=r"no paper 2206\.09999"):
        await fetcher.add_arxiv(ids=["2206.09999"], name="Yilun Du")


async def test_an_arxiv_error_feed_is_reported_in_arxivs_words(services, sources: FakeSources) -> None:
    _research, fetcher = services
    error = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title>"
        "<summary>incorrect id format for 1234</summary></entry></feed>"
    )
    sources.script("/arxiv/api/query", Raw(error, "application/atom+xml"))
    with pytest.raises(SourceError, match="incorrect id format for 1234"):
        await fetcher.add_arxiv(ids=["1234"], name="Someone")


async def test_remove_takes_the_profile_and_its_snapshots_out(services, sources: FakeSources) -> None:
    research, fetcher = services
    research.ingest([SEED_PROFILE])
    sources.add_openalex(openalex_author("A7", "Yilun Du", works=3, citations=10, h_index=2), seed_works()[:3])
    await fetcher.add_openalex("A7")
    name, removed = fetcher.remove("yilun-du")
    assert (name, removed) == ("Yilun Du", 3)
    assert research.profile_ids() == ["igor-mordatch"]
    assert research.store.get_snapshots("yilun-du") == []
    assert fetcher.followed_researchers() == []
    assert len(research.papers()) == 50


async def test_per_paper_citations_and_the_i10_index_answer_for_a_fetched_profile(
    services, sources: FakeSources, seeded_service: ResearchService
) -> None:
    research, fetcher = services
    add_igor(sources)
    await fetcher.add_openalex(IGOR)
    by_count = sorted(papers_of(research, "igor-mordatch"), key=lambda p: -(p.cited_by or 0))
    metrics = research.metrics("igor-mordatch")
    assert [p.title for p in metrics.most_cited] == [p.title for p in by_count[:10]]
    assert (metrics.i10_index, metrics.source, metrics.citations_by_year) == (
        137,
        f"openalex:{IGOR}",
        {2023: 35_895 // 4, 2024: 35_895 // 3},
    )

    most = research.ask("what are his most cited papers?", profile="igor-mordatch")
    assert (most.intent, most.abstained) == ("metrics", False)
    assert [c.title for c in most.citations] == [p.title for p in by_count[:5]]
    assert f"{by_count[0].cited_by:,} citations" in most.answer
    least = research.ask("which of his papers are the least cited?", profile="igor-mordatch")
    fewest_first = sorted(by_count, key=lambda p: (p.cited_by or 0, p.date))
    assert [c.title for c in least.citations] == [p.title for p in fewest_first[:5]]
    rt2 = next(p for p in by_count if p.title.startswith("RT-2"))
    one = research.ask("How many citations does RT-2 have?", profile="igor-mordatch")
    assert [c.title for c in one.citations] == [rt2.title] and f"{rt2.cited_by:,} citations" in one.answer
    i10 = research.ask("what's his i10-index?", profile="igor-mordatch")
    assert (i10.intent, i10.answer) == ("metrics", "Igor Mordatch's i10-index is 137.")
    link = research.ask("what's the DOI of the RT-2 paper?", profile="igor-mordatch")
    assert [c.title for c in link.citations] == [rt2.title] and rt2.url and rt2.url in link.answer
    # a profile file holds none of these: the answer says what it does hold
    for question in ("what are his most cited papers?", "what's his i10-index?", "what's the DOI of the RT-2 paper?"):
        assert seeded_service.ask(question, profile="igor-mordatch").intent == "not_in_profile"


async def test_the_metrics_chart_adds_citations_per_year_and_the_snapshot_history(
    services, sources: FakeSources, seeded_service: ResearchService
) -> None:
    from PIL import Image

    research, fetcher = services
    add_igor(sources)
    await fetcher.add_openalex(IGOR)
    add_igor(sources, citations=40_000)
    await fetcher.refresh("igor-mordatch")
    fetched = Image.open(io.BytesIO(research.metrics_chart("igor-mordatch")))
    from_file = Image.open(io.BytesIO(seeded_service.metrics_chart("igor-mordatch")))
    assert fetched.format == from_file.format == "PNG"
    assert fetched.height > 1.8 * from_file.height  # a second row: citations per year and the history
