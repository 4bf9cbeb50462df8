"""/ask and "@bot <question>": a cited answer from the papers, or a plain "not found" with near papers."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.autocomplete import ask_profile_autocomplete
from bot.chat_formatting import MessageEmbeds
from bot.checks import per_user_cooldown
from bot.errors import cooldown_message, log_outage
from bot.formatting import render_answer, render_error_embed
from bot.sending import send_messages
from retrieval.answers.questions import validate_question
from retrieval.errors import UserFacingError

if TYPE_CHECKING:
    from bot.client import ResearchBot


class AskCog(commands.Cog, name="Ask"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot
        settings = bot.settings
        self._mention_cooldown = commands.CooldownMapping.from_cooldown(
            max(settings.cooldown_rate, 1), settings.cooldown_seconds, commands.BucketType.user
        )

    def _check_mention_cooldown(self, message: discord.Message) -> None:
        if self.bot.settings.cooldown_rate > 0:
            retry_after = self._mention_cooldown.update_rate_limit(message)
            if retry_after:
                raise UserFacingError(cooldown_message(retry_after))

    async def answer_messages(self, question: str, profile: str | None) -> list[MessageEmbeds]:
        service = self.bot.service
        answer = await service.run(service.ask, question, profile=profile)
        return render_answer(answer)

    @commands.hybrid_command(name="ask", description="Ask about the researcher's papers; the answer cites them.")
    @app_commands.describe(
        question="Your question (up to 500 characters)", profile="Profile id or name; `all` asks every profile"
    )
    @app_commands.autocomplete(profile=ask_profile_autocomplete)
    @per_user_cooldown()
    async def ask(self, ctx: commands.Context, *, question: str, profile: str | None = None) -> None:
        question = validate_question(question, self.bot.settings.max_question_chars)  # before deferring
        async with ctx.typing():  # slash: defers (public); prefix: shows typing
            await send_messages(ctx.send, await self.answer_messages(question, profile))

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """A message that mentions the bot and is not a command is a question."""
        me = self.bot.user
        if message.author.bot or me is None or me not in message.mentions:
            return
        if (await self.bot.get_context(message)).valid:
            return  # "@bot ask ..." is a command; process_commands handles it
        question = re.sub(rf"<@!?{me.id}>", "", message.content)
        try:
            self._check_mention_cooldown(message)
            question = validate_question(question, self.bot.settings.max_question_chars)
            async with message.channel.typing():
                messages = await self.answer_messages(question, None)
        except UserFacingError as error:
            log_outage(error)
            messages = [[render_error_embed(str(error))]]
        reply = functools.partial(message.reply, mention_author=False)
        await send_messages(reply, messages, send_rest=message.channel.send)
