"""Discord's limits, tested at the limits.

Every renderer gets results made long on purpose (a 10,000-character answer, 50 and 300 citations, 300-paper
listings, long summaries, titles and author lists, unicode) and must return messages that break no limit and lose
nothing: each sentence, title or count appears in what would be sent, or an "…and N more" line accounts for exactly
what is missing. End to end, the real bot answers over a 200-paper profile through the local Discord server, which
refuses an over-limit payload with Discord's 400, and the tests read back what the server received.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
import pytest_asyncio
from hypothesis import given
from hypothesis import strategies as st

from bot.chat_formatting import (
    CONTINUED,
    EMBED_TOTAL_LIMIT,
    EmbedField,
    build_messages,
    cap_lines,
    limit_violations,
    pagify,
    paginate,
)
from bot.formatting import (
    ANSWER_TEXT_CHARS,
    escape_user_text,
    render_answer,
    render_error_embed,
    render_metrics,
    render_paper_pages,
    render_profile_pages,
    render_similar,
    render_summary,
    source_line,
)
from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.models import (
    Answer,
    Citation,
    MetricsReport,
    Paper,
    ProfileSummary,
    SearchHit,
    SnapshotDelta,
    Summary,
)
from retrieval.service import ResearchService
from tests.bot_fixtures import SettingsFactory, buttons, creates_message, footer, running_bot
from tests.conftest import service_at
from tests.discord_server import API_PREFIX, DiscordServer

pytest_plugins = ["tests.bot_fixtures"]

UNICODE = "Über Roboter — 機械学習 🤖 déjà vu e\u0301"  # accents, CJK, an astral emoji, a combining mark
MORE = re.compile(r"…and ([\d,]+) more (\w+?)s?\b")


# --- reading rendered messages ------------------------------------------------------------------------------


def flat(text: str) -> str:
    """Whitespace-insensitive: a split drops the whitespace at the cut."""
    return " ".join(text.split())


def embed_dicts(message: Sequence[discord.Embed | dict[str, Any]]) -> list[dict[str, Any]]:
    return [embed.to_dict() if isinstance(embed, discord.Embed) else embed for embed in message]


def descriptions(messages: Sequence[Sequence[Any]]) -> str:
    return "\n".join(embed.get("description", "") for message in messages for embed in embed_dicts(message))


def field_text(messages: Sequence[Sequence[Any]], name: str) -> str:
    """A field's value, its "(cont.)" continuations appended, across embeds and messages."""
    return "\n".join(
        field["value"]
        for message in messages
        for embed in embed_dicts(message)
        for field in embed.get("fields", [])
        if field["name"] in (name, name + CONTINUED)
    )


def everything(messages: Sequence[Sequence[Any]]) -> str:
    return flat(
        "\n".join(
            "\n".join([embed.get("description", ""), *(f["value"] for f in embed.get("fields", []))])
            for message in messages
            for embed in embed_dicts(message)
        )
    )


def assert_within_limits(messages: Sequence[Sequence[Any]]) -> None:
    assert messages
    for message in messages:
        assert message, "an empty message"
        assert limit_violations(message) == []


def left_out(text: str, noun: str) -> int:
    """N of the "…and N more <noun>s" line (0 when there is none)."""
    counts = [int(count.replace(",", "")) for count, found in MORE.findall(text) if found == noun]
    assert len(counts) <= 1, counts
    return counts[0] if counts else 0


# --- building results -------------------------------------------------------------------------------------------


def paper(number: int, *, title: str | None = None, authors: int = 3, profile: str = "p") -> Paper:
    date = dt.date(2000, 1, 1) + dt.timedelta(days=37 * number)
    return Paper(
        id=f"{profile}:{number:06d}",
        title=title or f"Paper {number} on {UNICODE}",
        date=date,
        year=date.year,
        category="RO",
        has_code=number % 3 == 0,
        authors=[f"Author {number}-{k} {UNICODE[:5]}" for k in range(authors)],
        et_al=False,
        affiliations=[f"Institute {number}"],
        abstract="An abstract.",
        profile=profile,
    )


def citation(number: int, title: str | None = None) -> Citation:
    return Citation(n=number, id=f"p:{number}", title=title or f"Cited paper {number} {UNICODE}", year=2020,
                    authors=["Ada Lovelace", "Alan Turing", "Grace Hopper"])  # fmt: skip


def sentences(count: int, start: int = 0) -> list[str]:
    """Distinct sentences of varied length, each naming its number."""
    return [
        f"Sentence {n} says {UNICODE} " + "and more " * (n % 17) + f"ends here {n}."
        for n in range(start, start + count)
    ]


def ten_thousand_characters() -> str:
    """A 10,000-character answer: short paragraphs between paragraphs longer than an embed's description."""
    all_sentences = iter(sentences(1000))
    paragraphs = [" ".join(next(all_sentences) for _ in range(3 if n % 2 else 45)) for n in range(4)]
    text = "\n".join(paragraphs)
    assert len(text) > 10_000 and max(map(len, paragraphs)) > 4096
    return text[: text.rindex(".", 0, 10_000) + 1]


# --- the helpers --------------------------------------------------------------------------------------------


TEXT = st.lists(st.sampled_from([*"abcdé 機🤖.!?\n\t", "word ", "end. ", "\n\n"]), max_size=300).map("".join)


@given(text=TEXT, limit=st.integers(min_value=8, max_value=200))
def test_pagify_loses_nothing_and_cuts_between_words(text: str, limit: int) -> None:
    pieces = pagify(text, limit)
    assert all(0 < len(piece) <= limit for piece in pieces)
    assert "".join("".join(piece.split()) for piece in pieces) == "".join(text.split())
    position = 0
    stripped = text.strip()
    for piece in pieces[:-1]:
        position = stripped.index(piece, position) + len(piece)
        # a cut lands on whitespace, unless a word fills more than half the room
        assert stripped[position].isspace() or len(piece) == limit


def test_pagify_prefers_lines_then_sentences_then_words() -> None:
    text = "first line is here\nsecond line. It has two sentences and then some words"
    assert pagify(text, 36) == ["first line is here", "second line. It has two sentences", "and then some words"]
    # a boundary in the first half of the room would leave a sliver: a weaker one further on is taken instead
    assert pagify(text, 40) == ["first line is here\nsecond line.", "It has two sentences and then some words"]
    assert pagify("One sentence here. Another one follows on.", 30) == ["One sentence here.", "Another one follows on."]
    assert pagify("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]  # no boundary: a hard cut, nothing lost


@given(
    lines=st.lists(st.text(alphabet="ab 🤖[]12", min_size=0, max_size=40), max_size=80),
    budget=st.integers(min_value=30, max_value=2000),
)
def test_cap_lines_counts_exactly_what_it_leaves_out(lines: list[str], budget: int) -> None:
    text = cap_lines(lines, budget, lambda count: f"…and {count} more lines")
    assert len(text) <= budget
    if text != "\n".join(lines):
        *shown, note = text.split("\n")
        assert shown == lines[: len(shown)]  # whole lines, from the start
        assert len(shown) + left_out(note, "line") == len(lines)


def test_paginate_keeps_entries_whole_and_in_order() -> None:
    entries = [f"entry {n}" for n in range(20)] + [f"entry {n} " + "words " * 100 * (n - 19) for n in range(20, 23)]
    pages = paginate(entries, per_page=8, page_chars=1000, separator="\n\n")
    assert all(len(page) <= 1000 for page in pages)
    assert flat(" ".join(pages)) == flat(" ".join(entries))  # all of them, in order
    # eight a page; the 600-character entry still fits the third; 1,200 and 1,800 characters take two pages each
    assert [page.count("entry ") for page in pages] == [8, 8, 5, 1, 0, 1, 0]


def test_build_messages_packs_fields_into_embeds_and_messages() -> None:
    fields = [EmbedField(f"Field {n}", f"value {n} " + "x" * 300) for n in range(60)]
    messages = build_messages("Sixty fields", "A description.", fields, footer="the footer")
    assert_within_limits(messages)
    shown = [field["name"] for message in messages for embed in embed_dicts(message) for field in embed["fields"]]
    assert shown == [field.name for field in fields]  # all of them, in order, none split (each fits a field)
    assert all(sum(len(embed) for embed in message) > EMBED_TOTAL_LIMIT - 400 for message in messages[:-1])
    assert [embed.footer.text for message in messages for embed in message if embed.footer.text] == ["the footer"]
    assert [message[0].title for message in messages[1:]] == ["Sixty fields (cont.)"] * (len(messages) - 1)


def test_build_messages_splits_a_field_longer_than_a_field() -> None:
    value = "\n".join(f"• line {n} of a long list {UNICODE}" for n in range(300))
    messages = build_messages("Title", "", [EmbedField("Results", value), EmbedField("After", "still here")])
    assert_within_limits(messages)
    assert flat(field_text(messages, "Results")) == flat(value)  # every line, in order
    assert field_text(messages, "After") == "still here"


def test_a_message_holds_at_most_ten_embeds() -> None:
    fields = [EmbedField(f"F{n}", "v") for n in range(25 * 12)]  # 12 embeds' worth of tiny fields
    messages = build_messages("Many", fields=fields)
    assert_within_limits(messages)
    assert [len(message) for message in messages] == [10, 2]


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ({"content": "x" * 2001, "embeds": []}, "content: 2001 > 2000"),
        ({"embeds": [{"title": "t" * 257}]}, "embeds[0].title: 257 > 256"),
        ({"embeds": [{"description": "d" * 4097}]}, "embeds[0].description: 4097 > 4096"),
        ({"embeds": [{"fields": [{"name": "n" * 257, "value": "v"}]}]}, "fields[0].name: 257 > 256"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "fields[0].value: 1025 > 1024"),
        ({"embeds": [{"fields": [{"name": "n", "value": ""}]}]}, "fields[0]: an empty name or value"),
        ({"embeds": [{"footer": {"text": "f" * 2049}}]}, "footer.text: 2049 > 2048"),
        ({"embeds": [{"author": {"name": "a" * 257}}]}, "author.name: 257 > 256"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, "26 fields > 25"),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "6001 characters in all > 6000"),
        ({"embeds": [{"title": "t"}] * 11}, "11 embeds > 10"),
    ],
)
def test_limit_violations_names_each_broken_limit(message: dict[str, Any], problem: str) -> None:
    problems = limit_violations(message["embeds"], message.get("content"))
    assert len(problems) == 1 and problem in problems[0], problems


def test_limit_violations_accepts_a_message_at_every_limit() -> None:
    at_limits = [
        {"title": "t" * 256, "description": "d" * 2000, "footer": {"text": "f" * 100}},
        {"fields": [{"name": "n", "value": "v" * 101}] * 25},
    ]
    # 256 + 2000 + 100 + 25 * (1 + 101) = 4906 characters: 1094 more make exactly 6000
    assert limit_violations([*at_limits, {"description": "d" * 1094}], "c" * 2000) == []
    assert limit_violations([*at_limits, {"description": "d" * 1095}]) != []


# --- renderers at the limits -----------------------------------------------------------------------------------


def test_a_ten_thousand_character_answer_is_split_not_cut() -> None:
    text = ten_thousand_characters()
    citations = [citation(n) for n in range(1, 51)]
    answer = Answer(question="What is " + UNICODE + "?", answer=text + " " + " ".join(f"[{n}]" for n in range(1, 51)),
                    abstained=False, route="papers", citations=citations, intent="lookup")  # fmt: skip
    messages = render_answer(answer)
    assert_within_limits(messages)
    assert 2 <= len(messages) <= 3
    assert flat(descriptions(messages)) == flat(answer.answer)  # every sentence, whole and in order
    sources = field_text(messages, "Sources")
    listed = [int(n) for n in re.findall(r"\*\*\[(\d+)\]\*\*", sources)]
    assert listed == list(range(1, 51)) and left_out(sources, "source") == 0  # the text and all 50 sources fit
    assert all(flat(source_line(c)) in flat(sources) for c in citations)


@pytest.mark.parametrize("researchers", [False, True])
def test_sources_that_do_not_fit_are_counted(researchers: bool) -> None:
    """300 sources: a short answer, or a whole-lab listing whose text and sources both overflow."""
    citations = [
        citation(n).model_copy(update={"researcher": f"Researcher {n % 7}" if researchers else None})
        for n in range(1, 301)
    ]
    lines = [f"[{c.n}] {c.title} ({c.year})" for c in citations] if researchers else ["See [1] and [300]."]
    answer = Answer(question="q", answer="\n".join(lines), abstained=False, route="papers", citations=citations,
                    intent="listing" if researchers else "lookup")  # fmt: skip
    messages = render_answer(answer)
    assert_within_limits(messages)
    assert len(messages) <= 3
    sources = field_text(messages, "Sources")
    listed = [int(n) for n in re.findall(r"\*\*\[(\d+)\]\*\*", sources)]
    assert listed == list(range(1, len(listed) + 1)) and len(listed) >= 30
    assert len(listed) + left_out(sources, "source") == 300  # every citation: listed, or counted


def test_fifty_short_sources_are_all_listed() -> None:
    citations = [citation(n, title=f"T{n}") for n in range(1, 51)]
    answer = Answer(question="q", answer="See [1].", abstained=False, route="papers", citations=citations)
    messages = render_answer(answer)
    assert_within_limits(messages)
    sources = field_text(messages, "Sources")
    assert left_out(sources, "source") == 0
    assert all(source_line(c) in sources for c in citations)


def test_a_three_hundred_paper_listing_answer_counts_what_it_leaves_out() -> None:
    citations = [citation(n, title=f"Listed paper {n} about {UNICODE} " + "words " * (n % 9)) for n in range(1, 301)]
    lines = ["Someone's listed papers from 2021: 300.", *(f"[{c.n}] {c.title} ({c.year})" for c in citations)]
    answer = Answer(question="list his 2021 papers", answer="\n".join(lines), abstained=False, route="papers",
                    citations=citations, intent="listing", plan={"filters": {"year": 2021}})  # fmt: skip
    messages = render_answer(answer)
    assert_within_limits(messages)
    assert len(messages) <= 4
    shown, note = descriptions(messages).rsplit("\n", 1)
    kept = lines[: len(lines) - left_out(note, "line")]
    assert flat(shown) == flat("\n".join(kept))  # the first lines, whole and in order; the note counts the rest
    assert f"citing {300 - (len(kept) - 1)} more papers" in note
    assert "`/papers year:2021`" in note  # the command that lists the rest
    assert len(descriptions(messages)) <= ANSWER_TEXT_CHARS + 10 * len(messages)


def test_a_listing_by_topic_points_to_a_narrower_question() -> None:
    lines = [f"[{n}] {'a long title ' * 20}" for n in range(1, 2001)]
    answer = Answer(question="q", answer="\n".join(lines), abstained=False, route="papers", intent="listing",
                    plan={"topic": "grasping"})  # fmt: skip
    note = descriptions(render_answer(answer)).split("\n")[-1]
    assert "ask a narrower question" in note and "/papers" not in note


def test_a_question_longer_than_a_title_is_shown_in_full() -> None:
    question = "What is " + "really " * 60 + UNICODE + "?"
    messages = render_answer(Answer(question=question, answer="An answer.", abstained=False, route="papers"))
    assert_within_limits(messages)
    embed = messages[0][0]
    assert len(embed.title) == 256 and embed.title.endswith("…")
    assert embed.description == f"**{escape_user_text(question)}**\nAn answer."


def test_paper_pages_hold_every_one_of_three_hundred_papers_once() -> None:
    titles = [f"Paper {n} {UNICODE}" + (" with a long subtitle" * 95 if n % 10 == 0 else "") for n in range(300)]
    papers = [paper(n, title=title, authors=40) for n, title in enumerate(titles)]
    pages = render_paper_pages(papers, "Papers (year 2021)")
    assert_within_limits(pages)
    assert all(len(page) == 1 for page in pages)  # a page is one embed
    text = [flat(page[0].description) for page in pages]
    for title in titles:
        assert sum(page.count(flat(title) + " *") for page in text) == 1, title  # exactly one page shows it
    assert [page[0].footer.text for page in pages] == [f"page {n}/{len(pages)} · 300 paper(s)" for n in
                                                       range(1, len(pages) + 1)]  # fmt: skip


def test_a_two_thousand_character_title_still_gets_a_page() -> None:
    title = ("Very long title " + UNICODE + " ") * 110  # 5,000 characters: longer than a page
    pages = render_paper_pages([paper(1, title=title)], "Papers")
    assert_within_limits(pages)
    assert len(pages) == 2 and flat(escape_user_text(title)) in everything(pages)


def test_a_long_summary_keeps_every_point_result_and_author() -> None:
    title = ("A paper title that goes on " + UNICODE + " ") * 70
    summary = Summary(
        paper=paper(7, title=title, authors=120),
        tldr=" ".join(sentences(12)),
        key_points=sentences(30, 100)[:12],
        results=[sentence * 6 for sentence in sentences(8, 200)],
    )
    messages = render_summary(summary)
    assert_within_limits(messages)
    shown = everything(messages)
    assert flat(title) in flat(descriptions(messages))  # the title is cut in the embed title, whole below it
    assert all(flat(point) in flat(field_text(messages, "Key contributions")) for point in summary.key_points)
    assert all(flat(result) in flat(field_text(messages, "Reported results")) for result in summary.results)
    assert all(flat(escape_user_text(author)) in shown for author in summary.paper.authors)
    assert "Reported results (cont.)" in [f.name for message in messages for embed in message for f in embed.fields]


def test_metrics_show_every_year_category_co_author_and_affiliation() -> None:
    snapshot = SnapshotDelta(taken_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), h_index=1, citations=2,
                             papers_claimed=3, novelty=4, ai_score=5, papers_listed=6)  # fmt: skip
    report = MetricsReport(
        profile="p", name="Someone " + UNICODE, category="RO", h_index=10, citations=10_000, papers_claimed=400,
        papers_listed=400, novelty=50, ai_score=40,
        by_year={year: year % 13 + 1 for year in range(1980, 2026)},
        by_category={f"CAT{n}": n for n in range(40)},
        with_code=100, with_code_share=0.25,
        affiliations={f"Institute of {UNICODE} number {n} " * 8: n for n in range(10)},
        top_coauthors={f"Co-author {n} {UNICODE}" * 6: n for n in range(10)},
        first_date=dt.date(1980, 1, 1), last_date=dt.date(2025, 1, 1), snapshots=[snapshot, snapshot],
    )  # fmt: skip
    messages = render_metrics(report, "metrics.png")
    assert_within_limits(messages)
    assert messages[0][0].image.url == "attachment://metrics.png"
    assert all(f"{year}: {count}" in field_text(messages, "Papers per year") for year, count in report.by_year.items())
    assert all(f"{name}: {n}" in field_text(messages, "Papers per category") for name, n in report.by_category.items())
    for name, value in [("Affiliations", report.affiliations), ("Top co-authors", report.top_coauthors)]:
        shown = flat(field_text(messages, name))
        assert all(flat(escape_user_text(f"{key}: {count}")) in shown for key, count in value.items())


def test_similar_lists_every_hit() -> None:
    hits = [SearchHit(paper=paper(n, title=f"Similar {n} " + UNICODE * 8), score=0.5, rank=n) for n in range(1, 51)]
    messages = render_similar(paper(0, title="Target " + UNICODE * 30), hits)
    assert_within_limits(messages)
    assert all(flat(f"**{h.rank}.** {escape_user_text(h.paper.title)}") in everything(messages) for h in hits)


def test_profiles_pages_hold_every_profile_once() -> None:
    profiles = [
        ProfileSummary(
            id=f"researcher-{n}",
            name=f"Researcher {n} {UNICODE}" * 3,
            category="LG",
            papers_listed=n,
            papers_claimed=None,
            last_snapshot=None,
        )
        for n in range(500)
    ]
    pages = render_profile_pages(profiles)
    assert_within_limits(pages)
    assert all(len(page) == 1 for page in pages)
    shown = " ".join(flat(page[0].description) for page in pages)
    assert all(shown.count(f"(`researcher-{n}`)") == 1 for n in range(500))


def test_an_error_longer_than_an_embed_says_how_much_is_left_out() -> None:
    message = " ".join(sentences(400))
    embed = render_error_embed(message)
    assert limit_violations([embed]) == []
    head, note = embed.description.rsplit("\n", 1)
    left = int(re.fullmatch(r"… \(([\d,]+) more characters\)", note)[1].replace(",", ""))
    escaped = escape_user_text(message)
    assert escaped.startswith(head) and len(escaped[len(head) :].lstrip()) == left


# --- end to end: the real bot, the local Discord server -----------------------------------------------------

PAPERS = 200
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def long_title(number: int) -> str:
    return f"Große Modelle {number} für Roboter 🤖 und Greifen" + (
        " with a long subtitle" * 30 if number % 40 == 0 else ""
    )


def long_profile() -> str:
    """One researcher with `PAPERS` papers in the profile format: unicode titles (some 600+ characters), up to 30
    authors each; every abstract is one shared sentence, so the real model embeds little."""
    blocks = []
    for number in range(1, PAPERS + 1):
        date = dt.date(2010, 1, 1) + dt.timedelta(days=17 * number)
        authors = ", ".join(f"Author{number} Person{k}" for k in range(1 + number % 30))
        header = f"RO{MONTHS[date.month - 1]} {date.day}, {date.year}{'Code' if number % 5 == 0 else ''}"
        blocks.append(f"{header}\n{long_title(number)}\n{authors} · lab {number % 7}\nWe study grasping objects.\n")
    header = ["Lister Researcher", "RO", "h-index12", f"{PAPERS}papers", "1,000citations", "Novelty50%",
              "AI Score40", f"{PAPERS} Papers"]  # fmt: skip
    return "\n".join(header) + "\n\n" + "\n".join(blocks)


@pytest.fixture(scope="module")
def long_service(tmp_path_factory: pytest.TempPathFactory, embeddings: MiniLMEmbeddings) -> ResearchService:
    """A store of its own holding the long profile, parsed and ingested by the real code. Read-only for tests."""
    root = tmp_path_factory.mktemp("long")
    (root / "profiles").mkdir()
    (root / "profiles" / "lister.txt").write_text(long_profile(), encoding="utf-8")
    service = service_at(root / "chroma", embeddings, profiles_dir=root / "profiles")
    assert service.ingest().added == PAPERS
    return service


@pytest_asyncio.fixture
async def long_bot(
    discord_server: DiscordServer, long_service: ResearchService, bot_settings: SettingsFactory
) -> AsyncIterator[DiscordServer]:
    settings = bot_settings(profiles_dir=Path(long_service.settings.profiles_dir))
    async with running_bot(discord_server, long_service, settings):
        yield discord_server


def assert_received_within_limits(server: DiscordServer) -> None:
    """Everything the server took from the bot (it would have answered 400 otherwise) checked once more."""
    sent = [record for record in server.outgoing if record.embeds or record.content]
    assert sent
    for record in sent:
        assert limit_violations(record.embeds, record.content) == [], record.kind
    assert server.errors == []


async def test_papers_pages_through_every_one_of_two_hundred_papers(long_bot: DiscordServer) -> None:
    server = long_bot
    first = await (await server.slash_command("papers", user=server.member)).response(timeout=30)
    pages = [first.embeds]
    while buttons(server.messages[first.message_id])["Next"].get("disabled") is not True:
        turned = await (await server.click_button(first, label="Next", user=server.member)).response()
        pages.append(turned.embeds)
    assert_received_within_limits(server)
    assert len(pages) == PAPERS // 8
    assert [footer(page[0]) for page in pages] == [f"page {n}/{len(pages)} · {PAPERS} paper(s)" for n in
                                                   range(1, len(pages) + 1)]  # fmt: skip
    shown = [flat(page[0]["description"]) for page in pages]
    for number in range(1, PAPERS + 1):
        assert sum(page.count(flat(long_title(number)) + " *") for page in shown) == 1, number


def assert_complete_listing(records: list[Any], service: ResearchService) -> None:
    """The answer's text across every message and embed the bot sent is the service's answer: its first lines whole
    and in order, then an "…and N more lines, citing M more papers" line that counts exactly the rest."""
    answer = service.ask("list all his papers")
    assert answer.intent == "listing" and len(answer.citations) == PAPERS
    lines = answer.answer.split("\n")
    shown, note = descriptions([record.embeds for record in records]).rsplit("\n", 1)
    kept = lines[: len(lines) - left_out(note, "line")]
    assert len(kept) > 100 and flat(shown) == flat("\n".join(kept))
    assert f"citing {PAPERS - (len(kept) - 1)} more papers" in note and "`/papers`" in note


async def test_a_long_answer_arrives_whole_as_a_slash_reply(
    long_bot: DiscordServer, long_service: ResearchService
) -> None:
    handle = await long_bot.slash_command("ask", {"question": "list all his papers"})
    await handle.wait_for(lambda r: footer((r.embeds or [{}])[-1]) == "listing", timeout=30)
    sent = [record for record in handle.records if record.embeds]
    assert len(sent) >= 2 and all(record.kind == "followup" for record in sent)
    assert_received_within_limits(long_bot)
    assert_complete_listing(sent, long_service)


async def test_a_long_answer_arrives_whole_as_a_mention_reply(
    long_bot: DiscordServer, long_service: ResearchService
) -> None:
    server = long_bot
    asked = await server.send_message(f"{server.bot_user.mention} list all his papers")
    await server.wait_until(
        lambda: next((r for r in server.outgoing if footer((r.embeds or [{}])[-1]) == "listing"), None), 30, "the end"
    )
    sent = [record for record in server.outgoing if creates_message(record) and record.channel_id == asked.channel_id]
    assert sent[0].raw["message_reference"]["message_id"] == asked.id  # a reply, then the rest in the channel
    assert all("message_reference" not in record.raw for record in sent[1:])
    assert_received_within_limits(server)
    assert_complete_listing(sent, long_service)


async def test_every_command_stays_within_limits_on_the_long_profile(long_bot: DiscordServer) -> None:
    server = long_bot
    long_paper = long_title(40)
    for command, options in [("summary", {"paper": long_paper}), ("similar", {"paper": long_paper}),
                             ("metrics", {}), ("profiles", {}), ("help", {})]:  # fmt: skip
        reply = await (await server.slash_command(command, options)).response(timeout=30)
        assert reply.embeds and reply.embeds[0]["title"] != "Sorry", (command, reply.embeds)
    assert_received_within_limits(server)
    summary_title = next(r for r in server.outgoing if r.embeds and r.embeds[0]["title"].startswith("Große"))
    assert summary_title.embeds[0]["title"].endswith("…")
    assert flat(long_paper) in flat(summary_title.embeds[0]["description"])  # cut in the title, whole below it


async def test_the_server_refuses_an_over_limit_message_like_discord(discord_server: DiscordServer) -> None:
    """The fake answers as Discord does (400, code 50035, errors nested by path), so an over-limit send fails."""
    server = discord_server
    url = f"{server.url}{API_PREFIX}/channels/{server.channel.id}/messages"
    body = {"embeds": [{"title": "t" * 257, "description": "d" * 4096}, {"description": "d" * 2000}]}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers={"Authorization": f"Bot {server.token}"}) as response,
    ):
        assert response.status == 400
        error = await response.json()
    assert error["code"] == 50035 and error["message"] == "Invalid Form Body"
    assert error["errors"]["embeds"]["0"]["title"]["_errors"] == [
        {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 256 or fewer in length."}
    ]
    assert error["errors"]["embeds"]["_errors"][0]["code"] == "MAX_EMBED_SIZE_EXCEEDED"
    assert len(limit_violations(body["embeds"])) == 2  # the client-side check finds the same two problems
