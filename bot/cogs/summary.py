"""/summary and /similar, with fuzzy title autocomplete; an ambiguous title gets a menu of the candidates."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.autocomplete import or_nothing
from bot.checks import per_user_cooldown
from bot.disambiguation import choose_paper
from bot.formatting import AUTOCOMPLETE_CHOICES, autocomplete_label, render_similar, render_summary
from bot.sending import send_messages
from retrieval.errors import AmbiguousPaperError
from retrieval.models import Paper

if TYPE_CHECKING:
    from bot.client import ResearchBot


class SummaryCog(commands.Cog, name="Papers summary"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot

    async def paper_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        service = self.bot.service
        papers = await or_nothing(service.run(service.suggest_papers, current, limit=AUTOCOMPLETE_CHOICES), [])
        return [app_commands.Choice(name=autocomplete_label(p), value=p.id) for p in papers[:AUTOCOMPLETE_CHOICES]]

    async def resolve(self, ctx: commands.Context, query: str) -> Paper | None:
        """The paper `query` names; when several match, the one the invoker picks (None: none picked in time)."""
        await ctx.defer()  # slash: "thinking…" (public); prefix: nothing
        service = self.bot.service
        try:
            return await service.run(service.resolve_paper, query)
        except AmbiguousPaperError as error:
            return await choose_paper(ctx, query, error.papers, timeout=self.bot.settings.choice_timeout_seconds)

    @commands.hybrid_command(name="summary", description="TL;DR, key contributions and results of one paper.")
    @app_commands.describe(paper="A title, part of one, an acronym (e.g. RT-2) or an id")
    @app_commands.autocomplete(paper=paper_choices)
    @per_user_cooldown()
    async def summary(self, ctx: commands.Context, *, paper: str) -> None:
        target = await self.resolve(ctx, paper)
        if target is None:
            return
        async with ctx.typing():  # prefix: shows typing (slash is already deferred)
            service = self.bot.service
            result = await service.run(service.summary, target.id)
            await send_messages(ctx.send, render_summary(result))

    @commands.hybrid_command(name="similar", description="Papers closest in content to one paper.")
    @app_commands.describe(paper="A title, part of one, an acronym or an id")
    @app_commands.autocomplete(paper=paper_choices)
    @per_user_cooldown()
    async def similar(self, ctx: commands.Context, *, paper: str) -> None:
        target = await self.resolve(ctx, paper)
        if target is None:
            return
        async with ctx.typing():
            service = self.bot.service
            hits = await service.run(service.similar, target.id)
            await send_messages(ctx.send, render_similar(target, hits))
