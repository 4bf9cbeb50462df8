"""Sending rendered output: a result's messages in order (the first as the reply), or pages behind buttons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord
from discord.ext import commands

from bot.chat_formatting import MessageEmbeds
from bot.views import EmbedPaginator

Send = Callable[..., Awaitable[Any]]


async def send_messages(
    send: Send,
    messages: Sequence[MessageEmbeds],
    *,
    send_rest: Send | None = None,
    file: discord.File | None = None,
    view: discord.ui.View | None = None,
    content: str | None = None,
    **options: Any,
) -> list[Any]:
    """Each message with `send` (the rest with `send_rest`, e.g. the channel after a reply); `file` and `content`
    (a line above the embeds) go with the first message, and `view` (actions) with the last; `options` (e.g.
    ephemeral) with every message. Returns what was sent."""
    sent = []
    for index, embeds in enumerate(messages):
        first = {"file": file, "content": content} if index == 0 else {}
        extra: dict[str, Any] = {name: value for name, value in first.items() if value is not None}
        if index == len(messages) - 1 and view is not None:
            extra["view"] = view
        sender = send if index == 0 else send_rest or send
        sent.append(await sender(embeds=embeds, **extra, **options))
    return sent


async def send_pages(ctx: commands.Context, pages: list[MessageEmbeds], command: str, timeout: float) -> None:
    """One page as it is; more with previous/next buttons that only the invoker can use."""
    if len(pages) == 1:
        await ctx.send(embeds=pages[0])
        return
    view = EmbedPaginator(pages, owner_id=ctx.author.id, timeout=timeout, command=command)
    view.message = await ctx.send(embeds=pages[0], view=view)
