"""/ask and "@bot <question>": a cited answer from the papers, or a plain "not found" with near papers."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.actions import answer_actions, record_answer
from bot.autocomplete import ask_profile_autocomplete
from bot.chat_formatting import MessageEmbeds
from bot.checks import mention_cooldowns, per_user_cooldown
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
        self._mention_cooldown = mention_cooldowns(bot)

    def _check_mention_cooldown(self, message: discord.Message) -> None:
        retry_after = self._mention_cooldown.update_rate_limit(message)
        if retry_after:
            raise UserFacingError(cooldown_message(retry_after))

    async def answer_reply(
        self, question: str, profile: str | None, guild: discord.Guild | None, channel: discord.abc.Snowflake
    ) -> tuple[list[MessageEmbeds], discord.ui.View]:
        """The answer's messages and the actions under it (the guild's default profile when none is named)."""
        service = self.bot.service
        answer = await service.run(service.ask, question, profile=self.bot.profile_for(guild, profile))
        answer_id = await record_answer(self.bot, answer, guild.id if guild else None, channel.id)
        return render_answer(answer), answer_actions(answer, answer_id)

    @commands.hybrid_command(name="ask", description="Ask about the researcher's papers; the answer cites them.")
    @app_commands.describe(
        question="Your question (up to 500 characters)", profile="Profile id or name; `all` asks every profile"
    )
    @app_commands.autocomplete(profile=ask_profile_autocomplete)
    @per_user_cooldown()
    async def ask(self, ctx: commands.Context, *, question: str, profile: str | None = None) -> None:
        question = validate_question(question, self.bot.settings.max_question_chars)  # before deferring
        async with ctx.typing():  # slash: defers (public); prefix: shows typing
            messages, view = await self.answer_reply(question, profile, ctx.guild, ctx.channel)
            await send_messages(ctx.send, messages, view=view)

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
                messages, view = await self.answer_reply(question, None, message.guild, message.channel)
        except UserFacingError as error:
            log_outage(error)
            messages, view = [[render_error_embed(str(error))]], None
        reply = functools.partial(message.reply, mention_author=False)
        await send_messages(reply, messages, send_rest=message.channel.send, view=view)
