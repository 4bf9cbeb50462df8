"""End to end: the admin commands (/reload, /ingest with an uploaded profile) on a store of their own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest_asyncio

from retrieval.service import ResearchService
from tests.bot_fixtures import SettingsFactory, only_embed, running_bot, second_profile
from tests.discord_server import FLAG_EPHEMERAL, DiscordServer, Upload

pytest_plugins = ["tests.bot_fixtures"]

REFUSAL = "This command is for server admins (Manage Server permission) or the bot owner."


@pytest_asyncio.fixture
async def admin_bot(
    discord_server: DiscordServer, fresh_service: ResearchService, bot_settings: SettingsFactory
) -> AsyncIterator[DiscordServer]:
    await asyncio.to_thread(fresh_service.ingest)  # the seed profile, before the bot starts
    async with running_bot(discord_server, fresh_service, bot_settings()):
        yield discord_server


def store_state(service: ResearchService) -> tuple[list[str], int]:
    return service.profile_ids(), len(service.papers())


async def test_admin_commands_refused_to_a_member(admin_bot: DiscordServer, fresh_service: ResearchService) -> None:
    server = admin_bot
    before = store_state(fresh_service)
    assert not server.guild.permissions_of(server.member) & (1 << 5)  # no Manage Server
    reload = await (await server.slash_command("reload", user=server.member)).response()
    upload = Upload("ada.txt", second_profile())
    ingest = await (await server.slash_command("ingest", {"file": upload}, user=server.member)).response()
    for reply in (reload, ingest):
        assert reply.callback_type == 4 and reply.flags & FLAG_EPHEMERAL
        assert only_embed(reply)["description"] == REFUSAL
    prefix = await (await server.send_message("!reload", author=server.member)).response()
    assert only_embed(prefix)["description"] == REFUSAL
    assert store_state(fresh_service) == before


async def test_reload_by_admin(admin_bot: DiscordServer) -> None:
    server = admin_bot
    handle = await server.slash_command("reload", user=server.admin)
    deferral = await handle.callback()
    assert deferral.callback_type == 5 and deferral.flags & FLAG_EPHEMERAL
    reply = await handle.response(timeout=60)
    assert reply.ephemeral
    embed = only_embed(reply)
    assert embed["title"] == "Profiles reloaded"
    assert "Profiles: igor-mordatch" in embed["description"] and "unchanged 50" in embed["description"]


async def test_ingest_upload_by_admin(admin_bot: DiscordServer, fresh_service: ResearchService) -> None:
    server = admin_bot
    upload = Upload("ada.txt", second_profile("Ada Lovelace", papers=3))
    reply = await (await server.slash_command("ingest", {"file": upload}, user=server.admin)).response(timeout=60)
    assert reply.ephemeral
    embed = only_embed(reply)
    assert embed["title"] == "Ingested ada.txt" and "added 3" in embed["description"]

    profiles = only_embed(await (await server.slash_command("profiles")).response())
    assert "**Ada Lovelace** (`ada-lovelace`) — 3 papers listed" in profiles["description"]
    assert "**Igor Mordatch**" in profiles["description"]
    assert sorted(fresh_service.profile_ids()) == ["ada-lovelace", "igor-mordatch"]


async def test_malformed_upload_refused_with_line_and_store_unchanged(
    admin_bot: DiscordServer, fresh_service: ResearchService
) -> None:
    server = admin_bot
    before = store_state(fresh_service)
    malformed = second_profile("Grace Hopper").replace(b"Nov 17, 2022", b"Nov 99, 2022")
    upload = Upload("grace.txt", malformed)
    reply = await (await server.slash_command("ingest", {"file": upload}, user=server.admin)).response(timeout=60)
    assert reply.ephemeral
    embed = only_embed(reply)
    assert embed["title"] == "Sorry"
    assert embed["description"].startswith("grace.txt:12: expected a valid date")
    assert store_state(fresh_service) == before
    assert "grace-hopper" not in fresh_service.profile_ids()


async def test_binary_upload_refused(admin_bot: DiscordServer, fresh_service: ResearchService) -> None:
    server = admin_bot
    before = store_state(fresh_service)
    upload = Upload("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    reply = await (await server.slash_command("ingest", {"file": upload}, user=server.admin)).response(timeout=60)
    assert reply.ephemeral and only_embed(reply)["description"].startswith("photo.png:")
    assert store_state(fresh_service) == before
