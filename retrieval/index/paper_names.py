"""What one paper may be called, from its title and abstract: the keys the paper lookup matches (id, title, title
head, acronyms) and the short names the planner knows ("RT-2", "Implicit BC", acronyms its abstract introduces).

Derived once per paper and store revision: the regular expressions over every abstract are what made a new process's
first lab-wide question slow (seconds at 10k papers). The BM25 index (search.py) holds them, so they are saved and
loaded with it (lexical_cache.py).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import NamedTuple

from retrieval.models import Paper
from retrieval.text import latex, names
from retrieval.text.latex import render_latex
from retrieval.text.lexical import STOPWORDS
from retrieval.text.names import name_tokens

# function words only: unlike the search vocabulary (text.lexical.STOPWORDS), "work" or "how" in a title still count
TITLE_STOPWORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "via", "with"}
)
# "(VLA)", "(LLMs)" and "which we call RT-2" / "dubbed ReST^EM": names an abstract gives its method.
_PARENTHESIZED = re.compile(r"\(([A-Z][\w\-^]*[A-Z0-9][\w\-^]*?)s?\)")
_NAMED = re.compile(r"\b(?:we call|called|dubbed|named|termed)\s+([A-Z][\w\-^]*[A-Z0-9][\w\-^]*)")
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


FIELD_ENDINGS = frozenset({"learning", "intelligence", "processing", "vision", "control", "optimization"})


class PaperNames(NamedTuple):
    """A tuple, not a dataclass of sets: 100k of them unpickle several times faster."""

    id_keys: tuple[str, ...]  # the full id and its hash part: "igormordatchfe4df6504656", "fe4df6504656"
    title_key: str
    head_key: str | None
    acronym_keys: tuple[str, ...]  # every acronym the abstract gives ("(VLA)", "we call RT-2"), compact
    title_words: tuple[str, ...]  # the title's content words, for fuzzy lookup
    short_names: tuple[str, ...]  # title head (and without its version), a short title, introduced acronyms
    abbreviations: tuple[str, ...]  # of the head: "Implicit BC", "IBC"
    title_tokens: tuple[str, ...]
    phrase_words: tuple[str, ...]  # the title's words without search stopwords


def names_of(paper: Paper) -> PaperNames:
    head = title_head(paper.title)
    abstract = render_latex(paper.abstract)
    acronyms = {match.group(1) for pattern in (_PARENTHESIZED, _NAMED) for match in pattern.finditer(abstract)}
    short_names, abbreviations = _short_names(paper.title, abstract)
    return PaperNames(
        id_keys=tuple({compact_key(paper.id), compact_key(paper.id.rpartition(":")[2])}),
        title_key=compact_key(paper.title),
        head_key=compact_key(head) if head else None,
        acronym_keys=tuple({compact_key(acronym) for acronym in acronyms}),
        title_words=tuple(dict.fromkeys(content_words(paper.title))),
        short_names=tuple(short_names),
        abbreviations=tuple(abbreviations),
        title_tokens=tuple(name_tokens(paper.title)),
        phrase_words=tuple(phrase_words(render_latex(paper.title))),
    )


def name_words(names: PaperNames) -> set[str]:
    """The paper's names as compact keys ("rt2", "palme", "lola") with its title's tokens: what a question may call
    it by."""
    keys = {
        names.title_key,
        *names.acronym_keys,
        *(compact_key(name) for name in (*names.short_names, *names.abbreviations)),
    }
    return {key for key in (*keys, names.head_key) if key} | set(names.title_tokens)


class NameTable:
    """Papers' names by id, each derived on first need. One table serves one store revision, where an id names one
    version of a paper."""

    def __init__(self, known: dict[str, PaperNames] | None = None) -> None:
        self._known = known if known is not None else {}  # shared, not copied: 100k papers' names

    def of(self, paper: Paper) -> PaperNames:
        found = self._known.get(paper.id)
        if found is None:
            found = self._known[paper.id] = names_of(paper)
        return found


def derivation_digest() -> str:
    """Changes with the code that derives names, so names saved by other code are never read back."""
    sources = (Path(__file__), Path(latex.__file__), Path(names.__file__))
    return hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()[:16]


def compact_key(text: str) -> str:
    """Case, accents, spaces and punctuation removed: 'RT-2' == 'rt2', 'PaLM E' == 'palm-e'."""
    return "".join(name_tokens(text))


def content_words(text: str) -> list[str]:
    return [word for word in name_tokens(text) if word not in TITLE_STOPWORDS]


def phrase_words(text: str) -> list[str]:
    """Words without the search stopwords: what a title phrase is matched on."""
    return [word for word in name_tokens(text) if word not in STOPWORDS]


def title_head(title: str) -> str | None:
    """The short name before a title's colon, dash or exclamation: 'VeLO', 'Decision Transformer', 'Brax',
    'Blocks Assemble!'."""
    for separator in (":", " -- ", " — ", "! "):
        head, found, _ = title.partition(separator)
        if found and len(head.split()) <= 4:
            return head.strip() + ("!" if separator == "! " else "")
    return None


def _introduced_acronyms(text: str) -> set[str]:
    """The names an abstract (LaTeX rendered) gives its own method."""
    found = {match.group(1) for pattern in (_NAMED, _COINED, _PROPOSED) for match in pattern.finditer(text)}
    for match in _PARENTHESIZED.finditer(text):
        # the naming verb is in the same sentence, at most a long name away
        window_start = max(text.rfind(". ", 0, match.start()), match.start() - 90, 0)
        if _INTRODUCES.search(text, window_start, match.start()) or _spelled_from_words(
            text[window_start : match.start()], match.group(1)
        ):
            found.add(match.group(1))
            expansion = _expansion(text[window_start : match.start()], match.group(1))
            if expansion:  # "Forgetful Causal Masking (FCM)": the words it stands for name the paper too
                found.add(expansion)
    return found


def _expansion(before: str, acronym: str) -> str | None:
    """The three to five capitalised words just before an acronym whose capitals (each word's first letter and any
    inner capital: "PreTraining") spell it: "Action Limited PreTraining" for ALPT. Not a field's name, which other
    papers use too: "deep reinforcement learning (RL)", "Multi-Agent Reinforcement Learning (MARL)"."""
    words = re.findall(r"[A-Za-z]+", before)
    letters = "".join(char for char in acronym if char.isalpha()).upper()
    if words and words[-1].casefold() in FIELD_ENDINGS:
        return None
    for count in range(3, min(5, len(words)) + 1):
        run = words[-count:]
        capitals = "".join(word[0] + "".join(c for c in word[1:] if c.isupper()) for word in run).upper()
        initials = "".join(word[0] for word in run).upper()
        if letters in (capitals, initials):
            return " ".join(run) if all(word[0].isupper() for word in run) else None
    return None


def _spelled_from_words(before: str, acronym: str) -> bool:
    """A mixed-case name spelled from the words before it: "latent collocation method (LatCo)". (All-capital
    acronyms spelled so are mostly fields: "reinforcement learning (RL)".)"""
    capitals = [char for char in acronym if char.isupper()]
    if acronym.isupper() or len(capitals) < 2:
        return False
    words = re.findall(r"[A-Za-z]+", before)[-len(capitals) - 1 :]
    initials = "".join(word[0].upper() for word in words)
    return "".join(capitals) in initials


def _short_names(title: str, abstract: str) -> tuple[set[str], set[str]]:
    """The paper's short names (its title head, with and without a version suffix, a title of at most four words,
    the acronyms its abstract introduces), and the abbreviations of its head ("Implicit BC", "IBC")."""
    head = title_head(title)
    if head is None and len(title.split()) <= 4:
        head = title
    heads = {head, re.sub(r"\s+v?\d+(?:\.\d+)*$", "", head)} if head else set()
    abbreviations: set[str] = set()
    for name in {re.sub(r"\s+v?\d+(?:\.\d+)*$", "", head) for head in heads}:  # never a version's initial
        words = name.split()
        for start in range(len(words) - 1):  # "Implicit Behavioral Cloning" → "Implicit BC", "IBC"
            initials = "".join(word[0] for word in words[start:] if word[0].isalpha()).upper()
            # all the initials only of a three-word name: longer ones spell words ("SOIL")
            if len(initials) >= 2 and start + len(initials) >= 3 and (start or len(initials) == 3):
                abbreviations.add(" ".join([*words[:start], initials]))
    return heads | _introduced_acronyms(abstract), abbreviations
