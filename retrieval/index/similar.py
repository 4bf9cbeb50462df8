"""Papers nearest to a given paper, by the embedding the store already holds for it (no model needed)."""

from __future__ import annotations

from retrieval.index.store import PaperStore, chroma_where, paper_from_record
from retrieval.models import Paper, PaperFilter, SearchHit


def similar_papers(store: PaperStore, paper: Paper, k: int) -> list[SearchHit]:
    """Up to `k` papers of the same profile, most similar first; the paper itself is left out."""
    stored = store.papers.get(ids=[paper.id], include=["embeddings"])["embeddings"]
    if stored is None or len(stored) == 0:
        return []
    pairs = store.vectorstore.similarity_search_by_vector_with_relevance_scores(
        list(stored[0]), k=min(k + 1, store.papers.count()), filter=chroma_where(PaperFilter(profile=paper.profile))
    )
    # the collection is cosine-space: Chroma's distance is 1 - similarity
    neighbours = [(paper_from_record(doc.metadata, doc.page_content), 1.0 - distance) for doc, distance in pairs]
    others = [(other, score) for other, score in neighbours if other.id != paper.id][:k]
    return [SearchHit(paper=other, score=round(score, 4), rank=rank) for rank, (other, score) in enumerate(others, 1)]
