"""`research-bot run`: start the bot with DISCORD_TOKEN and turn Discord's refusals into clear exits."""

from __future__ import annotations

import asyncio
import logging
import sys

import discord

from bot.client import ResearchBot
from retrieval.service import ResearchService
from retrieval.settings import Settings

log = logging.getLogger(__name__)

EXIT_CONFIG = 2
NO_TOKEN = (
    "No Discord token: set DISCORD_TOKEN (or put it in .env). Create one at "
    "Discord Developer Portal → your application → Bot → Reset Token."
)
BAD_TOKEN = "Discord rejected the token (HTTP 401). Check DISCORD_TOKEN; reset it in the Developer Portal if needed."
INTENT_REFUSED = (
    "Discord refused the privileged message-content intent (close code 4014). Either enable it in the "
    "Developer Portal → your application → Bot → Privileged Gateway Intents → Message Content Intent, "
    "or set RESEARCH_BOT_MESSAGE_CONTENT_INTENT=false to run with slash commands only."
)


async def start_bot(settings: Settings) -> None:
    token = settings.discord_token
    assert token is not None
    async with ResearchBot(settings, ResearchService(settings)) as bot:
        await bot.start(token.get_secret_value())


def run_bot(settings: Settings) -> int:
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        print(NO_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    discord.utils.setup_logging(level=logging.INFO)
    try:
        asyncio.run(start_bot(settings))
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    except discord.PrivilegedIntentsRequired:
        print(INTENT_REFUSED, file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        log.info("stopped")
    return 0
