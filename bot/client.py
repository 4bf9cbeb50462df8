"""`ResearchBot`: a commands.Bot that loads one cog per feature and never pings anyone; `ShardedResearchBot`, the
same on AutoShardedBot, runs the shards `shard_count` / `shard_ids` name (`make_bot` picks one from the settings)."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord.ext import commands

from bot.actions import ANSWER_ACTIONS
from bot.cogs import COGS
from bot.errors import report_command_error
from bot.guild_settings import GuildPreferences, GuildSettingsStore
from retrieval.database import Database
from retrieval.errors import StoreUnavailableError
from retrieval.feedback import FeedbackStore
from retrieval.ingest.profiles import NoProfileFilesError
from retrieval.service import ResearchService
from retrieval.settings import Settings
from retrieval.sources.service import SourceService

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
        self.database = Database(settings.database_file)
        self.feedback = FeedbackStore(self.database)
        self.guild_settings = GuildSettingsStore(self.database)
        self.sources = SourceService(settings, service, database=self.database)  # /researcher and the schedule
        self.fetch_lock = asyncio.Lock()  # one fetch at a time: two of one researcher would share a checkpoint

    async def setup_hook(self) -> None:
        try:
            report = await self.service.run(self.service.ensure_ingested)
        except StoreUnavailableError as error:  # e.g. started before the Chroma server: it answers once that is up
            log.warning("the paper store is unavailable (%s); starting anyway, commands say so until it is back",
                        error.reason)  # fmt: skip
        except NoProfileFilesError as error:  # researchers can still come from OpenAlex or arXiv (/researcher add)
            log.warning("the store is empty and %s; add researchers with /researcher add", error)
        else:
            if report is not None:
                log.info("store was empty: ingested %d papers from %s", report.added, self.settings.profiles_dir)
        await self.service.run(self.prepare_database)
        self.add_dynamic_items(*ANSWER_ACTIONS)  # the actions of answers sent before a restart keep working
        for cog in COGS:
            await self.add_cog(cog(self))
        if self.syncs_commands:
            await self.sync_commands()

    @property
    def syncs_commands(self) -> bool:
        """Commands belong to the application, not to a shard: one process syncs them, the one running shard 0."""
        return self.settings.shard_ids is None or 0 in self.settings.shard_ids

    def prepare_database(self) -> None:
        """Migrate both stores before the event loop reads them; forget old answers nobody rated."""
        self.guild_settings.migrate()
        self.feedback.migrate()
        forgotten = self.feedback.prune_unrated_answers(self.settings.answer_record_days)
        if forgotten:
            log.info(
                "forgot %d answer record(s) older than %d days that nobody rated",
                forgotten,
                self.settings.answer_record_days,
            )

    def guild_preferences(self, guild_id: int | None) -> GuildPreferences:
        """A guild's /settings over the bot-wide Settings (outside a guild: Settings alone)."""
        return self.guild_settings.preferences(guild_id, self.settings)

    def profile_for(self, guild: discord.abc.Snowflake | None, requested: str | None) -> str | None:
        """The profile a command names, else the one the guild set; None leaves it to the service (Settings'
        default_profile, else /ask: every profile when there are several, /metrics: the first; /papers: every
        profile)."""
        if requested or guild is None:
            return requested
        preferences = self.guild_preferences(guild.id)
        return preferences.default_profile if "default_profile" in preferences.customized else None

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

    async def close(self) -> None:
        await super().close()
        self.database.close()

    async def on_ready(self) -> None:
        self.has_been_ready = True
        user_id = getattr(self.user, "id", "?")
        log.info("logged in as %s (%s) in %d guild(s)%s", self.user, user_id, len(self.guilds), self.shards_text())

    def shards_text(self) -> str:
        return ""


class ShardedResearchBot(ResearchBot, commands.AutoShardedBot):
    """ResearchBot on AutoShardedBot: every shard of `shard_count`, or only `shard_ids`, each a gateway connection
    receiving the events of its guilds: those whose (id >> 22) % shard_count is the shard's id."""

    def __init__(self, settings: Settings, service: ResearchService, **options: object) -> None:
        super().__init__(settings, service, shard_count=settings.shard_count, shard_ids=settings.shard_ids, **options)

    def shards_text(self) -> str:
        ids = self.settings.shard_ids or range(self.settings.shard_count or 1)
        return f", shard(s) {','.join(map(str, ids))} of {self.settings.shard_count}"


def make_bot(settings: Settings, service: ResearchService, **options: object) -> ResearchBot:
    """ShardedResearchBot when a shard count is set, else the single-connection ResearchBot."""
    bot_class = ResearchBot if settings.shard_count is None else ShardedResearchBot
    return bot_class(settings, service, **options)
