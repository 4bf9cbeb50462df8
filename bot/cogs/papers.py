"""/papers (filtered, paginated with buttons) and /profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands
from discord.ext import commands

from bot.checks import per_user_cooldown
from bot.formatting import render_paper_pages, render_profiles_embed
from bot.views import EmbedPaginator
from retrieval.models import PaperFilter

if TYPE_CHECKING:
    from bot.client import ResearchBot


class PapersCog(commands.Cog, name="Papers"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot

    @commands.hybrid_command(name="papers", description="List papers, newest first, with optional filters.")
    @app_commands.describe(
        year="Publication year",
        category="arXiv-style category such as LG, RO, CL",
        author="An author's name (initials and middle names are fine)",
        has_code="Only papers with code",
    )
    @per_user_cooldown()
    async def papers(
        self,
        ctx: commands.Context,
        year: int | None = None,
        category: str | None = None,
        author: str | None = None,
        has_code: bool | None = None,
    ) -> None:
        async with ctx.typing():  # slash: defers (public); prefix: shows typing
            service = self.bot.service
            paper_filter = PaperFilter(year=year, category=category, author=author, has_code=has_code or None)
            papers = await service.run(service.papers, paper_filter)
            pages = render_paper_pages(papers, "Papers" + describe_filter(paper_filter))
            if len(pages) == 1:
                await ctx.send(embed=pages[0])
                return
            view = EmbedPaginator(pages, owner_id=ctx.author.id, timeout=self.bot.settings.paginator_timeout_seconds)
            view.message = await ctx.send(embed=pages[0], view=view)

    @commands.hybrid_command(name="profiles", description="The researcher profiles this bot knows.")
    @per_user_cooldown()
    async def profiles(self, ctx: commands.Context) -> None:
        service = self.bot.service
        await ctx.send(embed=render_profiles_embed(await service.run(service.profiles)))


def describe_filter(paper_filter: PaperFilter) -> str:
    parts = [
        f"{name} {value}" for name, value in paper_filter.model_dump(exclude_none=True).items() if name != "profile"
    ]
    return f" ({', '.join(parts)})" if parts else ""
