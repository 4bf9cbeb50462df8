"""Errors a user can fix (or wait out). The CLI maps them to exit code 2 (`StoreUnavailableError`: 1); the bot to a
short ephemeral reply."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retrieval.models import Citation, Paper


class UserFacingError(Exception):
    """Base class: the message is written for the person who typed the command."""


class StoreUnavailableError(UserFacingError):
    """The Chroma server cannot be reached (refused, dropped, timed out, 5xx). Not the user's doing, so the CLI
    exits 1 and prints `reason`; the bot shows the message alone and logs the reason. The next call tries again."""

    MESSAGE = "The paper store is unavailable right now; try again shortly."

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(self.MESSAGE)


class ProfileFormatError(UserFacingError):
    def __init__(self, file: str, line: int, expected: str, found: str | None = None) -> None:
        self.file, self.line, self.expected, self.found = file, line, expected, found
        message = f"{file}:{line}: expected {expected}"
        if found is not None:
            shown = found if len(found) <= 60 else found[:57] + "..."
            message += f", found {shown!r}"
        super().__init__(message)


class SchemaMismatchError(UserFacingError):
    def __init__(self, found: object, expected: int) -> None:
        super().__init__(
            f"The store was written with schema version {found}; this version of research-bot needs "
            f"{expected}. Run `research-bot ingest --rebuild` to rebuild it from the profile files."
        )


class EmbeddingMismatchError(UserFacingError):
    def __init__(self, found: object, expected: str) -> None:
        super().__init__(
            f"The store was built with the {found!r} embedding, but settings ask for {expected!r}. "
            "Run `research-bot ingest --rebuild` to re-embed."
        )


class UnknownProfileError(UserFacingError):
    """Names every profile of a small store; of a larger one at most `SHOWN`, the closest to what was typed;
    `message(see=...)` points to the full list where the user is (the CLI's `profiles`, the bot's /profiles)."""

    SHOWN = 3

    def __init__(self, requested: str, known: list[str], see: str = "`research-bot profiles`") -> None:
        self.requested, self.known = requested, known
        super().__init__(self.message(see))

    def message(self, see: str) -> str:
        if not self.known:
            return f"No profile named {self.requested!r}. Known profiles: none (run `research-bot ingest`)."
        if len(self.known) <= self.SHOWN + 1:  # "and 1 more" would be no shorter than naming it
            return f"No profile named {self.requested!r}. Known profiles: {', '.join(self.known)}."
        ranked = sorted(self.known, key=lambda profile_id: (-likeness(self.requested, profile_id), profile_id))
        close = [profile_id for profile_id in ranked[: self.SHOWN] if likeness(self.requested, profile_id) >= CLOSE]
        shown = close or ranked[: self.SHOWN]
        heading = "Closest" if close else "Known profiles"
        rest = len(ranked) - len(shown)
        return f"No profile named {self.requested!r}. {heading}: {', '.join(shown)} … and {rest} more; see {see}."


CLOSE = 0.6  # difflib ratio from which a profile id is offered as what was meant


def likeness(requested: str, profile_id: str) -> float:
    """How close typed text is to a profile id: to the whole id, or to its best-matching part ("mordach")."""
    wanted = "-".join(re.findall(r"[^\W_]+", requested.casefold()))
    return max(difflib.SequenceMatcher(None, wanted, part).ratio() for part in [profile_id, *profile_id.split("-")])


class InvalidQuestionError(UserFacingError):
    pass


class PaperNotFoundError(UserFacingError):
    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.suggestions = suggestions
        hint = ("; closest: " + "; ".join(suggestions)) if suggestions else ""
        super().__init__(f"No paper matches {query!r}{hint}.")


class AmbiguousPaperError(UserFacingError):
    """`candidates`: the labels the message names; `papers`: every close match (up to 25, a select menu's
    worth), best first, for a caller that lets the user pick."""

    def __init__(self, query: str, candidates: list[str], papers: list[Paper] | None = None) -> None:
        self.candidates = candidates
        self.papers = papers or []
        super().__init__(f"{query!r} matches several papers: " + "; ".join(candidates) + ". Be more specific.")


class FollowUpError(UserFacingError):
    """A follow-up that cannot be read: it refers to nothing, past the end, or to one of several papers without
    saying which (`candidates`: those papers, for a UI to offer as choices)."""

    def __init__(self, message: str, candidates: list[Citation] | None = None) -> None:
        self.candidates = candidates or []
        super().__init__(message)
