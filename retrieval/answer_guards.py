"""Checks on an LLM's answer against the sources it was given: it may cite only those sources, and every
figure it states must appear in an abstract it cites."""

from __future__ import annotations

import re

from retrieval.figures import FIGURE, figure_values
from retrieval.latex import render_latex
from retrieval.models import Paper

# "[2]", "[1, 3]", "[1; 4]": a bracket holding citation numbers only
CITATION = re.compile(r"(\s*)\[(\d+(?:\s*[,;]\s*\d+)*)\]")


def source_text(paper: Paper) -> str:
    """What the model is shown of a paper, and so what its figures may come from."""
    return f"{render_latex(paper.title)} ({paper.year})\n{render_latex(paper.abstract)}"


def guard_answer(text: str, sources: list[tuple[int, Paper]]) -> tuple[str, list[str]]:
    """(answer with unknown citations removed, warnings about removed citations and unsupported figures)."""
    known = {n: paper for n, paper in sources}
    warnings: list[str] = []
    cited: set[int] = set()

    def keep_known(match: re.Match[str]) -> str:
        numbers = [int(part) for part in re.split(r"[,;]", match.group(2))]
        for n in numbers:
            if n not in known:
                warnings.append(f"Removed citation [{n}]: no source {n} was retrieved.")
        valid = [n for n in dict.fromkeys(numbers) if n in known]
        cited.update(valid)
        return match.group(1) + "".join(f"[{n}]" for n in valid) if valid else ""  # a dropped one takes its space

    text = CITATION.sub(keep_known, text).strip()
    if not cited:
        warnings.append("The answer cites none of the sources.")
    supported = set().union(*(figure_values(source_text(known[n])) for n in cited))
    prose = CITATION.sub(" ", text)
    for match in FIGURE.finditer(prose):
        figure = match.group(0).strip()
        if not figure_values(figure) & supported:
            warnings.append(f"The figure {figure} appears in no cited abstract.")
    return text, list(dict.fromkeys(warnings))
