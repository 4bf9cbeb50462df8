"""Errors a user can fix. The CLI maps them to exit code 2; the bot to a short ephemeral reply."""

from __future__ import annotations


class UserFacingError(Exception):
    """Base class: the message is written for the person who typed the command."""


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


class UnknownProfileError(UserFacingError):
    def __init__(self, requested: str, known: list[str]) -> None:
        choices = ", ".join(known) or "none (run `research-bot ingest`)"
        super().__init__(f"No profile named {requested!r}. Known profiles: {choices}.")


class InvalidQuestionError(UserFacingError):
    pass


class PaperNotFoundError(UserFacingError):
    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.suggestions = suggestions
        hint = ("; closest: " + "; ".join(suggestions)) if suggestions else ""
        super().__init__(f"No paper matches {query!r}{hint}.")


class AmbiguousPaperError(UserFacingError):
    def __init__(self, query: str, candidates: list[str]) -> None:
        self.candidates = candidates
        super().__init__(f"{query!r} matches several papers: " + "; ".join(candidates) + ". Be more specific.")
