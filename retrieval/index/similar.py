"""Papers nearest to a given paper, by the embedding the store already holds for it (no model needed)."""

from __future__ import annotations

from retrieval.index.store import PaperStore
from retrieval.models import Paper, PaperFilter, SearchHit


def similar_papers(store: PaperStore, paper: Paper, k: int) -> list[SearchHit]:
    """Up to `k` papers of the same profile, most similar first; the paper itself is left out."""
    vector = store.paper_vectors([paper.id]).get(paper.id)
    if vector is None:
        return []
    neighbours = store.nearest_papers(vector, k + 1, PaperFilter(profile=paper.profile))
    others = [(other, score) for other, score in neighbours if other.id != paper.id][:k]
    return [SearchHit(paper=other, score=round(score, 4), rank=rank) for rank, (other, score) in enumerate(others, 1)]
