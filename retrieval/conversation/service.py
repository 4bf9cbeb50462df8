"""`ConversationService`: each message answered in the light of the turns before it, and recorded as a turn.

A follow-up is settled before any answer strategy runs: it becomes an ordinary query plan (papers referred to,
a filter replaced, papers already shown left out) or a call of the summary or similar service. So the
strategies never see a conversation, and a follow-up is answered exactly as the question it stands for.
"""

from __future__ import annotations

import datetime as dt
import re

from retrieval.answers.metadata import citation, paper_listing
from retrieval.answers.plan import COMPARISON, QueryPlan
from retrieval.answers.questions import validate_question
from retrieval.answers.strategies import MOST_COMPARED, describe_filters
from retrieval.conversation.followups import (
    Action,
    Continuation,
    continuation,
    filter_change,
    merge_filters,
    requested_action,
    reruns_with_filter,
    reruns_with_topic,
    topic_change,
)
from retrieval.conversation.models import (
    ConversationReply,
    FollowUp,
    FollowUpType,
    Reference,
    ReplyKind,
    SimilarPapers,
    Turn,
)
from retrieval.conversation.references import (
    Mention,
    about_earlier,
    find_mentions,
    name_of,
    pointing_back,
    resolve,
    short,
    the_one,
    written_out,
)
from retrieval.conversation.store import ConversationStore
from retrieval.errors import FollowUpError
from retrieval.models import Answer, Citation, PaperFilter
from retrieval.service import ResearchService

SIMILAR_COUNT = 5  # papers per similar reply, as `research-bot similar`
COMPARE_VERB = re.compile(r"\b(?:compare[ds]?|comparing|contrast)\b", re.IGNORECASE)
Reply = tuple[ConversationReply, Turn]


class ConversationService:
    """Thread-safe, like the services it calls; one instance serves every conversation (keyed by `key`)."""

    def __init__(self, research: ResearchService, store: ConversationStore | None = None) -> None:
        self.research = research
        self.store = store if store is not None else ConversationStore.from_settings(research.settings)

    def converse(
        self, key: str, message: str, *, profile: str | None = None, default: str | None = None
    ) -> ConversationReply:
        """Answer `message` as the next turn of conversation `key`. `profile`: None keeps the conversation's
        (else `default`, else the service's default); another profile than the conversation's starts afresh.
        Raises UserFacingError (FollowUpError when a follow-up cannot be read), and then records nothing."""
        message = validate_question(message, self.research.settings.max_question_chars)
        conversation = self.store.get(key)
        previous = conversation.last if conversation else None
        requested = profile if profile is not None else previous.profile if previous is not None else default
        profile_id = self.research.asked_profile(requested)
        if previous is not None and previous.profile != profile_id:
            previous = None  # another researcher's papers: the earlier turns are no context
        reply, turn = self._reply(message, previous, profile_id)
        recorded = self.store.record(key, turn)
        return reply.model_copy(update={"turn": recorded.number})

    def _reply(self, message: str, previous: Turn | None, profile_id: str) -> Reply:
        """The rules in order: a summary or similar request, "more", a new filter, references, else a question
        of its own (recorded all the same)."""
        own = self.research.plan(message, profile=profile_id)
        action = requested_action(message)
        relates = bool(COMPARISON.search(message)) or (action is not None and action[0] == "similar")
        mentions = pointing_back(find_mentions(message), message, own, relates)
        words = [mention for mention in mentions if mention.form not in ("numbered", "ordinal")]
        if previous and words:
            earlier = [self.research.resolve_paper(paper.id, profile=profile_id) for paper in previous.papers]
            if not about_earlier(message, words, own.topic, earlier):  # a question of its own: pronouns point inside
                mentions = [mention for mention in mentions if mention not in words]
        if action:
            acted = self._act(message, action, mentions, own, previous, profile_id)
            if acted:
                return acted
        going_on = continuation(message)
        if going_on:
            if previous is None:
                raise FollowUpError("There is no earlier answer to go on from; ask a question first.")
            return self._go_on(message, going_on, previous, profile_id)
        new_filter = filter_change(message, own, mentions) if previous and reruns_with_filter(previous) else None
        if previous and new_filter:
            return self._refiltered(message, previous, new_filter, profile_id)
        new_topic = topic_change(message, own, mentions) if previous and reruns_with_topic(previous) else None
        if previous and new_topic:
            return self._refiltered(message, previous, own.filters, profile_id, topic=new_topic)
        if mentions and (previous or not (own.topic or own.papers or own.metrics or own.missing)):
            return self._referred(message, mentions, _earlier(previous, mentions[0].text), profile_id)
        if previous and COMPARISON.search(message) and len(own.papers) + len(own.compared) == 1 and short(message, own):
            return self._compared_with_earlier(message, previous, profile_id)
        return self._answered(message, own, profile_id, message)

    # --- answers from a plan ---

    def _answered(
        self, message: str, plan: QueryPlan, profile_id: str, resolved: str, followup: FollowUp | None = None
    ) -> Reply:
        answer = self.research.answer_plan(plan, profile=profile_id).model_copy(update={"question": message})
        by_id = {cited.id: cited for cited in answer.citations}
        turn = _turn(
            message,
            resolved,
            "answer",
            profile_id,
            plan=plan,
            papers=answer.citations or answer.suggestions,  # after an abstention, "the first one" is a suggestion
            subject=[by_id[paper_id] for paper_id in plan.papers if paper_id in by_id],
            excluded=plan.exclude,
        )
        return ConversationReply(kind="answer", turn=0, answer=answer, followup=followup), turn

    def _referred(self, message: str, mentions: list[Mention], previous: Turn, profile_id: str) -> Reply:
        """A question about earlier papers ("compare it with RT-1", "what were its results?", "the second one")."""
        references = resolve(mentions, previous)
        named, plain = written_out(message, mentions, references)
        referred = list(dict.fromkeys(paper.id for reference in references for paper in reference.papers))
        plan = self.research.plan(plain, profile=profile_id, referred=referred).model_copy(update={"question": named})
        if len(plan.papers) > MOST_COMPARED:
            raise FollowUpError(
                f"That is {len(plan.papers)} papers; I compare at most {MOST_COMPARED} at a time. Say which, e.g. "
                "“compare 1 and 3”.",
                candidates=[paper for reference in references for paper in reference.papers],
            )
        followup = _followup("reference", previous, named, references=references)
        return self._answered(message, plan, profile_id, named, followup)

    def _compared_with_earlier(self, message: str, previous: Turn, profile_id: str) -> Reply:
        """A comparison naming one side ("compare with Brax"); the other is the paper the earlier answer was about."""
        reference = Reference(text="(the earlier paper)", papers=the_one(previous))
        name = name_of(reference.papers[0])
        named, found = COMPARE_VERB.subn(lambda verb: f"{verb.group()} {name}", message, count=1)
        named = named if found else f"{name}: {message}"
        plan = self.research.plan(message, profile=profile_id, referred=[reference.papers[0].id])
        plan = plan.model_copy(update={"question": named})
        followup = _followup("reference", previous, named, references=[reference])
        return self._answered(message, plan, profile_id, named, followup)

    def _refiltered(
        self, message: str, previous: Turn, new: PaperFilter, profile_id: str, topic: str | None = None
    ) -> Reply:
        """The earlier question again with a filter of the same kind replaced ("what about 2021?", "only
        robotics"); with `topic` ("what about robots?"), on that topic instead."""
        earlier = previous.plan
        assert earlier is not None  # reruns_with_filter / _topic: an answer's turn
        merged, changed, replaced = merge_filters(earlier.filters, new)
        update: dict[str, object] = {"filters": merged, "exclude": []}
        if earlier.intent == "metrics":  # a count of papers under a filter is the filtered listing (as plan.py)
            update |= {"intent": "listing", "metrics": []}
        if topic:
            update |= {"topic": topic, "examples": ""}  # the earlier topic's examples are not the new one's
        plan = earlier.model_copy(update=update)
        now = (f" on “{topic}”" if topic else "") + describe_filters(merged)
        resolved = f"{earlier.question} — now{now}"
        followup = _followup("topic" if topic else "filter", previous, resolved, changed_filter=changed,
                             replaced_filter=replaced, changed_topic=topic)  # fmt: skip
        return self._answered(message, plan, profile_id, resolved, followup)

    def _go_on(self, message: str, kind: Continuation, previous: Turn, profile_id: str) -> Reply:
        """Going on ("more", "anything else?"): the next papers for the same question; about one paper, its
        summary ("more") or its neighbours ("else"); after similar papers, the next ones."""
        shown = [*previous.excluded, *(paper.id for paper in previous.papers)]
        if previous.kind == "similar":
            return _following(self._similar(message, previous.subject[0], profile_id, shown), "more", previous,
                              excluded=shown)  # fmt: skip
        if previous.kind == "summary":
            raise FollowUpError(
                f"That was the whole summary of {name_of(previous.subject[0])}; “similar to it” finds related papers."
            )
        if len(previous.subject) == 1:
            act = self._summary if kind == "more" else self._similar
            return _following(act(message, previous.subject[0], profile_id), "more", previous)
        if previous.subject:
            raise FollowUpError(
                "A comparison has no next page; ask about one of them, e.g. “tell me more about the first one”.",
                candidates=previous.subject,
            )
        plan = previous.plan
        if plan is None or plan.intent in ("metrics", "not_in_profile") or not previous.papers:
            raise FollowUpError("That answer showed no papers to go on from; ask another question.")
        if plan.intent == "listing" and not plan.topic:
            raise FollowUpError(
                f"That was the complete list ({len(previous.papers)} papers); add a filter (e.g. “only 2022”) or "
                "ask another question."
            )
        plan = plan.model_copy(update={"exclude": shown})
        followup = _followup("more", previous, previous.resolved_question, excluded=shown)
        reply, turn = self._answered(message, plan, profile_id, previous.resolved_question, followup)
        if not reply.answer.citations and not reply.answer.suggestions:
            raise FollowUpError("No more papers: the earlier answers showed every one that matches.")
        return reply, turn

    # --- summary and similar papers ---

    def _act(
        self,
        message: str,
        action: tuple[Action, bool],
        mentions: list[Mention],
        own: QueryPlan,
        previous: Turn | None,
        profile_id: str,
    ) -> Reply | None:
        """The summary or similar service on the one paper meant ("summarize it", "anything like that one?",
        "summary please", "summarize RT-2"); None when the message means no single paper ("summarize his work on
        X", "summarize both")."""
        kind, bare = action
        references = resolve(mentions, _earlier(previous, mentions[0].text)) if mentions else []
        if not references and bare:
            references = [Reference(text=message, papers=the_one(_earlier(previous, message)))]
        meant = [paper for reference in references for paper in reference.papers]
        named = [citation(0, self.research.resolve_paper(paper_id, profile=profile_id)) for paper_id in own.papers]
        targets = list({paper.id: paper for paper in meant + named}.values())
        if len(targets) != 1:
            return None
        reply = (self._summary if kind == "summary" else self._similar)(message, targets[0], profile_id)
        return _following(reply, "reference", previous, references=references) if meant and previous else reply

    def _summary(self, message: str, target: Citation, profile_id: str) -> Reply:
        summary = self.research.summary(target.id, profile=profile_id)
        cited = citation(1, summary.paper)
        answer = Answer(question=message, answer=f"{name_of(cited)}: {summary.tldr} [1]", abstained=False,
                        route="papers", citations=[cited])  # fmt: skip
        turn = _turn(message, f"Summary of {name_of(cited)}", "summary", profile_id, papers=[cited], subject=[cited])
        return ConversationReply(kind="summary", turn=0, answer=answer, summary=summary), turn

    def _similar(self, message: str, target: Citation, profile_id: str, shown: list[str] | None = None) -> Reply:
        """The papers nearest to `target`; those in `shown` left out (the next ones instead)."""
        paper = self.research.resolve_paper(target.id, profile=profile_id)
        left_out = set(shown or [])
        hits = self.research.similar(paper.id, k=SIMILAR_COUNT + len(left_out), profile=profile_id)
        kept = [hit for hit in hits if hit.paper.id not in left_out][:SIMILAR_COUNT]
        if not kept:
            raise FollowUpError(f"No {'more ' if shown else ''}papers near {name_of(target)} in this profile.")
        hits = [hit.model_copy(update={"rank": rank}) for rank, hit in enumerate(kept, 1)]
        subject = citation(0, paper)
        text, citations = paper_listing(f"Papers nearest to {name_of(subject)}", [hit.paper for hit in hits])
        answer = Answer(question=message, answer=text, abstained=False, route="papers", citations=citations,
                        generated_by="metadata")  # fmt: skip
        turn = _turn(message, f"Papers similar to {name_of(subject)}", "similar", profile_id, papers=citations,
                     subject=[subject], excluded=shown or [])  # fmt: skip
        similar = SimilarPapers(paper=paper, results=hits)
        return ConversationReply(kind="similar", turn=0, answer=answer, similar=similar), turn


def _earlier(previous: Turn | None, reference: str) -> Turn:
    if previous is None:
        raise FollowUpError(
            f"There is no earlier answer in this conversation for “{reference}” to refer to; name the paper "
            "(e.g. “summarize RT-2”)."
        )
    return previous


def _followup(kind: FollowUpType, previous: Turn, resolved: str, **details: object) -> FollowUp:
    return FollowUp.model_validate(
        {
            "type": kind,
            "turn": previous.number,
            "previous_question": previous.question,
            "resolved_question": resolved,
            **details,
        }
    )


def _following(reply: Reply, kind: FollowUpType, previous: Turn, **details: object) -> Reply:
    """A summary or similar reply marked as following up on `previous`."""
    answered, turn = reply
    followup = _followup(kind, previous, turn.resolved_question, **details)
    return answered.model_copy(update={"followup": followup}), turn


def _turn(message: str, resolved: str, kind: ReplyKind, profile_id: str, **fields: object) -> Turn:
    return Turn.model_validate(
        {
            "question": message,
            "resolved_question": resolved,
            "kind": kind,
            "profile": profile_id,
            "at": dt.datetime.now(dt.UTC),
            **fields,
        }
    )
