"""`ResearchBot`: a commands.Bot that loads one cog per feature and never pings anyone."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.cogs import COGS
from bot.errors import report_command_error
from retrieval.service import ResearchService
from retrieval.settings import Settings

log = logging.getLogger(__name__)


def make_intents(settings: Settings) -> discord.Intents:
    intents = discord.Intents.default()
    # privileged: needed for prefix commands; mentions of the bot carry content without it
    intents.message_content = settings.message_content_intent
    return intents


def silence_voice_warnings() -> None:
    """The bot has no voice: discord.py's "PyNaCl / davey is not installed, voice will NOT be supported"
    warnings are noise. These class flags are how discord.py itself warns only once."""
    for flag in ("warn_nacl", "warn_dave"):
        if hasattr(discord.VoiceClient, flag):
            setattr(discord.VoiceClient, flag, False)


class ResearchBot(commands.Bot):
    def __init__(self, settings: Settings, service: ResearchService, **options: object) -> None:
        silence_voice_warnings()
        prefix = (
            commands.when_mentioned_or(settings.command_prefix)
            if settings.message_content_intent
            else commands.when_mentioned
        )
        super().__init__(
            command_prefix=prefix,
            intents=make_intents(settings),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            description="Cited answers, summaries and metrics from a researcher's papers.",
            **options,
        )
        self.settings = settings
        self.service = service
        self.has_been_ready = False  # set by on_ready; the runner retries startup only before it

    async def setup_hook(self) -> None:
        report = await self.service.run(self.service.ensure_ingested)
        if report is not None:
            log.info("store was empty: ingested %d papers from %s", report.added, self.settings.profiles_dir)
        for cog in COGS:
            await self.add_cog(cog(self))
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Guild sync is instant (development); global sync can take up to an hour to show in clients."""
        if self.settings.discord_guild_ids:
            for guild_id in self.settings.discord_guild_ids:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    async def on_command_error(self, ctx: commands.Context, error: commands.CommandError) -> None:
        await report_command_error(ctx, error)

    async def on_ready(self) -> None:
        self.has_been_ready = True
        log.info("logged in as %s (%s) in %d guild(s)", self.user, getattr(self.user, "id", "?"), len(self.guilds))
