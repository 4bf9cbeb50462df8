"""A named paper's record asked for ("when did RT-2 come out?", "who wrote VeLO?", "what's LOLA's category?",
"does Brax have code?"): stated from the profile's metadata, ahead of what the abstract says. The abstract never
holds these, so an answer from its sentences alone would not say them."""

from __future__ import annotations

import re
from collections.abc import Callable

from retrieval.answers.metadata import cited_as
from retrieval.models import Answer, Paper
from retrieval.text.names import name_tokens

END = r"\s*(?:[?;,]|$|and\b)"  # where the thing asked about ends
SUBJECT = r"(?P<subject>[^?;,]{1,50}?)"  # the thing asked about: one of the papers named, or "it"


def _asked(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


DATE_ASKED = _asked(
    rf"\bwhen (?:did|was|were|is) {SUBJECT} (?:come|came|put|go|went|get|got) out\b",
    rf"\bwhen (?:did|was|were) {SUBJECT} (?:published|released|posted|submitted|written|uploaded)\b",
    rf"\bwhat (?:year|date|month) (?:did|was|is) {SUBJECT} (?:(?:come|came|get|got|go|went) )?"
    r"(?:out|published|released|posted|written|submitted)\b",
    rf"\b(?:release|publication|submission|arxiv) date (?:of|for) {SUBJECT}{END}",
    rf"\bhow old is {SUBJECT}{END}",
)
AUTHORS_ASKED = _asked(
    rf"\bwho (?:wrote|authored|co-?authored) {SUBJECT}{END}",
    rf"\bwho(?:'s|’s| is| was| were| else is| else was) on {SUBJECT}{END}",
    rf"\b(?:the |its |full )*(?:authors?|co-?authors?|author list) (?:of|on|for) {SUBJECT}{END}",
)
ENDS_ASKED = _asked(rf"\b(?:first|lead|last|senior) author (?:of|on) {SUBJECT}{END}")
CATEGORY_ASKED = _asked(
    rf"\b(?:which|what) (?:arxiv |primary )?category (?:is|was|does|did) {SUBJECT}"
    r"(?:\s+(?:filed|listed|tagged|put|in|under|belong)(?: to| in| under| as)?)*\s*(?:[?;,]|$)",
    r"\b(?P<subject>[\w.^-]+(?: [\w.^-]+){0,3})['’]s (?:arxiv |primary )?category\b",
    rf"\bis {SUBJECT} (?:filed|listed|tagged) (?:under|as|in)\b",
)
CODE_ASKED = _asked(
    rf"\b(?:does|did|do|has|have) {SUBJECT} (?:have|has|come with|ship|ships|release|released|publish|published) "
    r"(?:(?:any|its|their|the|public|official|open[- ]source|released) )*code(?: (?:released|available|public|out))?"
    r"\s*(?:[?;,]|$)",
    rf"\bis (?:the |there )?code (?:for|of) {SUBJECT} (?:out|public|available|released|online)\b",
    rf"\bis {SUBJECT} open[- ]sourced?{END}",
)
# words around a paper's name when it is the thing asked about ("when did the RT-2 paper come out?")
SUBJECT_FILLER = frozenset(
    "the a an paper papers report reports preprint work it this that his igor mordatch original one and both each of "
    "them their its s version".split()
)
SHOWN_AUTHORS = 8


def _authors(paper: Paper) -> str:
    shown = ", ".join(paper.authors[:SHOWN_AUTHORS])
    more = len(paper.authors) - SHOWN_AUTHORS
    if paper.et_al:  # the profile lists the first few only
        return f"authors {shown} et al. (the profile lists only the first few)"
    return f"by {shown}" + (f" and {more} more" if more > 0 else "")


def _author_ends(paper: Paper) -> str:
    if not paper.authors:
        return "no authors listed"
    if paper.et_al:  # (the last author is not known)
        return f"first author {paper.authors[0]}; the profile lists only the first few authors, not the last"
    return f"first author {paper.authors[0]}, last author {paper.authors[-1]}"


def _code(paper: Paper) -> str:
    return "the profile marks its code as released" if paper.has_code else "the profile does not mark code as released"


FACTS: tuple[tuple[tuple[re.Pattern[str], ...], Callable[[Paper], str]], ...] = (
    (DATE_ASKED, lambda paper: f"dated {paper.date:%-d %b %Y}"),
    (AUTHORS_ASKED, _authors),
    (ENDS_ASKED, _author_ends),
    (CATEGORY_ASKED, lambda paper: f"filed under {paper.category}"),
    (CODE_ASKED, _code),
)


def _names_a_paper(subject: str, names: list[set[str]]) -> bool:
    """The words asked about are one named paper's name ("RT-2", "the melting pot 2.0 paper", "it"), not another
    thing ("the emergent capabilities", "agents who were on opposing teams")."""
    words = [word for word in name_tokens(re.sub(r"['’]s\b", " ", subject)) if word not in SUBJECT_FILLER]
    return not words or any("".join(words) in keys or set(words) <= keys for keys in names)


def asked_facts(question: str, names: list[set[str]]) -> list[Callable[[Paper], str]]:
    """What the question asks of the record of the papers whose name keys and title words are `names`."""
    return [
        render
        for patterns, render in FACTS
        if any(
            _names_a_paper(match.group("subject"), names)
            for pattern in patterns
            for match in pattern.finditer(question)
        )
    ]


def with_paper_facts(answer: Answer, question: str, papers: list[Paper], names: list[set[str]]) -> Answer:
    """`answer` led by what the record says of each paper, for each fact the question asks for."""
    asked = asked_facts(question, names)
    if not asked or not papers:
        return answer
    citations = list(answer.citations)
    lines = []
    for paper in papers:
        n = cited_as(citations, paper)
        title = paper.title if len(paper.title) <= 80 else paper.title[:79] + "…"
        lines.append(f"“{title}”: " + "; ".join(render(paper) for render in asked) + f" [{n}].")
    return answer.model_copy(update={"answer": "\n".join([*lines, answer.answer]), "citations": citations})
