"""Which kind of answer a question wants: exact metrics, a complete author listing, or retrieval.

Rules, not a model: the metric questions are a closed set of aggregates, and an author listing must be
complete, so both are recognised by their wording and answered from metadata rather than by search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.models import Route
from retrieval.names import author_matches, name_tokens

# (intent, pattern), most specific first: "how many papers in 2021" is a per-year question before it is a
# paper-count question, and "how many papers have code" is a code question.
METRIC_INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern, re.IGNORECASE))
    for intent, pattern in (
        ("h_index", r"\bh[- ]?index\b"),
        ("citations", r"\bcitations?\b|\bhow (many times|often) (is|was|has) .*\bcited\b"),
        ("novelty", r"\bnovelty\b"),
        ("ai_score", r"\bai[- ]?score\b"),
        (
            "code",
            r"\b(how many|number of|share|percent(age)?|proportion|fraction)\b.*\b(code|open[- ]sourced?)\b|"
            r"\b(which|what|list)( of)?( his| the)? (papers|publications)\b.*\b(code|open[- ]sourced?)\b",
        ),
        ("coauthor", r"\bco-?authors?\b|\bcollaborat\w*\b"),
        ("affiliation", r"\baffiliations?\b|\binstitutions?\b|\borgani[sz]ations?\b"),
        ("first_paper", r"\b(earliest|oldest|first)\b.*\b(paper|publication|article)s?\b"),
        ("last_paper", r"\b(latest|newest|most recent|last)\b.*\b(paper|publication|article)s?\b"),
        ("peak_year", r"\b(which|what) year\b.*\b(most|fewest|least)\b|\bmost productive\b|\bpeak year\b"),
        # a count: "how many papers in 2021"; "what robotics paper from 2023 ..." is a retrieval question
        ("per_year", r"\b(per|each|every|by) year\b|\b(how many|number of|count)\b.*\b(19|20)\d\d\b"),
        ("category", r"\bcategor(y|ies)\b|\bsubject areas?\b|\barxiv (fields?|areas?)\b"),
        (
            "paper_count",
            r"\bhow many (papers|publications|articles)\b|\bnumber of (papers|publications)\b|"
            r"\b(paper|publication) count\b",
        ),
    )
)
AUTHOR_INTENT = re.compile(
    r"\b(papers?|works?|publications?|articles?|write|wrote|written|authou?r(ed|s)?|co-?author(ed|s)?|"
    r"publish(ed|es)?|collaborat\w*)\b",
    re.IGNORECASE,
)
# A name as typed: capitalised words, initials and lower-case particles ("Gido M. van de Ven").
NAME_RUN = re.compile(r"(?:[A-Z][\w'’-]*\.?)(?:\s+(?:[A-Z][\w'’-]*\.?|van|von|de|der|den|del|da|di|le|la))*(?<!\s)")
# "papers by <Name>" with a name nobody in the profile has: still an author question (answer: none).
NAME_AFTER_BY = re.compile(r"\b(?:by|with|from)\s+([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)+)")
POSSESSIVE = re.compile(r"['’]s$")


YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Words of a plain listing request ("which papers did he publish in 2024?"): a question made only of these,
# names and a year asks for the list, not for a topic.
LISTING_WORDS = frozenset(
    re.findall(
        r"\w+",
        "which what list show name all the a his her their he she they did does do has have had was were is are "
        "paper papers publication publications article articles work works publish published publishes write "
        "wrote written come came out from in during year of by me please",
    )
)


@dataclass(frozen=True)
class RouteDecision:
    route: Route
    metric: str | None = None
    people: list[str] = field(default_factory=list)
    year: int | None = None  # a year the question names: the listing's year, or a filter for retrieval


def route_question(question: str, known_authors: list[str], owner: str) -> RouteDecision:
    """`known_authors`: every author of the profile's papers; `owner`: the profile's researcher."""
    people = mentioned_people(question, [*known_authors, owner])
    others = [person for person in people if not author_matches(person, owner)]
    if others and AUTHOR_INTENT.search(question):
        return RouteDecision("authors", people=others)
    if not others:
        unknown = NAME_AFTER_BY.search(question)
        if unknown and AUTHOR_INTENT.search(question) and not author_matches(unknown.group(1), owner):
            return RouteDecision("authors", people=[POSSESSIVE.sub("", unknown.group(1))])
    metric = metric_intent(question)
    if metric is not None:
        return RouteDecision("metrics", metric=metric)
    year = named_year(question)
    if year is not None and is_listing(question, owner):
        return RouteDecision("metrics", metric="papers_in_year", year=year)
    if people and AUTHOR_INTENT.search(question):  # only the owner: "which papers did Igor Mordatch write?"
        return RouteDecision("authors", people=people)
    return RouteDecision("papers", year=year)


def named_year(question: str) -> int | None:
    match = YEAR.search(question)
    return int(match.group()) if match else None


def is_listing(question: str, owner: str) -> bool:
    """Only listing words, the owner's name and years: no topic to search for."""
    words = re.findall(r"[a-z]+", YEAR.sub(" ", question.casefold()))
    return all(word in LISTING_WORDS or word in name_tokens(owner) for word in words)


def metric_intent(question: str) -> str | None:
    return next((intent for intent, pattern in METRIC_INTENTS if pattern.search(question)), None)


def mentioned_people(question: str, known_people: list[str]) -> list[str]:
    """Names in the question that match someone in `known_people`, as the user wrote them.

    Each run of capitalised words is tried whole, then by shrinking from the left, so "Which papers did
    Yilun Du" style runs and a sentence-initial "Papers" do not hide the name inside them.
    """
    found: list[str] = []
    for run in NAME_RUN.finditer(question):
        words = [POSSESSIVE.sub("", word) for word in run.group().split()]
        for start in range(len(words)):
            candidate = " ".join(words[start:])
            if any(_is_person(candidate, person) for person in known_people):
                found.append(candidate)
                break
    return found


def _is_person(candidate: str, person: str) -> bool:
    # a lone word must be the surname: "Gemini" in "papers on Gemini" is not the author "Gemini Team"
    if len(candidate.split()) == 1:
        surname = name_tokens(person)[-1:] or [""]
        return author_matches(candidate, surname[0])
    return author_matches(candidate, person)
