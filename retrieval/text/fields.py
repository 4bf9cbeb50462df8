"""The fields of science that arXiv categories outside computer science and statistics stand for.

An abstract is written in its own field's words ("crystal structures", "atomic-scale microscopy") and never names
the field, yet a reader from another field asks for "his physics work" or "anything for chemists". These words
join such a paper's searchable terms (index/search.bm25_document). Computer-science categories get none: their
abstracts already speak the asker's words, and "learning" on every cs.LG paper would only blur the ranking.
"""

from __future__ import annotations

PHYSICAL = "physical sciences, natural sciences, physicists"
CONDENSED = f"condensed matter physics, {PHYSICAL}"

# the category code as profiles write it (the part after the archive, upper case) → its field's words; codes two
# archives share (econ.GN, q-bio.GN) are left out. Editing this changes the BM25 terms: bump lexical_cache.FORMAT
FIELD_WORDS = {
    "MTRL-SCI": f"materials science, chemistry, chemists, {CONDENSED}",
    "MES-HALL": f"mesoscale and nanoscale physics, nanotechnology, {CONDENSED}",
    "SOFT": f"soft matter, {CONDENSED}",
    "STAT-MECH": f"statistical mechanics, {CONDENSED}",
    "SUPR-CON": f"superconductivity, {CONDENSED}",
    "STR-EL": f"strongly correlated electrons, {CONDENSED}",
    "CHEM-PH": f"chemical physics, chemistry, chemists, {PHYSICAL}",
    "COMP-PH": f"computational physics, {PHYSICAL}",
    "FLU-DYN": f"fluid dynamics, physics, {PHYSICAL}",
    "OPTICS": f"optics, physics, {PHYSICAL}",
    "BIO-PH": f"biological physics, biology, {PHYSICAL}",
    "QUANT-PH": f"quantum physics, quantum computing, {PHYSICAL}",
    "BM": "biomolecules, biology, biologists, life sciences",
    "NC": "neurons and cognition, neuroscience, biology, life sciences",
    "QM": "quantitative methods, biology, life sciences",
    "PE": "populations and evolution, biology, life sciences",
}


def field_words(category: str | None) -> str:
    """The words of the field `category` belongs to; empty for computer science, statistics and unknown codes."""
    return FIELD_WORDS.get((category or "").upper(), "")
