"""`research-bot run`: start the bot with DISCORD_TOKEN and turn Discord's refusals into clear exits."""

from __future__ import annotations

import asyncio
import logging
import sys

import discord

from bot.client import ResearchBot
from retrieval.service import ResearchService

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


async def start_bot(service: ResearchService, token: str) -> None:
    async with ResearchBot(service.settings, service) as bot:
        await bot.start(token)


def run_bot(service: ResearchService) -> int:
    token = service.settings.discord_token
    if token is None or not token.get_secret_value().strip():
        print(NO_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    discord.utils.setup_logging(level=logging.INFO)
    try:
        asyncio.run(start_bot(service, token.get_secret_value()))
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    except discord.PrivilegedIntentsRequired:
        print(INTENT_REFUSED, file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        log.info("stopped")
    return 0
