"""/papers (filtered, paginated with buttons) and /profiles (paginated too: a lab may have hundreds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands
from discord.ext import commands

from bot.autocomplete import profile_autocomplete
from bot.checks import per_user_cooldown
from bot.formatting import render_paper_pages, render_profile_pages
from bot.sending import send_pages
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
        profile="Profile id or name (default: the one set for this server, else every profile)",
    )
    @app_commands.autocomplete(profile=profile_autocomplete)
    @per_user_cooldown()
    async def papers(
        self,
        ctx: commands.Context,
        year: int | None = None,
        category: str | None = None,
        author: str | None = None,
        has_code: bool | None = None,
        profile: str | None = None,
    ) -> None:
        async with ctx.typing():  # slash: defers (public); prefix: shows typing
            service = self.bot.service
            paper_filter = PaperFilter(
                profile=self.bot.profile_for(ctx.guild, profile),
                year=year,
                category=category,
                author=author,
                has_code=has_code or None,
            )
            papers = await service.run(service.papers, paper_filter)
            pages = render_paper_pages(papers, "Papers" + describe_filter(paper_filter))
            await send_pages(ctx, pages, "papers", self.bot.settings.paginator_timeout_seconds)

    @commands.hybrid_command(name="profiles", description="The researcher profiles this bot knows.")
    @per_user_cooldown()
    async def profiles(self, ctx: commands.Context) -> None:
        async with ctx.typing():  # slash: defers (public); prefix: shows typing
            service = self.bot.service
            pages = render_profile_pages(await service.run(service.profiles))
            await send_pages(ctx, pages, "profiles", self.bot.settings.paginator_timeout_seconds)


def describe_filter(paper_filter: PaperFilter) -> str:
    parts = [f"{name} {value}" for name, value in paper_filter.model_dump(exclude_none=True).items()]
    return f" ({', '.join(parts)})" if parts else ""
