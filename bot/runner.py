"""`research-bot run`: start the bot with DISCORD_TOKEN and turn Discord's refusals into clear exits.

Startup is retried when Discord cannot be reached (DNS failure, refused connection, gateway down, 5xx):
one log line per failed attempt, `discord_connect_attempts` attempts with a doubling wait, then a
one-line exit 1. A rejected token or a refused intent is never retried (exit 2). Once the bot has been
ready, discord.py itself reconnects (and resumes) for as long as the process runs.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import sys
from collections.abc import Awaitable, Callable

import aiohttp
import discord

from bot.client import ResearchBot, make_bot
from retrieval.service import ResearchService

log = logging.getLogger(__name__)

EXIT_INTERNAL = 1
EXIT_CONFIG = 2
MAX_RETRY_SECONDS = 60.0
LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
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
# Failures that mean "Discord is not reachable right now" (ClientConnectorError, DNS errors and refused
# connections are OSErrors; DiscordServerError is a 5xx that discord.py already retried).
NETWORK_ERRORS = (
    OSError,
    aiohttp.ClientError,
    asyncio.TimeoutError,
    discord.GatewayNotFound,
    discord.DiscordServerError,
)

BotFactory = Callable[[], ResearchBot]
Pause = Callable[[float], Awaitable[None]]


class DiscordUnreachable(Exception):
    """Every startup attempt failed to reach Discord; the message is the one line `run` prints."""

    def __init__(self, reason: str, attempts: int) -> None:
        self.reason, self.attempts = reason, attempts
        super().__init__(
            f"Cannot reach Discord ({reason}) after {attempts} attempt(s); check the network, DNS, proxy or "
            "firewall (outages: https://discordstatus.com)."
        )


def network_cause(error: BaseException) -> BaseException | None:
    """The network failure behind a failed start, or None when the failure is something else."""
    if isinstance(error, NETWORK_ERRORS):
        return error
    # discord.py 2.7 retries a failed *first* gateway connection by reading `self.ws.sequence` while `ws` is
    # still None: that AttributeError is raised while handling the connection error, its __context__.
    if isinstance(error, AttributeError) and isinstance(error.__context__, NETWORK_ERRORS):
        return error.__context__
    return None


def describe(error: BaseException) -> str:
    """One line for a network error: aiohttp's message names the host ("Cannot connect to host ...")."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


def retry_delay(first: float, attempt: int) -> float:
    """The wait after failed attempt number `attempt` (1-based): first, 2×first, 4×first, ... at most 60 s."""
    return min(first * 2 ** (attempt - 1), MAX_RETRY_SECONDS)


def seconds(value: float) -> str:
    return f"{value:g}s" if value >= 1 or value == 0 else f"{value:.2g}s"


async def start_with_retries(make_bot: BotFactory, token: str, *, pause: Pause = asyncio.sleep) -> None:
    """Run a bot until it is closed. Until it has been ready once, a network failure closes that bot and
    starts a fresh one after a wait; any other failure, or a failure once ready, is raised."""
    for attempt in itertools.count(1):
        bot = make_bot()
        settings = bot.settings
        try:
            async with bot:
                await bot.start(token)
            return
        except Exception as error:
            cause = network_cause(error)
            if cause is None or bot.has_been_ready:
                raise
            attempts = settings.discord_connect_attempts
            if attempt >= attempts:
                raise DiscordUnreachable(describe(cause), attempts) from error
            delay = retry_delay(settings.discord_connect_retry_seconds, attempt)
            log.warning(
                "cannot reach Discord (%s); retrying in %s (attempt %d of %d)",
                describe(cause),
                seconds(delay),
                attempt,
                attempts,
            )
            await pause(delay)


async def start_bot(service: ResearchService, token: str) -> None:
    await start_with_retries(lambda: make_bot(service.settings, service), token)


# discord.py's log lines for a failed gateway connection (client, or a shard of AutoShardedBot), with a traceback
RECONNECT_LINES = (
    ("discord.client", "Attempting a reconnect"),
    ("discord.shard", "Attempting a reconnect"),
    ("discord.shard", "Failed to connect for shard_id"),
)


class OneLineReconnects(logging.Filter):
    """discord.py logs every gateway reconnect with a full traceback; one line says the same."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and any(
            record.name == name and str(record.msg).startswith(text) for name, text in RECONNECT_LINES
        ):
            error = record.exc_info[1]
            record.msg = f"gateway connection failed ({describe(error) if error else 'unknown error'}); {record.msg}"
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def configure_logging(verbose: bool = False) -> None:
    """One handler on the root logger, once per process (stderr; journald under systemd)."""
    root = logging.getLogger()
    if any(isinstance(handler, ResearchBotLogHandler) for handler in root.handlers):
        return
    handler = ResearchBotLogHandler(sys.stderr)
    handler.addFilter(OneLineReconnects())
    # discord.py colours its output inside any Docker container; journald and log files want plain text
    formatter = None if sys.stderr.isatty() else logging.Formatter(LOG_FORMAT, "%Y-%m-%d %H:%M:%S")
    level = logging.DEBUG if verbose else logging.INFO
    discord.utils.setup_logging(handler=handler, formatter=formatter or discord.utils.MISSING, level=level, root=True)
    # httpx (chromadb's HTTP client) logs every request at INFO: several lines per question with a Chroma server
    logging.getLogger("httpx").setLevel(level if verbose else logging.WARNING)


class ResearchBotLogHandler(logging.StreamHandler):
    """The one handler `configure_logging` installs (a class of its own, so it is found and never doubled)."""


def run_bot(service: ResearchService, *, verbose: bool = False) -> int:
    token = service.settings.discord_token
    if token is None or not token.get_secret_value().strip():
        print(NO_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(verbose)
    try:
        asyncio.run(start_bot(service, token.get_secret_value()))
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    except discord.PrivilegedIntentsRequired:
        print(INTENT_REFUSED, file=sys.stderr)
        return EXIT_CONFIG
    except DiscordUnreachable as error:
        print(error, file=sys.stderr)
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        log.info("stopped")
    return 0
