"""Shards: the settings, the bot class they pick, and two sharded bots against the local Discord server, each
answering only the guilds of its shard. Also a bot whose store is down: it starts and says so."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import discord
import pytest
from pydantic import ValidationError

import bot.cli
from bot.client import ResearchBot, ShardedResearchBot, make_bot
from bot.runner import OneLineReconnects
from retrieval.errors import StoreUnavailableError
from retrieval.service import ResearchService
from tests.bot_fixtures import SettingsFactory, only_embed, running_bot, second_profile
from tests.chroma_fixtures import free_port
from tests.conftest import make_settings
from tests.discord_fixtures import ServerFactory, run_bot
from tests.discord_server import DiscordServer, Upload

pytest_plugins = ["tests.bot_fixtures"]


# --- settings and the bot class -------------------------------------------------------------------------


def test_shard_settings_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RESEARCH_BOT_SHARD_COUNT", "4")
    monkeypatch.setenv("RESEARCH_BOT_SHARD_IDS", "3, 1")
    settings = make_settings(tmp_path)
    assert (settings.shard_count, settings.shard_ids) == (4, [1, 3])
    monkeypatch.setenv("RESEARCH_BOT_SHARD_IDS", "")
    assert make_settings(tmp_path).shard_ids is None  # empty: every shard of the count


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"shard_ids": "0"}, "needs RESEARCH_BOT_SHARD_COUNT"),
        ({"shard_ids": "0,2", "shard_count": 2}, "shard ids run from 0 to 1 (RESEARCH_BOT_SHARD_COUNT=2): [2]"),
        ({"shard_ids": "-1", "shard_count": 2}, "[-1]"),
        ({"shard_ids": "1,1", "shard_count": 2}, "listed twice"),
        ({"shard_count": 0}, "greater than or equal to 1"),
    ],
)
def test_invalid_shard_settings_are_refused(values: dict[str, object], says: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=re.escape(says)):
        make_settings(tmp_path, **values)


def test_run_with_shard_ids_but_no_count_exits_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DISCORD_TOKEN", "unused")
    monkeypatch.setenv("RESEARCH_BOT_SHARD_IDS", "1")
    monkeypatch.delenv("RESEARCH_BOT_SHARD_COUNT", raising=False)
    assert bot.cli.main(["run"]) == 2
    assert capsys.readouterr().err == (
        "error: invalid setting: RESEARCH_BOT_SHARD_IDS: Value error, needs RESEARCH_BOT_SHARD_COUNT, "
        "the number of shards over every process (got '1')\n"
    )


def test_the_bot_class_follows_the_shard_settings(tmp_path: Path) -> None:
    plain = make_bot(make_settings(tmp_path), ResearchService(make_settings(tmp_path)))
    assert type(plain) is ResearchBot and plain.shard_count is None and plain.syncs_commands
    every = make_bot(make_settings(tmp_path, shard_count=3), ResearchService(make_settings(tmp_path)))
    assert type(every) is ShardedResearchBot and (every.shard_count, every.shard_ids) == (3, None)
    assert every.syncs_commands
    some = make_bot(make_settings(tmp_path, shard_count=4, shard_ids="2,3"), ResearchService(make_settings(tmp_path)))
    assert isinstance(some, ResearchBot) and (some.shard_count, some.shard_ids) == (4, [2, 3])
    assert not some.syncs_commands  # the process running shard 0 syncs the application's commands


def test_a_failed_shard_connection_is_logged_in_one_line() -> None:
    try:
        raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 9)")
    except OSError:
        record = logging.LogRecord(
            "discord.shard", logging.ERROR, __file__, 1, "Failed to connect for shard_id: %s. Retrying...", (1,),
            sys.exc_info(),
        )  # fmt: skip
    assert OneLineReconnects().filter(record)
    assert record.exc_info is None and record.levelname == "WARNING"
    assert record.getMessage() == (
        "gateway connection failed ([Errno 111] Connect call failed ('127.0.0.1', 9)); "
        "Failed to connect for shard_id: 1. Retrying..."
    )


# --- against the local Discord server -------------------------------------------------------------------------


async def test_each_shard_answers_only_its_guilds(
    discord_server_factory: ServerFactory, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> None:
    server = await discord_server_factory()
    first = server.guild  # its id is on shard 1 of 2
    second = server.add_guild("Second Guild", shard=0, shard_count=2)
    settings = [bot_settings(discord_guild_ids=[], shard_count=2, shard_ids=[shard]) for shard in (0, 1)]
    bots = [ShardedResearchBot(each, seeded_service, guild_ready_timeout=0.05) for each in settings]
    seen: list[list[int | None]] = [[], []]
    for shard, sharded_bot in enumerate(bots):
        sharded_bot.add_listener(recorder(seen[shard]), "on_interaction")
    async with run_bot(bots[0], server), run_bot(bots[1], server):
        for channel in (server.channel, second.channels[0]):
            reply = await (await server.slash_command("help", channel=channel)).response()
            assert only_embed(reply)["title"]
        assert [[guild.id for guild in sharded_bot.guilds] for sharded_bot in bots] == [[second.id], [first.id]]
    assert seen == [[second.id], [first.id]]
    assert sorted(server.identified_shards()) == [[0, 2], [1, 2]]
    assert (server.shard_guilds(0), server.shard_guilds(1)) == ({second.id}, {first.id})
    assert server.requests.count(f"PUT /applications/{server.application_id}/commands") == 1  # shard 0's process


def recorder(into: list[int | None]) -> Callable[[discord.Interaction], Awaitable[None]]:
    async def on_interaction(interaction: discord.Interaction) -> None:
        into.append(interaction.guild_id)

    return on_interaction


async def test_a_bot_whose_store_is_down_starts_and_says_so_for_every_command(
    discord_server: DiscordServer, bot_settings: SettingsFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """Chroma is not up yet (a closed port): the bot still connects; each command answers "unavailable", privately,
    and autocomplete offers nothing; the log has one line per failure, no traceback."""
    server = discord_server
    port = free_port()
    settings = bot_settings(chroma_host="127.0.0.1", chroma_port=port)
    caplog.set_level(logging.INFO)
    commands: list[tuple[str, dict[str, object]]] = [
        ("ask", {"question": "What is RT-2?"}),
        ("papers", {}),
        ("profiles", {}),
        ("metrics", {}),
        ("summary", {"paper": "RT-2"}),
        ("similar", {"paper": "RT-2"}),
        ("reload", {}),
        ("ingest", {"file": Upload("grace.txt", second_profile("Grace Hopper"))}),  # parses: then the store
    ]
    async with running_bot(server, ResearchService(settings), settings):
        for name, options in commands:
            reply = await (await server.slash_command(name, options, user=server.admin)).response()
            assert reply.ephemeral and only_embed(reply)["description"] == StoreUnavailableError.MESSAGE, name
        for name, options, focused in (
            ("ask", {"question": "x", "profile": "a"}, "profile"),
            ("settings", {"default_profile": "a"}, "default_profile"),
        ):
            choices = await (await server.autocomplete(name, options, focused=focused, user=server.admin)).callback()
            assert choices.choices == [], name
        mention = await (await server.send_message(f"{server.bot_user.mention} what is RT-2?")).response()
        assert only_embed(mention)["description"] == StoreUnavailableError.MESSAGE
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    reason = f"Chroma server 127.0.0.1:{port}: ConnectError: [Errno 111] Connection refused"
    assert (
        warnings[0] == f"the paper store is unavailable ({reason}); starting anyway, commands say so until it is back"
    )
    assert warnings[1:] == [f"the paper store is unavailable: {reason}"] * (len(commands) + 1)
    assert not [record for record in caplog.records if record.exc_info]


async def test_an_action_under_an_answer_says_the_store_is_unavailable_and_logs_why(
    discord_server: DiscordServer,
    seeded_service: ResearchService,
    bot_settings: SettingsFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server, port = discord_server, free_port()
    rt2 = seeded_service.resolve_paper("RT-2").id
    async with running_bot(server, seeded_service, bot_settings()) as bot:
        answer = await (await server.slash_command("ask", {"question": "What is RT-2?"})).response(timeout=60)
        bot.service = ResearchService(bot_settings(chroma_host="127.0.0.1", chroma_port=port))  # the store goes away
        picked = await (await server.choose_options(answer, [rt2], placeholder="Summarize…")).response(timeout=30)
    assert picked.ephemeral and only_embed(picked)["description"] == StoreUnavailableError.MESSAGE
    warnings = [record.getMessage() for record in caplog.records if record.name == "bot.errors"]
    assert warnings == [f"the paper store is unavailable: Chroma server 127.0.0.1:{port}: ConnectError: [Errno 111] "
                        "Connection refused"]  # fmt: skip
    assert not [record for record in caplog.records if record.exc_info]
