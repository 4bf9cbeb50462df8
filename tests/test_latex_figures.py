"""LaTeX in abstracts renders readably; figures are found as written and compared by value."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.text.figures import figure_values, figures
from retrieval.text.latex import render_latex


@pytest.mark.parametrize(
    ("raw", "rendered"),
    [
        ("hallucinating on $\\leq5$% of the data", "hallucinating on ≤5% of the data"),
        ("a \\emph{target} environment", "a target environment"),
        ("only $12$ minutes", "only 12 minutes"),
        ("we call ReST$^{EM}$, where", "we call ReST^EM, where"),
        ("with $γ$-models and $\\gamma$, $\\Delta$", "with γ-models and γ, Δ"),
        ("language models~(LMs)", "language models (LMs)"),
        ("$\\times 3$ and \\textbf{bold}", "×3 and bold"),
        ("plain text, 7.5% ~10x", "plain text, 7.5% ~10x"),
    ],
)
def test_render_latex(raw: str, rendered: str) -> None:
    assert render_latex(raw) == rendered


@given(st.text(alphabet=st.characters(blacklist_characters="\\$~"), max_size=200))
def test_text_without_latex_is_unchanged(text: str) -> None:
    assert render_latex(text) == text


def test_figures_skip_names_and_enumerations() -> None:
    text = "RT-2 and GPT-3 (1) improve by 7.5% with 562B parameters over 6k trials; v1.3 has 35,895 users, 10x faster"
    assert figures(text) == ["7.5%", "562B", "6k", "35,895", "10x"]


def test_figure_values_cover_units() -> None:
    assert figure_values("6k") == {6.0, 6000.0}
    assert figure_values("562 billion") == {562.0, 562e9}
    assert figure_values("35,895 citations") == {35895.0}
    assert figure_values("RT-2 and 3D") == set()
