"""End to end: conversations in Discord. Replies to the bot's answers and messages in threads it follows are
follow-ups ("the second one", "compare it with RT-1", "what about 2021?", "summarize it", "similar to it", "more");
/ask opens a thread in thread mode; what is not for the bot is ignored. The real discord.py bot against the local
Discord-protocol server. Expected papers come from the data: the papers an earlier reply showed, the filtered
paper lists, the summary and similar services."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from retrieval.conversation import ConversationStore
from retrieval.index.paper_names import title_head
from retrieval.models import PaperFilter
from retrieval.service import ResearchService
from tests.bot_fixtures import SettingsFactory, field_names, footer, running_bot, second_profile
from tests.discord_server import DiscordServer, FakeChannel, FakeMember, FakeThread, FakeUser, InjectedMessage
from tests.discord_server import OutgoingMessage as Sent

pytest_plugins = ["tests.bot_fixtures"]

TRANSCRIPT_ENV = "RESEARCH_BOT_TRANSCRIPT"  # a file: the scripted conversation's transcript is written there
NOTE = "-# (following up on: "


# --- helpers -----------------------------------------------------------------------------------------------


async def answer_to(server: DiscordServer, message: InjectedMessage, timeout: float = 60) -> Sent:
    """The bot's reply to `message` (its first message when the reply takes several)."""

    def find() -> Sent | None:
        return next(
            (
                record
                for record in server.outgoing
                if record.kind == "channel_message"
                and int((record.raw.get("message_reference") or {}).get("message_id", 0)) == message.id
            ),
            None,
        )

    return await server.wait_until(find, timeout, f"the reply to message {message.id}")


async def say(
    server: DiscordServer,
    text: str,
    *,
    channel: FakeChannel | None = None,
    author: FakeMember | None = None,
    reply_to: Sent | InjectedMessage | None = None,
    mention: bool = False,
) -> Sent:
    """A user's message and the bot's reply to it."""
    content = f"{server.bot_user.mention} {text}" if mention else text
    message = await server.send_message(content, channel=channel, author=author, reply_to=reply_to)
    return await answer_to(server, message)


def shown(reply: Sent) -> list[str]:
    """The ids of the papers a reply shows, in order: the options of its "Summarize…" menu."""
    components = [child for row in (reply.message or {}).get("components") or [] for child in row["components"]]
    menus = [child for child in components if child.get("placeholder") == "Summarize…"]
    assert len(menus) == 1, reply.embeds
    [menu] = menus
    return [option["value"] for option in menu["options"]]


def votes(reply: Sent) -> list[str]:
    components = [child for row in (reply.message or {}).get("components") or [] for child in row["components"]]
    return [child["emoji"]["name"] for child in components if child["type"] == 2 and child.get("emoji")]


def embed(reply: Sent) -> dict[str, Any]:
    return reply.embeds[0]


async def user_thread(server: DiscordServer, name: str, author: FakeMember | None = None) -> FakeThread:
    """A thread a user starts from a message of their own in the channel."""
    starter = await server.send_message(f"Thread: {name}", author=author)
    return await server.create_thread(starter, name, author=author)


async def assert_ignored(server: DiscordServer, ignored: InjectedMessage, probe: str, channel: FakeChannel) -> None:
    """The bot answers `probe` (a mention sent after `ignored` was read) and never `ignored`."""
    await asyncio.sleep(0.3)  # the probe's mention would take the bot into a thread: `ignored` is read before it
    await say(server, probe, channel=channel, mention=True)
    await asyncio.sleep(0.3)
    replies = [r for r in server.outgoing if (r.raw.get("message_reference") or {}).get("message_id") == ignored.id]
    assert replies == []


def ids(papers: list) -> list[str]:
    return [paper.id for paper in papers]


def similar_ids(service: ResearchService, paper_id: str, start: int, end: int) -> list[str]:
    return [hit.paper.id for hit in service.similar(paper_id, k=end)[start:end]]


# --- replies -----------------------------------------------------------------------------------------------


async def test_a_reply_to_an_answer_follows_it_up_along_the_chain(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, service = discord_server, seeded_service
    async with running_bot(server, service, bot_settings()):
        listing = await say(server, "which robotics papers did he write?", mention=True)
        robotics = ids(service.papers(PaperFilter(category="RO")))
        assert shown(listing) == robotics and listing.content is None  # a conversation's first turn: no note

        second = await say(server, "the second one", reply_to=listing)
        assert shown(second) == [robotics[1]]
        title = service.resolve_paper(robotics[1]).title
        assert second.content.startswith(NOTE) and title in second.content
        assert votes(second) == ["👍", "👎"]  # the actions stay under follow-up answers

        rt1 = service.resolve_paper("RT-1").id
        compared = await say(server, "compare it with RT-1", reply_to=second)  # a reply to the reply's answer
        assert shown(compared) == [robotics[1], rt1] and embed(compared)["footer"]["text"] == "comparison"

        # a reply without the ping (no mention) is read too; a reply to the chain's first answer continues the
        # chain, whose last turn (the comparison) "the first one" points into
        message = await server.send_message("summarize the first one", reply_to=listing, mention_author=False)
        summary = await answer_to(server, message)
        assert embed(summary)["title"] == service.resolve_paper(robotics[1]).title
        assert footer(embed(summary)) == f"id: {robotics[1]}" and summary.content.startswith(NOTE)

        # !ask as a reply to an answer continues its chain as well
        prefix = await server.send_message("!ask similar to it", reply_to=summary, mention_author=False)
        near = await prefix.response(60)
        assert shown(near) == similar_ids(service, robotics[1], 0, 5)
        assert embed(near)["title"].startswith("Papers similar to: ")


async def test_a_new_mention_starts_a_new_conversation(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server = discord_server
    async with running_bot(server, seeded_service, bot_settings()):
        await say(server, "which robotics papers did he write?", mention=True)
        fresh = await say(server, "the second one", mention=True)  # a mention, not a reply: nothing before it
    assert embed(fresh)["title"] == "Sorry" and "no earlier answer" in embed(fresh)["description"]


async def test_an_unclear_reference_lists_the_papers_to_choose_from(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, service = discord_server, seeded_service
    async with running_bot(server, service, bot_settings()):
        compared = await say(server, "compare RT-1 and RT-2", mention=True)
        unclear = await say(server, "summarize it", reply_to=compared)
        slash = await (await server.slash_command("ask", {"question": "the second one"})).response(30)
    papers = [service.resolve_paper(paper_id) for paper_id in shown(compared)]
    assert len(papers) == 2 and embed(unclear)["title"] == "Which paper?"
    assert "say which" in embed(unclear)["description"]
    assert all(f"**[{n}]** {paper.title}" in embed(unclear)["description"] for n, paper in enumerate(papers, 1))
    assert slash.ephemeral and "no earlier answer" in embed(slash)["description"]  # /ask alone: nothing before it


# --- threads -----------------------------------------------------------------------------------------------


async def test_a_thread_the_bot_is_mentioned_in_is_one_conversation_without_mentions(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, service = discord_server, seeded_service
    async with running_bot(server, service, bot_settings()):
        thread = await user_thread(server, "robots")
        listing = await say(server, "which robotics papers did he write?", channel=thread, mention=True)
        assert shown(listing) == ids(service.papers(PaperFilter(category="RO")))
        in_2021 = await say(server, "what about 2021?", channel=thread)
        expected = ids(service.papers(PaperFilter(category="RO", year=2021)))
        assert shown(in_2021) == expected and in_2021.channel_id == thread.id
        assert "2021" in in_2021.content and embed(in_2021)["footer"]["text"] == "listing"
        second = await say(server, "the second one", channel=thread)
        assert shown(second) == [expected[1]]
        compared = await say(server, "compare it with RT-1", channel=thread)
        assert shown(compared) == [expected[1], service.resolve_paper("RT-1").id]
        summary = await say(server, "summarize the first one", channel=thread)
        assert footer(embed(summary)) == f"id: {expected[1]}" and field_names(embed(summary))[0] == "Key contributions"
        similar = await say(server, "similar to it", channel=thread)
        assert shown(similar) == similar_ids(service, expected[1], 0, 5)
    assert thread.members.keys() >= {server.bot_user.id}  # Discord added the mentioned bot


async def test_thread_mode_opens_a_thread_on_the_ask_answer_that_continues_it(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, service = discord_server, seeded_service
    question = "which robotics papers did he write?"
    async with running_bot(server, service, bot_settings()) as bot:
        bot.guild_settings.update(server.guild.id, {"thread_mode": True})
        answer = await (await server.slash_command("ask", {"question": question})).response(60)
        started = await server.wait_for_message(lambda r: r.kind == "thread_create")
        [thread] = server.guild.threads
        robotics = shown(answer)
        second = await say(server, "the second one", channel=thread)  # no mention: the bot started the thread
        assert shown(second) == [robotics[1]] and second.content.startswith(NOTE)
        first = await server.send_message("!ask the first one", channel=thread)  # a command, and a follow-up
        prefix = await first.response(60)
        await asyncio.sleep(0.3)
        assert [r.index for r in server.outgoing if r.index > prefix.index] == []  # answered once, by the command
        assert shown(prefix) == [robotics[1]]  # the first (only) paper of the turn before
        slash = await (await server.slash_command("ask", {"question": "similar to it"}, channel=thread)).response(60)
        assert shown(slash) == similar_ids(service, robotics[1], 0, 5)
    assert started.raw["name"] == question and thread.id == answer.message_id and thread.owner_id == bot.user.id


async def test_thread_mode_without_the_permission_still_answers(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server = discord_server
    bot_role = next(role for role in server.guild.roles if role.id == server.bot_member.role_ids[0])
    everyone = next(role for role in server.guild.roles if role.id == server.guild.id)
    for role in (bot_role, everyone):
        role.permissions &= ~(1 << 35)  # no Create Public Threads
    async with running_bot(server, seeded_service, bot_settings()) as bot:
        bot.guild_settings.update(server.guild.id, {"thread_mode": True})
        answer = await (await server.slash_command("ask", {"question": "What is RT-2?"})).response(60)
        await server.wait_until(lambda: any("Missing Permissions" in e for e in server.errors), 10, "the refusal")
    assert shown(answer) == [seeded_service.resolve_paper("RT-2").id] and server.guild.threads == []
    assert [record.kind for record in server.outgoing] == ["interaction_callback", "followup"]  # no error shown


async def test_without_answer_without_mention_only_mentions_are_answered_in_threads(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, service = discord_server, seeded_service
    async with running_bot(server, service, bot_settings()) as bot:
        bot.guild_settings.update(server.guild.id, {"answer_without_mention": False})
        thread = await user_thread(server, "quiet")
        first = await say(server, "What is RT-2?", channel=thread, mention=True)
        unmentioned = await server.send_message("compare it with RT-1", channel=thread)
        await assert_ignored(server, unmentioned, "what were its results?", thread)
        mentioned = await say(server, "compare it with RT-1", channel=thread, mention=True)
        replied = await say(server, "who wrote it?", channel=thread, reply_to=mentioned)  # a reply is addressed
    rt2, rt1 = shown(first)[0], service.resolve_paper("RT-1").id
    assert shown(mentioned) == [rt2, rt1] and mentioned.content.startswith(NOTE)
    assert embed(replied)["title"] == "Which paper?"  # "it" after a comparison: which of the two


async def test_two_users_in_one_thread_share_its_conversation(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, service = discord_server, seeded_service
    async with running_bot(server, service, bot_settings()):
        thread = await user_thread(server, "shared", author=server.member)
        listing = await say(server, "newest papers on language models", channel=thread, mention=True)
        second = await say(server, "the second one", channel=thread, author=server.admin)
        results = await say(server, "what were its results?", channel=thread, author=server.owner)
    assert shown(second) == [shown(listing)[1]] and shown(results) == [shown(listing)[1]]
    assert second.content.startswith(NOTE) and results.content.startswith(NOTE)


async def test_a_follow_up_keeps_the_profile_its_conversation_asked_over_the_servers_default(
    discord_server: DiscordServer, fresh_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, service = discord_server, fresh_service
    service.ingest()
    service.ingest_text(second_profile(), "ada.txt")
    async with running_bot(server, service, bot_settings()) as bot:
        bot.guild_settings.update(server.guild.id, {"default_profile": "igor-mordatch"})
        options = {"question": "anything recent from her?", "profile": "ada-lovelace"}
        newest = await (await server.slash_command("ask", options)).response(60)
        second = await say(server, "the second one", reply_to=newest)  # no profile named: the conversation's
        fresh = await say(server, "anything recent from him?", mention=True)  # a new conversation: the server's
    ada = ids(service.papers(PaperFilter(profile="ada-lovelace")))
    assert shown(newest) == ada and shown(second) == [ada[1]] and second.content.startswith(NOTE)
    assert all(paper_id.startswith("igor-mordatch:") for paper_id in shown(fresh))


async def test_an_expired_conversation_has_nothing_to_refer_to(
    discord_server: DiscordServer,
    seeded_service: ResearchService,
    bot_settings: SettingsFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, service = discord_server, seeded_service
    now = [1000.0]
    store = ConversationStore(idle_seconds=1800, clock=lambda: now[0])
    monkeypatch.setattr(service.conversations, "store", store)
    async with running_bot(server, service, bot_settings()):
        thread = await user_thread(server, "later")
        listing = await say(server, "which robotics papers did he write?", channel=thread, mention=True)
        now[0] += 1799  # still within the idle time
        second = await say(server, "the second one", channel=thread)
        chain = await say(server, "which robotics papers did he write?", mention=True)
        now[0] += 1800  # idle for the whole idle time: forgotten
        expired = await say(server, "the first one", channel=thread)
        reply = await say(server, "what about 2021?", reply_to=chain)  # a reply chain forgets the same way
    assert shown(second) == [shown(listing)[1]]
    assert embed(expired)["title"] == "Sorry" and "no earlier answer" in embed(expired)["description"]
    assert expired.message["components"] == [] and expired.content is None  # no paper, no note
    assert reply.content is None  # not a follow-up any more: 2021's papers, not the robotics ones of 2021
    assert shown(reply) == ids(service.papers(PaperFilter(year=2021)))


# --- what is not for the bot --------------------------------------------------------------------------------


async def test_what_is_not_for_the_bot_is_ignored(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server = discord_server
    other_bot = FakeMember(FakeUser(server.next_id(), "other-bot", bot=True))
    server.guild.members.append(other_bot)
    async with running_bot(server, seeded_service, bot_settings()):
        answer = await say(server, "What is RT-2?", mention=True)
        people = await server.send_message("what do you all think?", author=server.admin)
        not_to_bot = await server.send_message("the second one", reply_to=people)
        await assert_ignored(server, not_to_bot, "What is RT-1?", server.channel)

        from_a_bot = await server.send_message("compare it with RT-1", reply_to=answer, author=other_bot)
        await assert_ignored(server, from_a_bot, "What is VeLO?", server.channel)

        elsewhere = await user_thread(server, "not the bot's")  # never joined, never mentioned
        unjoined = await server.send_message("what is PaLM-E?", channel=elsewhere)
        await assert_ignored(server, unjoined, "what is Brax?", elsewhere)

        # followed since the probe's mention: a command there is answered by the command only
        listing = await server.send_message("!papers 2021", channel=elsewhere)
        page = await listing.response(30)
        await asyncio.sleep(0.3)
    assert not page.raw.get("message_reference") and "2021" in page.embeds[0]["description"]
    assert [r.index for r in server.outgoing if r.index > page.index] == []


# --- many conversations at once ---------------------------------------------------------------------------


FOLLOW_UPS = ["what were its results?", "who wrote it?", "what problem does it solve?", "how does it work?",
              "when was this paper published?"]  # fmt: skip


async def test_fifty_follow_ups_in_ten_threads_at_once_stay_in_their_threads(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, service = discord_server, seeded_service
    named = [(paper, head) for paper in service.papers(PaperFilter()) if (head := title_head(paper.title))][:10]
    assert len(named) == 10
    async with running_bot(server, service, bot_settings()):
        threads = [await user_thread(server, head) for _, head in named]
        firsts = await asyncio.gather(
            *(
                say(server, f"what is {head}?", channel=thread, mention=True)
                for thread, (_, head) in zip(threads, named, strict=True)
            )
        )
        assert [shown(first) for first in firsts] == [[paper.id] for paper, _ in named]
        sent = await asyncio.gather(
            *(server.send_message(text, channel=thread) for thread in threads for text in FOLLOW_UPS)
        )
        replies = await asyncio.gather(*(answer_to(server, message, timeout=180) for message in sent))
    for index, (message, reply) in enumerate(zip(sent, replies, strict=True)):
        paper, _ = named[index // len(FOLLOW_UPS)]
        assert reply.channel_id == message.channel_id
        assert shown(reply) == [paper.id] and reply.content.startswith(NOTE), (message.payload["content"], paper)
        assert votes(reply) == ["👍", "👎"]


# --- the scripted conversation ("Done when") ---------------------------------------------------------------


async def test_a_scripted_ten_turn_conversation_gets_the_right_papers_at_every_turn(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    """/ask in thread mode, then nine turns in the thread it opens, from two users, without mentions."""
    server, service = discord_server, seeded_service
    robotics_2021 = ids(service.papers(PaperFilter(category="RO", year=2021)))
    chosen = robotics_2021[1]
    velo = service.resolve_paper("VeLO").id
    rt1 = service.resolve_paper("RT-1").id
    script: list[tuple[str, str, list[str]]] = [  # (message, what the reply is, the papers it must show)
        ("which robotics papers did he write?", "listing", ids(service.papers(PaperFilter(category="RO")))),
        ("what about 2021?", "listing", robotics_2021),
        ("the second one", "answer", [chosen]),
        ("compare it with RT-1", "comparison", [chosen, rt1]),
        ("summarize the first one", "summary", [chosen]),
        ("similar to it", "similar", similar_ids(service, chosen, 0, 5)),
        ("more", "similar", similar_ids(service, chosen, 5, 10)),
        ("what is VeLO?", "answer", [velo]),
        ("what were its results?", "answer", [velo]),
        ("tell me more", "summary", [velo]),
    ]
    transcript = []
    async with running_bot(server, service, bot_settings()) as bot:
        bot.guild_settings.update(server.guild.id, {"thread_mode": True})
        reply = await (await server.slash_command("ask", {"question": script[0][0]})).response(60)
        await server.wait_for_message(lambda r: r.kind == "thread_create")
        [thread] = server.guild.threads
        replies, authors = [reply], [server.member]
        for turn, (message, _, _) in enumerate(script[1:], 2):
            authors.append(server.member if turn % 2 else server.admin)
            replies.append(await say(server, message, channel=thread, author=authors[-1]))
    for turn, ((message, kind, expected), reply) in enumerate(zip(script, replies, strict=True), 1):
        transcript.append(transcript_entry(turn, f"{authors[turn - 1].name}: {message}", reply, service))
        assert shown(reply) == expected, transcript[-1]
        assert (reply.content is not None) == (turn not in (1, 8)), transcript[-1]  # 1 and 8: questions of their own
        assert reply_kind(reply) == kind, transcript[-1]
    if os.environ.get(TRANSCRIPT_ENV):
        Path(os.environ[TRANSCRIPT_ENV]).write_text("\n\n".join(transcript) + "\n", encoding="utf-8")


def reply_kind(reply: Sent) -> str:
    """What a reply shows: a summary (its footer names the paper), similar papers, else the answer's intent."""
    first = embed(reply)
    if footer(first).startswith("id: "):
        return "summary"
    if first["title"].startswith("Papers similar to: "):
        return "similar"
    return {"definition": "answer", "lookup": "answer"}.get(footer(first), footer(first))


def transcript_entry(turn: int, message: str, reply: Sent, service: ResearchService) -> str:
    first = embed(reply)
    lines = (first.get("description") or "").splitlines()
    titles = [f"[{n}] {service.resolve_paper(paper_id).title}" for n, paper_id in enumerate(shown(reply), 1)]
    return "\n".join(
        [
            f"turn {turn} — {message}",
            *([f"  {reply.content.removeprefix('-# ')}"] if reply.content else []),
            f"  bot: {first['title']}" + (f" · {footer(first)}" if footer(first) else ""),
            *(f"    {line[:160]}" for line in lines[:2]),
            "  papers: " + "; ".join(titles),
        ]
    )
