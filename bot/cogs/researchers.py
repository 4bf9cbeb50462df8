"""/researcher add | refresh | remove | list: follow researchers from OpenAlex or arXiv (admins only, in a server).

The work is `bot.sources` (retrieval/sources/service.py), shared with the scheduled refresh
(bot/refresh_schedule.py); fetches run one at a time (`bot.fetch_lock`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.autocomplete import profile_autocomplete, profile_choices
from bot.chat_formatting import SELECT_OPTIONS
from bot.checks import require_admin
from bot.formatting import escape_user_text
from bot.refresh_schedule import refresh_each, refresh_one
from bot.researcher_formatting import fetching_text, render_fetch, render_followed, render_refresh
from bot.researcher_views import CandidateChoice, ConfirmRemoval, ProgressMessage
from bot.sending import send_messages
from retrieval.errors import UserFacingError
from retrieval.sources.openalex import AuthorCandidate
from retrieval.sources.service import FetchReport, Progress

if TYPE_CHECKING:
    from bot.client import ResearchBot

PROGRESS_EDIT_SECONDS = 2.0  # at most one progress edit this often (plus the final one)
Fetch = Callable[[Progress], Awaitable[FetchReport]]


class ResearchersCog(commands.Cog, name="Researchers"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot
        self.progress_seconds = PROGRESS_EDIT_SECONDS

    async def cog_check(self, ctx: commands.Context) -> bool:  # type: ignore[override]
        """Every /researcher command, slash or prefix (a group's own checks do not reach slash subcommands)."""
        if ctx.guild is None:
            raise commands.NoPrivateMessage()
        return await require_admin(ctx)

    async def followed_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        followed = self.bot.sources.followed_researchers()
        return profile_choices({researcher.profile_id: researcher.name for researcher in followed}, current)

    @commands.hybrid_group(name="researcher", description="Admin: follow researchers from OpenAlex or arXiv.")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def researcher(self, ctx: commands.Context) -> None:
        """Only a prefix command gets here (`!researcher` alone): slash groups have no callback."""
        raise UserFacingError("Use `researcher add`, `researcher refresh`, `researcher remove` or `researcher list`.")

    # --- add ---

    @researcher.command(name="add", description="Admin: add a researcher from OpenAlex or arXiv, and follow them.")
    @app_commands.describe(
        name="The researcher's name (OpenAlex also takes an author id A… or an ORCID)",
        source="Where to fetch from (default: OpenAlex)",
    )
    async def add(self, ctx: commands.Context, name: str, source: Literal["openalex", "arxiv"] = "openalex") -> None:
        await ctx.defer(ephemeral=True)
        sources = self.bot.sources
        if source == "arxiv":

            def fetch_arxiv(progress: Progress) -> Awaitable[FetchReport]:
                return sources.add_arxiv(name, progress=progress)

            await self.fetch(ctx, None, name, "arxiv", fetch_arxiv)
            return
        picked = await self.pick_candidate(ctx, name)
        if picked is None:
            return
        candidate, menu = picked

        def fetch_openalex(progress: Progress) -> Awaitable[FetchReport]:
            return sources.add_openalex(candidate.id, progress=progress)

        await self.fetch(ctx, menu, candidate.name, "openalex", fetch_openalex)

    async def pick_candidate(
        self, ctx: commands.Context, name: str
    ) -> tuple[AuthorCandidate, discord.Message | None] | None:
        """The one OpenAlex author `name` means, and the message of the menu it was picked from (when several
        matched); None when the invoker picked none in time."""
        candidates = await self.bot.sources.candidates(name, limit=SELECT_OPTIONS)
        if not candidates:
            raise UserFacingError(f"OpenAlex has no researcher named {name!r}. Nothing was changed.")
        if len(candidates) == 1:
            return candidates[0], None
        view = CandidateChoice(candidates, ctx.author.id, timeout=self.bot.settings.choice_timeout_seconds)
        shown = escape_user_text(name)
        view.message = await ctx.send(
            f"{len(candidates)} researchers on OpenAlex match “{shown}”. Which one?", view=view, ephemeral=True
        )
        if await view.wait() or view.chosen is None:  # timed out: on_timeout disabled the menu
            return None
        return view.chosen, view.message

    async def fetch(
        self, ctx: commands.Context, message: discord.Message | None, name: str, source: str, fetch: Fetch
    ) -> None:
        """Run `fetch` with a progress message (a new one, or `message` edited), which ends as the result."""

        def text(done: int, total: int | None) -> str:
            return fetching_text(name, source, done, total)

        waiting = " (after the fetch under way)" if self.bot.fetch_lock.locked() else ""
        if message is None:
            message = await ctx.send(text(0, None) + waiting, ephemeral=True)
        else:
            await message.edit(content=text(0, None) + waiting, view=None)
        try:
            async with self.bot.fetch_lock:
                report = await fetch(ProgressMessage(message, text, interval=self.progress_seconds))
        except Exception:
            # the error handler gives the reason; this message must not go on saying "Fetching…"
            with contextlib.suppress(discord.HTTPException):
                await message.edit(content=text(0, None).removesuffix("…") + ": stopped.")
            raise
        await message.edit(content=None, embeds=render_fetch(report)[0])

    # --- refresh ---

    @researcher.command(name="refresh", description="Admin: fetch followed researchers again; say what changed.")
    @app_commands.describe(profile="One followed researcher (default: every one)")
    @app_commands.autocomplete(profile=followed_choices)
    async def refresh(self, ctx: commands.Context, *, profile: str | None = None) -> None:
        await ctx.defer(ephemeral=True)
        sources = self.bot.sources
        if profile:
            profile_id = await self.bot.service.run(self.bot.service.resolve_profile, profile)
            followed = sources.followed.get(profile_id)
            if followed is None:
                raise UserFacingError(
                    f"`{profile_id}` comes from a profile file, not from OpenAlex or arXiv: `/reload` or `/ingest` "
                    "update it."
                )
            outcomes = [await refresh_one(self.bot, followed)]
        else:
            outcomes = await refresh_each(self.bot, sources.followed_researchers())
        await send_messages(ctx.send, render_refresh(outcomes), ephemeral=True)

    # --- remove ---

    @researcher.command(name="remove", description="Admin: remove a researcher's papers and metric history.")
    @app_commands.describe(profile="Profile id or name")
    @app_commands.autocomplete(profile=profile_autocomplete)
    async def remove(self, ctx: commands.Context, *, profile: str) -> None:
        await ctx.defer(ephemeral=True)
        service = self.bot.service
        profile_id = await service.run(service.resolve_profile, profile)
        name = escape_user_text((await service.run(service.profile_names)).get(profile_id, profile_id))
        view = ConfirmRemoval(ctx.author.id, timeout=self.bot.settings.choice_timeout_seconds)
        view.message = await ctx.send(
            f"Remove **{name}** (`{profile_id}`), their papers and metric history? This cannot be undone.",
            view=view,
            ephemeral=True,
        )
        if await view.wait():  # timed out: on_timeout disabled the buttons
            return
        if not view.confirmed:
            await view.message.edit(content="Nothing was removed.", view=None)
            return
        async with self.bot.fetch_lock:  # not while a fetch of them could add them back
            _, removed = await service.run(self.bot.sources.remove, profile_id)
        await view.message.edit(
            content=f"Removed **{name}** (`{profile_id}`): {removed:,} papers and the metric history.", view=None
        )

    # --- list ---

    @researcher.command(name="list", description="Admin: the followed researchers, their source and last refresh.")
    async def list_followed(self, ctx: commands.Context) -> None:
        await ctx.defer(ephemeral=True)
        followed = self.bot.sources.followed_researchers()
        messages = render_followed(followed, self.bot.settings.refresh_interval_hours)
        await send_messages(ctx.send, messages, ephemeral=True)
