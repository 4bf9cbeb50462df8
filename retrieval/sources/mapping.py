"""A fetched researcher → the same `ParsedProfile` a profile file gives: stable ids (the file format's own), a
category code per paper like the file format's (LG, RO, CL…), per-paper citations where the source counts them,
and the source noted on the profile."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from retrieval.ingest.profile_format import paper_id_for, profile_id_for
from retrieval.models import Paper, ParsedProfile, Profile
from retrieval.sources import arxiv, openalex

# OpenAlex topics (a title-level label such as "Reinforcement Learning in Robotics") → the arXiv-style code the
# answers' plan knows by name; tried in order on the topic's name, then its subfield's.
TOPIC_CODES: tuple[tuple[str, str], ...] = (
    (r"robot", "RO"),
    (r"natural language|language model|linguistic|speech|machine translation|text", "CL"),
    (r"computer vision|image|video|visual|pattern recognition", "CV"),
    (r"multi-?agent|game theory", "MA"),
    (r"neural network|evolutionary|neuromorphic", "NE"),
    (r"human-computer|interaction", "HC"),
    (r"cryptograph|security|privacy", "CR"),
    (r"machine learning|reinforcement learning|learning", "LG"),
    (r"artificial intelligence", "AI"),
    (r"statistic|probabilit", "ML"),
    (r"control|systems engineering", "SY"),
    (r"software", "SE"),
    (r"information (?:retrieval|systems)", "IR"),
)
OTHER = "OTHER"


def openalex_category(topic: openalex.Topic | None) -> str:
    if topic is None:
        return OTHER
    for text in (topic.display_name, topic.subfield.display_name if topic.subfield else ""):
        for pattern, code in TOPIC_CODES:
            if re.search(pattern, text, re.IGNORECASE):
                return code
    return OTHER


def arxiv_category(primary: str) -> str:
    """'cs.LG' → 'LG', 'stat.ML' → 'ML', 'quant-ph' → 'QUANT-PH' (the file format's codes)."""
    return primary.rpartition(".")[2].upper()


def main_category(papers: Iterable[Paper]) -> str | None:
    counts = Counter(paper.category for paper in papers if paper.category != OTHER)
    return counts.most_common(1)[0][0] if counts else None


def deduplicated(papers: list[Paper]) -> list[Paper]:
    """One paper per id (title + date): a source may list a preprint and its published version on the same day;
    the more cited one, then the one with an abstract, is kept."""
    best: dict[str, Paper] = {}
    for paper in papers:
        kept = best.get(paper.id)
        if kept is None or (paper.cited_by or 0, paper.has_abstract) > (kept.cited_by or 0, kept.has_abstract):
            best[paper.id] = paper
    return sorted(best.values(), key=lambda paper: (paper.date, paper.id), reverse=True)


def from_openalex(author: openalex.Author, works: list[openalex.Work]) -> ParsedProfile:
    profile_id = profile_id_for(author.display_name)
    papers = deduplicated([paper for work in works if (paper := openalex_paper(work, profile_id))])
    stats = author.summary_stats or openalex.SummaryStats()
    profile = Profile(
        id=profile_id,
        name=author.display_name,
        category=main_category(papers),
        h_index=stats.h_index,
        citations=author.cited_by_count,
        papers_claimed=author.works_count,
        i10_index=stats.i10_index,
        citations_by_year={entry.year: entry.cited_by_count for entry in author.counts_by_year},
        source=f"openalex:{author.short_id}",
    )
    return ParsedProfile(source=f"OpenAlex author {author.short_id}", profile=profile, papers=papers)


def openalex_paper(work: openalex.Work, profile_id: str) -> Paper | None:
    """None for a work without a title or a date (nothing to list it by)."""
    title = " ".join((work.display_name or "").split())
    date = work.publication_date or (dt.date(work.publication_year, 1, 1) if work.publication_year else None)
    if not title or date is None:
        return None
    institutions = dict.fromkeys(
        institution.display_name for authorship in work.authorships for institution in authorship.institutions
    )
    return Paper(
        id=paper_id_for(profile_id, title, date),
        title=title,
        date=date,
        year=date.year,
        category=openalex_category(work.primary_topic),
        has_code=False,  # OpenAlex does not say
        authors=[authorship.author.display_name for authorship in work.authorships],
        et_al=False,
        affiliations=list(institutions),
        abstract=work.abstract,
        profile=profile_id,
        cited_by=work.cited_by_count,
        url=work.doi or (work.primary_location.landing_page_url if work.primary_location else None) or work.id,
    )


def from_arxiv(name: str, entries: list[arxiv.Entry], *, source: str) -> ParsedProfile:
    """arXiv counts no citations: the profile has papers and categories, and no h-index or citation figures."""
    profile_id = profile_id_for(name)
    papers = deduplicated([arxiv_paper(entry, profile_id) for entry in entries])
    profile = Profile(
        id=profile_id, name=name, category=main_category(papers), papers_claimed=len(papers), source=source
    )
    return ParsedProfile(source=f"arXiv ({source})", profile=profile, papers=papers)


def arxiv_paper(entry: arxiv.Entry, profile_id: str) -> Paper:
    date = entry.published.date()
    affiliations = dict.fromkeys(a for author in entry.authors for a in author.affiliations)
    return Paper(
        id=paper_id_for(profile_id, entry.title, date),
        title=entry.title,
        date=date,
        year=date.year,
        category=arxiv_category(entry.primary_category),
        has_code=entry.code_link is not None,
        authors=[author.name for author in entry.authors],
        et_al=False,
        affiliations=list(affiliations),
        abstract=entry.summary,
        profile=profile_id,
        url=f"https://arxiv.org/abs/{entry.arxiv_id}",
    )
