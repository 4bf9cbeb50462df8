"""/help: what each command does, from the commands' own descriptions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord.ext import commands

from bot.chat_formatting import EmbedField, build_messages
from bot.sending import send_messages

if TYPE_CHECKING:
    from bot.client import ResearchBot


class HelpCog(commands.Cog, name="Help"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot

    @commands.hybrid_command(name="help", description="What this bot can do.")
    async def help(self, ctx: commands.Context) -> None:
        prefix = self.bot.settings.command_prefix
        fields = [
            EmbedField(
                f"/{command.name} {command.usage or command.signature}".strip(),
                command.description or command.help or "—",
            )
            for command in sorted(self.bot.commands, key=lambda c: c.name)
        ]
        messages = build_messages(
            "research-bot",
            "Ask about a researcher's papers and get a short answer with numbered citations. "
            f"Use slash commands, `{prefix}command` (where enabled), or mention me with a question.",
            fields,
        )
        await send_messages(ctx.send, messages, ephemeral=True)
