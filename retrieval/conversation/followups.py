"""Which kind of follow-up a message is, by phrase rules over the message and its own plan: a request for the
summary or the neighbours of a paper, for more of the same, or the earlier question under a new filter or on a new
topic. (References to earlier papers: references.py.) A message that is none of these is a question of its own."""

from __future__ import annotations

import re
from typing import Literal

from retrieval.answers.plan import CATEGORY_TOPIC_WORDS, COUNT_METRICS, PAPER_NOUN, QueryPlan, has_filter
from retrieval.conversation.models import Turn
from retrieval.conversation.references import Mention
from retrieval.models import PaperFilter

Action = Literal["summary", "similar"]
Continuation = Literal["more", "else"]

ACTIONS: tuple[tuple[re.Pattern[str], Action], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), action)
    for pattern, action in (
        (
            r"\b(?:summar(?:y|ies|ize|ise|ization)|tl;?dr|gist|sum (?:it|that|this) up|key (?:points|takeaways)|"
            r"(?:tell me |say )?more (?:about|on)|more details?|details (?:of|on|about)|break (?:it|that|this) down)\b",
            "summary",
        ),
        (
            r"\b(?:similar|resembl\w*|(?:anything|something|papers?|more|others?|work|ones?|stuff) like|"
            r"related(?: to| papers| work|(?=\W*$))|(?:closest|nearest) to|in the same (?:vein|spirit|direction|line)|"
            r"along (?:the same|those|these) lines)\b",
            "similar",
        ),
    )
)
# the whole message asks to go on: "more", "tell me more", "anything else?", "next"
_POLITE = r"^\W*(?:(?:and|ok(?:ay)?|so|alright|great|thanks|cool|nice|hm+)\W+)*"
_TAIL = r"(?:\s+(?:papers?|ones?|results?|of (?:them|those)|please|pls|then))*\W*$"
CONTINUATIONS: tuple[tuple[re.Pattern[str], Continuation], ...] = tuple(
    (re.compile(f"{_POLITE}(?:{pattern}){_TAIL}", re.IGNORECASE), continuation)
    for pattern, continuation in (
        (
            r"(?:(?:tell|show|give) me |(?:are there|is there|got|any) )?(?:some |any ?|a few |a bit )?more|"
            r"keep going|go on|continue|next(?: page)?|the rest",
            "more",
        ),
        (
            r"(?:(?:is there |are there |got |any ?)?(?:thing|anything|something|what|who) else|(?:any )?others?)",
            "else",
        ),
    )
)
# the start or end of a message that adds to the earlier question: "what about 2021?", "only robotics", "… too"
FOLLOW_ON = re.compile(
    r"^\W*(?:and|but|ok(?:ay)?|so|now|then|also|what about|how about|what if|same(?: question)?(?: but)?|only|just|"
    r"limit(?:ed)? to|restrict(?:ed)? to|narrow(?: it)?(?: down)? to)\b",
    re.IGNORECASE,
)
FOLLOW_ON_END = re.compile(r"\b(?:instead|only|too|as well)\W*$", re.IGNORECASE)  # unless it names papers itself
ONLY = re.compile(r"\b(?:only|just|in|within|restrict\w*|limit\w*|narrow\w*)\b", re.IGNORECASE)
# "what about robots?", "and diffusion?": the earlier question on another topic
ANOTHER_TOPIC = re.compile(
    r"^\W*(?:(?:and|but|so|now|ok(?:ay)?)\W+)?(?:what about|how about|same (?:question )?(?:for|about|on))\b|"
    r"^\W*and\b|\binstead\W*$",
    re.IGNORECASE,
)
TOPIC_WORDS = 6  # a longer message is a question of its own
SHORT_FILTER_WORDS = 3  # "2021?", "with code", "by Abbeel": a filter alone, so short, adds to the earlier question
# words that leave a summary or similar request without a paper of its own ("summary please", "anything similar?")
BARE_REQUEST = frozenset(
    "a an the please pls quick short brief me give can could would you paper papers one ones anything something any "
    "some ok okay and so now then too also there is are what whats what's find show get of other others more this "
    "to me i want need do have got".split()
)


def requested_action(message: str) -> tuple[Action, bool] | None:
    """The summary or similar request the message makes, and whether it names no paper at all (then it means the
    earlier answer's paper): "summarize it" → ("summary", False); "anything similar?" → ("similar", True)."""
    for pattern, action in ACTIONS:
        match = pattern.search(message)
        if match:
            rest = message[: match.start()] + " " + message[match.end() :]
            bare = not set(re.findall(r"[\w'’]+", rest.casefold())) - BARE_REQUEST
            return action, bare
    return None


def continuation(message: str) -> Continuation | None:
    """Whether the message asks to go on: "more" (the next papers, or more of the one paper) or "else" (other
    papers)."""
    return next((kind for pattern, kind in CONTINUATIONS if pattern.match(message)), None)


def filter_change(message: str, plan: QueryPlan, mentions: list[Mention]) -> PaperFilter | None:
    """The filter a message sets when a filter is all it says ("what about 2021?", "only robotics", "and with
    code?", "which of them are from 2022?"); None for a question of its own ("robotics papers from 2021?")."""
    if plan.papers or plan.metrics or plan.intent == "not_in_profile":
        return None
    if any(mention.form != "all" for mention in mentions):
        return None  # "what about the second one?" is about a paper; "which of them have code?" filters them
    new, topic = plan.filters, plan.topic
    area = _area(topic)
    if area and not new.category and ONLY.search(message):  # "only robotics": the planner reads it as a topic
        new, topic = new.model_copy(update={"category": area}), ""
    if topic or not has_filter(new):
        return None
    names_papers = re.search(rf"\b{PAPER_NOUN}\b", message, re.IGNORECASE)
    short = len(re.findall(r"[\w'’]+", message)) <= SHORT_FILTER_WORDS
    follows = FOLLOW_ON.search(message) or (not names_papers and (short or FOLLOW_ON_END.search(message)))
    return new if follows or mentions else None


def topic_change(message: str, plan: QueryPlan, mentions: list[Mention]) -> str | None:
    """The new topic of "what about robots?", "and diffusion?"; None for a question of its own."""
    if plan.papers or plan.metrics or plan.intent == "not_in_profile" or mentions or not plan.topic:
        return None
    return plan.topic if ANOTHER_TOPIC.search(message) and len(plan.topic.split()) <= TOPIC_WORDS else None


def _area(topic: str) -> str | None:
    words = set(topic.casefold().split())
    return next((area for area, names in CATEGORY_TOPIC_WORDS.items() if words and words <= names), None)


def reruns_with_filter(turn: Turn) -> bool:
    """An earlier answer that a new filter can re-run: one over a topic or the whole work, or a count of papers;
    not one about named papers, a metric, a summary or similar papers."""
    plan = turn.plan
    if turn.kind != "answer" or plan is None or plan.papers:
        return False
    return plan.intent in ("listing", "recency", "overview", "lookup", "definition") or (
        plan.intent == "metrics" and set(plan.metrics) <= COUNT_METRICS
    )


TOPICAL = ("listing", "recency", "overview")  # intents whose topic is a slot of the plan


def reruns_with_topic(turn: Turn) -> bool:
    """An earlier answer whose topic is a slot (a listing, the newest papers, an overview); a look-up instead
    searches with its whole question."""
    plan = turn.plan
    return turn.kind == "answer" and plan is not None and not plan.papers and plan.intent in TOPICAL


FILTER_KINDS = {"years": ("year", "year_from", "year_to", "date_from", "date_to"), "category": ("category",),
                "author": ("author", "also_author", "first_author", "author_position"),
                "code": ("has_code",)}  # fmt: skip


def merge_filters(old: PaperFilter, new: PaperFilter) -> tuple[PaperFilter, dict[str, object], dict[str, object]]:
    """`old` with each kind of filter `new` sets replaced (a year replaces a year range); also the values set and
    the ones replaced."""
    changed = new.model_dump(exclude_defaults=True)
    fields = [field for kind in FILTER_KINDS.values() if set(kind) & changed.keys() for field in kind]
    replaced = {field: value for field, value in old.model_dump(include=set(fields)).items() if value is not None}
    merged = old.model_copy(update={field: None for field in fields} | changed)
    return merged, changed, replaced
