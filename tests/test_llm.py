"""The optional LLM path, wired with LangChain's fake chat models: prompt, guards, failures, timeout."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from pydantic import Field

from retrieval.llm import LLMUnavailable, answer_prompt, llm_answer
from retrieval.models import Paper
from retrieval.profile_format import parse_profile_bytes
from retrieval.settings import Settings
from tests.conftest import SEED_PROFILE

SEED_PAPERS = parse_profile_bytes(SEED_PROFILE.read_bytes(), SEED_PROFILE.name).papers


def titled(prefix: str) -> Paper:
    (paper,) = [paper for paper in SEED_PAPERS if paper.title.startswith(prefix)]
    return paper


SOURCES = [(1, titled("Composing Ensembles")), (2, titled("PaLM-E:")), (3, titled("RT-2:"))]
QUESTION = "What did composing pre-trained models improve?"


def settings(**overrides: object) -> Settings:
    return Settings(_env_file=None, **{"llm_timeout": 5.0, **overrides})


def fake(text: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=text)]))


class RecordingChatModel(GenericFakeChatModel):
    """Remembers the messages it was sent."""

    seen: list[BaseMessage] = Field(default_factory=list)

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        self.seen.extend(messages)
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


class BrokenChatModel(GenericFakeChatModel):
    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        raise ConnectionError("provider unreachable")


def test_a_faithful_answer_passes_untouched() -> None:
    reply = "Iterative consensus improved grade school math accuracy by 7.5% [1]. PaLM-E-562B has 562B parameters [2]."
    text, warnings = llm_answer(QUESTION, SOURCES, settings(), model=fake(reply))
    assert text == reply
    assert warnings == []


def test_the_model_sees_numbered_abstracts_and_the_rules() -> None:
    model = RecordingChatModel(messages=iter([AIMessage(content="It improved math accuracy by 7.5% [1].")]))
    llm_answer(QUESTION, SOURCES, settings(), model=model)
    system, human = model.seen
    assert system.type == "system" and "only" in system.text.lower()
    assert human.type == "human" and QUESTION in human.text
    for n, paper in SOURCES:
        assert f"[{n}] {paper.title}" in human.text
    assert "7.5%" in human.text


def test_citations_to_sources_that_do_not_exist_are_removed() -> None:
    reply = "Consensus improved accuracy by 7.5% [1][4]. RT-2 was trained on web data [3, 9]. Robots dream [7]."
    text, warnings = llm_answer(QUESTION, SOURCES, settings(), model=fake(reply))
    assert text == "Consensus improved accuracy by 7.5% [1]. RT-2 was trained on web data [3]. Robots dream."
    assert {"[4]", "[9]", "[7]"} == {part for w in warnings for part in ("[4]", "[9]", "[7]") if part in w}
    assert len(warnings) == 3


def test_invented_figures_are_flagged() -> None:
    reply = "Consensus improved accuracy by 12.5% [1], on 6k trials [3], with 562 billion parameters [2]."
    text, warnings = llm_answer(QUESTION, SOURCES, settings(), model=fake(reply))
    assert text == reply  # figures are flagged, not edited
    assert warnings == ["The figure 12.5% appears in no cited abstract."]


def test_a_figure_is_checked_against_the_abstract_it_cites() -> None:
    # 562B is in source 2, but the sentence cites only source 1
    _, warnings = llm_answer(QUESTION, SOURCES, settings(), model=fake("The model has 562B parameters [1]."))
    assert warnings == ["The figure 562B appears in no cited abstract."]


def test_an_answer_citing_nothing_is_warned_about() -> None:
    _, warnings = llm_answer(QUESTION, SOURCES, settings(), model=fake("Accuracy went up by 7.5%."))
    assert "The answer cites none of the sources." in warnings
    assert "The figure 7.5% appears in no cited abstract." in warnings


@pytest.mark.parametrize("reply", ["", "   \n "])
def test_an_empty_answer_is_unavailable(reply: str) -> None:
    with pytest.raises(LLMUnavailable, match="empty"):
        llm_answer(QUESTION, SOURCES, settings(), model=fake(reply))


def test_a_failing_model_is_unavailable() -> None:
    with pytest.raises(LLMUnavailable, match="provider unreachable"):
        llm_answer(QUESTION, SOURCES, settings(), model=BrokenChatModel(messages=iter([])))


def test_a_slow_model_times_out() -> None:
    slow = FakeListChatModel(responses=["Too late [1]."], sleep=3.0)
    started = time.perf_counter()
    with pytest.raises(LLMUnavailable, match=r"within 0\.5 s"):
        llm_answer(QUESTION, SOURCES, settings(llm_timeout=0.5), model=slow)
    assert time.perf_counter() - started < 2.0


def test_no_sources_or_no_configured_model_is_unavailable() -> None:
    with pytest.raises(LLMUnavailable, match="no sources"):
        llm_answer(QUESTION, [], settings(), model=fake("anything"))
    with pytest.raises(LLMUnavailable, match="RESEARCH_BOT_LLM"):
        llm_answer(QUESTION, SOURCES, settings(llm=None))


def test_a_missing_gguf_file_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(LLMUnavailable, match="no model file"):
        llm_answer(QUESTION, SOURCES, settings(llm=f"llamacpp:{tmp_path / 'absent.gguf'}"))


def test_an_unknown_provider_is_unavailable() -> None:
    with pytest.raises(LLMUnavailable):
        llm_answer(QUESTION, SOURCES, settings(llm="no-such-provider:some-model"))


def test_the_prompt_comes_from_the_prompts_folder() -> None:
    prompt = answer_prompt()
    assert set(prompt.input_variables) == {"sources", "question"}
    assert [message.__class__.__name__ for message in prompt.messages] == [
        "SystemMessagePromptTemplate",
        "HumanMessagePromptTemplate",
    ]
