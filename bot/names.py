"""Lists of names that stay short however long they get (Discord embeds, doctor's lines)."""

from __future__ import annotations


def names_list(names: list[str], shown: int = 10) -> str:
    """`a, b, c and 190 more`."""
    head = ", ".join(names[:shown])
    return head + (f" and {len(names) - shown} more" if len(names) > shown else "")
