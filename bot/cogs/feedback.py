"""/feedback (admins): the votes on this server's answers, per intent, and the latest 👎 with their reasons.
The votes themselves come from the buttons under every answer (bot/actions.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands
from discord.ext import commands

from bot.checks import admin_only
from bot.formatting import LATEST_NEGATIVES, render_feedback
from bot.sending import send_messages

if TYPE_CHECKING:
    from bot.client import ResearchBot


class FeedbackCog(commands.Cog, name="Feedback"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot

    @commands.hybrid_command(name="feedback", description="Admin: 👍/👎 on this server's answers and the latest 👎.")
    @app_commands.default_permissions(manage_guild=True)
    @commands.guild_only()
    @admin_only()
    async def feedback(self, ctx: commands.Context) -> None:
        await ctx.defer(ephemeral=True)
        store, guild_id = self.bot.feedback, ctx.guild.id  # type: ignore[union-attr]  # guild_only
        counts = await self.bot.service.run(store.counts, guild_id=guild_id)
        negatives = await self.bot.service.run(
            store.entries, guild_id=guild_id, negative_only=True, newest_first=True, limit=LATEST_NEGATIVES
        )
        await send_messages(ctx.send, render_feedback(counts, negatives), ephemeral=True)
