"""Checks and cooldowns shared by the cogs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from discord.ext import commands

if TYPE_CHECKING:
    from bot.client import ResearchBot


async def require_admin(ctx: commands.Context) -> bool:
    """Manage Server permission in this guild, or the bot's owner; else MissingPermissions."""
    if await ctx.bot.is_owner(ctx.author):
        return True
    permissions = getattr(ctx.author, "guild_permissions", None)
    if permissions is not None and permissions.manage_guild:
        return True
    raise commands.MissingPermissions(["manage_guild"])


def admin_only():
    """`require_admin` as a command check (applies to slash and prefix alike)."""
    return commands.check(require_admin)


def _limits(bot: ResearchBot, source: Any) -> tuple[int, float]:
    """(rate, seconds) where `source` (a Context or a Message) was sent: the guild's /settings, else Settings."""
    preferences = bot.guild_preferences(source.guild.id if source.guild else None)
    return preferences.cooldown_rate, preferences.cooldown_seconds


def guild_cooldown(bot: ResearchBot, source: Any) -> commands.Cooldown | None:
    rate, seconds = _limits(bot, source)
    return commands.Cooldown(rate, seconds) if rate > 0 else None


def cooldown_key(bot: ResearchBot, source: Any) -> tuple[Any, ...]:
    """Per user and guild; the limits are part of the key, so a /settings change applies at once."""
    return (source.guild and source.guild.id, source.author.id, *_limits(bot, source))


def per_user_cooldown():
    """`cooldown_rate` commands per `cooldown_seconds` per user and guild (the guild's /settings, else Settings);
    a rate of 0 turns it off."""
    return commands.dynamic_cooldown(lambda ctx: guild_cooldown(ctx.bot, ctx), lambda ctx: cooldown_key(ctx.bot, ctx))


def mention_cooldowns(bot: ResearchBot) -> commands.DynamicCooldownMapping:
    """The same limits for questions asked by mentioning the bot (a Message, not a command)."""
    return commands.DynamicCooldownMapping(
        lambda message: guild_cooldown(bot, message), lambda message: cooldown_key(bot, message)
    )
