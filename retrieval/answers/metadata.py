"""Answers read straight from metadata: the profile's metrics and paper listings. No retrieval, so every figure
is exact."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from retrieval.models import Citation, MetricsReport, Paper

FEWEST = re.compile(r"\b(fewest|least)\b", re.IGNORECASE)
# header metric → (what is missing when the profile has none, the answer)
HEADER_ANSWERS = {
    "h_index": ("an h-index", "{name}'s h-index is {value}."),
    "citations": ("citations", "{name} has {value:,} citations."),
    "novelty": ("a novelty score", "{name}'s novelty is {value}%."),
    "ai_score": ("an AI score", "{name}'s AI score is {value}."),
    "i10_index": ("an i10-index", "{name}'s i10-index is {value}."),
}


def citation(n: int, paper: Paper) -> Citation:
    return Citation(n=n, id=paper.id, title=paper.title, year=paper.year, authors=paper.authors)


def cited_as(citations: list[Citation], paper: Paper) -> int:
    """The paper's number among `citations`, appended as the next when it is not cited yet."""
    n = next((c.n for c in citations if c.id == paper.id), None)
    if n is None:
        n = len(citations) + 1
        citations.append(citation(n, paper))
    return n


def _missing(report: MetricsReport, what: str) -> str:
    return f"{report.name}'s profile does not state {what}."


def _ranking(counts: dict[str, int], limit: int = 3) -> str:
    return ", ".join(f"{name} ({count})" for name, count in list(counts.items())[:limit])


def _share(count: int, report: MetricsReport, verb: str) -> str:
    """ "5 of the 50 listed papers have", "1 of the 50 listed papers is": the verb ("are"/"have") agrees."""
    singular = {"are": "is", "have": "has"}[verb]
    return f"{count} of the {report.papers_listed} listed papers {singular if count == 1 else verb}"


def _per_year(year: int | None, report: MetricsReport) -> str:
    if year is not None:
        return f"{_share(report.by_year.get(year, 0), report, 'are')} from {year}."
    return "Papers per year: " + ", ".join(f"{year}: {count}" for year, count in report.by_year.items()) + "."


def _peak_year(question: str, report: MetricsReport) -> str:
    if not report.by_year:
        return _missing(report, "any papers")
    years, most, target = _extreme_years(question, report.by_year)
    each = " each" if len(years) > 1 else ""
    return f"{' and '.join(years)} had the {most} papers: {target}{each} of the {report.papers_listed} listed."


def peak_year_among(question: str, papers: list[Paper], described: str) -> str:
    """The busiest (or quietest) year of some papers ("which year has the most papers with code?"); `described`
    says which (" with code")."""
    years, most, target = _extreme_years(question, Counter(paper.year for paper in papers))
    each = " each" if len(years) > 1 else ""
    return f"Of the {len(papers)} listed papers{described}, {' and '.join(years)} had the {most}: {target}{each}."


def _extreme_years(question: str, by_year: Mapping[int, int]) -> tuple[list[str], str, int]:
    pick = min if FEWEST.search(question) else max
    target = pick(by_year.values())
    years = [str(year) for year, count in by_year.items() if count == target]
    return years, "fewest" if pick is min else "most", target


# asks for the whole split, whichever categories it names ("break them down by category, LG vs RO vs CL")
BREAKDOWN = re.compile(
    r"\bbreak(?:s|ing)? (?:[\w.]+ ){0,4}down\b|\bbreak ?down\b|\bsplit\b|\bdistribution\b|"
    r"\bby (?:arxiv )?categor(?:y|ies)\b|\b(?:per|each)[- ](?:arxiv |primary )?category\b|\bcategory counts\b|"
    r"\b[A-Z]{2}, [A-Z]{2}(?:, [A-Z]{2})*,? (?:\.\.\.|…|etc)|"  # "(LG, RO, CL, ...)": examples of them all
    r"\bevery category\b|\ball (?:the |his )?categories\b|"
    r"\b(?:vs\.?|versus) \w+ (?:vs\.?|versus)\b",  # "LG vs RO vs CL": three or more, the whole split
    re.IGNORECASE,
)


def _category(question: str, report: MetricsReport) -> str:
    named = [cat for cat in report.by_category if re.search(rf"\b{re.escape(cat)}\b", question)]
    if named and not BREAKDOWN.search(question):
        return " ".join(f"{_share(report.by_category[cat], report, 'are')} in {cat}." for cat in named)
    return "Papers per category: " + ", ".join(f"{cat}: {count}" for cat, count in report.by_category.items()) + "."


def _paper_count(report: MetricsReport) -> str:
    claimed = "" if report.papers_claimed is None else f"The profile states {report.papers_claimed:,} papers; "
    return f"{claimed}{report.papers_listed} are listed with abstracts."


def answer_metrics(
    question: str, intent: str, report: MetricsReport, papers: list[Paper], year: int | None = None
) -> str:
    """The exact answer for one metric (the keys of retrieval.answers.strategies.METRIC_ANSWER's values)."""
    name = report.name
    if intent in HEADER_ANSWERS:
        missing, template = HEADER_ANSWERS[intent]
        value = getattr(report, intent)
        return _missing(report, missing) if value is None else template.format(name=name, value=value)
    if intent == "primary_category":
        return (
            _missing(report, "a primary category")
            if report.category is None
            else (f"{name}'s primary category is {report.category}.")
        )
    if intent == "code":
        titles = "; ".join(paper.title for paper in papers if paper.has_code)
        return f"{_share(report.with_code, report, 'have')} code ({report.with_code_share:.0%})" + (
            f": {titles}." if titles else "."
        )
    if intent == "coauthor":
        if not report.top_coauthors:
            return _missing(report, "any co-authors")
        return f"{name}'s most frequent co-authors (papers together): {_ranking(report.top_coauthors)}."
    if intent == "affiliation":
        if not report.affiliations:
            return _missing(report, "any affiliations")
        return f"The most frequent affiliations (papers): {_ranking(report.affiliations)}."
    if intent in ("first_paper", "last_paper") and report.first_date is None:
        return _missing(report, "any papers")
    if intent == "first_paper":
        return f"The earliest listed paper is “{report.first_paper}” ({report.first_date:%B %-d, %Y})."
    if intent == "last_paper":
        return f"The most recent listed paper is “{report.last_paper}” ({report.last_date:%B %-d, %Y})."
    if intent == "peak_year":
        return _peak_year(question, report)
    if intent == "per_year":
        return _per_year(year, report)
    if intent == "category":
        return _category(question, report)
    return _paper_count(report)


def paper_listing(heading: str, papers: list[Paper]) -> tuple[str, list[Citation]]:
    citations = [citation(n, paper) for n, paper in enumerate(papers, 1)]
    lines = [f"{heading}: {len(papers)}.", *(f"[{c.n}] {c.title} ({c.year})" for c in citations)]
    return "\n".join(lines), citations
