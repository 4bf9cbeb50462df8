"""End to end: every ResearchBot command, as slash and prefix command and by mention, through the real
discord.py client and the local Discord-protocol server, over the seeded (read-only) store."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.errors import INTERNAL_ERROR_MESSAGE
from retrieval.models import PaperFilter, ProfileSummary
from retrieval.service import ResearchService
from tests.bot_fixtures import (
    SettingsFactory,
    buttons,
    citation_numbers,
    creates_message,
    field,
    field_names,
    footer,
    is_valid_png,
    only_embed,
    pings_no_one,
    running_bot,
)
from tests.discord_server import FLAG_EPHEMERAL, DiscordServer

pytest_plugins = ["tests.bot_fixtures"]

RT2_TITLE = "RT-2: Vision-Language-Action Models Transfer Web Knowledge to Robotic Control"
UNCOVERED = "How does CRISPR gene editing work?"
COMMANDS = {
    "ask", "summary", "similar", "metrics", "papers", "profiles", "reload", "ingest", "settings", "feedback", "help",
    "researcher",
}  # fmt: skip


def assert_cited_answer(embed: dict, question: str) -> None:
    """[n] citations in the answer, each backed by a `[n] title · year · authors` source line."""
    assert embed["title"] == question
    cited = citation_numbers(embed["description"])
    assert cited, embed["description"]
    sources = field(embed, "Sources")
    assert RT2_TITLE in sources
    assert f"{RT2_TITLE} · 2023 · Anthony Brohan, Noah Brown et al." in sources
    assert cited <= citation_numbers(sources)
    assert "not found" not in footer(embed)


# --- slash commands ----------------------------------------------------------------------------------


async def test_commands_synced_to_the_configured_guild(research_bot: DiscordServer) -> None:
    server = research_bot
    assert {command["name"] for command in server.commands[server.guild.id]} == COMMANDS
    assert server.commands.get(None, []) == []
    ask = server.find_command("ask")[0]
    assert [(option["name"], option.get("required", False)) for option in ask["options"]] == [
        ("question", True),
        ("profile", False),
    ]
    summary = server.find_command("summary")[0]
    assert summary["options"][0]["autocomplete"] is True


async def test_slash_ask_answers_with_cited_sources(research_bot: DiscordServer) -> None:
    handle = await research_bot.slash_command("ask", {"question": "What is RT-2?"})
    assert (await handle.callback()).callback_type == 5  # deferred: the answer may take longer than 3 s
    reply = await handle.response(timeout=30)
    assert reply.kind == "followup" and not reply.ephemeral
    assert_cited_answer(only_embed(reply), "What is RT-2?")


async def test_slash_ask_uncovered_topic_abstains_and_suggests(research_bot: DiscordServer) -> None:
    reply = await (await research_bot.slash_command("ask", {"question": UNCOVERED})).response(timeout=30)
    embed = only_embed(reply)
    assert "couldn't find" in embed["description"].lower()
    assert "Sources" not in field_names(embed)
    suggestions = field(embed, "Nearest papers").splitlines()
    assert suggestions and all(line.startswith("• ") and " · 20" in line for line in suggestions)
    assert "not found in the papers" in footer(embed)


async def test_slash_summary(research_bot: DiscordServer) -> None:
    reply = await (await research_bot.slash_command("summary", {"paper": "RT-2"})).response(timeout=30)
    embed = only_embed(reply)
    assert embed["title"] == RT2_TITLE
    assert embed["description"].startswith("**TL;DR** ") and len(embed["description"]) > 40
    assert field_names(embed) == ["Key contributions", "Reported results", "Paper"]
    assert field(embed, "Key contributions").startswith("• ")
    meta = field(embed, "Paper")
    assert "**Date:** 2023-07-28" in meta and "**Category:** RO" in meta and "**Code:** no" in meta
    assert "Anthony Brohan" in meta
    assert footer(embed) == "id: igor-mordatch:0cd0231e5a8a"


async def test_slash_summary_shows_the_code_flag(research_bot: DiscordServer) -> None:
    reply = await (await research_bot.slash_command("summary", {"paper": "VeLO"})).response(timeout=30)
    embed = only_embed(reply)
    assert embed["title"].startswith("VeLO:")
    assert "**Code:** yes" in field(embed, "Paper")


@pytest.mark.parametrize("command", ["summary", "similar"])
async def test_autocomplete_is_fuzzy_and_capped_at_25(research_bot: DiscordServer, command: str) -> None:
    everything = await (await research_bot.autocomplete(command, {"paper": ""}, focused="paper")).response()
    assert everything.callback_type == 8
    assert len(everything.choices or []) == 25  # 50 papers in the store, 25 allowed

    typo = await (await research_bot.autocomplete(command, {"paper": "robotcs transfomer"}, focused="paper")).response()
    choices = typo.choices or []
    assert 0 < len(choices) <= 25
    assert choices[0]["name"] == "RT-1: Robotics Transformer for Real-World Control at Scale (2022)"
    assert all(len(choice["name"]) <= 100 for choice in choices)

    # the chosen value (a paper id) is what the command then receives
    reply = await (await research_bot.slash_command(command, {"paper": choices[0]["value"]})).response(timeout=30)
    assert "RT-1: Robotics Transformer" in only_embed(reply)["title"]


async def test_slash_metrics_with_png_chart(research_bot: DiscordServer) -> None:
    handle = await research_bot.slash_command("metrics")
    assert (await handle.callback()).callback_type == 5
    reply = await handle.response(timeout=30)
    embed = only_embed(reply)
    assert embed["title"] == "Igor Mordatch — metrics"
    assert field(embed, "h-index") == "117"
    assert field(embed, "Citations") == "35,895"
    assert field(embed, "Papers") == "50 listed / 67 claimed"
    assert field(embed, "Novelty") == "56%" and field(embed, "AI score") == "48"
    assert field(embed, "With code").startswith("5 (10%)")
    assert "2022: 14" in field(embed, "Papers per year") and "LG: 22" in field(embed, "Papers per category")
    assert {"Top co-authors", "Affiliations"} <= set(field_names(embed))
    assert embed["image"]["url"] == "attachment://metrics.png"
    [chart] = reply.files
    assert chart.filename == "metrics.png" and is_valid_png(chart.data)
    assert reply.message is not None and reply.message["attachments"][0]["filename"] == "metrics.png"


async def test_slash_papers_filters(research_bot: DiscordServer, seeded_service: ResearchService) -> None:
    expected = seeded_service.papers(PaperFilter(author="Yilun Du", has_code=True))
    options = {"author": "Yilun Du", "has_code": True}
    reply = await (await research_bot.slash_command("papers", options)).response(timeout=30)
    embed = only_embed(reply)
    assert embed["title"] == "Papers (author Yilun Du, has_code True)"
    assert footer(embed) == f"page 1/1 · {len(expected)} paper(s)"
    assert expected and all(paper.title in embed["description"] for paper in expected)
    assert reply.components == []  # one page: no buttons

    none = await (await research_bot.slash_command("papers", {"year": 1990})).response(timeout=30)
    assert only_embed(none)["description"] == "No papers match these filters."


async def test_slash_papers_pagination(research_bot: DiscordServer, seeded_service: ResearchService) -> None:
    server = research_bot
    titles_2022 = [paper.title for paper in seeded_service.papers(PaperFilter(year=2022))]
    assert len(titles_2022) == 14
    first = await (await server.slash_command("papers", {"year": 2022}, user=server.member)).response(timeout=30)
    page_one = only_embed(first)
    assert footer(page_one) == "page 1/2 · 14 paper(s)"
    assert first.message is not None
    assert buttons(first.message)["Previous"]["disabled"] is True
    assert buttons(first.message)["Next"].get("disabled") is not True

    refused = await (await server.click_button(first, label="Next", user=server.admin)).response()
    assert refused.callback_type == 4 and refused.ephemeral
    assert "Only the person who ran the command" in (refused.content or "")
    assert server.messages[first.message_id]["embeds"] == [page_one]  # the page did not change

    turned = await (await server.click_button(first, label="Next", user=server.member)).response()
    assert turned.callback_type == 7 and turned.message_id == first.message_id
    page_two = only_embed(turned)
    assert footer(page_two) == "page 2/2 · 14 paper(s)"
    shown = [title for title in titles_2022 if title in page_one["description"] + page_two["description"]]
    assert shown == titles_2022  # every 2022 paper, each on exactly one page
    stored = server.messages[first.message_id]
    assert buttons(stored)["Next"]["disabled"] is True and buttons(stored)["Previous"].get("disabled") is not True

    back = await (await server.click_button(first, label="Previous", user=server.member)).response()
    assert footer(only_embed(back)) == "page 1/2 · 14 paper(s)"


async def test_papers_buttons_disable_on_timeout(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    async with running_bot(discord_server, seeded_service, bot_settings(paginator_timeout_seconds=0.5)):
        handle = await discord_server.slash_command("papers", {"year": 2022})
        first = await handle.response(timeout=30)
        edit = await handle.wait_for(lambda r: r.kind == "followup_edit", timeout=10)
        assert edit.message_id == first.message_id
        labels = buttons(discord_server.messages[first.message_id])
        assert set(labels) == {"Previous", "Next"} and all(button["disabled"] for button in labels.values())
        with pytest.raises(ValueError, match="disabled"):
            await discord_server.click_button(first, label="Next")


async def test_slash_similar(research_bot: DiscordServer) -> None:
    reply = await (await research_bot.slash_command("similar", {"paper": "RT-2"})).response(timeout=30)
    embed = only_embed(reply)
    assert embed["title"] == f"Papers similar to: {RT2_TITLE}"
    lines = embed["description"].splitlines()
    assert len(lines) == 5 and lines[0].startswith("**1.** ")
    assert all("similarity 0." in line for line in lines)
    assert RT2_TITLE not in embed["description"]
    assert any("RT-1" in line for line in lines)


async def test_slash_profiles(research_bot: DiscordServer) -> None:
    reply = await (await research_bot.slash_command("profiles")).response()
    embed = only_embed(reply)
    assert embed["title"] == "Profiles"
    assert embed["description"] == ("**Igor Mordatch** (`igor-mordatch`) — 50 papers listed, 67 claimed, category LG")


async def test_slash_help_lists_every_command(research_bot: DiscordServer) -> None:
    reply = await (await research_bot.slash_command("help")).response()
    assert reply.callback_type == 4 and reply.ephemeral
    embed = only_embed(reply)
    listed = {name.split()[0].removeprefix("/") for name in field_names(embed)}
    assert listed == COMMANDS
    assert all(value and value != "—" for value in (f["value"] for f in embed["fields"]))


# --- prefix commands and mentions ------------------------------------------------------------------------


async def test_prefix_ask(research_bot: DiscordServer) -> None:
    reply = await (await research_bot.send_message("!ask What is RT-2?")).response(timeout=30)
    assert reply.kind == "channel_message"
    assert_cited_answer(only_embed(reply), "What is RT-2?")


async def test_prefix_summary(research_bot: DiscordServer) -> None:
    reply = await (await research_bot.send_message("!summary RT-2")).response(timeout=30)
    embed = only_embed(reply)
    assert embed["title"] == RT2_TITLE and embed["description"].startswith("**TL;DR**")


async def test_prefix_papers_with_year_paginates(research_bot: DiscordServer) -> None:
    server = research_bot
    reply = await (await server.send_message("!papers 2022", author=server.member)).response(timeout=30)
    assert footer(only_embed(reply)) == "page 1/2 · 14 paper(s)"
    turned = await (await server.click_button(reply, label="Next", user=server.member)).response()
    assert turned.callback_type == 7 and footer(only_embed(turned)) == "page 2/2 · 14 paper(s)"


async def test_prefix_metrics_attaches_png(research_bot: DiscordServer) -> None:
    reply = await (await research_bot.send_message("!metrics")).response(timeout=30)
    assert only_embed(reply)["image"]["url"] == "attachment://metrics.png"
    [chart] = reply.files
    assert chart.filename == "metrics.png" and is_valid_png(chart.data)


async def test_mention_is_answered_like_ask(research_bot: DiscordServer) -> None:
    server = research_bot
    slash = await (await server.slash_command("ask", {"question": "what is RT-2?"})).response(timeout=30)
    mention = await server.send_message(f"{server.bot_user.mention} what is RT-2?")
    reply = await mention.response(timeout=30)
    assert reply.raw["message_reference"]["message_id"] == mention.id
    assert only_embed(reply)["description"] == only_embed(slash)["description"]
    assert_cited_answer(only_embed(reply), "what is RT-2?")


# --- safety: mentions, input limits, cooldowns, errors --------------------------------------------------


async def test_everyone_and_role_mentions_never_ping(research_bot: DiscordServer) -> None:
    server = research_bot
    role = server.guild.roles[1]  # Admin
    question = f"@everyone {role.mention} @here what is RT-2?"
    slash = await (await server.slash_command("ask", {"question": question})).response(timeout=30)
    prefix = await (await server.send_message(f"!ask {question}")).response(timeout=30)
    mention = await (await server.send_message(f"{server.bot_user.mention} {question}")).response(timeout=30)
    for reply in (slash, prefix, mention):
        title = only_embed(reply)["title"]
        assert "@everyone" not in title and "@\u200beveryone" in title
        assert "@here" not in title and f"<@\u200b&{role.id}>" in title
    sent = [record for record in server.outgoing if creates_message(record)]
    assert len(sent) >= 3
    assert all(pings_no_one(record.allowed_mentions) for record in sent), [r.allowed_mentions for r in sent]


@pytest.mark.parametrize(
    ("question", "explanation"),
    [("   ", "the text was empty"), ("x" * 501, "501 characters long; please keep it under 500")],
)
async def test_slash_ask_input_limits(research_bot: DiscordServer, question: str, explanation: str) -> None:
    reply = await (await research_bot.slash_command("ask", {"question": question})).response()
    assert reply.callback_type == 4 and reply.flags & FLAG_EPHEMERAL  # refused before deferring
    assert explanation in only_embed(reply)["description"]


@pytest.mark.parametrize(
    ("content", "explanation"),
    [
        ("!ask    ", "question is a required argument"),
        ("!ask " + "y" * 600, "600 characters long"),
        ("<@{bot}>    ", "the text was empty"),
    ],
)
async def test_prefix_and_mention_input_limits(research_bot: DiscordServer, content: str, explanation: str) -> None:
    server = research_bot
    reply = await (await server.send_message(content.format(bot=server.bot_user.id))).response()
    assert explanation in only_embed(reply)["description"]
    assert only_embed(reply)["title"] == "Sorry"
    assert server.errors == []


async def test_per_user_cooldown(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server = discord_server
    # discord.py keeps cooldown buckets on the decorated function, shared by every bot in this process:
    # users of their own keep this test's buckets away from the other tests.
    eager, other = server.add_member("eager"), server.add_member("other")
    async with running_bot(server, seeded_service, bot_settings(cooldown_rate=1, cooldown_seconds=60)):
        first = await (await server.slash_command("ask", {"question": "What is RT-2?"}, user=eager)).response(30)
        assert citation_numbers(only_embed(first)["description"])
        again = await (await server.slash_command("ask", {"question": "What is RT-1?"}, user=eager)).response()
        assert again.callback_type == 4 and again.ephemeral
        assert only_embed(again)["description"].startswith("Slow down a little: try again in ")
        other_user = await (await server.slash_command("ask", {"question": "What is RT-1?"}, user=other)).response(30)
        assert citation_numbers(only_embed(other_user)["description"])


async def test_unknown_paper_gets_a_user_facing_message(research_bot: DiscordServer) -> None:
    handle = await research_bot.slash_command("summary", {"paper": "quantum sourdough fermentation"})
    reply = await handle.response(timeout=30)
    embed = only_embed(reply)
    assert embed["title"] == "Sorry"
    assert embed["description"].startswith("No paper matches")
    assert INTERNAL_ERROR_MESSAGE not in embed["description"]
    # the public "thinking…" placeholder is replaced by a message only the invoker sees
    assert reply.kind == "followup" and reply.ephemeral
    assert [record.kind for record in handle.records].count("followup_delete") == 1


class BrokenService(ResearchService):
    """The real service whose profile listing fails with an unexpected error."""

    def profiles(self) -> list[ProfileSummary]:
        raise RuntimeError("the profile table is corrupt")


async def test_internal_error_is_logged_not_shown_and_token_never_leaks(
    discord_server_factory, seeded_service: ResearchService, bot_settings: SettingsFactory, caplog
) -> None:
    token = "MTEw.secret-token-value.Zm9vYmFy"
    server: DiscordServer = await discord_server_factory(token=token)
    broken = BrokenService(seeded_service.settings, store=seeded_service.store)
    caplog.set_level(logging.DEBUG)
    async with running_bot(server, broken, bot_settings(discord_token=token)):
        slash = await (await server.slash_command("profiles")).response()
        prefix = await (await server.send_message("!profiles")).response()
        await asyncio.sleep(0.1)
    assert slash.ephemeral  # /profiles defers (a lab's list takes a moment), then answers privately
    for reply in (slash, prefix):
        description = only_embed(reply)["description"]
        assert description.startswith("Something went wrong on my side") and "corrupt" not in description
    failures = [record for record in caplog.records if record.name == "bot.errors" and record.exc_info]
    assert len(failures) == 2
    assert "the profile table is corrupt" in caplog.text and "RuntimeError" in caplog.text
    logged = caplog.text + "".join(str(record.__dict__) for record in caplog.records)
    assert token not in logged
    assert all(token not in str(record.raw) for record in server.outgoing)


async def test_outgoing_messages_fit_discord_limits(research_bot: DiscordServer) -> None:
    """The server refuses oversized messages (400): a long question still produces a valid answer."""
    question = "What is " + "really " * 69 + "RT-2?"
    assert len(question) <= 500
    reply = await (await research_bot.slash_command("ask", {"question": question})).response(timeout=30)
    title = only_embed(reply)["title"]
    assert title != "Sorry", only_embed(reply)["description"]
    assert len(title) == 256 and title.endswith("…")  # truncated, not refused
    assert research_bot.errors == []
