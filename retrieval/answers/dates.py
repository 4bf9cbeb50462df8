"""Dates finer than a year, written in words: "by the end of May 2023", "the first half of 2022", "since March
2021", and dates relative to a paper the question names ("before the Gemini 1.5 report landed"). The planner
(plan.py) reads them into `PaperFilter.date_from` / `date_to` (both inclusive)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

MONTHS = (
    {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
    | {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name and name != "May"}
    | {"sept": 9}
)
SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11)}  # (first, last month)
MONTH = r"(" + "|".join(sorted([*MONTHS, *SEASONS], key=len, reverse=True)) + r")\.?"
YEAR = r"((?:19|20)\d\d)"  # a year as a regex group (plan.py reads years with it too)

# a bound; without its year where the question names one year ("in 2020, before the summer (so through may)")
OWN_YEAR = rf"(?:(?: of)?,? {YEAR}\b|\b(?! \d))"
MONTH_TO = re.compile(
    rf"\b(before|prior to|until|till|up to|through|thru|by|no later than|in or before)(?: the)?(?: end of)?"
    rf" {MONTH}{OWN_YEAR}",
    re.IGNORECASE,
)
MONTH_FROM = re.compile(
    rf"\b(since|after|from|starting(?: in)?|beginning(?: in)?|in or after|on or after)(?: the)?"
    rf"(?: (?:start|beginning) of)?"
    rf" {MONTH}{OWN_YEAR}",
    re.IGNORECASE,
)
# a month or season as a whole: "over the summer of 2022", "in march 2021", "during spring 2020"
MONTH_SPAN = re.compile(
    rf"\b(?:in|during|over|within|across|from)(?: the)? {MONTH}(?: of)?,? {YEAR}\b"
    # (not a start: "from jan 2024 until now", "from march 2023 on")
    r"(?!,? (?:until|till|to|through|up to) (?:now|today|date|the present)\b|,? (?:on|onwards?|forward)\b)",
    re.IGNORECASE,
)
MONTH_RANGE = re.compile(rf"\b{MONTH}\s*(?:-|–|to|through|thru)\s*{MONTH}(?:,? {YEAR})?", re.IGNORECASE)
HALF = re.compile(rf"\b(?:the )?(first|1st|second|2nd) half of {YEAR}\b|\bH([12]) {YEAR}\b", re.IGNORECASE)

# "before GenMS came out", "right before RT-1 appeared", "after the gemini 1.5 report landed": the words before
# a named paper that make it a date, and those after it that only say it was released
DATED_BY = re.compile(
    r"(?:\b(?:came out|landed|dropped|appeared|was released|was published|was out)\s+)?"
    r"\b(?:(?P<adjacent>right|just|shortly|immediately|directly) )?(before|prior to|until|preceding|after|since|"
    r"following|(?:older|earlier) than|(?:newer|later|more recent) than)\s+"
    r"(?:the\s+|his\s+|that\s+|this\s+)?$",
    re.IGNORECASE,
)
# "the gemini 2.5 report came out july 2025. which paper of his immediately preceded it?": the paper named before
LATER_REFERENCE = re.compile(
    r"\b(?:(?P<adjacent>right|just|shortly|immediately|directly) (?:preceded|before)|preceded|"
    r"(?:came out|came|landed|dropped|appeared) (?:right |just |immediately )?before)"
    r"\s+(?:it|that(?: one)?|this(?: one)?)\b",
    re.IGNORECASE,
)
# "when decision transformer came out, his most recent paper": the papers before it
WHEN_RELEASED = re.compile(r"\b(?:when|by the time|at the time|as of when|back when)\s+(?:the\s+|his\s+)?$", re.I)
RELEASED = re.compile(
    r"(?:\s*\b(?:paper|report|tech report|technical report|one|model|preprint)\b)?"
    r"(?:\s+(?P<verb>came out|comes out|come out|appeared|landed|dropped|was released|got released|was published|"
    r"got published|showed up|was out|went up|hit arxiv|was posted))?"
    rf"(?:\s+(?:(?:in|on) )?(?:\w+ )?{YEAR}|\s*\((?:\w+\.? )?{YEAR}\))?",
    re.IGNORECASE,
)


def _months(word: str) -> tuple[int, int]:
    """The first and last month a month's or a season's name covers."""
    word = word.lower().rstrip(".")
    return SEASONS[word] if word in SEASONS else (MONTHS[word], MONTHS[word])


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# a day as ISO writes it, as a bound: "dated 2024-01-01 or later", "on or after 2023-06-01", "before 2022-07-01"
DAY = rf"{YEAR}-(\d\d?)-(\d\d?)\b"
DAY_FROM = re.compile(
    rf"\b(?:on or after|since|from|starting(?: on)?|after) {DAY}|\b{DAY},? (?:or|and) (?:later|after|onwards?|newer)\b",
    re.IGNORECASE,
)
DAY_TO = re.compile(
    rf"\b(?P<before>before|prior to) {DAY}|\b(?:on or before|until|up to|through|by) {DAY}|"
    rf"\b{DAY},? (?:or|and) (?:earlier|before|older)\b",
    re.IGNORECASE,
)
# the first day of a year as a bound: "as of new year's day 2021", "by the start of 2021": what was out by then
YEAR_START = re.compile(
    rf"\b(?:as of|by) (?:the )?(?:new year['’]?s(?: day)?|(?:start|beginning) of|jan(?:uary)?\.? 1(?:st)?,?)"
    rf"(?: of)? {YEAR}\b",
    re.IGNORECASE,
)


def month_bounds(text: str, consumed: list[tuple[int, int]]) -> dict[str, dt.date]:
    """`date_from` / `date_to` from months and halves of a year; their spans join `consumed`."""
    bounds: dict[str, dt.date] = {}
    taken = list(consumed)  # "RT-2 came out in july 2023": what dates a paper named is no bound

    def free(match: re.Match[str]) -> bool:
        return not any(start <= match.start() < end for start, end in taken)

    years = set(re.findall(YEAR, text))
    only_year = int(years.pop()) if len(years) == 1 else None
    to_bounds, from_bounds = (
        [
            (match, int(match.group(3) or only_year))
            for match in pattern.finditer(text)
            if (match.group(3) or only_year) and free(match)
        ]
        for pattern in (MONTH_TO, MONTH_FROM)
    )
    for match in filter(
        free, MONTH_RANGE.finditer(text)
    ):  # "june-august 2022", "(june-august)" beside "the summer of 2022"
        year = int(match.group(3)) if match.group(3) else only_year
        if year is not None:
            bounds["date_from"] = dt.date(year, _months(match.group(1))[0], 1)
            bounds["date_to"] = _last_day(year, _months(match.group(2))[1])
            consumed.append(match.span())
    for match in filter(free, MONTH_SPAN.finditer(text)):
        (first, last), year = _months(match.group(1)), int(match.group(2))
        bounds["date_from"], bounds["date_to"] = dt.date(year, first, 1), _last_day(year, last)
        consumed.append(match.span())
    for match, year in to_bounds:  # the tightest when several say it ("before summer, by end of May")
        first, last = _months(match.group(2))
        if match.group(1).lower() in ("before", "prior to"):  # "before May 2023": up to the end of April
            bound = dt.date(year, first, 1) - dt.timedelta(days=1)
        else:
            bound = _last_day(year, last)
        bounds["date_to"] = min(bound, bounds.get("date_to", bound))
        consumed.append(match.span())
    for match, year in from_bounds:
        first, last = _months(match.group(2))
        if match.group(1).lower() == "after":  # "after March 2021": from April
            bound = _last_day(year, last) + dt.timedelta(days=1)
        else:
            bound = dt.date(year, first, 1)
        bounds["date_from"] = max(bound, bounds.get("date_from", bound))
        consumed.append(match.span())
    for match in filter(free, DAY_FROM.finditer(text)):
        year, month, day = (int(group) for group in match.groups() if group)
        day_from = dt.date(year, month, day) + dt.timedelta(days=1 if match.group().lower().startswith("after") else 0)
        bounds["date_from"] = max(day_from, bounds.get("date_from", day_from))
        consumed.append(match.span())
    for match in filter(free, DAY_TO.finditer(text)):
        year, month, day = (int(group) for group in match.groups()[1:] if group)
        day_to = dt.date(year, month, day) - dt.timedelta(days=1 if match.group("before") else 0)
        bounds["date_to"] = min(day_to, bounds.get("date_to", day_to))
        consumed.append(match.span())
    if (match := YEAR_START.search(text)) and free(match):
        bounds["date_to"] = dt.date(int(match.group(1)), 1, 1)
        consumed.append(match.span())
    if (match := HALF.search(text)) and free(match):
        first = (match.group(1) or match.group(3)).lower() in ("first", "1st", "1")
        year = int(match.group(2) or match.group(4))
        bounds["date_from"], bounds["date_to"] = (
            (dt.date(year, 1, 1), dt.date(year, 6, 30)) if first else (dt.date(year, 7, 1), dt.date(year, 12, 31))
        )
        consumed.append(match.span())
    return bounds


# "the newest before the materials work started (i.e. before unimat)": words that say the bound a paper gives again
RESTATED_BOUND = re.compile(
    r"\b(?:before|after|since|prior to)\s+(?:the|his)\s+[\w/\- ]{1,40}?\s+(?:work|stuff|line|papers?|era|phase|"
    r"period)(?:\s+(?:started|began|kicked off|took off|came along))?(?=[\s,.;:?!()]|$)",
    re.IGNORECASE,
)


class PaperBound(NamedTuple):
    """A named paper used as a date: the bound, the words that say so, and whether the paper right next to it is
    asked for ("just before RT-1", "immediately preceded it": the newest before it)."""

    bounds: dict[str, dt.date]
    spans: list[tuple[int, int]]
    adjacent: bool


def paper_bound(text: str, span: tuple[int, int], date: dt.date) -> PaperBound | None:
    """A named paper (at `span`, published on `date`) used as a date ("before the gemini 1.5 report landed", "the
    gemini 2.5 report came out july 2025. which paper immediately preceded it?"); None when it is not one."""
    before = DATED_BY.search(text[: span[0]])
    released = RELEASED.match(text, span[1])
    end = released.end()
    when = WHEN_RELEASED.search(text[: span[0]])
    day_before = {"date_to": date - dt.timedelta(days=1)}
    if not before and when and released.group("verb"):
        return PaperBound(day_before, [(when.start(), end)], False)
    if not before:
        later = LATER_REFERENCE.search(text, end)
        if later is None:
            return None
        return PaperBound(day_before, [(span[0], end), later.span()], True)  # (the paper right before it)
    adjacent = bool(before.group("adjacent"))
    if before.group(2).lower() in ("before", "prior to", "until", "preceding", "older than", "earlier than"):
        return PaperBound(day_before, [(before.start(), end)], adjacent)
    return PaperBound({"date_from": date + dt.timedelta(days=1)}, [(before.start(), end)], adjacent)
