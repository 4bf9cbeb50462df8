"""Figures in text ("7.5%", "562B", "6k", "35,895"): what a summary reports and an LLM answer must not invent."""

from __future__ import annotations

import re

# A number standing on its own — not the "2" of "RT-2", "GPT-3" or "v1.3" — with an optional unit.
FIGURE = re.compile(
    r"(?<![\w.\-/])(\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(\s?(?:%|×|x|[kKMB]|billion|million|thousand|percent|[kKM]?Hz))?(?!\w)"
)
_SCALE = {"k": 1e3, "K": 1e3, "thousand": 1e3, "M": 1e6, "million": 1e6, "B": 1e9, "billion": 1e9}
_ENUMERATION = re.compile(r"\(\d\)")  # "(1) details of ...; (2) ..." lists, not results


def figures(text: str) -> list[str]:
    """The figures in `text` as written."""
    return [match.group(0).strip() for match in FIGURE.finditer(_ENUMERATION.sub(" ", text))]


NUMBER_WORDS = re.compile(
    # not the pronoun: "one can verify", "one of the keys", "each one"
    r"(?<!\beach )(?<!\bno )\bone\b(?! (?:of|can|could|may|might|must|should|would|another)\b)|"
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|dozens?|hundreds?|thousands?|"
    r"millions?|billions?)\b",
    re.IGNORECASE,
)


def states_a_figure(text: str) -> bool:
    """A number, in digits or in words ("four thousand TPU-months", "one additional environment")."""
    return bool(figures(text)) or bool(NUMBER_WORDS.search(text))


def figure_values(figure_text: str) -> set[float]:
    """Every value the figures in `figure_text` can stand for: "6k" → {6, 6000}, "35,895" → {35895}."""
    values: set[float] = set()
    for match in FIGURE.finditer(_ENUMERATION.sub(" ", figure_text)):
        number = float(match.group(1).replace(",", ""))
        values.add(number)
        unit = (match.group(2) or "").strip()
        if unit in _SCALE:
            values.add(number * _SCALE[unit])
    return values
