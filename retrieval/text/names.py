"""Tolerant person-name matching: 'Mordatch', 'I. Mordatch', 'Igor Mordatch' and 'C. Freeman' vs
'C. Daniel Freeman' all match; 'Igor Smith' does not."""

from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz import fuzz

_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


def name_tokens(name: str) -> list[str]:
    """Lower-case ASCII words, accents and punctuation dropped: for names and titles alike."""
    return list(_name_tokens(name))


@functools.lru_cache(maxsize=1 << 16)  # the same titles and author names are tokenised again and again
def _name_tokens(name: str) -> tuple[str, ...]:
    if name.isascii():  # most names and titles: the same words as below, without a Python loop over characters
        return tuple(_NOT_ASCII_ALNUM.sub(" ", name.lower()).split())
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in ascii_only.casefold())
    return tuple(cleaned.split())


def _same_token(query: str, author: str) -> bool:
    if len(query) == 1 or len(author) == 1:  # an initial matches any name with that first letter
        return query[0] == author[0]
    if query == author:
        return True
    # one typo in a longer surname ("Mordach") still matches
    return min(len(query), len(author)) >= 6 and fuzz.ratio(query, author) >= 90


@functools.lru_cache(maxsize=1 << 16)  # a lab-wide filter asks the same (query, author) pairs thousands of times
def author_matches(query: str, author: str) -> bool:
    """True when every part of `query` fits `author` in order, and the surname matches exactly-ish."""
    wanted, candidate = name_tokens(query), name_tokens(author)
    if not wanted or not candidate:
        return False
    if len(wanted) == 1:  # a single word: the surname or a full first name
        word = wanted[0]
        return len(word) > 1 and any(_same_token(word, part) for part in candidate if len(part) > 1)
    if not _same_token(wanted[-1], candidate[-1]) or len(wanted[-1]) == 1:
        return False
    # the given names of the query must appear, in order, among the author's given names ("Josh" for "Joshua")
    remaining = iter(candidate[:-1])
    return all(
        any(_same_token(part, given) or (len(part) >= 3 and given.startswith(part)) for given in remaining)
        for part in wanted[:-1]
    )


def replace_person(text: str, person: str, name: str, possessive: str) -> str:
    """`person`'s names in `text` replaced ("what does igor mordatch work on?" → "what does he work on?"), so rules
    and models read the question the same whoever's profile it is about. `person` "": the text unchanged."""
    names = "|".join(re.escape(word) for word in name_tokens(person) if len(word) > 1)
    if not names:
        return text
    full_name = rf"\b(?:{names})(?:\s+(?:{names}))*"
    text = re.sub(full_name + r"['’]s\b", possessive, text, flags=re.IGNORECASE)
    return re.sub(full_name + r"\b", name, text, flags=re.IGNORECASE)


def paper_has_author(query: str, authors: list[str]) -> bool:
    return any(author_matches(query, author) for author in authors)
