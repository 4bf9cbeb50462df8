"""`research-bot run` when Discord is out of reach: bounded retries with one line each, one log handler, no
voice warnings; a fresh bot connects once Discord answers (REST or gateway). Discord is the local
protocol server, or a closed port on 127.0.0.1 where it should be."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path

import discord
import pytest
import yarl

import bot.runner
from bot.client import ResearchBot
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT, Settings
from tests.bot_fixtures import RUN_WITH_DISCORD_AT, SettingsFactory
from tests.chroma_fixtures import free_port
from tests.discord_fixtures import point_discord_at
from tests.discord_server import DiscordServer

pytest_plugins = ["tests.bot_fixtures"]

# The shape of a bot token (base64 of a user id, a timestamp part, an HMAC part); not a real one.
FAKE_TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GAbCdE.abcdefghijklmnopqrstuvwxyz0123456789AB"


class BotFactory:
    """Makes the runner's bots (one per attempt) and says when one is ready."""

    def __init__(self, settings: Settings, service: ResearchService) -> None:
        self.settings, self.service = settings, service
        self.made: list[ResearchBot] = []
        self.ready = asyncio.Event()

    def make(self) -> ResearchBot:
        research_bot = ResearchBot(self.settings, self.service, guild_ready_timeout=0.05)
        research_bot.add_listener(self._on_ready, "on_ready")
        self.made.append(research_bot)
        return research_bot

    async def _on_ready(self) -> None:
        self.ready.set()

    async def wait_until_ready(self, runner: asyncio.Task[None]) -> None:
        waiter = asyncio.create_task(self.ready.wait())
        await asyncio.wait({runner, waiter}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if runner.done():
            runner.result()  # raises what the runner raised
        assert self.ready.is_set(), "no bot became ready within 30 s"


def test_run_with_discord_unreachable_retries_then_exits_1_in_one_line(tmp_path: Path) -> None:
    """The real entry point in its own process: nothing but our lines on stderr, each once."""
    closed = f"http://127.0.0.1:{free_port()}/api/v10"
    env = {key: value for key, value in os.environ.items() if not key.startswith("RESEARCH_BOT_")}
    env |= {
        "PYTHONPATH": str(PROJECT_ROOT),  # this checkout's code, whatever the venv has installed
        "DISCORD_TOKEN": FAKE_TOKEN,
        "RESEARCH_BOT_CHROMA_PATH": str(tmp_path / "chroma"),
        "RESEARCH_BOT_DISCORD_CONNECT_ATTEMPTS": "3",
        "RESEARCH_BOT_DISCORD_CONNECT_RETRY_SECONDS": "0.01",
    }
    result = subprocess.run(
        [sys.executable, "-c", RUN_WITH_DISCORD_AT, closed],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stderr.splitlines()
    assert result.returncode == 1, result.stderr
    retries = [line for line in lines if "bot.runner: cannot reach Discord (Cannot connect to host 127.0.0.1" in line]
    assert len(retries) == 2, result.stderr
    assert retries[0].endswith("retrying in 0.01s (attempt 1 of 3)")
    assert retries[1].endswith("retrying in 0.02s (attempt 2 of 3)")
    assert lines[-1].startswith("Cannot reach Discord (Cannot connect to host 127.0.0.1")
    assert lines[-1].endswith("after 3 attempt(s); check the network, DNS, proxy or firewall (outages: "
                              "https://discordstatus.com).")  # fmt: skip
    # one handler: each login attempt is logged once, in one format
    assert sum("logging in using static token" in line for line in lines) == 3
    assert len(lines) == 3 + 2 + 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "voice will NOT be supported" not in result.stderr
    assert "\x1b[" not in result.stderr  # plain text when stderr is not a terminal
    assert FAKE_TOKEN not in result.stderr


@pytest.mark.usefixtures("restore_root_logging")
async def test_startup_retries_until_discord_answers(
    monkeypatch: pytest.MonkeyPatch,
    seeded_service: ResearchService,
    bot_settings: SettingsFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = DiscordServer(port=free_port())  # not listening yet: connections are refused
    point_discord_at(monkeypatch, server)
    settings = bot_settings(discord_token=server.token, discord_connect_attempts=3, discord_connect_retry_seconds=7)
    bots = BotFactory(settings, seeded_service)
    pauses: list[float] = []

    async def pause(seconds: float) -> None:  # Discord comes back while the runner waits
        pauses.append(seconds)
        await server.start()

    caplog.set_level(logging.INFO)
    runner = asyncio.create_task(bot.runner.start_with_retries(bots.make, server.token, pause=pause))
    try:
        await bots.wait_until_ready(runner)
        assert {command["name"] for command in server.commands[server.guild.id]} >= {"ask", "metrics"}
        await bots.made[-1].close()
        await asyncio.wait_for(runner, 10)
    finally:
        runner.cancel()
        await server.stop()
    assert pauses == [7] and len(bots.made) == 2 and bots.made[0].is_closed()
    [retry] = [record.getMessage() for record in caplog.records if record.name == "bot.runner"]
    assert retry.startswith(f"cannot reach Discord (Cannot connect to host 127.0.0.1:{server.port}")
    assert retry.endswith("retrying in 7s (attempt 1 of 3)")


@pytest.mark.usefixtures("restore_root_logging")
async def test_an_unreachable_gateway_at_startup_is_retried_in_one_line_each(
    discord_server: DiscordServer,
    monkeypatch: pytest.MonkeyPatch,
    seeded_service: ResearchService,
    bot_settings: SettingsFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """REST answers but the gateway refuses: discord.py's own first reconnect fails (it reads the websocket it
    never had); the runner starts a fresh bot instead, and the log stays one line per event."""
    server = discord_server
    closed_gateway = yarl.URL(f"ws://127.0.0.1:{free_port()}/ws")
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", closed_gateway)
    settings = bot_settings(discord_token=server.token, discord_connect_attempts=2, discord_connect_retry_seconds=0)
    bots = BotFactory(settings, seeded_service)

    async def pause(seconds: float) -> None:
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url))

    bot.runner.configure_logging()
    bot.runner.configure_logging()  # a second call adds nothing
    runner = asyncio.create_task(bot.runner.start_with_retries(bots.make, server.token, pause=pause))
    try:
        await bots.wait_until_ready(runner)
        await bots.made[-1].close()
        await asyncio.wait_for(runner, 10)
    finally:
        runner.cancel()
    err = capsys.readouterr().err
    assert len(bots.made) == 2
    assert "Traceback" not in err
    reconnect = f"discord.client: gateway connection failed (Cannot connect to host 127.0.0.1:{closed_gateway.port}"
    assert err.count(reconnect) == 1, err  # discord.py's own retry, shortened from a traceback to one line
    retry = f"bot.runner: cannot reach Discord (Cannot connect to host 127.0.0.1:{closed_gateway.port}"
    assert err.count(retry) == 1 and "retrying in 0s (attempt 1 of 2)" in err
    assert server.received_ops().count(2) == 1  # identified once, by the second bot


def test_retry_delays_double_up_to_a_minute() -> None:
    assert [bot.runner.retry_delay(2, attempt) for attempt in range(1, 8)] == [2, 4, 8, 16, 32, 60, 60]
    assert bot.runner.retry_delay(0, 3) == 0
