"""The scheduled refresh: every `refresh_interval_hours` the bot fetches each followed researcher again and posts
one line to `refresh_channel_id` for each one whose metrics changed, or whose source failed.

Only the process running shard 0 schedules (the one that syncs commands). The loop wakes every
min(interval, `refresh_check_seconds`) and runs when the last run is an interval old; the time of the last run is
in the database, so a restart neither repeats a run early nor forgets one that is due.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord.ext import commands, tasks

from bot.chat_formatting import CONTENT_LIMIT, pagify
from bot.formatting import escape_user_text
from retrieval.errors import UserFacingError
from retrieval.sources.changes import change_line
from retrieval.sources.followed import FollowedResearcher
from retrieval.sources.service import FetchReport

if TYPE_CHECKING:
    from bot.client import ResearchBot

log = logging.getLogger(__name__)
INTERNAL_FAILURE = "an internal error; it has been logged."


@dataclass(frozen=True)
class RefreshOutcome:
    researcher: FollowedResearcher  # as it was before the refresh
    report: FetchReport | None = None
    error: str | None = None

    @property
    def worth_posting(self) -> bool:
        return self.error is not None or bool(self.report and self.report.changes)

    def line(self, *, bold: bool = False, since: bool = False) -> str:
        """ "Igor Mordatch: h-index 117 → 119, +1,204 citations[ since <the previous refresh>]", "…: no change" or
        "…: not refreshed: <why>"."""
        name = escape_user_text(self.researcher.name)
        name = f"**{name}**" if bold else name
        if self.report is None:
            return f"{name}: not refreshed: {escape_user_text(self.error or INTERNAL_FAILURE)}"
        return change_line(self.report, self.researcher.refreshed_at if since else None, name=name)


async def refresh_one(bot: ResearchBot, researcher: FollowedResearcher) -> RefreshOutcome:
    """A failing source (or anything else) is this researcher's outcome, not the end of the others'."""
    try:
        async with bot.fetch_lock:  # one fetch at a time: two of one researcher would share its checkpoint
            [report] = await bot.sources.refresh(researcher.profile_id)
    except UserFacingError as error:
        log.warning("refreshing %s failed: %s", researcher.profile_id, error)
        return RefreshOutcome(researcher, error=str(error))
    except Exception:
        log.exception("refreshing %s failed", researcher.profile_id)
        return RefreshOutcome(researcher, error=INTERNAL_FAILURE)
    return RefreshOutcome(researcher, report=report)


async def refresh_each(bot: ResearchBot, researchers: list[FollowedResearcher]) -> list[RefreshOutcome]:
    return [await refresh_one(bot, researcher) for researcher in researchers]


class RefreshScheduleCog(commands.Cog, name="Refresh schedule"):
    def __init__(self, bot: ResearchBot) -> None:
        self.bot = bot
        self.interval = dt.timedelta(hours=bot.settings.refresh_interval_hours)

    @property
    def schedules(self) -> bool:
        return self.bot.syncs_commands and self.interval > dt.timedelta(0)

    async def cog_load(self) -> None:
        if self.schedules:
            check = min(self.interval.total_seconds(), self.bot.settings.refresh_check_seconds)
            self.scheduled_refresh.change_interval(seconds=check)
            self.scheduled_refresh.start()

    async def cog_unload(self) -> None:
        self.scheduled_refresh.cancel()

    @tasks.loop(hours=1)  # the interval is set from the settings in cog_load
    async def scheduled_refresh(self) -> None:
        try:
            await self.refresh_if_due()
        except Exception:  # anything left unhandled would end the loop for good
            log.exception("the scheduled refresh failed; the next check tries again")

    @scheduled_refresh.before_loop
    async def wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def refresh_if_due(self) -> None:
        # SQLite calls on the event loop (small reads and writes, as in SourceService): one left running in a
        # thread when the loop is cancelled could still be using the database as ResearchBot.close() closes it
        sources = self.bot.sources
        now = sources.clock()
        last = sources.followed.last_scheduled_run()
        if last is not None and now < last + self.interval:
            return
        researchers = sources.followed_researchers()
        if researchers:
            log.info("scheduled refresh of %d followed researcher(s)", len(researchers))
        outcomes = await refresh_each(self.bot, researchers)
        # the start time: runs stay one interval apart however long each takes
        sources.followed.set_last_scheduled_run(now)
        await self.post([outcome.line(since=True) for outcome in outcomes if outcome.worth_posting])

    async def post(self, lines: list[str]) -> None:
        channel_id = self.bot.settings.refresh_channel_id
        if not lines or channel_id is None:
            return
        channel = self.bot.get_partial_messageable(channel_id)  # by id: its guild may be on another shard
        try:
            for piece in pagify("\n".join(lines), CONTENT_LIMIT):
                await channel.send(piece)
        except discord.HTTPException as error:
            log.warning("could not post the scheduled refresh to channel %s: %s", channel_id, error)
