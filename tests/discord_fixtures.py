"""pytest fixtures that run a real discord.py bot against `tests.discord_server.DiscordServer`.

Use as a plugin (``pytest_plugins = ["tests.discord_fixtures"]``) or import what you need::

    async def test_ping(discord_server):
        bot = MyBot(...)  # tip: pass guild_ready_timeout=0.05, or on_ready waits 2 s
        async with run_bot(bot, discord_server):
            handle = await discord_server.slash_command("ping")
            assert (await handle.response()).embeds

(PYTEST_DONT_REWRITE: this module has no asserts, and test modules import it directly.)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import discord
import pytest
import pytest_asyncio
import yarl
from discord.ext import commands

from tests.discord_server import DiscordServer

ServerFactory = Callable[..., Awaitable[DiscordServer]]


def point_discord_at(monkeypatch: pytest.MonkeyPatch, server: DiscordServer) -> None:
    """Send discord.py's REST calls and gateway connections to ``server`` (undone by monkeypatch)."""
    monkeypatch.setattr(discord.http.Route, "BASE", server.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url))


@pytest_asyncio.fixture
async def discord_server_factory(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ServerFactory]:
    """``await factory(**DiscordServer kwargs)``: a started server discord.py points at.

    For tests that need a non-default server (other token, refused privileged intents, ...).
    Every server is stopped at teardown.
    """
    servers: list[DiscordServer] = []

    async def start(**config: Any) -> DiscordServer:
        server = await DiscordServer(**config).start()
        servers.append(server)
        point_discord_at(monkeypatch, server)
        return server

    yield start
    for server in reversed(servers):
        await server.stop()


@pytest_asyncio.fixture
async def discord_server(discord_server_factory: ServerFactory) -> DiscordServer:
    """A started default `DiscordServer`; discord.py's REST base and gateway point at it."""
    return await discord_server_factory()


@contextlib.asynccontextmanager
async def run_bot(
    bot: commands.Bot, server: DiscordServer, token: str | None = None, *, timeout: float = 10.0
) -> AsyncIterator[commands.Bot]:
    """Run ``bot.start(token)`` (default: the server's token) for the duration of the block.

    Entering waits for ``on_ready``. discord.py runs ``setup_hook`` (e.g. ``tree.sync()``)
    before it connects to the gateway, so commands synced there are on the server by then.
    An exception from ``bot.start`` (``LoginFailure``, ``PrivilegedIntentsRequired``, ...)
    is raised on entry, or on exit if it happens later. Exit closes the bot.
    """
    ready = asyncio.Event()

    async def on_ready() -> None:
        ready.set()

    bot.add_listener(on_ready, "on_ready")
    task = asyncio.create_task(bot.start(token or server.token), name="discord-bot")
    try:
        await _wait_until_ready(task, ready, timeout)
    except BaseException:
        await _stop(bot, task)
        raise
    finally:
        bot.remove_listener(on_ready, "on_ready")
    try:
        yield bot
    except BaseException as error:
        failure = await _stop(bot, task)
        if failure is not None:
            error.add_note(f"the bot task also failed: {failure!r}")
        raise
    failure = await _stop(bot, task)
    if failure is not None:
        raise failure


async def _wait_until_ready(task: asyncio.Task[None], ready: asyncio.Event, timeout: float) -> None:
    waiter = asyncio.create_task(ready.wait())
    try:
        done, _ = await asyncio.wait({task, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
    if task in done:
        task.result()  # raises what bot.start() raised
        raise RuntimeError("bot.start() returned before the bot became ready")
    if not done:
        raise TimeoutError(f"the bot was not ready after {timeout}s")


async def _stop(bot: commands.Bot, task: asyncio.Task[None]) -> BaseException | None:
    """Close the bot, wait for ``bot.start`` to return, and hand back its exception, if any."""
    await bot.close()
    done, _ = await asyncio.wait({task}, timeout=10.0)
    if not done:
        task.cancel()
        return TimeoutError("bot.start() did not return within 10 s of bot.close()")
    return None if task.cancelled() else task.exception()
