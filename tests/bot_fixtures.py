"""Fixtures and helpers for end-to-end tests of the real `bot.client.ResearchBot` against `DiscordServer`.

The bot is unmodified and driven by the real discord.py client; assertions read what the server recorded.
Read-only tests share the session's seeded service; tests that write get a fresh store.
(PYTEST_DONT_REWRITE: no asserts here, test modules import it directly.)
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from PIL import Image

from bot.client import ResearchBot
from retrieval.service import ResearchService
from retrieval.settings import Settings
from tests.conftest import SEED_PROFILE, make_settings
from tests.discord_fixtures import run_bot
from tests.discord_server import DEFAULT_GUILD_ID, DiscordServer, OutgoingMessage

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# `research-bot run` (bot.cli.main) in a child process whose discord.py is pointed at a REST base (argv[1]) and,
# optionally, a gateway (argv[2]: a sharded bot connects there instead of asking GET /gateway/bot).
RUN_WITH_DISCORD_AT = (
    "import sys, discord, yarl\n"
    "discord.http.Route.BASE = sys.argv[1]\n"
    "if len(sys.argv) > 2: discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2])\n"
    "from bot.cli import main\n"
    "raise SystemExit(main(['run']))\n"
)
SettingsFactory = Callable[..., Settings]


@pytest.fixture
def bot_settings(tmp_path: Path) -> SettingsFactory:
    """``bot_settings(**overrides)``: guild sync to the fake guild, cooldown off unless a test turns it on."""

    def build(**overrides: object) -> Settings:
        values: dict[str, object] = {"discord_guild_ids": [DEFAULT_GUILD_ID], "cooldown_rate": 0}
        values.update(overrides)
        return make_settings(tmp_path / "bot-chroma", **values)

    return build


@contextlib.asynccontextmanager
async def running_bot(
    server: DiscordServer, service: ResearchService, settings: Settings
) -> AsyncIterator[ResearchBot]:
    """The real ResearchBot, connected to ``server`` and ready, for the duration of the block. Anything the
    server refused as over Discord's limits fails the test here, even if the test did not look."""
    bot = ResearchBot(settings, service, guild_ready_timeout=0.05)
    async with run_bot(bot, server):
        yield bot
    refused = [error for error in server.errors if "Invalid Form Body" in error]
    if refused:
        raise AssertionError(f"the Discord server refused what the bot sent: {refused}")


@pytest_asyncio.fixture
async def research_bot(
    discord_server: DiscordServer, seeded_service: ResearchService, bot_settings: SettingsFactory
) -> AsyncIterator[DiscordServer]:
    """The default server with ResearchBot (seeded store, guild sync, no cooldown) connected."""
    async with running_bot(discord_server, seeded_service, bot_settings()):
        yield discord_server


@pytest.fixture
def restore_root_logging() -> Iterator[None]:
    """Undo the handler that `research-bot run` (bot.runner.configure_logging) installs on the root logger."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


# --- reading what the bot sent -----------------------------------------------------------------------


def creates_message(record: OutgoingMessage) -> bool:
    """A record that posted a visible message (not a deferral, an edit or an autocomplete answer)."""
    if record.kind == "interaction_callback":
        return record.callback_type == 4
    return record.kind in ("channel_message", "followup")


def pings_no_one(allowed_mentions: dict[str, Any] | None) -> bool:
    return (
        allowed_mentions is not None
        and allowed_mentions.get("parse") == []
        and not allowed_mentions.get("users")
        and not allowed_mentions.get("roles")
        and not allowed_mentions.get("replied_user")
    )


def only_embed(record: OutgoingMessage) -> dict[str, Any]:
    [embed] = record.embeds
    return embed


def field(embed: dict[str, Any], name: str) -> str:
    """The value of the embed field called ``name`` (KeyError if absent)."""
    for embed_field in embed.get("fields") or []:
        if embed_field["name"] == name:
            return embed_field["value"]
    raise KeyError(f"no field {name!r} in {[f['name'] for f in embed.get('fields') or []]}")


def field_names(embed: dict[str, Any]) -> list[str]:
    return [embed_field["name"] for embed_field in embed.get("fields") or []]


def footer(embed: dict[str, Any]) -> str:
    return (embed.get("footer") or {}).get("text", "")


def citation_numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d+)\]", text)}


def is_valid_png(data: bytes) -> bool:
    if not data.startswith(PNG_SIGNATURE):
        return False
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:
        return False
    return True


def buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The buttons of a stored message, by label."""
    return {
        child["label"]: child
        for row in message.get("components") or []
        for child in row.get("components") or []
        if child.get("type") == 2
    }


def second_profile(name: str = "Ada Lovelace", papers: int = 3, first: int = 0) -> bytes:
    """A valid profile file: the seed profile renamed and cut to ``papers`` papers, from its ``first`` one on."""
    lines = SEED_PROFILE.read_text(encoding="utf-8").split("\n")
    date_line = re.compile(r"^[A-Z-]+[A-Z][a-z]{2} \d{1,2}, \d{4}")
    starts = [index for index, line in enumerate(lines) if date_line.match(line)]
    return "\n".join([name, *lines[1 : starts[0]], *lines[starts[first] : starts[first + papers]]]).encode()
