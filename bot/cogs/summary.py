"""/summary and /similar, with fuzzy title autocomplete."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.autocomplete import or_nothing
from bot.checks import per_user_cooldown
from bot.formatting import AUTOCOMPLETE_CHOICES, autocomplete_label, render_similar, render_summary
from bot.sending import send_messages

if TYPE_CHECKING:
    from bot.client import ResearchBot


class SummaryCog(commands.Cog, name="Papers summary"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot

    async def paper_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        service = self.bot.service
        papers = await or_nothing(service.run(service.suggest_papers, current, limit=AUTOCOMPLETE_CHOICES), [])
        return [app_commands.Choice(name=autocomplete_label(p), value=p.id) for p in papers[:AUTOCOMPLETE_CHOICES]]

    @commands.hybrid_command(name="summary", description="TL;DR, key contributions and results of one paper.")
    @app_commands.describe(paper="A title, part of one, an acronym (e.g. RT-2) or an id")
    @app_commands.autocomplete(paper=paper_choices)
    @per_user_cooldown()
    async def summary(self, ctx: commands.Context, *, paper: str) -> None:
        async with ctx.typing():  # slash: defers (public); prefix: shows typing
            service = self.bot.service
            result = await service.run(service.summary, paper)
            await send_messages(ctx.send, render_summary(result))

    @commands.hybrid_command(name="similar", description="Papers closest in content to one paper.")
    @app_commands.describe(paper="A title, part of one, an acronym or an id")
    @app_commands.autocomplete(paper=paper_choices)
    @per_user_cooldown()
    async def similar(self, ctx: commands.Context, *, paper: str) -> None:
        async with ctx.typing():  # slash: defers (public); prefix: shows typing
            service = self.bot.service
            target = await service.run(service.resolve_paper, paper)
            hits = await service.run(service.similar, target.id)
            await send_messages(ctx.send, render_similar(target, hits))
