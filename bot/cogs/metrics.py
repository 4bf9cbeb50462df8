"""/metrics: the latest snapshot with aggregates, history and the chart attached."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.autocomplete import profile_autocomplete
from bot.checks import per_user_cooldown
from bot.formatting import render_metrics
from bot.sending import send_messages

if TYPE_CHECKING:
    from bot.client import ResearchBot

CHART_FILENAME = "metrics.png"


class MetricsCog(commands.Cog, name="Metrics"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot

    @commands.hybrid_command(name="metrics", description="h-index, citations, papers per year and category, chart.")
    @app_commands.describe(profile="Profile id or name (default: this server's, else the configured one)")
    @app_commands.autocomplete(profile=profile_autocomplete)
    @per_user_cooldown()
    async def metrics(self, ctx: commands.Context, *, profile: str | None = None) -> None:
        async with ctx.typing():  # slash: defers (public); prefix: shows typing
            service = self.bot.service
            report = await service.run(service.metrics, self.bot.profile_for(ctx.guild, profile))
            chart = await service.run(service.metrics_chart, report.profile)
            file = discord.File(io.BytesIO(chart), filename=CHART_FILENAME)
            await send_messages(ctx.send, render_metrics(report, CHART_FILENAME), file=file)
