"""Filters a question gives by reference instead of by value: "the same year RT-2 came out", "LOLA's arXiv
category", "the first author of RT-1", "his most productive year", "his second most frequent coauthor". The
planner (plan.py) reads them into the same `PaperFilter` fields as the values written out."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from retrieval.answers.dates import RELEASED

if TYPE_CHECKING:
    from retrieval.answers.plan import PlanContext

# the words before a named paper that make it stand for its year, its category or its first author
YEAR_OF = re.compile(
    r"\b(?:(?:in|from|during) )?(?:the )?(?:same )?year (?:as |that |when |of )?(?:the |his )?$", re.IGNORECASE
)
CATEGORY_OF = re.compile(
    r"\b(?:(?:in|under) )?(?:the )?same (?:arxiv )?category as (?:the |his )?$|\b(?:share|sharing|shares) (?:the )?$",
    re.IGNORECASE,
)
# "brax came out the same year as ...": after the paper
SAME_YEAR_AFTER = re.compile(
    r"\s+(?:came out|was released|was published|appeared|dropped|landed) (?:in )?the same year\b", re.IGNORECASE
)
OWN_CATEGORY = re.compile(r"['’]s (?:arxiv |primary )?category\b", re.IGNORECASE)  # "LOLA's arXiv category"
FIRST_AUTHOR_OF = re.compile(r"\bthe first author of (?:the )?$", re.IGNORECASE)

# "from his most productive year", "after his peak year": a preposition makes the year a filter, not a metric
PEAK_YEAR = re.compile(
    r"\b(?P<side>in|from|during|after|since|before) (?:(?:his |the )?(?:most productive|busiest|peak|biggest|top) year"
    r"(?: by (?:paper )?count)?|the year (?:he was|he's been|he were) (?:most productive|busiest))\b",
    re.IGNORECASE,
)
# "his second most frequent coauthor", when papers are asked for: that person is the author filter
# "everything from the same year as his latest paper"
YEAR_OF_AN_END = re.compile(
    r"\b(?:the )?same year as his (?P<end>latest|newest|most recent|last|first|earliest|oldest) paper\b", re.IGNORECASE
)
RANKED_COAUTHOR = re.compile(
    r"\bhis (?:(?P<rank>second|third|2nd|3rd) )?most (?:frequent|common|regular) (?:co-?authors?|collaborators?)\b",
    re.IGNORECASE,
)
RANKS = {None: 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2}
PAPERS_ASKED = re.compile(
    r"\b(?:newest|latest|most recent|list|which (?:papers|ones)|together|both of them|the two of them|"
    r"papers? (?:with|by|they share))\b",
    re.IGNORECASE,
)
# ... unless the person or the year is asked for too: "who's his most frequent coauthor, and how many papers ..."
FACT_ASKED = re.compile(r"\bwho(?:'s|se)?\b|\b(?:which|what) year\b|\bhow many\b|\bcounts?\b", re.IGNORECASE)


def papers_as_filters(
    text: str,
    context: PlanContext,
    papers: list[str],
    name_at: dict[str, tuple[int, int]],
    consumed: list[tuple[int, int]],
) -> tuple[dict[str, object], list[tuple[int, int]]]:
    """Named papers that stand for a filter value ("the cs.CL papers from the same year RT-2 came out"): taken out
    of `papers`, their spans in `consumed` widened to the whole phrase; the filters and those spans."""
    filters: dict[str, object] = {}
    spans = []
    for paper_id, span in name_at.items():
        if paper_id not in papers or span not in consumed:
            continue
        before = text[: span[0]]
        released = RELEASED.match(text, span[1]).end()
        own_category = OWN_CATEGORY.match(text, span[1])
        same_year = SAME_YEAR_AFTER.match(text, span[1])
        if ((by := YEAR_OF.search(before)) or same_year) and paper_id in context.years:
            start = by.start() if by else span[0]
            filters["year"], phrase = context.years[paper_id], (start, max(released, _end(same_year)))
        elif (by := CATEGORY_OF.search(before)) or own_category:
            if paper_id not in context.category_of:
                continue
            start = by.start() if by else span[0]
            filters["category"], phrase = context.category_of[paper_id], (start, max(released, _end(own_category)))
        elif (by := FIRST_AUTHOR_OF.search(before)) and context.first_authors.get(paper_id):
            filters["author"], phrase = context.first_authors[paper_id], (by.start(), released)
        else:
            continue
        papers.remove(paper_id)
        consumed[consumed.index(span)] = phrase
        spans.append(phrase)
    return filters, spans


def _end(match: re.Match[str] | None) -> int:
    return match.end() if match else 0


def profile_facts_as_filters(text: str, context: PlanContext, consumed: list[tuple[int, int]]) -> dict[str, object]:
    """His peak year and his most frequent coauthors standing for a filter value ("list the cs.RO papers from his
    most productive year", "newest paper with his second most frequent coauthor"); their spans join `consumed`."""
    filters: dict[str, object] = {}
    if FACT_ASKED.search(text):
        return filters
    if (peak := PEAK_YEAR.search(text)) and context.years:
        counts = Counter(context.years.values())
        most = max(counts.values())
        year = max(year for year, count in counts.items() if count == most)  # (a tie: the latest)
        side = peak.group("side").lower()
        if side in ("after", "since"):
            filters["year_from"] = year + 1 if side == "after" else year
        elif side == "before":
            filters["year_to"] = year - 1
        else:
            filters["year"] = year
        consumed.append(peak.span())
    if (end := YEAR_OF_AN_END.search(text)) and context.years:
        newest = end.group("end").lower() in ("latest", "newest", "most recent", "last")
        filters["year"] = (max if newest else min)(context.years.values())
        consumed.append(end.span())
    ranked = RANKED_COAUTHOR.search(text)
    if ranked and context.coauthor_ranking:
        rest = text[: ranked.start()] + text[ranked.end() :]
        rank = RANKS[ranked.group("rank") and ranked.group("rank").lower()]
        if PAPERS_ASKED.search(rest) and rank < len(context.coauthor_ranking):
            filters["author"] = context.coauthor_ranking[rank]
            consumed.append(ranked.span())
    return filters
