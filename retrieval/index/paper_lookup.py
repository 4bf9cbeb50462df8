"""Find one paper from what a person types: an id, an acronym ("VeLO", "RT-2", "FCM"), or a title fragment
with typos. Also the ranked suggestions behind Discord's autocomplete. Pure string matching: no model.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from rapidfuzz import fuzz

from retrieval.errors import AmbiguousPaperError, PaperNotFoundError
from retrieval.index.paper_names import NameTable, PaperNames, compact_key, content_words
from retrieval.models import Paper
from retrieval.text.names import name_tokens

# Scores are 0–100: the mean, over the query's words, of each word's best match among the title's words.
MIN_SCORE = 60  # below this nothing matches: e.g. one word of three, or only loose near-misses
WORD_MATCH = 80  # a query word counts when it is this close to a title word (one typo in 6+ letters)
AMBIGUITY_MARGIN = 5  # papers scoring within this of the best one are all candidates
MAX_CANDIDATES = 5  # named in the message
MAX_CHOICES = 25  # offered to pick from (a Discord select menu's limit)
SUGGESTIONS = 3


class _Entry(NamedTuple):
    paper: Paper
    names: PaperNames


def _word_score(word: str, title_words: tuple[str, ...], min_prefix: int) -> float:
    best = 0.0
    for candidate in title_words:
        if candidate == word:
            return 100.0
        if word.isdigit() or candidate.isdigit():
            continue  # numbers name versions ("RT-1" vs "RT-2"): only an exact match counts
        if len(word) >= min_prefix and candidate.startswith(word):
            best = max(best, 90.0)  # a word still being typed
        else:
            best = max(best, fuzz.ratio(word, candidate))
    return best if best >= WORD_MATCH else 0.0


def _fuzzy_score(query_words: list[str], entry: _Entry, min_prefix: int) -> float:
    if not query_words:
        return 0.0
    title_words = entry.names.title_words
    matched = [_word_score(word, title_words, min_prefix) for word in query_words]
    # a small bonus for covering more of the title breaks ties toward the paper the words describe best
    coverage = sum(score > 0 for score in matched) / max(len(title_words), 1)
    return sum(matched) / len(matched) + 4 * min(coverage, 1.0)


class PaperIndex:
    """An immutable lookup over a fixed list of papers (build a new one when the store changes)."""

    def __init__(self, papers: list[Paper], names: NameTable | None = None) -> None:
        """`names`: the papers' names already derived (the BM25 index holds every paper's)."""
        names = names if names is not None else NameTable()
        # identical titles listed under several profiles are one paper to a person typing its name
        unique = {names.of(paper).title_key: paper for paper in reversed(papers)}
        self.papers = sorted(unique.values(), key=lambda paper: (paper.date, paper.title), reverse=True)
        self._entries = [_Entry(paper, names.of(paper)) for paper in self.papers]

    def resolve(self, query: str, *, fuzzy: bool = True) -> Paper:
        """The one paper `query` names; raises AmbiguousPaperError or PaperNotFoundError otherwise. Without `fuzzy`,
        only a paper's id, title, title head or acronym names it."""
        query = query.strip()
        key = compact_key(query)
        if not key:
            raise PaperNotFoundError(query, [])
        for exact in (
            [e for e in self._entries if key in e.names.id_keys],
            [e for e in self._entries if key in (e.names.title_key, e.names.head_key)],
            [e for e in self._entries if key in e.names.acronym_keys],
        ):
            if len(exact) == 1:
                return exact[0].paper
            if exact:
                raise _ambiguous(query, [entry.paper for entry in exact])
        ranked = self._ranked(query) if fuzzy else []
        best_score = ranked[0][0] if ranked else 0.0
        if best_score < MIN_SCORE:
            raise PaperNotFoundError(query, [_label(paper) for paper in self._closest(query, ranked)])
        close = [paper for score, paper in ranked if score >= best_score - AMBIGUITY_MARGIN]
        if len(close) > 1:
            raise _ambiguous(query, close)
        return close[0]

    def suggest(self, text: str, limit: int) -> list[Paper]:
        """Best matches for partly typed `text`; the most recent papers when it is empty."""
        key = compact_key(text)
        if not key:
            return self.papers[:limit]
        exact = [
            e.paper
            for e in self._entries
            if key in (e.names.head_key, e.names.title_key) or key in e.names.acronym_keys
        ]
        fuzzy = [paper for score, paper in self._ranked(text, min_prefix=1) if score >= MIN_SCORE / 2]
        return _unique(exact + fuzzy)[:limit]

    def _closest(self, query: str, ranked: list[tuple[float, Paper]]) -> list[Paper]:
        """For "not found": partial word matches first, then whatever is nearest letter by letter."""
        processed = " ".join(name_tokens(query))
        by_letters = sorted(self.papers, key=lambda paper: -fuzz.WRatio(processed, " ".join(name_tokens(paper.title))))
        partial = [paper for score, paper in ranked if score > 0]
        return _unique(partial + by_letters)[:SUGGESTIONS]

    def _ranked(self, query: str, min_prefix: int = 3) -> list[tuple[float, Paper]]:
        """Papers by fuzzy score. A query word of `min_prefix`+ letters also matches title words it begins."""
        words = content_words(query) or name_tokens(query)
        scored = [(_fuzzy_score(words, entry, min_prefix), entry.paper) for entry in self._entries]
        return sorted(scored, key=lambda pair: -pair[0])  # stable: newest first among equal scores


def _unique(papers: list[Paper]) -> list[Paper]:
    """Without repeats, in first-seen order."""
    first_seen: dict[str, Paper] = {}
    for paper in papers:
        first_seen.setdefault(paper.id, paper)
    return list(first_seen.values())


def _label(paper: Paper) -> str:
    return f"{paper.title} ({paper.year})"


def _ambiguous(query: str, papers: list[Paper]) -> AmbiguousPaperError:
    return AmbiguousPaperError(query, [_label(paper) for paper in papers[:MAX_CANDIDATES]], papers[:MAX_CHOICES])


def title_phrases(
    papers: list[Paper], names: NameTable, size: int = 3, specific: int | None = None, rare: int = 2
) -> dict[tuple[str, ...], str]:
    """`size` consecutive title words → paper id, for runs that pick out one title and are specific: `specific`
    of their words (by default two of three, both of two) are in at most `rare` titles. "geometry-aware
    multi-task", "zero-shot planners", "adversarial arithmetic"; of four words one is enough ("iterative reasoning
    through energy minimization"), of two one in no other title ("multiagent debate")."""
    specific = min(size, 2) if specific is None else specific
    titles = {paper.id: names.of(paper).phrase_words for paper in papers}
    spread = Counter(word for words in titles.values() for word in set(words))
    owners: dict[tuple[str, ...], set[str]] = {}
    for paper_id, words in titles.items():
        for i in range(len(words) - size + 1):
            run = tuple(words[i : i + size])
            if sum(spread[word] <= rare and len(word) >= 4 for word in run) >= specific:
                owners.setdefault(run, set()).add(paper_id)
    return {run: next(iter(ids)) for run, ids in owners.items() if len(ids) == 1}


def paper_names(papers: list[Paper], names: NameTable) -> tuple[dict[str, str], dict[str, list[str]]]:
    """What a question may call a paper ("RT-2", "palm-e", "ReST^EM", "implicit BC"): compact key → paper id for
    every short name that picks out exactly one paper, and compact key → paper ids (oldest first) for a name
    several titles share ("Neural MMO", "Melting Pot"), which the question's year or "original" may settle.

    Short names: a title's head (without a version suffix too), a whole title of at most four words, their
    abbreviations ("Implicit BC", "IBC"), and acronyms the abstract introduces."""
    owners: dict[str, set[str]] = {}
    # a name inside other titles is theirs too: find every title's runs of words that are some paper's name
    runs_of: dict[str, set[tuple[str, ...]]] = {}  # compact key → the word runs of the names it is the key of
    for paper in papers:
        derived = names.of(paper)
        for name in {*derived.short_names, *derived.abbreviations}:
            owners.setdefault(compact_key(name), set()).add(paper.id)
        for name in derived.short_names:
            if len(key := compact_key(name)) >= 3:
                runs_of.setdefault(key, set()).add(tuple(name_tokens(name)))
    named_runs = {run for runs in runs_of.values() for run in runs}
    lengths = {len(run) for run in named_runs} - {0}
    with_run: dict[tuple[str, ...], set[str]] = {}
    for paper in papers:
        title = names.of(paper).title_tokens
        for length in lengths:
            for start in range(len(title) - length + 1):
                if (run := tuple(title[start : start + length])) in named_runs:
                    with_run.setdefault(run, set()).add(paper.id)
    unique = {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1 and len(key) >= 3}
    holders_of: dict[str, set[str]] = {}  # each shared name's papers, gathered once per name and sorted below
    for key, runs in runs_of.items():
        holders = set(owners.get(key, ()))
        for run in runs:
            holders |= with_run.get(run, set())
        if len(holders) > 1:
            holders_of[key] = holders
            unique.pop(key, None)
    dates = {paper.id: paper.date for paper in papers}
    shared = {key: sorted(holders, key=lambda id_: (dates[id_], id_)) for key, holders in holders_of.items()}
    return unique, shared
