"""Which conversation a Discord message belongs to (the key `ResearchService.converse` takes), and whether a
message is for the bot at all. Reading the follow-up itself is retrieval/conversation's job.

- A thread is one conversation, keyed by the thread's id. The bot answers there when mentioned, and, if the
  guild allows answering without a mention, any message in a thread it started or is a member of (Discord adds
  whoever is mentioned in a thread or posts in it).
- Elsewhere a conversation is a reply chain, keyed by its first message: the mention, the `!ask` or the /ask
  interaction. The bot remembers which conversation each of its messages belongs to (bounded, least recently
  used out), so a reply to any of them continues the chain without fetching it.
- A thread started from one of the bot's answers has the answer's id (Discord's rule), so it continues that
  answer's conversation: /ask in thread mode, or a user opening a thread on an answer.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable

import discord
from discord.ext import commands


def conversation_key(snowflake: int) -> str:
    return f"discord:{snowflake}"


class ConversationKeys:
    """The conversation of each of the bot's recent messages (at most `capacity`), and one lock per conversation
    so that its messages are answered one at a time, in the order they came: each reads the turns before it."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._keys: OrderedDict[int, str] = OrderedDict()
        self._locks: dict[str, tuple[asyncio.Lock, list[int]]] = {}  # key → (lock, [tasks using it])

    def remember(self, message_ids: Iterable[int], key: str) -> None:
        for message_id in message_ids:
            self._keys[message_id] = key
            self._keys.move_to_end(message_id)
        while len(self._keys) > self.capacity:
            self._keys.popitem(last=False)

    def of_message(self, message_id: int) -> str | None:
        """The conversation a message of the bot belongs to, if it is still remembered."""
        key = self._keys.get(message_id)
        if key is not None:
            self._keys.move_to_end(message_id)
        return key

    def of_thread(self, thread_id: int) -> str:
        """A thread started from an answer continues the answer's conversation; any other is one of its own."""
        return self.of_message(thread_id) or conversation_key(thread_id)

    def of_reply(self, message_id: int) -> str:
        """A reply to a message of the bot: that message's conversation, or (forgotten, or not an answer) a
        conversation starting there."""
        return self.of_message(message_id) or conversation_key(message_id)

    @contextlib.asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.setdefault(key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if not users[0]:
                del self._locks[key]


def follows_thread(thread: discord.Thread, me: discord.abc.Snowflake) -> bool:
    """A thread the bot started or is a member of."""
    return thread.owner_id == me.id or thread.me is not None


def replied_to_bot(message: discord.Message, me: discord.abc.Snowflake, keys: ConversationKeys) -> int | None:
    """The id of the bot's message this message replies to, if it does."""
    reference = message.reference
    if reference is None or reference.message_id is None:
        return None
    replied = reference.resolved
    mine = isinstance(replied, discord.Message) and replied.author.id == me.id
    return reference.message_id if mine or keys.of_message(reference.message_id) else None


def message_key(
    message: discord.Message,
    me: discord.abc.Snowflake,
    keys: ConversationKeys,
    answers_without_mention: Callable[[], bool],
) -> str | None:
    """The conversation a (non-command) message continues or starts, or None when it is not for the bot.
    `answers_without_mention` is asked only for an unaddressed message in a thread the bot follows."""
    mentioned = any(user.id == me.id for user in message.mentions)  # a reply's ping counts
    replied = replied_to_bot(message, me, keys)
    channel = message.channel
    if isinstance(channel, discord.Thread):
        if mentioned or replied is not None or (follows_thread(channel, me) and answers_without_mention()):
            return keys.of_thread(channel.id)
        return None
    if replied is not None:
        return keys.of_reply(replied)
    return conversation_key(message.id) if mentioned else None


def command_key(ctx: commands.Context, keys: ConversationKeys) -> str:
    """/ask and !ask: the thread's conversation in a thread; !ask replying to an answer continues its chain;
    otherwise a new conversation keyed by the command."""
    if isinstance(ctx.channel, discord.Thread):
        return keys.of_thread(ctx.channel.id)
    if ctx.interaction is not None:
        return conversation_key(ctx.interaction.id)
    reference = ctx.message.reference
    known = keys.of_message(reference.message_id) if reference and reference.message_id else None
    return known or conversation_key(ctx.message.id)
