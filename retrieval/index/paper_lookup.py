"""Find one paper from what a person types: an id, an acronym ("VeLO", "RT-2", "FCM"), or a title fragment
with typos. Also the ranked suggestions behind Discord's autocomplete. Pure string matching: no model.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from retrieval.errors import AmbiguousPaperError, PaperNotFoundError
from retrieval.models import Paper
from retrieval.text.latex import render_latex
from retrieval.text.lexical import STOPWORDS
from retrieval.text.names import name_tokens

# Scores are 0–100: the mean, over the query's words, of each word's best match among the title's words.
MIN_SCORE = 60  # below this nothing matches: e.g. one word of three, or only loose near-misses
WORD_MATCH = 80  # a query word counts when it is this close to a title word (one typo in 6+ letters)
AMBIGUITY_MARGIN = 5  # papers scoring within this of the best one are all candidates
MAX_CANDIDATES = 5  # named in the message
MAX_CHOICES = 25  # offered to pick from (a Discord select menu's limit)
SUGGESTIONS = 3
# function words only: unlike the search vocabulary (text.lexical.STOPWORDS), "work" or "how" in a title still count
TITLE_STOPWORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "via", "with"}
)
# "(VLA)", "(LLMs)" and "which we call RT-2" / "dubbed ReST^EM": names an abstract gives its method.
_PARENTHESIZED = re.compile(r"\(([A-Z][\w\-^]*[A-Z0-9][\w\-^]*?)s?\)")
_NAMED = re.compile(r"\b(?:we call|called|dubbed|named|termed)\s+([A-Z][\w\-^]*[A-Z0-9][\w\-^]*)")


def compact_key(text: str) -> str:
    """Case, accents, spaces and punctuation removed: 'RT-2' == 'rt2', 'PaLM E' == 'palm-e'."""
    return "".join(name_tokens(text))


def _content_words(text: str) -> list[str]:
    return [word for word in name_tokens(text) if word not in TITLE_STOPWORDS]


def title_head(title: str) -> str | None:
    """The short name before a title's colon or dash: 'VeLO', 'Decision Transformer', 'Brax'."""
    for separator in (":", " -- ", " — "):
        head, found, _ = title.partition(separator)
        if found and len(head.split()) <= 4:
            return head.strip()
    return None


@dataclass(frozen=True)
class _Entry:
    paper: Paper
    id_keys: frozenset[str]  # the full id and its hash part: "igor-mordatch:fe4df6504656", "fe4df6504656"
    title_key: str
    head_key: str | None
    acronym_keys: frozenset[str]
    title_words: tuple[str, ...]


def _entry(paper: Paper) -> _Entry:
    head = title_head(paper.title)
    abstract = render_latex(paper.abstract)
    acronyms = {match.group(1) for pattern in (_PARENTHESIZED, _NAMED) for match in pattern.finditer(abstract)}
    return _Entry(
        paper=paper,
        id_keys=frozenset({compact_key(paper.id), compact_key(paper.id.rpartition(":")[2])}),
        title_key=compact_key(paper.title),
        head_key=compact_key(head) if head else None,
        acronym_keys=frozenset(compact_key(acronym) for acronym in acronyms),
        title_words=tuple(dict.fromkeys(_content_words(paper.title))),
    )


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
    matched = [_word_score(word, entry.title_words, min_prefix) for word in query_words]
    # a small bonus for covering more of the title breaks ties toward the paper the words describe best
    coverage = sum(score > 0 for score in matched) / max(len(entry.title_words), 1)
    return sum(matched) / len(matched) + 4 * min(coverage, 1.0)


class PaperIndex:
    """An immutable lookup over a fixed list of papers (build a new one when the store changes)."""

    def __init__(self, papers: list[Paper]) -> None:
        # identical titles listed under several profiles are one paper to a person typing its name
        unique = {compact_key(paper.title): paper for paper in reversed(papers)}
        self.papers = sorted(unique.values(), key=lambda paper: (paper.date, paper.title), reverse=True)
        self._entries = [_entry(paper) for paper in self.papers]

    def resolve(self, query: str) -> Paper:
        """The one paper `query` names; raises AmbiguousPaperError or PaperNotFoundError otherwise."""
        query = query.strip()
        key = compact_key(query)
        if not key:
            raise PaperNotFoundError(query, [])
        for exact in (
            [e for e in self._entries if key in e.id_keys],
            [e for e in self._entries if key in (e.title_key, e.head_key)],
            [e for e in self._entries if key in e.acronym_keys],
        ):
            if len(exact) == 1:
                return exact[0].paper
            if exact:
                raise _ambiguous(query, [entry.paper for entry in exact])
        ranked = self._ranked(query)
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
        exact = [e.paper for e in self._entries if key in (e.head_key, e.title_key) or key in e.acronym_keys]
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
        words = _content_words(query) or name_tokens(query)
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


# A parenthesised acronym is the paper's own name only when its sentence introduces it ("our method, Forgetful
# Causal Masking (FCM)"); "(RL)", "(MARL)", "(DFT)" name fields, which a question uses for a topic.
_INTRODUCES = re.compile(
    r"\b(?:our (?:method|approach|model|framework)|we (?:call|name|term|propose|present|introduce|refer to)|"
    r"propos\w+|present\w*|introduc\w+|develop\w*|dubbed|termed|named|refer to)\b",
    re.IGNORECASE,
)


# "we propose COMET, which ...": a coined name of two or more capitals
_PROPOSED = re.compile(r"\bwe (?:propose|present|introduce) ([A-Z][\w^-]*[A-Z][\w^-]*)\b")
# "We introduce the γ-model": a coined hyphenated name
_COINED = re.compile(
    r"\bwe (?:introduce|propose|present) (?:the |a |an )?(\w+-(?:model|net|network|transformer|policy)s?)\b",
    re.IGNORECASE,
)


def _introduced_acronyms(abstract: str) -> set[str]:
    text = render_latex(abstract)
    names = {match.group(1) for pattern in (_NAMED, _COINED, _PROPOSED) for match in pattern.finditer(text)}
    for match in _PARENTHESIZED.finditer(text):
        # the naming verb is in the same sentence, at most a long name away
        window_start = max(text.rfind(". ", 0, match.start()), match.start() - 90, 0)
        if _INTRODUCES.search(text, window_start, match.start()):
            names.add(match.group(1))
    return names


def phrase_words(text: str) -> list[str]:
    """Words without the search stopwords: what a title phrase is matched on."""
    return [word for word in name_tokens(text) if word not in STOPWORDS]


def title_phrases(papers: list[Paper]) -> dict[tuple[str, ...], str]:
    """Three consecutive title words → paper id, for runs that pick out one title and are specific (two of the
    three words are in at most two titles): "geometry-aware multi-task", "zero-shot planners"."""
    titles = {paper.id: phrase_words(render_latex(paper.title)) for paper in papers}
    spread = Counter(word for words in titles.values() for word in set(words))
    owners: dict[tuple[str, ...], set[str]] = {}
    for paper_id, words in titles.items():
        for i in range(len(words) - 2):
            run = tuple(words[i : i + 3])
            if sum(spread[word] <= 2 and len(word) >= 4 for word in run) >= 2:
                owners.setdefault(run, set()).add(paper_id)
    return {run: next(iter(ids)) for run, ids in owners.items() if len(ids) == 1}


def paper_names(papers: list[Paper]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """What a question may call a paper ("RT-2", "palm-e", "ReST^EM", "implicit BC"): compact key → paper id for
    every short name that picks out exactly one paper, and compact key → paper ids (oldest first) for a name
    several titles share ("Neural MMO", "Melting Pot"), which the question's year or "original" may settle.

    Short names: a title's head (without a version suffix too), a whole title of at most four words, their
    abbreviations ("Implicit BC", "IBC"), and acronyms the abstract introduces."""
    plain, abbreviated = {}, {}
    for paper in papers:
        plain[paper.id], abbreviated[paper.id] = _short_names(paper)
    owners: dict[str, set[str]] = {}
    for paper in papers:
        for name in plain[paper.id] | abbreviated[paper.id]:
            owners.setdefault(compact_key(name), set()).add(paper.id)
    # a name inside other titles is theirs too: find every title's runs of words that are some paper's name
    runs_of: dict[str, set[tuple[str, ...]]] = {}  # compact key → the word runs of the names it is the key of
    for names in plain.values():
        for name in names:
            if len(key := compact_key(name)) >= 3:
                runs_of.setdefault(key, set()).add(tuple(name_tokens(name)))
    named_runs = {run for runs in runs_of.values() for run in runs}
    lengths = {len(run) for run in named_runs} - {0}
    with_run: dict[tuple[str, ...], set[str]] = {}
    for paper in papers:
        title = name_tokens(paper.title)
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


def _short_names(paper: Paper) -> tuple[set[str], set[str]]:
    """The paper's short names (its title head, with and without a version suffix, a title of at most four words,
    the acronyms its abstract introduces), and the abbreviations of its head ("Implicit BC", "IBC")."""
    head = title_head(paper.title)
    if head is None and len(paper.title.split()) <= 4:
        head = paper.title
    heads = {head, re.sub(r"\s+v?\d+(?:\.\d+)*$", "", head)} if head else set()
    abbreviations: set[str] = set()
    for name in {re.sub(r"\s+v?\d+(?:\.\d+)*$", "", head) for head in heads}:  # never a version's initial
        words = name.split()
        for start in range(len(words) - 1):  # "Implicit Behavioral Cloning" → "Implicit BC", "IBC"
            initials = "".join(word[0] for word in words[start:] if word[0].isalpha()).upper()
            # all the initials only of a three-word name: longer ones spell words ("SOIL")
            if len(initials) >= 2 and start + len(initials) >= 3 and (start or len(initials) == 3):
                abbreviations.add(" ".join([*words[:start], initials]))
    return heads | _introduced_acronyms(paper.abstract), abbreviations
