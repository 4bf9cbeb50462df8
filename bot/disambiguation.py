"""Let the user pick when a paper title is ambiguous, as RoboDanny's `Context.disambiguate` does: a select menu of
the candidates that only the invoker may use; picking removes the prompt, a timeout disables it."""

from __future__ import annotations

import contextlib

import discord
from discord.ext import commands

from bot.chat_formatting import OPTION_TEXT_LIMIT, SELECT_OPTIONS
from bot.formatting import escape_user_text, first_authors, truncate
from retrieval.models import Paper

QUERY_SHOWN = 200


class PaperChoice(discord.ui.View):
    def __init__(self, papers: list[Paper], owner_id: int, *, timeout: float, command: str) -> None:
        super().__init__(timeout=timeout)
        self.papers = papers
        self.owner_id = owner_id
        self.command = command
        self.chosen: Paper | None = None
        self.message: discord.Message | None = None
        self.select: discord.ui.Select = discord.ui.Select(
            placeholder="Which paper did you mean?",
            options=[
                discord.SelectOption(
                    label=truncate(paper.title, OPTION_TEXT_LIMIT),
                    value=str(index),
                    description=truncate(
                        f"{paper.year} · {first_authors(paper.authors, paper.et_al)}", OPTION_TEXT_LIMIT
                    ),
                )
                for index, paper in enumerate(papers)
            ],
        )
        self.select.callback = self.on_choice
        self.add_item(self.select)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            f"Only the person who ran the command can pick here; run `/{self.command}` yourself.", ephemeral=True
        )
        return False

    async def on_choice(self, interaction: discord.Interaction) -> None:
        self.chosen = self.papers[int(self.select.values[0])]
        await interaction.response.defer()
        self.stop()

    async def on_timeout(self) -> None:
        self.select.disabled = True
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):  # the message may be gone
                await self.message.edit(content="No paper was picked in time.", view=self)


async def choose_paper(ctx: commands.Context, query: str, papers: list[Paper], *, timeout: float) -> Paper | None:
    """The paper the invoker picks among `papers` (the first 25), or None if they pick none in time."""
    command = ctx.command.name if ctx.command else "summary"
    view = PaperChoice(papers[:SELECT_OPTIONS], ctx.author.id, timeout=timeout, command=command)
    shown = escape_user_text(truncate(query, QUERY_SHOWN))
    view.message = await ctx.send(f"Several papers match “{shown}”. Which one?", view=view)
    if await view.wait():  # timed out: on_timeout disables the menu
        return None
    with contextlib.suppress(discord.HTTPException):
        await view.message.delete()
    return view.chosen
