"""A named paper's record asked for ("when did RT-2 come out?", "who wrote VeLO?", "what's LOLA's category?",
"does Brax have code?"): stated from the profile's metadata, ahead of what the abstract says. The abstract never
holds these, so an answer from its sentences alone would not say them."""

from __future__ import annotations

import re
from collections.abc import Callable

from retrieval.answers.metadata import cited_as
from retrieval.models import Answer, Paper

DATE_ASKED = re.compile(
    r"\bwhen (?:did|was|were|is)\b[^?.;]{0,50}?\b(?:come|came|put|go|went|get|got) out\b|"
    r"\bwhen (?:did|was|were)\b[^?.;]{0,50}?\b(?:published|released|posted|submitted|written|uploaded)\b|"
    r"\bwhat (?:year|date|month)\b|\b(?:release|publication|submission|arxiv) date\b|\bhow old is\b",
    re.IGNORECASE,
)
AUTHORS_ASKED = re.compile(
    r"\bwho (?:wrote|authored|(?:are|were) (?:the |its )?(?:co-?)?authors)\b|\bwho (?:else )?(?:is|was|were) on\b|"
    r"\b(?:full )?(?:authors?|co-?authors?|author list) (?:of|on|for)\b|\bwho (?:else )?(?:worked|collaborated) on\b",
    re.IGNORECASE,
)
ENDS_OF_AUTHOR_LIST = re.compile(r"\b(?:first|lead|last|senior) author\b", re.IGNORECASE)
CATEGORY_ASKED = re.compile(r"\b(?:arxiv |primary )?categor(?:y|ies)\b|\bfiled (?:under|as|in)\b", re.IGNORECASE)
CODE_ASKED = re.compile(
    r"\b(?:have|has|had|any|ship|ships|shipped|release[sd]?|publish(?:ed)?)\b[^?.;]{0,20}\bcode\b|"
    r"\bcode (?:available|released|public|out)\b|\bopen[- ]sourced?\b",
    re.IGNORECASE,
)
SHOWN_AUTHORS = 8


def _authors(paper: Paper) -> str:
    shown = ", ".join(paper.authors[:SHOWN_AUTHORS])
    more = len(paper.authors) - SHOWN_AUTHORS
    return f"by {shown}" + (f" and {more} more" if more > 0 else "")


def _author_ends(paper: Paper) -> str:
    if not paper.authors:
        return "no authors listed"
    return f"first author {paper.authors[0]}, last author {paper.authors[-1]}"


def _code(paper: Paper) -> str:
    return "the profile marks its code as released" if paper.has_code else "the profile does not mark code as released"


FACTS: tuple[tuple[re.Pattern[str], Callable[[Paper], str]], ...] = (
    (DATE_ASKED, lambda paper: f"dated {paper.date:%-d %b %Y}"),
    (AUTHORS_ASKED, _authors),
    (ENDS_OF_AUTHOR_LIST, _author_ends),
    (CATEGORY_ASKED, lambda paper: f"filed under {paper.category}"),
    (CODE_ASKED, _code),
)


def asks_for_facts(question: str) -> bool:
    return any(pattern.search(question) for pattern, _ in FACTS)


def with_paper_facts(answer: Answer, question: str, papers: list[Paper]) -> Answer:
    """`answer` led by what the record says of each paper, for each fact the question asks for."""
    asked = [render for pattern, render in FACTS if pattern.search(question)]
    if not asked or not papers:
        return answer
    citations = list(answer.citations)
    lines = []
    for paper in papers:
        n = cited_as(citations, paper)
        title = paper.title if len(paper.title) <= 80 else paper.title[:79] + "…"
        lines.append(f"“{title}”: " + "; ".join(render(paper) for render in asked) + f" [{n}].")
    return answer.model_copy(update={"answer": "\n".join([*lines, answer.answer]), "citations": citations})
