"""Exact profile metrics: header values, aggregates over the listed papers, snapshot history."""

from __future__ import annotations

from collections import Counter

from retrieval.models import CitedPaper, MetricSnapshot, MetricsReport, Paper, SnapshotDelta
from retrieval.text.names import author_matches

TOP_N = 10
TRACKED = ("h_index", "citations", "i10_index", "papers_claimed", "novelty", "ai_score", "papers_listed")


def coauthor_counts(owner: str, papers: list[Paper]) -> Counter[str]:
    """Papers per co-author (the owner left out), most first by `most_common()`."""
    return Counter(
        author for paper in papers for author in dict.fromkeys(paper.authors) if not author_matches(owner, author)
    )


def compute_metrics(snapshots: list[MetricSnapshot], papers: list[Paper]) -> MetricsReport:
    """`snapshots` oldest first (at least one); `papers` of the same profile."""
    latest = snapshots[-1]
    by_year = Counter(paper.year for paper in papers)
    by_category = Counter(paper.category for paper in papers)
    affiliations = Counter(aff for paper in papers for aff in dict.fromkeys(paper.affiliations))
    coauthors = coauthor_counts(latest.name, papers)
    with_code = sum(paper.has_code for paper in papers)
    by_date = sorted(papers, key=lambda paper: (paper.date, paper.title))
    return MetricsReport(
        profile=latest.profile,
        name=latest.name,
        category=latest.category,
        h_index=latest.h_index,
        citations=latest.citations,
        papers_claimed=latest.papers_claimed,
        papers_listed=len(papers),
        novelty=latest.novelty,
        ai_score=latest.ai_score,
        by_year=dict(sorted(by_year.items())),
        by_category=dict(by_category.most_common()),
        with_code=with_code,
        with_code_share=round(with_code / len(papers), 4) if papers else 0.0,
        affiliations=dict(affiliations.most_common(TOP_N)),
        top_coauthors=dict(coauthors.most_common(TOP_N)),
        first_date=by_date[0].date if by_date else None,
        last_date=by_date[-1].date if by_date else None,
        first_paper=by_date[0].title if by_date else None,
        last_paper=by_date[-1].title if by_date else None,
        snapshots=snapshot_history(snapshots),
        i10_index=latest.i10_index,
        citations_by_year=dict(sorted(latest.citations_by_year.items())),
        most_cited=most_cited(papers),
        source=latest.source,
    )


def most_cited(papers: list[Paper], limit: int = TOP_N) -> list[CitedPaper]:
    """The most cited papers (ties: the newer first); empty when no paper has a count (profile files have none)."""
    counted = [paper for paper in papers if paper.cited_by is not None]
    ranked = sorted(counted, key=lambda paper: (-(paper.cited_by or 0), -paper.date.toordinal(), paper.title))
    return [
        CitedPaper(id=paper.id, title=paper.title, year=paper.year, cited_by=paper.cited_by or 0)
        for paper in ranked[:limit]
    ]


def snapshot_history(snapshots: list[MetricSnapshot]) -> list[SnapshotDelta]:
    history: list[SnapshotDelta] = []
    previous: MetricSnapshot | None = None
    for snapshot in snapshots:
        change: dict[str, int] = {}
        if previous is not None:
            for field in TRACKED:
                before, after = getattr(previous, field), getattr(snapshot, field)
                if before is not None and after is not None and before != after:
                    change[field] = after - before
        history.append(SnapshotDelta(change=change, **snapshot.model_dump(include=set(TRACKED) | {"taken_at"})))
        previous = snapshot
    return history
