"""A conversation's turns, and the typed reply to one message of it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from retrieval.answers.plan import QueryPlan
from retrieval.models import Answer, Citation, Paper, PaperFilter, SearchHit, Summary

ReplyKind = Literal["answer", "summary", "similar"]
FollowUpType = Literal["reference", "more", "filter", "topic"]


class Turn(BaseModel):
    """One answered message: what was asked, what it was taken to mean, and the papers the reply showed."""

    model_config = ConfigDict(frozen=True)

    number: int = Field(0, description="1 for the conversation's first turn; set when recorded.")
    question: str = Field(description="The message as typed.")
    resolved_question: str = Field(description="What was answered: references named, a follow-up made whole.")
    kind: ReplyKind
    plan: QueryPlan | None = Field(None, description="The plan answered (answers only).")
    papers: list[Citation] = Field(default_factory=list, description="The papers the reply showed, as numbered.")
    subject: list[Citation] = Field(
        default_factory=list,
        description="The papers it was about: named or referred to, summarized, or whose neighbours were listed "
        "(`n` 0 when the reply did not number it).",
    )
    excluded: list[str] = Field(default_factory=list, description="Ids earlier turns showed, left out (“more”).")
    profile: str = Field(description="The profile id asked, or `all`.")
    at: dt.datetime

    @property
    def intent(self) -> str | None:
        return self.plan.intent if self.plan else None

    @property
    def filters(self) -> PaperFilter:
        return self.plan.filters if self.plan else PaperFilter()


class Conversation(BaseModel):
    """The last turns under one key (a Discord thread or reply chain, a CLI session). Immutable: the store
    replaces it on every turn, so a reader never sees one half-updated."""

    model_config = ConfigDict(frozen=True)

    key: str
    turns: tuple[Turn, ...] = ()
    last_active: float = Field(description="The store's clock at the last turn (monotonic seconds).")

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


class Reference(BaseModel):
    text: str = Field(description="As written: “it”, “the second one”, “[2]”, “both”.")
    papers: list[Citation]


class FollowUp(BaseModel):
    """How a message was read as a follow-up, for a UI's “(following up on: …)”."""

    type: FollowUpType = Field(description="reference: it means earlier papers; more: the next papers; filter / "
                               "topic: the earlier question with a new filter / topic.")  # fmt: skip
    turn: int = Field(description="The number of the turn it follows up on.")
    previous_question: str
    resolved_question: str
    references: list[Reference] = Field(default_factory=list)
    changed_filter: dict[str, Any] = Field(default_factory=dict, description="Filter values this message set.")
    replaced_filter: dict[str, Any] = Field(default_factory=dict, description="Earlier values of the same kind.")
    changed_topic: str | None = Field(None, description="The topic that replaced the earlier one.")
    excluded: list[str] = Field(default_factory=list, description="Ids already shown, left out (“more”).")


class SimilarPapers(BaseModel):
    paper: Paper
    results: list[SearchHit]


class ConversationReply(BaseModel):
    """The reply to one message. `answer` is always there (for a summary or similar papers, their text and
    citations), so a plain client can show any reply; `summary` / `similar` hold the full results."""

    kind: ReplyKind
    turn: int
    answer: Answer
    summary: Summary | None = None
    similar: SimilarPapers | None = None
    followup: FollowUp | None = None
