"""The LLM answer's guards, sentence by sentence, and the model configuration; no network.

The whole path, through the real ChatOpenAI client and a local server, is in test_llm_http.py.
"""

from __future__ import annotations

import pytest

from retrieval.answers.guards import answer_sentences, check_answer, known_citations, unsupported_figures
from retrieval.answers.llm import (
    CANNOT_ANSWER_PHRASE,
    LLMUnavailable,
    answer_prompt,
    configured_model,
    says_cannot_answer,
)
from retrieval.index.sentence_vectors import SentenceVectors
from retrieval.ingest.profile_format import parse_profile_bytes
from retrieval.settings import Settings
from tests.conftest import SEED_PROFILE

SEED_PAPERS = parse_profile_bytes(SEED_PROFILE.read_bytes(), SEED_PROFILE.name).papers


def titled(prefix: str):
    (paper,) = [paper for paper in SEED_PAPERS if paper.title.startswith(prefix)]
    return paper


SOURCES = {1: titled("Composing Ensembles"), 2: titled("PaLM-E:"), 3: titled("RT-2:")}


@pytest.fixture(scope="module")
def vectors(embeddings) -> SentenceVectors:
    return SentenceVectors(embeddings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A holds [1]. B holds [2].", ["A holds [1].", "B holds [2]."]),
        ("A holds. [1] B holds. [2][3]", ["A holds [1].", "B holds [2][3]."]),
        ("E.g. the 562B model [2], i.e. PaLM-E, is large.", ["E.g. the 562B model [2], i.e. PaLM-E, is large."]),
    ],
)
def test_answers_split_into_sentences_that_keep_their_citations(text: str, expected: list[str]) -> None:
    assert answer_sentences(text) == expected


def test_unknown_citations_are_dropped_with_a_warning() -> None:
    warnings: list[str] = []
    assert known_citations("Tokens [1][4], text [3, 9].", SOURCES, warnings) == ("Tokens [1], text [3].", (1, 3))
    assert warnings == [
        "Removed citation [4]: no source 4 was retrieved.",
        "Removed citation [9]: no source 9 was retrieved.",
    ]


def test_a_figure_counts_only_in_the_abstract_the_sentence_cites() -> None:
    assert unsupported_figures("PaLM-E-562B has 562B parameters", [SOURCES[2]]) == []
    assert unsupported_figures("The model has 562B parameters", [SOURCES[1]]) == ["562B"]
    assert unsupported_figures("RT-2 was evaluated in 6k trials", [SOURCES[3]]) == []
    assert unsupported_figures("RT-2 was evaluated in 7,000 trials", [SOURCES[3]]) == ["7,000"]


def test_supported_sentences_are_kept_and_unsupported_ones_removed(vectors: SentenceVectors) -> None:
    text = (
        "PaLM-E feeds continuous sensor readings into a pre-trained language model [2]. "
        "The largest PaLM-E model has 562B parameters [2]. "
        "The authors won the best paper award at a robotics conference [3]. "
        "Composing models improved math accuracy by 9% [1]. "
        "Nothing here is cited."
    )
    checked = check_answer(text, SOURCES, vectors, Settings(_env_file=None).llm_support_threshold)
    assert [s.problem is None for s in checked.sentences] == [True, True, False, False, False]
    assert checked.text == (
        "PaLM-E feeds continuous sensor readings into a pre-trained language model [2]. "
        "The largest PaLM-E model has 562B parameters [2]."
    )
    assert checked.cited == [2]
    assert len(checked.warnings) == 3


def test_an_answer_with_nothing_supported_keeps_nothing(vectors: SentenceVectors) -> None:
    checked = check_answer("Bananas are yellow [1]. Tax law changed in 1998 [2].", SOURCES, vectors, 0.5)
    assert checked.kept == [] and checked.text == ""


@pytest.mark.parametrize(
    "reply",
    [
        CANNOT_ANSWER_PHRASE,
        CANNOT_ANSWER_PHRASE.upper(),
        f"Sorry. {CANNOT_ANSWER_PHRASE.rstrip('.')}",
        "i cannot answer this from the provided  papers",
    ],
)
def test_the_cannot_answer_phrase_is_recognised(reply: str) -> None:
    assert says_cannot_answer(reply)


def test_an_ordinary_answer_is_not_an_abstention() -> None:
    assert not says_cannot_answer("RT-2 expresses actions as text tokens [3].")


def test_the_prompt_receives_the_shared_phrase() -> None:
    prompt = answer_prompt()
    assert set(prompt.input_variables) == {"sources", "question"}
    system = prompt.format_messages(sources="S", question="Q")[0]
    assert CANNOT_ANSWER_PHRASE in system.text


@pytest.mark.parametrize("spec", [None, "no-colon", "no-such-provider:some-model"])
def test_a_bad_model_spec_is_unavailable(spec: str | None) -> None:
    with pytest.raises(LLMUnavailable):
        configured_model(Settings(_env_file=None, llm=spec))


def test_an_openai_compatible_endpoint_needs_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    settings = Settings(_env_file=None, llm="openai:local", llm_base_url="http://127.0.0.1:9/v1", llm_max_tokens=99)
    model = configured_model(settings)
    assert type(model).__name__ == "ChatOpenAI"
    assert (model.model_name, model.max_tokens, str(model.openai_api_base)) == ("local", 99, "http://127.0.0.1:9/v1")


def test_the_same_configuration_builds_one_model() -> None:
    settings = Settings(_env_file=None, llm="openai:local", llm_base_url="http://127.0.0.1:9/v1")
    assert configured_model(settings) is configured_model(settings.model_copy())
