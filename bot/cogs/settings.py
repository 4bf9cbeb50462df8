"""/settings (admins): this server's default profile, thread mode, answering in threads without a mention, and the
cooldown; kept in the SQLite file (bot/guild_settings.py), so they survive restarts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from discord import app_commands
from discord.ext import commands

from bot.autocomplete import NO_PROFILE, setting_profile_autocomplete
from bot.checks import admin_only
from bot.formatting import render_settings
from bot.guild_settings import FIELDS
from bot.sending import send_messages

if TYPE_CHECKING:
    from bot.client import ResearchBot


class SettingsFlags(commands.FlagConverter):
    """Slash options; with the prefix, `!settings cooldown_rate: 3 thread_mode: yes`. Only what is given changes."""

    default_profile: str | None = commands.flag(
        default=None, description="Profile for commands that name none; `none`: the bot's default"
    )
    thread_mode: bool | None = commands.flag(default=None, description="An /ask answer opens a thread")
    answer_without_mention: bool | None = commands.flag(
        default=None, description="Answer in the bot's threads without being mentioned"
    )
    cooldown_rate: commands.Range[int, 0, 1000] | None = commands.flag(
        default=None, description="Commands a user may run per window (0: no cooldown)"
    )
    cooldown_seconds: commands.Range[float, 1, 86400] | None = commands.flag(
        default=None, description="Length of the cooldown window, in seconds"
    )
    reset: bool = commands.flag(default=False, description="Put every setting back to the bot's default first")


class SettingsCog(commands.Cog, name="Settings"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot

    @commands.hybrid_command(
        name="settings",
        description="Admin: show or set this server's default profile, threads, cooldown.",
        usage="[default_profile] [thread_mode] [answer_without_mention] [cooldown_rate] [cooldown_seconds] [reset]",
    )
    @app_commands.autocomplete(default_profile=setting_profile_autocomplete)
    @app_commands.default_permissions(manage_guild=True)
    @commands.guild_only()
    @admin_only()
    async def settings(self, ctx: commands.Context, *, flags: SettingsFlags) -> None:
        await ctx.defer(ephemeral=True)
        guild_id = ctx.guild.id  # type: ignore[union-attr]  # guild_only
        changes: dict[str, Any] = {name: getattr(flags, name) for name in FIELDS if getattr(flags, name) is not None}
        profile = changes.get("default_profile")
        if profile is not None:  # checked before anything is written: an unknown profile changes nothing
            service = self.bot.service
            changes["default_profile"] = (
                None if profile.casefold() == NO_PROFILE else await service.run(service.resolve_profile, profile)
            )
        store = self.bot.guild_settings
        if flags.reset:
            await self.bot.service.run(store.reset, guild_id)
        if changes:
            await self.bot.service.run(store.update, guild_id, changes)
        await send_messages(ctx.send, render_settings(self.bot.guild_preferences(guild_id)), ephemeral=True)
