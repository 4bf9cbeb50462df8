"""/researcher's interactive parts: the candidates of an ambiguous name, the confirmation of a removal (both only
for the invoker, disabled after a timeout) and a progress message edited as a fetch reads pages."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import discord

from bot.chat_formatting import SELECT_OPTIONS
from bot.researcher_formatting import candidate_description, candidate_label
from retrieval.sources.openalex import AuthorCandidate


class InvokerView(discord.ui.View):
    """Only the invoker may use it; on timeout every item is disabled and the message says `expired`."""

    def __init__(self, owner_id: int, *, timeout: float, expired: str) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.expired = expired
        self.message: discord.Message | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who ran this `/researcher` command can answer here.", ephemeral=True
        )
        return False

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):  # the message may be gone
                await self.message.edit(content=self.expired, view=self)


class CandidateChoice(InvokerView):
    """A select of up to 25 researchers who share a name; `chosen` is the one picked."""

    def __init__(self, candidates: list[AuthorCandidate], owner_id: int, *, timeout: float) -> None:
        super().__init__(owner_id, timeout=timeout, expired="No researcher was picked in time; nothing was changed.")
        self.candidates = {candidate.id: candidate for candidate in candidates[:SELECT_OPTIONS]}
        self.chosen: AuthorCandidate | None = None
        self.select: discord.ui.Select = discord.ui.Select(
            placeholder="Which researcher?",
            options=[
                discord.SelectOption(
                    label=candidate_label(candidate), value=candidate.id, description=candidate_description(candidate)
                )
                for candidate in self.candidates.values()
            ],
        )
        self.select.callback = self.on_choice
        self.add_item(self.select)

    async def on_choice(self, interaction: discord.Interaction) -> None:
        self.chosen = self.candidates[self.select.values[0]]
        await interaction.response.defer()  # the command edits this message into the fetch's progress
        self.stop()


class ConfirmRemoval(InvokerView):
    def __init__(self, owner_id: int, *, timeout: float) -> None:
        super().__init__(owner_id, timeout=timeout, expired="No answer in time; nothing was removed.")
        self.confirmed = False

    async def answer(self, interaction: discord.Interaction, confirmed: bool) -> None:
        self.confirmed = confirmed
        await interaction.response.defer()  # the command edits this message with the outcome
        self.stop()

    @discord.ui.button(label="Remove", style=discord.ButtonStyle.danger)
    async def remove(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self.answer(interaction, True)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self.answer(interaction, False)


class Throttle:
    """`ready()` is True at most once per `interval` seconds, counted from its creation."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self.last = clock()

    def ready(self) -> bool:
        now = self.clock()
        if now - self.last < self.interval:
            return False
        self.last = now
        return True


class ProgressMessage:
    """A fetch's `progress` callback that edits `message` to `text(done, total)`, throttled (Discord rate-limits
    edits, and each edit holds up the fetch); the caller's final edit replaces it."""

    def __init__(self, message: discord.Message, text: Callable[[int, int | None], str], *, interval: float) -> None:
        self.message = message
        self.text = text
        self.throttle = Throttle(interval)

    async def __call__(self, done: int, total: int | None) -> None:
        if self.throttle.ready():
            with contextlib.suppress(discord.HTTPException):  # progress is a courtesy; the fetch goes on
                await self.message.edit(content=self.text(done, total))
