"""End to end: ResearchBot under faults and load (429s, a dropped gateway, 50 concurrent commands), the
sync and intent settings, and `research-bot run`'s exits for a rejected token or a refused intent."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time

import pytest

import bot.runner
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT
from tests.bot_fixtures import SettingsFactory, citation_numbers, only_embed, running_bot
from tests.discord_fixtures import ServerFactory
from tests.discord_server import INTENT_MESSAGE_CONTENT, DiscordServer

pytest_plugins = ["tests.bot_fixtures"]

DEV_QUESTIONS = PROJECT_ROOT / "tests" / "data" / "dev_questions.jsonl"


def answerable_questions(count: int) -> list[str]:
    rows = [json.loads(line) for line in DEV_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [row["question"] for row in rows if not row["abstain"] and len(row["question"]) <= 250]
    return list(dict.fromkeys(questions))[:count]


# --- faults -------------------------------------------------------------------------------------------


async def test_slash_reply_survives_429_burst(research_bot: DiscordServer) -> None:
    server = research_bot
    server.rate_limit_next("POST /webhooks/", times=3, retry_after=0.05)
    reply = await (await server.slash_command("ask", {"question": "What is RT-2?"})).response(timeout=30)
    assert reply.kind == "followup" and citation_numbers(only_embed(reply)["description"])
    assert len(server.rate_limited) == 3 and all(r.startswith("POST /webhooks/") for r in server.rate_limited)


async def test_prefix_reply_survives_429_burst(research_bot: DiscordServer) -> None:
    server = research_bot
    server.rate_limit_next("POST /channels/*/messages", times=3, retry_after=0.05)
    reply = await (await server.send_message("!ask What is RT-2?")).response(timeout=30)
    assert citation_numbers(only_embed(reply)["description"])
    assert len(server.rate_limited) == 3


async def test_gateway_drop_resumes_and_answers_the_queued_command(research_bot: DiscordServer) -> None:
    server = research_bot
    await server.drop_gateway()
    handle = await server.slash_command("ask", {"question": "What is RT-2?"})  # while disconnected
    reply = await handle.response(timeout=30)
    assert citation_numbers(only_embed(reply)["description"])
    assert 6 in server.received_ops()  # RESUME
    assert server.received_ops().count(2) == 1  # not re-identified
    assert server.gateway_connect_paths == ["/ws", "/ws/resume"]


async def test_fifty_concurrent_asks_keep_the_heartbeat(
    discord_server_factory: ServerFactory,
    seeded_service: ResearchService,
    bot_settings: SettingsFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = await discord_server_factory(heartbeat_interval_ms=500)
    caplog.set_level(logging.WARNING, logger="discord.gateway")
    questions = answerable_questions(50)
    assert len(questions) == 50
    users = [server.add_member(f"user{n}") for n in range(50)]
    async with running_bot(server, seeded_service, bot_settings(cooldown_rate=5)):
        await server.wait_for_op(1)  # first heartbeat
        started = time.monotonic()
        handles = await asyncio.gather(
            *(server.slash_command("ask", {"question": q}, user=u) for q, u in zip(questions, users, strict=True))
        )
        replies = await asyncio.gather(*(handle.response(timeout=120) for handle in handles))
        finished = time.monotonic()
        await asyncio.sleep(0.6)  # one more beat after the burst
    assert all(handle.records[0].callback_type == 5 for handle in handles)  # each acknowledged by a defer
    titles = [only_embed(reply)["title"] for reply in replies]
    assert [title.replace("\\", "") for title in titles] == questions  # each user got their own answer
    assert all(reply.kind == "followup" for reply in replies)
    assert not [r for r in caplog.records if "heartbeat blocked" in r.getMessage()]
    beats = server.heartbeat_times()
    during = [t for t in beats if started <= t <= finished + 0.6]
    assert len(during) >= int((finished - started) / 0.5) - 1, (len(during), finished - started)
    gaps = [later - earlier for earlier, later in itertools.pairwise(beats)]
    assert max(gaps) < 2.0, gaps
    assert server.errors == []


# --- sync and intents ------------------------------------------------------------------------------------


async def test_global_command_sync(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    async with running_bot(discord_server, seeded_service, bot_settings(discord_guild_ids=[])):
        names = {command["name"] for command in discord_server.commands[None]}
        assert {"ask", "summary", "metrics", "papers", "help"} <= names
        assert discord_server.guild.id not in discord_server.commands
        reply = await (await discord_server.slash_command("help")).response()
    assert only_embed(reply)["title"] == "research-bot"


async def test_without_message_content_intent_slash_commands_still_work(
    discord_server_factory: ServerFactory,
    seeded_service: ResearchService,
    bot_settings: SettingsFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RESEARCH_BOT_MESSAGE_CONTENT_INTENT", "false")
    settings = bot_settings()
    assert settings.message_content_intent is False
    server = await discord_server_factory(allowed_privileged_intents=0)  # the portal toggle is off
    async with running_bot(server, seeded_service, settings):
        [identify] = [frame["d"] for frame in server.gateway_received if frame["op"] == 2]
        assert not identify["intents"] & INTENT_MESSAGE_CONTENT
        slash = await (await server.slash_command("ask", {"question": "What is RT-2?"})).response(timeout=30)
        mention = await (await server.send_message(f"{server.bot_user.mention} what is RT-2?")).response(timeout=30)
    assert citation_numbers(only_embed(slash)["description"])
    assert citation_numbers(only_embed(mention)["description"])  # mentions carry content without the intent


# --- `research-bot run` ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("restore_root_logging")
async def test_run_with_a_rejected_token_exits_with_the_401_message(
    discord_server: DiscordServer,
    seeded_service: ResearchService,
    bot_settings: SettingsFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = "NzI.rejected-token-value.abc"
    code = await asyncio.to_thread(
        bot.runner.run_bot, ResearchService(bot_settings(discord_token=token), store=seeded_service.store)
    )
    assert code != 0 and code == bot.runner.EXIT_CONFIG
    err = capsys.readouterr().err
    assert bot.runner.BAD_TOKEN in err and "401" in err
    assert token not in err
    assert discord_server.requests.count("GET /users/@me") == 1 and "retrying" not in err  # never retried
    assert any("401" in error for error in discord_server.errors)


@pytest.mark.usefixtures("restore_root_logging")
async def test_run_with_the_intent_refused_exits_with_the_4014_message(
    discord_server_factory: ServerFactory,
    seeded_service: ResearchService,
    bot_settings: SettingsFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = await discord_server_factory(allowed_privileged_intents=0)
    code = await asyncio.to_thread(
        bot.runner.run_bot, ResearchService(bot_settings(discord_token=server.token), store=seeded_service.store)
    )
    assert code == bot.runner.EXIT_CONFIG
    err = capsys.readouterr().err
    assert bot.runner.INTENT_REFUSED in err
    assert "RESEARCH_BOT_MESSAGE_CONTENT_INTENT=false" in err and "Developer Portal" in err
    assert server.token not in err


@pytest.mark.usefixtures("restore_root_logging")
async def test_run_without_a_token_says_how_to_set_it(
    seeded_service: ResearchService,
    bot_settings: SettingsFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("RESEARCH_BOT_DISCORD_TOKEN", raising=False)
    for settings in (bot_settings(), bot_settings(discord_token="   ")):
        assert bot.runner.run_bot(ResearchService(settings, store=seeded_service.store)) == bot.runner.EXIT_CONFIG
        assert "No Discord token: set DISCORD_TOKEN" in capsys.readouterr().err
