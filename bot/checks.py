"""Checks and cooldowns shared by the cogs."""

from __future__ import annotations

from discord.ext import commands


def admin_only():
    """Manage Server permission in this guild, or the bot's owner (applies to slash and prefix alike)."""

    async def predicate(ctx: commands.Context) -> bool:
        if await ctx.bot.is_owner(ctx.author):
            return True
        permissions = getattr(ctx.author, "guild_permissions", None)
        if permissions is not None and permissions.manage_guild:
            return True
        raise commands.MissingPermissions(["manage_guild"])

    return commands.check(predicate)


def _per_user_cooldown(ctx: commands.Context) -> commands.Cooldown | None:
    settings = ctx.bot.settings
    if settings.cooldown_rate <= 0:
        return None
    return commands.Cooldown(settings.cooldown_rate, settings.cooldown_seconds)


def per_user_cooldown():
    """`cooldown_rate` commands per `cooldown_seconds` per user (Settings); 0 turns it off."""
    return commands.dynamic_cooldown(_per_user_cooldown, commands.BucketType.user)
