"""The actions under every answer: "Summarize…" and "Similar papers" over the papers it shows, and 👍 / 👎.

Every item is a `discord.ui.DynamicItem` whose state is in its custom_id (a paper id, or the id of the answer
record kept in retrieval/feedback), and `ResearchBot` registers the classes at start-up, so the actions of an
answer sent before a restart still work. Anyone may use them. Summaries and similar-paper lists come back
ephemeral: anyone may click, and ten readers would otherwise post ten copies into the channel.

Votes: one per person and answer. The opposite thumb changes the vote; the same thumb again is refused with a
note (except 👎 without a reason yet, which reopens the reason form). 👎 opens a form for an optional short
reason; the vote is stored on the click, so closing the form keeps it.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Literal

import discord

from bot.chat_formatting import OPTION_TEXT_LIMIT, SELECT_OPTIONS
from bot.errors import report_interaction_error
from bot.formatting import first_authors, render_similar, render_summary, truncate
from bot.sending import send_messages
from retrieval.feedback.store import MAX_REASON_CHARS, Vote
from retrieval.ingest.profile_format import profile_of_paper
from retrieval.models import Answer, Citation

if TYPE_CHECKING:
    from bot.client import ResearchBot

log = logging.getLogger(__name__)

CUSTOM_ID_LIMIT = 100
REASON_FORM_TIMEOUT = 600.0
PaperAction = Literal["summarize", "similar"]
PLACEHOLDERS: dict[PaperAction, str] = {"summarize": "Summarize…", "similar": "Similar papers to…"}
THUMBS: dict[Vote, str] = {1: "👍", -1: "👎"}


def paper_options(papers: list[Citation]) -> list[discord.SelectOption]:
    return [
        discord.SelectOption(
            label=truncate(f"[{paper.n}] {paper.title}", OPTION_TEXT_LIMIT),
            value=paper.id,
            description=truncate(f"{paper.year} · {first_authors(paper.authors)}", OPTION_TEXT_LIMIT),
        )
        for paper in papers
    ]


async def send_paper_result(interaction: discord.Interaction, action: PaperAction, paper_id: str) -> None:
    """The summary of, or the papers similar to, one paper: ephemeral, for whoever asked."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    service = interaction.client.service  # type: ignore[attr-defined]
    profile = profile_of_paper(paper_id)  # the paper's own profile, whatever the default one is
    if action == "summarize":
        messages = render_summary(await service.run(service.summary, paper_id, profile=profile))
    else:
        paper = await service.run(service.resolve_paper, paper_id, profile=profile)
        messages = render_similar(paper, await service.run(service.similar, paper.id, profile=profile))
    await send_messages(interaction.followup.send, messages, ephemeral=True)


class PaperSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"rb:(?P<action>summarize|similar)"):
    """A select of the answer's papers; picking one summarizes it or lists its nearest papers."""

    def __init__(self, action: PaperAction, options: list[discord.SelectOption]) -> None:
        super().__init__(discord.ui.Select(custom_id=f"rb:{action}", placeholder=PLACEHOLDERS[action], options=options))
        self.action: PaperAction = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str], /
    ) -> PaperSelect:
        return cls(match["action"], item.options)  # type: ignore[arg-type]

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            [paper_id] = interaction.data["values"]  # type: ignore[index, typeddict-item]
            await send_paper_result(interaction, self.action, paper_id)
        except Exception as error:
            await report_interaction_error(interaction, error)


class SimilarButton(discord.ui.DynamicItem[discord.ui.Button], template=r"rb:similar:(?P<paper>.+)"):
    """ "Similar papers" for an answer that shows one paper."""

    def __init__(self, paper_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Similar papers", style=discord.ButtonStyle.secondary, custom_id=f"rb:similar:{paper_id}"
            )
        )
        self.paper_id = paper_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> SimilarButton:
        return cls(match["paper"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await send_paper_result(interaction, "similar", self.paper_id)
        except Exception as error:
            await report_interaction_error(interaction, error)


class ReasonForm(discord.ui.Modal, title="What was wrong with this answer?"):
    reason: discord.ui.TextInput = discord.ui.TextInput(
        label="Reason (optional)",
        style=discord.TextStyle.paragraph,
        placeholder="e.g. wrong paper, missed the figure I asked for, should have said it isn't covered",
        required=False,
        max_length=MAX_REASON_CHARS,
        custom_id="rb:reason",
    )

    def __init__(self, answer_id: str, changed: bool) -> None:
        super().__init__(timeout=REASON_FORM_TIMEOUT)
        self.answer_id = answer_id
        self.changed = changed

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot: ResearchBot = interaction.client  # type: ignore[assignment]
        await bot.service.run(bot.feedback.set_reason, self.answer_id, interaction.user.id, self.reason.value)
        verb = "changed to" if self.changed else "recorded:"
        await interaction.response.send_message(f"Thanks, your vote is {verb} 👎.", ephemeral=True)

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:
        await report_interaction_error(interaction, error)


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=r"rb:vote:(?P<vote>up|down):(?P<answer>[\w-]+)"):
    def __init__(self, vote: Vote, answer_id: str) -> None:
        direction = "up" if vote == 1 else "down"
        super().__init__(
            discord.ui.Button(
                emoji=THUMBS[vote], style=discord.ButtonStyle.secondary, custom_id=f"rb:vote:{direction}:{answer_id}"
            )
        )
        self.vote: Vote = vote
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> VoteButton:
        return cls(1 if match["vote"] == "up" else -1, match["answer"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self.record(interaction)
        except Exception as error:
            await report_interaction_error(interaction, error)

    async def record(self, interaction: discord.Interaction) -> None:
        bot: ResearchBot = interaction.client  # type: ignore[assignment]
        message_id = interaction.message.id if interaction.message else None
        result = await bot.service.run(
            bot.feedback.vote, self.answer_id, interaction.user.id, self.vote, message_id=message_id
        )
        thumb = THUMBS[self.vote]
        reply = interaction.response.send_message
        if result.status == "unknown_answer":
            await reply(
                "This answer can no longer be rated (its record is gone); ask again to rate a new one.", ephemeral=True
            )
        elif result.status == "unchanged" and not (self.vote == -1 and result.reason is None):
            await reply(f"You already rated this answer {thumb}; each person's vote counts once.", ephemeral=True)
        elif self.vote == -1:
            await interaction.response.send_modal(ReasonForm(self.answer_id, changed=result.status == "changed"))
        else:
            await reply(
                f"Thanks, your vote is {'changed to' if result.status == 'changed' else 'recorded:'} {thumb}.",
                ephemeral=True,
            )


ANSWER_ACTIONS = (PaperSelect, SimilarButton, VoteButton)


def answer_actions(answer: Answer, answer_id: str | None) -> discord.ui.View | None:
    """Summarize / Similar over the papers the answer shows (its citations, else the nearest papers), and the
    votes when the answer was recorded. None when there is nothing to offer."""
    papers = [paper for paper in answer.citations or answer.suggestions if len(paper.id) <= OPTION_TEXT_LIMIT]
    papers = papers[:SELECT_OPTIONS]
    view = discord.ui.View(timeout=None)
    if papers:
        view.add_item(PaperSelect("summarize", paper_options(papers)))
        if len(papers) == 1 and len(f"rb:similar:{papers[0].id}") <= CUSTOM_ID_LIMIT:
            view.add_item(SimilarButton(papers[0].id))
        else:
            view.add_item(PaperSelect("similar", paper_options(papers)))
    if answer_id is not None:
        for vote in THUMBS:
            view.add_item(VoteButton(vote, answer_id))
    return view if view.children else None


async def record_answer(bot: ResearchBot, answer: Answer, guild_id: int | None, channel_id: int | None) -> str | None:
    """Keep the answer so votes on it can be stored with it; None (no vote buttons) if the database fails:
    the answer itself must still go out."""
    try:
        return await bot.service.run(bot.feedback.record_answer, answer, guild_id=guild_id, channel_id=channel_id)
    except Exception:
        log.exception("could not record an answer for feedback; sending it without vote buttons")
        return None
