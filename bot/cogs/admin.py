"""Admin only (Manage Server or the bot owner): /reload re-ingests data/profiles, /ingest takes an upload."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import admin_only
from bot.formatting import escape_user_text, make_embed
from bot.names import names_list
from retrieval.models import IngestReport

if TYPE_CHECKING:
    from bot.client import ResearchBot


def render_ingest_embed(title: str, report: IngestReport) -> discord.Embed:
    return make_embed(
        title,
        f"Profiles: {escape_user_text(names_list(report.profiles))}\n"
        f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
        f"removed {report.removed}; metric snapshots added {report.snapshots_added}",
    )


class AdminCog(commands.Cog, name="Admin"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot

    @commands.hybrid_command(name="reload", description="Admin: re-ingest the profile files on the server.")
    @app_commands.default_permissions(manage_guild=True)
    @commands.guild_only()
    @admin_only()
    async def reload(self, ctx: commands.Context) -> None:
        await ctx.defer(ephemeral=True)
        report = await self.bot.service.run(self.bot.service.ingest)
        await ctx.send(embed=render_ingest_embed("Profiles reloaded", report), ephemeral=True)

    @commands.hybrid_command(name="ingest", description="Admin: add or update a profile from an uploaded file.")
    @app_commands.describe(file="A profile text file (same format as data/profiles)")
    @app_commands.default_permissions(manage_guild=True)
    @commands.guild_only()
    @admin_only()
    async def ingest(self, ctx: commands.Context, file: discord.Attachment) -> None:
        await ctx.defer(ephemeral=True)
        raw = await file.read()
        report = await self.bot.service.run(self.bot.service.ingest_text, raw, file.filename)
        await ctx.send(embed=render_ingest_embed(f"Ingested {file.filename}", report), ephemeral=True)
