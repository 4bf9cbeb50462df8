"""/help: what each command does, from the commands' own descriptions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord.ext import commands

from bot.formatting import add_field, make_embed

if TYPE_CHECKING:
    from bot.client import ResearchBot


class HelpCog(commands.Cog, name="Help"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot

    @commands.hybrid_command(name="help", description="What this bot can do.")
    async def help(self, ctx: commands.Context) -> None:
        prefix = self.bot.settings.command_prefix
        embed = make_embed(
            "research-bot",
            "Ask about a researcher's papers and get a short answer with numbered citations. "
            f"Use slash commands, `{prefix}command` (where enabled), or mention me with a question.",
        )
        for command in sorted(self.bot.commands, key=lambda c: c.name):
            usage = f"/{command.name} {command.usage or command.signature}".strip()
            add_field(embed, usage, command.description or command.help or "—")
        await ctx.send(embed=embed, ephemeral=True)
