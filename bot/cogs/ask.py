"""/ask, "@bot <question>" and follow-ups: each message a turn of a conversation (a thread, or a reply chain;
bot/conversations.py picks which), answered by `ResearchService.converse`: a cited answer, or for "summarize it"
and "similar to it" a summary or similar papers. /ask may open a thread on its answer (the guild's thread mode)."""

from __future__ import annotations

import functools
import logging
import re
from typing import TYPE_CHECKING, NamedTuple

import discord
from discord import app_commands
from discord.ext import commands

from bot.actions import answer_actions, record_answer
from bot.autocomplete import ask_profile_autocomplete
from bot.chat_formatting import MessageEmbeds, truncate
from bot.checks import mention_cooldowns, per_user_cooldown
from bot.conversations import ConversationKeys, command_key, message_key
from bot.errors import cooldown_message, error_embed, log_outage
from bot.formatting import followup_note, render_reply
from bot.sending import send_messages
from retrieval.answers.questions import validate_question
from retrieval.errors import UserFacingError

if TYPE_CHECKING:
    from bot.client import ResearchBot

log = logging.getLogger(__name__)

THREAD_NAME_LIMIT = 100


class Reply(NamedTuple):
    messages: list[MessageEmbeds]
    view: discord.ui.View | None = None
    note: str | None = None  # "(following up on: …)"


class AskCog(commands.Cog, name="Ask"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot
        self._mention_cooldown = mention_cooldowns(bot)
        settings = bot.settings
        # every message of every answer the conversations kept in memory can still hold
        self.keys = ConversationKeys(settings.conversation_cache_size * settings.conversation_max_turns)

    def _check_mention_cooldown(self, message: discord.Message) -> None:
        retry_after = self._mention_cooldown.update_rate_limit(message)
        if retry_after:
            raise UserFacingError(cooldown_message(retry_after))

    async def converse(
        self, key: str, question: str, profile: str | None, guild: discord.Guild | None, channel: discord.abc.Snowflake
    ) -> Reply:
        """The next turn of conversation `key` (a new one on the guild's default profile when none is named), rendered,
        with the actions under it (votes for answers, which are recorded)."""
        service, default = self.bot.service, self.bot.profile_for(guild, None)
        reply = await service.run(service.converse, key, question, profile=profile, default=default)
        answer_id = None
        if reply.kind == "answer":
            # a follow-up is recorded as the question it stood for: "the second one" means nothing on its own
            asked = reply.followup.resolved_question if reply.followup else reply.answer.question
            recorded = reply.answer.model_copy(update={"question": asked})
            answer_id = await record_answer(self.bot, recorded, guild.id if guild else None, channel.id)
        return Reply(render_reply(reply), answer_actions(reply.answer, answer_id), followup_note(reply))

    @commands.hybrid_command(name="ask", description="Ask about the researcher's papers; the answer cites them.")
    @app_commands.describe(
        question="Your question (up to 500 characters)", profile="Profile id or name; `all` asks every profile"
    )
    @app_commands.autocomplete(profile=ask_profile_autocomplete)
    @per_user_cooldown()
    async def ask(self, ctx: commands.Context, *, question: str, profile: str | None = None) -> None:
        question = validate_question(question, self.bot.settings.max_question_chars)  # before deferring
        key = command_key(ctx, self.keys)
        async with ctx.typing(), self.keys.turn(key):  # slash: defers (public) at once; prefix: shows typing
            reply = await self.converse(key, question, profile, ctx.guild, ctx.channel)
            sent = await send_messages(ctx.send, reply.messages, view=reply.view, content=reply.note)
            self.keys.remember((message.id for message in sent), key)
        channel = ctx.channel
        if isinstance(channel, discord.TextChannel) and self.bot.guild_preferences(channel.guild.id).thread_mode:
            await self._open_thread(channel.get_partial_message(sent[0].id), question)

    async def _open_thread(self, answer: discord.PartialMessage, question: str) -> None:
        """Thread mode: a thread on the answer, which continues its conversation (it has the answer's id).
        (A partial message of the channel: a slash command's answer, a webhook message, knows no guild.)"""
        try:
            await answer.create_thread(name=truncate(question, THREAD_NAME_LIMIT))
        except discord.HTTPException as error:  # e.g. no Create Public Threads permission: the answer stands
            log.warning("could not open a thread on answer %s: %s", answer.id, error)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """A message for the bot that is not a command is a question or a follow-up: a mention, a reply to the
        bot, or a message in a thread the bot follows (bot/conversations.py)."""
        me = self.bot.user
        if message.author.bot or me is None:
            return
        guild_id = message.guild.id if message.guild else None
        key = message_key(message, me, self.keys, lambda: self.bot.guild_preferences(guild_id).answer_without_mention)
        if key is None:
            return
        async with self.keys.turn(key):  # before any await: a conversation's messages are answered in order
            context = await self.bot.get_context(message)
            if context.valid or context.prefix == self.bot.settings.command_prefix:
                return  # a command ("!ask" in a thread continues it too); process_commands handles it
            question = re.sub(rf"<@!?{me.id}>", "", message.content)
            if not question.strip() and not any(user.id == me.id for user in message.mentions):
                return  # nothing to read: an attachment, or no message-content intent
            reply = await self._answer(key, question, message)
            send = functools.partial(message.reply, mention_author=False)
            sent = await send_messages(
                send, reply.messages, send_rest=message.channel.send, view=reply.view, content=reply.note
            )
            self.keys.remember((sent_message.id for sent_message in sent), key)

    async def _answer(self, key: str, question: str, message: discord.Message) -> Reply:
        try:
            self._check_mention_cooldown(message)
            question = validate_question(question, self.bot.settings.max_question_chars)
            async with message.channel.typing():
                return await self.converse(key, question, None, message.guild, message.channel)
        except UserFacingError as error:
            log_outage(error)
            return Reply([[error_embed(error, str(error))]])
