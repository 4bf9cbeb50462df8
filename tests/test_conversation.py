"""Conversations through the service: follow-ups resolve to the right papers at every turn, and the state is
bounded (turns, idle time, conversations kept), per key, and safe under concurrent use. Expected papers come from
the data: the papers an earlier turn cited, the filtered paper lists, the similar service."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from retrieval.conversation import ConversationService, ConversationStore, Turn
from retrieval.errors import FollowUpError, InvalidQuestionError
from retrieval.models import PaperFilter
from retrieval.service import ResearchService


class Clock:
    """A monotonic clock the test moves by hand: expiry without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def chat(seeded_service: ResearchService) -> ConversationService:
    """A conversation service of its own (the seeded service is shared by the whole run)."""
    return ConversationService(seeded_service, ConversationStore())


def ids(citations: list) -> list[str]:
    return [citation.id for citation in citations]


def test_a_chain_of_references_resolves_to_the_right_papers(chat: ConversationService) -> None:
    service = chat.research
    robotics = service.papers(PaperFilter(category="RO"))
    listing = chat.converse("k", "which robotics papers did he write?")
    assert ids(listing.answer.citations) == [paper.id for paper in robotics]

    second = listing.answer.citations[1]
    detail = chat.converse("k", "the second one")
    assert detail.followup.type == "reference" and detail.followup.turn == 1
    assert ids(detail.answer.citations) == [second.id] and detail.answer.plan["papers"] == [second.id]
    assert detail.answer.question == "the second one"  # the message as typed; the resolution is in `followup`
    assert second.title.split(":")[0] in detail.followup.resolved_question

    rt1 = service.resolve_paper("RT-1")
    compared = chat.converse("k", "compare it with RT-1")
    assert compared.answer.intent == "comparison" and ids(compared.answer.citations) == [second.id, rt1.id]
    assert ids(compared.followup.references[0].papers) == [second.id]

    with pytest.raises(FollowUpError) as ambiguous:  # two papers were just compared: "it" is either
        chat.converse("k", "summarize it")
    assert ids(ambiguous.value.candidates) == [second.id, rt1.id]

    summary = chat.converse("k", "summarize the first one")
    assert summary.kind == "summary" and summary.summary.paper.id == second.id
    assert summary.summary == service.summary(second.id)

    similar = chat.converse("k", "similar to it")
    nearest = service.similar(second.id, k=10)
    assert similar.kind == "similar" and similar.similar.paper.id == second.id
    assert [hit.paper.id for hit in similar.similar.results] == [hit.paper.id for hit in nearest[:5]]

    more = chat.converse("k", "more")
    assert more.kind == "similar" and more.followup.type == "more"
    assert [hit.paper.id for hit in more.similar.results] == [hit.paper.id for hit in nearest[5:10]]
    assert [hit.rank for hit in more.similar.results] == [1, 2, 3, 4, 5]
    assert more.turn == 6 and [turn.number for turn in chat.store.get("k").turns] == list(range(1, 7))


def test_a_new_filter_reruns_the_earlier_question_replacing_its_kind(chat: ConversationService) -> None:
    service = chat.research
    chat.converse("k", "newest papers on language models")
    in_2022 = chat.converse("k", "what about 2022?")
    assert in_2022.followup.type == "filter" and in_2022.followup.changed_filter == {"year": 2022}
    # the newest of the 2022 papers on language models, as the full list of them has it
    on_topic = [service.resolve_paper(c.id) for c in service.ask("newest papers on language models in 2022").citations]
    newest = sorted(on_topic, key=lambda paper: paper.date, reverse=True)[: len(in_2022.answer.citations)]
    assert in_2022.answer.intent == "recency" and in_2022.answer.citations
    assert ids(in_2022.answer.citations) == [paper.id for paper in newest]

    earlier = chat.converse("k", "what about before 2022")  # a year range replaces the year
    assert earlier.followup.changed_filter == {"year_to": 2021} and earlier.followup.replaced_filter == {"year": 2022}
    assert earlier.answer.plan["filters"] == {"year_to": 2021} and earlier.answer.plan["topic"] == "language models"
    assert all(citation.year <= 2021 for citation in earlier.answer.citations)

    robotics = chat.converse("k", "only robotics")  # another kind of filter is added
    assert robotics.answer.plan["filters"] == {"year_to": 2021, "category": "RO"}
    robotics_ids = {paper.id for paper in service.papers(PaperFilter(category="RO", year_to=2021))}
    assert robotics.answer.citations and set(ids(robotics.answer.citations)) <= robotics_ids


def test_a_count_under_a_new_filter_is_the_filtered_listing(chat: ConversationService) -> None:
    chat.converse("k", "how many papers in 2020?")
    reply = chat.converse("k", "what about 2021?")
    papers_2021 = chat.research.papers(PaperFilter(year=2021))
    assert reply.answer.intent == "listing" and ids(reply.answer.citations) == [paper.id for paper in papers_2021]
    assert f": {len(papers_2021)}." in reply.answer.answer


def test_more_continues_with_the_papers_not_yet_shown(chat: ConversationService) -> None:
    newest = chat.research.papers()  # newest first
    first = chat.converse("k", "anything recent from him?")
    shown = len(first.answer.citations)
    assert ids(first.answer.citations) == [paper.id for paper in newest[:shown]]
    second = chat.converse("k", "more")
    third = chat.converse("k", "anything else?")
    assert ids(second.answer.citations) == [paper.id for paper in newest[shown : 2 * shown]]
    assert ids(third.answer.citations) == [paper.id for paper in newest[2 * shown : 3 * shown]]
    assert third.followup.excluded == [paper.id for paper in newest[: 2 * shown]]


def test_more_on_one_paper_is_its_summary_and_else_its_neighbours(chat: ConversationService) -> None:
    velo = chat.research.resolve_paper("VeLO")
    chat.converse("k", "what is VeLO?")
    assert chat.converse("k", "tell me more").summary.paper.id == velo.id
    chat.converse("other", "what is VeLO?")
    neighbours = chat.converse("other", "anything else?")
    assert [hit.paper.id for hit in neighbours.similar.results] == [h.paper.id for h in chat.research.similar(velo.id)]


def test_both_and_them_mean_the_earlier_papers(chat: ConversationService) -> None:
    pair = chat.converse("pair", "compare RT-1 and RT-2")
    both = chat.converse("pair", "what do both do?")
    assert both.answer.intent == "comparison" and ids(both.answer.citations) == ids(pair.answer.citations)

    listing = chat.converse("three", "which papers did Kevin Lu write?")
    assert len(listing.answer.citations) == 3
    them = chat.converse("three", "compare them")
    assert them.answer.intent == "comparison" and ids(them.answer.citations) == ids(listing.answer.citations)
    with pytest.raises(FollowUpError, match="needs two papers"):
        chat.converse("three", "summarize both")  # after a comparison of three, "both" is two of them: which?


def test_a_reference_to_nothing_gets_a_message_and_records_nothing(chat: ConversationService) -> None:
    with pytest.raises(FollowUpError, match="no earlier answer"):
        chat.converse("k", "summarize it")
    with pytest.raises(FollowUpError, match="no earlier answer"):
        chat.converse("k", "more")
    assert chat.store.get("k") is None

    listing = chat.converse("k", "which papers did Kevin Lu write?")
    with pytest.raises(FollowUpError, match="only 3 papers") as past_the_end:
        chat.converse("k", "the fifth one")
    assert ids(past_the_end.value.candidates) == ids(listing.answer.citations)
    with pytest.raises(InvalidQuestionError):
        chat.converse("k", "   ")
    third = chat.converse("k", "the third one")  # the conversation goes on from the listing
    assert ids(third.answer.citations) == [listing.answer.citations[2].id]


def test_a_question_of_its_own_is_answered_fresh_and_recorded(chat: ConversationService) -> None:
    chat.converse("k", "what is RT-2?")
    fresh = chat.converse("k", "what is VeLO?")
    assert fresh.followup is None and ids(fresh.answer.citations) == ids(chat.research.ask("what is VeLO?").citations)
    # its own pronouns point inside it, not at the earlier answer
    standalone = chat.converse("k", "LatCo - what is it and how does it plan?")
    assert standalone.followup is None
    chat.converse("k", "what is VeLO?")
    assert chat.converse("k", "summarize it").summary.paper.id == chat.research.resolve_paper("VeLO").id


def test_two_conversations_keyed_apart_keep_their_own_papers(chat: ConversationService) -> None:
    robotics = chat.converse("thread-1", "which robotics papers did he write?")
    kevin = chat.converse("thread-2", "which papers did Kevin Lu write?")
    assert chat.converse("thread-1", "the second one").answer.plan["papers"] == [robotics.answer.citations[1].id]
    assert chat.converse("thread-2", "the second one").answer.plan["papers"] == [kevin.answer.citations[1].id]


def test_a_conversation_keeps_its_profile_even_every_profile(chat: ConversationService) -> None:
    listing = chat.converse("lab", "which papers did Kevin Lu write?", profile="all")
    assert listing.answer.citations and all(citation.researcher for citation in listing.answer.citations)
    summary = chat.converse("lab", "summarize the second one")  # no profile given: the conversation's
    assert summary.summary.paper.id == listing.answer.citations[1].id
    with pytest.raises(FollowUpError, match="no earlier answer"):  # another profile: no earlier turns
        chat.converse("lab", "summarize it", profile="igor-mordatch")


def test_an_idle_conversation_expires(seeded_service: ResearchService) -> None:
    clock = Clock()
    chat = ConversationService(seeded_service, ConversationStore(idle_seconds=60, clock=clock))
    chat.converse("k", "what is RT-2?")
    clock.now += 59
    assert chat.converse("k", "summarize it").summary.paper.id == seeded_service.resolve_paper("RT-2").id
    clock.now += 61
    with pytest.raises(FollowUpError, match="no earlier answer"):
        chat.converse("k", "summarize it")
    assert chat.store.get("k") is None


def turn(question: str) -> Turn:
    return Turn(question=question, resolved_question=question, kind="answer", profile="p", at=dt.datetime.now(dt.UTC))


def test_the_store_keeps_the_last_turns_and_the_most_recent_conversations() -> None:
    clock = Clock()
    store = ConversationStore(max_turns=3, max_conversations=2, clock=clock)
    for n in range(5):
        store.record("a", turn(f"q{n}"))
    assert [(t.number, t.question) for t in store.get("a").turns] == [(3, "q2"), (4, "q3"), (5, "q4")]

    store.record("b", turn("b0"))
    clock.now += 1
    store.record("a", turn("q5"))  # "a" is now the more recent
    store.record("c", turn("c0"))  # a third conversation: the least recently active ("b") goes
    assert store.get("b") is None and store.get("a").last.question == "q5" and len(store) == 2


def test_the_settings_bound_the_store(seeded_service: ResearchService) -> None:
    settings = seeded_service.settings.model_copy(
        update={"conversation_max_turns": 4, "conversation_idle_seconds": 5.0, "conversation_cache_size": 7}
    )
    store = ConversationStore.from_settings(settings)
    assert (store.max_turns, store.idle_seconds, store.max_conversations) == (4, 5.0, 7)


def test_concurrent_follow_ups_stay_in_their_own_conversations(seeded_service: ResearchService) -> None:
    """10 conversations, each opened with a different co-author's papers, then 5 follow-ups each, all from
    threads at once: every reply is about its own conversation's paper."""
    chat = ConversationService(seeded_service, ConversationStore())
    openings: dict[str, str] = {}  # question -> the first paper it lists
    for author in dict.fromkeys(a for paper in seeded_service.papers() for a in paper.authors[1:]):
        first = seeded_service.papers(PaperFilter(author=author))[0].id
        if first not in openings.values() and first != seeded_service.resolve_paper("RT-1").id:
            openings[f"papers with {author}"] = first
        if len(openings) == 10:
            break
    assert len(openings) == 10
    start = threading.Barrier(10)

    def converse(question: str) -> list:
        key = f"thread-{question}"
        start.wait()
        chat.converse(key, question)
        return [chat.converse(key, message) for message in
                ("the first one", "summarize it", "similar to it", "more", "compare it with RT-1")]  # fmt: skip

    with ThreadPoolExecutor(max_workers=10) as pool:
        replies = dict(zip(openings, pool.map(converse, openings), strict=True))
    rt1 = seeded_service.resolve_paper("RT-1").id
    for question, (first, summary, similar, more, compared) in replies.items():
        paper = openings[question]
        assert first.answer.plan["papers"] == [paper], question
        assert summary.summary.paper.id == paper and similar.similar.paper.id == paper
        shown = {hit.paper.id for hit in similar.similar.results}
        assert more.similar.paper.id == paper and not shown & {hit.paper.id for hit in more.similar.results}
        assert ids(compared.answer.citations) == [paper, rt1]
        assert [t.number for t in chat.store.get(f"thread-{question}").turns] == [1, 2, 3, 4, 5, 6]


def test_a_new_topic_drops_the_earlier_topics_examples(chat: ConversationService) -> None:
    chat.converse("k", "list his papers about robots (robot arms, mobile manipulators)")
    changed = chat.converse("k", "what about language models?")
    assert changed.followup.type == "topic" and changed.answer.plan["topic"] == "language models"
    assert "examples" not in changed.answer.plan
