"""A synthetic corpus of N papers in the profile format, built from the bundled abstracts (seeded, reproducible).

Each profile holds up to 50 papers; each abstract is sentences drawn from the bundled abstracts (as many as a
real abstract has), each title two halves of real titles, with varied dates, categories, co-authors and
affiliations. The files are parsed back by the real parser before use.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.ingest.profile_format import parse_profile_file
from retrieval.models import Paper
from retrieval.settings import BUNDLED_PROFILES
from retrieval.text.lexical import split_sentences

PAPERS_PER_PROFILE = 50
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@dataclass(frozen=True)
class Pools:
    """What the bundled profiles offer to draw from."""

    sentences: list[str]
    sentence_counts: list[int]
    title_heads: list[str]
    title_tails: list[str]
    categories: list[str]
    authors: list[str]
    affiliations: list[str]

    @classmethod
    def from_bundled(cls, folder: Path = BUNDLED_PROFILES) -> Pools:
        papers: list[Paper] = []
        for path in sorted(folder.glob("*.txt")):
            papers.extend(parse_profile_file(path).papers)
        heads, tails = [], []
        for paper in papers:
            head, _, tail = paper.title.partition(": ")
            heads.append(head)
            tails.append(tail or head)
        return cls(
            sentences=sorted({s for paper in papers for s in split_sentences(paper.abstract)}),
            sentence_counts=[len(split_sentences(paper.abstract)) for paper in papers],
            title_heads=heads,
            title_tails=tails,
            categories=sorted({paper.category for paper in papers}),
            authors=sorted({author for paper in papers for author in paper.authors}),
            affiliations=sorted({aff for paper in papers for aff in paper.affiliations}),
        )


def paper_block(rng: random.Random, pools: Pools, number: int) -> str:
    date = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(14 * 365))
    code = "Code" if rng.random() < 0.1 else ""
    # the number keeps titles unique within a profile (the parser drops a repeated title + date)
    title = f"{rng.choice(pools.title_heads)} {number}: {rng.choice(pools.title_tails)}"
    authors = ", ".join(rng.sample(pools.authors, rng.randint(2, 6))) + (" et al." if rng.random() < 0.5 else "")
    affiliations = ", ".join(rng.sample(pools.affiliations, rng.randint(0, 2)))
    abstract = " ".join(rng.choices(pools.sentences, k=rng.choice(pools.sentence_counts)))
    header = f"{rng.choice(pools.categories)}{MONTHS[date.month - 1]} {date.day}, {date.year}{code}"
    return f"{header}\n{title}\n{authors}{' · ' + affiliations if affiliations else ''}\n{abstract}\n"


def profile_text(rng: random.Random, pools: Pools, index: int, papers: int) -> str:
    header = [
        f"Synthetic Researcher {index:05d}",
        rng.choice(pools.categories),
        f"h-index{rng.randint(5, 150)}",
        f"{papers + rng.randint(0, 30)}papers",
        f"{rng.randint(100, 90_000):,}citations",
        f"Novelty{rng.randint(10, 90)}%",
        f"AI Score{rng.randint(10, 90)}",
        f"{papers} Papers",
    ]
    blocks = [paper_block(rng, pools, number) for number in range(1, papers + 1)]
    return "\n".join(header) + "\n\n" + "\n".join(blocks)


def write_corpus(folder: Path, papers: int, seed: int = 11) -> list[Path]:
    """Write ceil(papers / 50) profile files into `folder`; the same (papers, seed) always gives the same files."""
    rng = random.Random(seed)
    pools = Pools.from_bundled()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, start in enumerate(range(0, papers, PAPERS_PER_PROFILE)):
        path = folder / f"synthetic_{index:05d}.txt"
        path.write_text(profile_text(rng, pools, index, min(PAPERS_PER_PROFILE, papers - start)), encoding="utf-8")
        paths.append(path)
    return paths


class CachedSentenceEmbeddings(MiniLMEmbeddings):
    """For very large runs only (bench_scale --large): a text's vector is the normalised mean of the real model's
    vectors of its sentences (the title left out), each sentence embedded once and cached; the synthetic corpus
    reuses the bundled sentences, so 100k papers embed ~1,000 sentences. Search quality is not measured on it."""

    def __init__(self) -> None:
        super().__init__()
        self.cache: dict[str, np.ndarray] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        pieces = [split_sentences(text.partition("\n\n")[2] or text) or [text] for text in texts]
        missing = list(dict.fromkeys(piece for group in pieces for piece in group if piece not in self.cache))
        if missing:
            self.cache.update(zip(missing, np.asarray(super().embed_documents(missing)), strict=True))
        means = [np.mean([self.cache[piece] for piece in group], axis=0) for group in pieces]
        return [(mean / np.linalg.norm(mean)).tolist() for mean in means]
