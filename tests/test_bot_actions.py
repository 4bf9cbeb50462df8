"""End to end: the actions under every answer (Summarize…, Similar papers, 👍/👎 with a reason), feedback that is
kept across restarts and exported, /feedback, /settings, and ambiguous titles resolved from a menu. The real
discord.py bot against the local Discord-protocol server; the database is a real SQLite file per test."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.formatting import escape_user_text
from retrieval.database import Database
from retrieval.errors import AmbiguousPaperError
from retrieval.feedback import FeedbackStore, development_questions
from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.service import ResearchService
from tests.bot_fixtures import SettingsFactory, field, only_embed, running_bot, second_profile
from tests.conftest import service_at
from tests.discord_server import DiscordServer, OutgoingMessage

pytest_plugins = ["tests.bot_fixtures"]

CITES_TWO = "how's palm-e different from rt-2?"
CITES_ONE = "What is RT-2?"
UNCOVERED = "does he have anything on drone swarm coordination?"


def components(message: OutgoingMessage | dict[str, Any]) -> list[dict[str, Any]]:
    stored = message.message if isinstance(message, OutgoingMessage) else message
    return [child for row in (stored or {}).get("components") or [] for child in row["components"]]


def select(message: OutgoingMessage, placeholder: str) -> dict[str, Any]:
    [menu] = [c for c in components(message) if c["type"] == 3 and c.get("placeholder") == placeholder]
    return menu


def vote_button(message: OutgoingMessage, thumb: str) -> str:
    [button] = [c for c in components(message) if c["type"] == 2 and (c.get("emoji") or {}).get("name") == thumb]
    return button["custom_id"]


async def ask(server: DiscordServer, question: str, **options: Any) -> OutgoingMessage:
    return await (await server.slash_command("ask", {"question": question, **options})).response(timeout=60)


def stored_feedback(database_file: Path) -> FeedbackStore:
    return FeedbackStore(Database(database_file))


# --- Summarize / Similar ------------------------------------------------------------------------------------


async def test_summarize_and_similar_offer_the_cited_papers(
    research_bot: DiscordServer, seeded_service: ResearchService
) -> None:
    server = research_bot
    reply = await ask(server, CITES_TWO)
    cited = [citation.id for citation in seeded_service.ask(CITES_TWO).citations]
    assert len(cited) == 2
    summarize, similar = select(reply, "Summarize…"), select(reply, "Similar papers to…")
    assert [option["value"] for option in summarize["options"]] == cited
    assert [option["value"] for option in similar["options"]] == cited
    assert summarize["options"][1]["label"].startswith("[2] ")

    # anyone may use them; the result is for whoever asked, not posted to the channel
    picked = await (
        await server.choose_options(reply, [cited[1]], placeholder="Summarize…", user=server.admin)
    ).response(timeout=30)
    summary = seeded_service.summary(cited[1])
    embed = only_embed(picked)
    assert picked.ephemeral and embed["title"] == summary.paper.title
    assert embed["description"] == f"**TL;DR** {summary.tldr}" and embed["footer"]["text"] == f"id: {cited[1]}"

    near = await (await server.choose_options(reply, [cited[0]], placeholder="Similar papers to…")).response(30)
    paper = seeded_service.resolve_paper(cited[0])
    expected = [f"**{hit.rank}.** {escape_user_text(hit.paper.title)} · " for hit in seeded_service.similar(cited[0])]
    embed = only_embed(near)
    assert near.ephemeral and embed["title"] == f"Papers similar to: {paper.title}"
    lines = embed["description"].splitlines()
    assert len(lines) == len(expected) == 5 and all(map(str.startswith, lines, expected))


async def test_one_cited_paper_gets_a_similar_button(
    research_bot: DiscordServer, seeded_service: ResearchService
) -> None:
    server = research_bot
    reply = await ask(server, CITES_ONE)
    [cited] = [citation.id for citation in seeded_service.ask(CITES_ONE).citations]
    assert [option["value"] for option in select(reply, "Summarize…")["options"]] == [cited]
    near = await (await server.click_button(reply, label="Similar papers")).response(timeout=30)
    assert only_embed(near)["title"] == f"Papers similar to: {seeded_service.resolve_paper(cited).title}"


async def test_an_abstention_offers_its_nearest_papers_and_a_metrics_answer_only_votes(
    research_bot: DiscordServer, seeded_service: ResearchService
) -> None:
    server = research_bot
    abstained = await ask(server, UNCOVERED)
    nearest = [paper.id for paper in seeded_service.ask(UNCOVERED).suggestions]
    assert nearest and [option["value"] for option in select(abstained, "Summarize…")["options"]] == nearest
    metrics = await ask(server, "what is his h-index?")
    assert [(c["type"], c["emoji"]["name"]) for c in components(metrics)] == [(2, "👍"), (2, "👎")]


async def test_prefix_and_mention_answers_carry_the_actions(research_bot: DiscordServer) -> None:
    server = research_bot
    prefix = await (await server.send_message(f"!ask {CITES_ONE}")).response(timeout=60)
    mention = await (await server.send_message(f"{server.bot_user.mention} {CITES_ONE}")).response(timeout=60)
    for reply in (prefix, mention):
        assert vote_button(reply, "👍") != vote_button(reply, "👎")
        assert select(reply, "Summarize…")["options"]
    assert vote_button(prefix, "👍") != vote_button(mention, "👍")  # each answer is its own record


# --- feedback ----------------------------------------------------------------------------------------------


async def test_votes_reasons_and_one_vote_per_person(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, settings = discord_server, bot_settings()
    async with running_bot(server, seeded_service, settings):
        reply = await ask(server, CITES_TWO)
        up, down = vote_button(reply, "👍"), vote_button(reply, "👎")

        thanks = await (await server.click_button(reply, up, user=server.member)).response()
        assert thanks.ephemeral and thanks.content == "Thanks, your vote is recorded: 👍."
        again = await (await server.click_button(reply, up, user=server.member)).response()
        assert again.ephemeral and again.content == "You already rated this answer 👍; each person's vote counts once."

        form = await (await server.click_button(reply, down, user=server.member)).response()
        assert form.callback_type == 9 and form.data["title"] == "What was wrong with this answer?"
        done = await (await server.submit_modal(form, {"rb:reason": "it left out RT-1"})).response()
        assert done.ephemeral and done.content == "Thanks, your vote is changed to 👎."

        other = await (await server.click_button(reply, down, user=server.admin)).response()
        assert other.callback_type == 9  # a second person votes on their own; closing the form keeps the vote
        reopened = await (await server.click_button(reply, down, user=server.admin)).response()
        assert reopened.callback_type == 9  # 👎 without a reason yet: the form again, still one vote
    entries = stored_feedback(settings.database_file).entries()
    assert [(e.vote, e.reason) for e in entries] == [(-1, "it left out RT-1"), (-1, None)]
    member, admin = entries
    assert member.question == CITES_TWO and member.intent == "comparison"
    assert member.answer == seeded_service.ask(CITES_TWO).answer
    assert [c["id"] for c in member.citations] == [c.id for c in seeded_service.ask(CITES_TWO).citations]
    assert member.plan and member.plan["intent"] == "comparison"
    assert (member.guild_id, member.channel_id, member.message_id) == (
        str(server.guild.id),
        str(server.channel.id),
        str(reply.message_id),
    )
    assert member.voter != admin.voter and str(server.member.id) not in member.voter + admin.voter


async def test_actions_and_feedback_survive_a_restart(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, settings = discord_server, bot_settings()
    async with running_bot(server, seeded_service, settings):
        reply = await ask(server, CITES_TWO)
        await (await server.click_button(reply, vote_button(reply, "👍"), user=server.admin)).response()
    # a new bot (nothing of the first one's views in memory), the same server and database
    async with running_bot(server, seeded_service, settings):
        form = await (await server.click_button(reply, vote_button(reply, "👎"), user=server.member)).response()
        await (await server.submit_modal(form, {"rb:reason": "wrong emphasis"})).response()
        repeat = await (await server.click_button(reply, vote_button(reply, "👍"), user=server.admin)).response()
        assert repeat.content == "You already rated this answer 👍; each person's vote counts once."
        cited = select(reply, "Summarize…")["options"][0]["value"]
        summary = await (await server.choose_options(reply, [cited], placeholder="Summarize…")).response(30)
        assert only_embed(summary)["footer"]["text"] == f"id: {cited}"

        report = await (await server.slash_command("feedback", user=server.admin)).response(timeout=30)
        embed = only_embed(report)
        assert report.ephemeral and embed["description"] == "👍 1 · 👎 1"
        assert field(embed, "By intent") == "comparison: 👍 1 · 👎 1"
        assert field(embed, f"👎 {CITES_TWO}").startswith("“wrong emphasis”\n")
    assert server.errors == []


async def test_feedback_export_from_the_cli(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, settings = discord_server, bot_settings()
    async with running_bot(server, seeded_service, settings):
        liked, disliked = await ask(server, CITES_ONE), await ask(server, UNCOVERED)
        await (await server.click_button(liked, vote_button(liked, "👍"))).response()
        form = await (await server.click_button(disliked, vote_button(disliked, "👎"))).response()
        await (await server.submit_modal(form, {"rb:reason": "he has a swarm paper"})).response()

    def export(*flags: str) -> str:
        env = {**os.environ, "RESEARCH_BOT_DATABASE_PATH": str(settings.database_file)}
        done = subprocess.run(
            [sys.executable, "-m", "bot", "feedback", *flags], capture_output=True, text=True, env=env, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    rows = json.loads(export("--json"))
    assert [(row["question"], row["vote"], row["reason"]) for row in rows] == [
        (CITES_ONE, 1, None),
        (UNCOVERED, -1, "he has a swarm paper"),
    ]
    assert set(rows[0]) == {
        "id", "vote", "reason", "voter", "created_at", "updated_at", "question", "answer", "intent", "abstained",
        "plan", "citations", "guild_id", "channel_id", "message_id", "answer_id", "answered_at",
    }  # fmt: skip
    assert rows[1]["abstained"] is True and rows[1]["message_id"] == str(disliked.message_id)
    assert [row["question"] for row in json.loads(export("--json", "--negative"))] == [UNCOVERED]
    assert json.loads(export("--json", "--since", "2999-01-01")) == []
    [question] = [json.loads(line) for line in export("--jsonl-questions", "--negative").splitlines()]
    assert question["question"] == UNCOVERED and question["feedback"]["reasons"] == ["he has a swarm paper"]
    assert "1 vote(s)" not in export() and export().rstrip().endswith("2 vote(s): 👍 1, 👎 1")


async def test_a_vote_on_a_follow_up_keeps_the_question_it_stood_for(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    """Two conversations' "the second one" are two questions: each record holds the question it was read as."""
    server, settings = discord_server, bot_settings()
    questions = ["which robotics papers did he write?", "newest papers on language models"]
    async with running_bot(server, seeded_service, settings):
        for question in questions:
            listing = await ask(server, question)
            follow_up = await (await server.send_message("the second one", reply_to=listing)).response(timeout=60)
            await (await server.click_button(follow_up, vote_button(follow_up, "👍"))).response()
    expected = []
    for number, question in enumerate(questions):
        seeded_service.converse(f"expected-{number}", question)
        reply = seeded_service.converse(f"expected-{number}", "the second one")
        assert reply.followup is not None
        expected.append(reply.followup.resolved_question)
    entries = stored_feedback(settings.database_file).entries()
    assert [entry.question for entry in entries] == expected and expected[0] != expected[1]
    assert [row["question"] for row in development_questions(entries)] == expected


# --- /settings --------------------------------------------------------------------------------------------


@pytest.fixture
def lab_service(fresh_service: ResearchService) -> ResearchService:
    """The seed profile and a second, three-paper one (Ada Lovelace)."""
    fresh_service.ingest()
    fresh_service.ingest_text(second_profile(), "ada.txt")
    return fresh_service


async def test_settings_persist_across_a_restart_and_apply(
    discord_server: DiscordServer, lab_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, settings = discord_server, bot_settings()
    async with running_bot(server, lab_service, settings):
        before = await (await server.slash_command("metrics", user=server.member)).response(timeout=30)
        assert only_embed(before)["title"] == "Ada Lovelace — metrics"  # the first profile
        handle = await server.slash_command(
            "settings",
            {"default_profile": "Igor Mordatch", "thread_mode": True, "cooldown_rate": 2, "cooldown_seconds": 60},
            user=server.admin,
        )
        shown = only_embed(await handle.response(timeout=30))
        assert field(shown, "Default profile") == "`igor-mordatch` *(set here)*"
        assert field(shown, "Cooldown") == "2 commands per 60 s per user *(set here)*"
        assert field(shown, "Answer in threads without a mention") == "on *(bot default)*"
    async with running_bot(server, lab_service, settings) as bot:
        preferences = bot.guild_preferences(server.guild.id)
        assert (preferences.default_profile, preferences.thread_mode, preferences.answer_without_mention) == (
            "igor-mordatch",
            True,
            True,
        )
        user = server.add_member("reader")  # a user of its own: cooldown buckets are shared by every bot
        metrics = await (await server.slash_command("metrics", user=user)).response(timeout=30)
        assert only_embed(metrics)["title"] == "Igor Mordatch — metrics"
        papers = await (await server.slash_command("papers", user=user)).response(timeout=30)
        assert only_embed(papers)["footer"]["text"] == "page 1/7 · 50 paper(s)"
        replies = [await (await server.slash_command("papers", user=user)).response(timeout=30) for _ in range(2)]
        assert only_embed(replies[0]) == only_embed(papers)  # 2 a minute: the second is listed, the third refused
        assert only_embed(replies[1])["description"].startswith("Slow down a little")
        named = await server.slash_command("papers", {"profile": "ada-lovelace"}, user=server.owner)
        assert only_embed(await named.response(timeout=30))["footer"]["text"] == "page 1/1 · 3 paper(s)"

        cleared = await (
            await server.slash_command("settings", {"default_profile": "none", "cooldown_rate": 0}, user=server.admin)
        ).response(timeout=30)
        assert field(only_embed(cleared), "Default profile").startswith("none: /ask and /papers cover every profile")
        assert field(only_embed(cleared), "Cooldown") == "off *(set here)*"
        reset = await (await server.slash_command("settings", {"reset": True}, user=server.admin)).response(30)
        assert field(only_embed(reset), "Thread mode (an /ask answer opens a thread)") == "off *(bot default)*"


async def test_an_unknown_profile_changes_nothing(
    discord_server: DiscordServer, lab_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server = discord_server
    async with running_bot(server, lab_service, bot_settings()) as bot:
        handle = await server.slash_command(
            "settings", {"default_profile": "Grace Hopper", "thread_mode": True}, user=server.admin
        )
        refused = only_embed(await handle.response(timeout=30))
        assert refused["title"] == "Sorry" and "No profile named 'Grace Hopper'" in refused["description"]
        assert bot.guild_preferences(server.guild.id).customized == frozenset()


async def test_actions_on_another_profiles_paper_and_on_a_paper_gone_from_the_store(
    discord_server: DiscordServer, tmp_path: Path, embeddings: MiniLMEmbeddings, bot_settings: SettingsFactory
) -> None:
    server = discord_server
    service = service_at(tmp_path / "chroma", embeddings, default_profile="ada-lovelace")
    service.ingest()
    service.ingest_text(second_profile(), "ada.txt")
    async with running_bot(server, service, bot_settings(default_profile="ada-lovelace")):
        # asked of every profile: the cited papers are Igor Mordatch's, not the default profile's
        reply = await ask(server, CITES_ONE, profile="all")
        igor = [o["value"] for o in select(reply, "Summarize…")["options"] if o["value"].startswith("igor-mordatch:")]
        summary = await (await server.choose_options(reply, igor[:1], placeholder="Summarize…")).response(30)
        assert only_embed(summary)["footer"]["text"] == f"id: {igor[0]}"

        newest = await ask(server, "anything recent from her?")
        offered = [option["value"] for option in select(newest, "Summarize…")["options"]]
        assert len(offered) == 3
        service.ingest_text(second_profile(papers=1), "ada.txt")  # two of her three papers leave the store
        gone = sorted(set(offered) - {paper.id for paper in service.papers()})
        assert len(gone) == 2
        refused = await (await server.choose_options(newest, gone[:1], placeholder="Summarize…")).response(timeout=30)
        assert refused.ephemeral and only_embed(refused)["description"].startswith("No paper matches")

        with Database(bot_settings().database_file).transaction() as connection:
            connection.execute("DELETE FROM answers")  # as the retention does for answers nobody rated
        stale = await (await server.click_button(newest, vote_button(newest, "👍"))).response()
        assert stale.ephemeral and stale.content.startswith("This answer can no longer be rated")
    assert server.errors == []


@pytest.mark.parametrize(("command", "options"), [("settings", {"thread_mode": True}), ("feedback", {})])
async def test_only_admins_see_settings_and_feedback(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory, command: str,
    options: dict[str, Any],
) -> None:  # fmt: skip
    server = discord_server
    async with running_bot(server, seeded_service, bot_settings()) as bot:
        assert int(server.find_command(command)[0]["default_member_permissions"]) == 1 << 5  # Manage Server
        refused = await (await server.slash_command(command, options, user=server.member)).response(timeout=30)
        assert refused.ephemeral and only_embed(refused)["description"].startswith("This command is for server admins")
        prefix = await (await server.send_message(f"!{command}", author=server.member)).response(timeout=30)
        assert only_embed(prefix)["description"].startswith("This command is for server admins")
        assert bot.guild_preferences(server.guild.id).customized == frozenset()
        allowed = await (await server.slash_command(command, options, user=server.admin)).response(timeout=30)
        assert allowed.ephemeral and only_embed(allowed)["title"] != "Sorry"


# --- ambiguous titles -------------------------------------------------------------------------------------


async def test_an_ambiguous_title_is_picked_from_a_menu(
    research_bot: DiscordServer, seeded_service: ResearchService
) -> None:
    server = research_bot
    handle = await server.slash_command("summary", {"paper": "gemini"}, user=server.member)
    prompt = await handle.response(timeout=30)
    with pytest.raises(AmbiguousPaperError) as ambiguous:
        seeded_service.resolve_paper("gemini")
    [menu] = components(prompt)
    assert prompt.content == "Several papers match “gemini”. Which one?"
    labels = [option["label"] for option in menu["options"]]
    assert labels == [
        paper.title[:99] + "…" if len(paper.title) > 100 else paper.title for paper in ambiguous.value.papers
    ]
    assert len(labels) == 2

    stranger = await (await server.choose_options(prompt, ["1"], user=server.admin)).response()
    assert stranger.ephemeral and stranger.content.startswith("Only the person who ran the command can pick")
    await server.choose_options(prompt, ["1"], user=server.member)
    summary = await handle.wait_for(lambda r: r.kind == "followup" and bool(r.embeds) and r is not prompt, 30)
    assert only_embed(summary)["title"] == ambiguous.value.papers[1].title
    await server.wait_until(lambda: prompt.message_id not in server.messages, 10, "the prompt to be deleted")


async def test_similar_with_an_ambiguous_title_and_a_menu_that_times_out(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server = discord_server
    async with running_bot(server, seeded_service, bot_settings(choice_timeout_seconds=0.5)):
        prompt = await (await server.send_message("!similar RT", author=server.member)).response(timeout=30)
        [menu] = components(prompt)
        assert sorted(option["label"][:4] for option in menu["options"]) == ["RT-1", "RT-2"]
        expired = await server.wait_for_message(
            lambda r: r.kind == "channel_edit" and r.message_id == prompt.message_id
        )
        assert expired.message and expired.message["content"] == "No paper was picked in time."
        assert components(expired.message)[0]["disabled"] is True
        with pytest.raises(ValueError, match="disabled"):
            await server.choose_options(prompt, ["0"], user=server.member)
        await asyncio.sleep(0.2)
        assert not any(r.kind == "channel_message" and r.embeds for r in server.outgoing[prompt.index + 1 :])


async def test_concurrent_votes_through_discord_are_all_kept(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server, settings = discord_server, bot_settings()
    voters = [server.add_member(f"voter{n}") for n in range(50)]
    async with running_bot(server, seeded_service, settings):
        reply = await ask(server, CITES_ONE)
        up = vote_button(reply, "👍")
        handles = await asyncio.gather(*(server.click_button(reply, up, user=voter) for voter in voters))
        answers = await asyncio.gather(*(handle.response(timeout=30) for handle in handles))
    assert {answer.content for answer in answers} == {"Thanks, your vote is recorded: 👍."}
    assert len(stored_feedback(settings.database_file).entries()) == 50
