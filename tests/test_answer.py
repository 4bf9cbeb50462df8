"""Extractive answers: quoted from the abstracts, cited, stating the asked figure, abstaining off-topic;
input validation; the optional LLM branch and its fallback."""

from __future__ import annotations

import re

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from retrieval import llm
from retrieval.errors import InvalidQuestionError
from retrieval.service import ResearchService

CITATION_MARK = re.compile(r"\s*\[(\d+)\]")


def quoted_sentences(answer_text: str) -> list[str]:
    return [part.strip() for part in CITATION_MARK.split(answer_text)[::2] if part.strip()]


@pytest.mark.parametrize(
    ("question", "title_start"),
    [
        ("How do they get language models to fact-check each other through discussion?", "Improving Factuality"),
        ("How can a robot figure out which object to use as an improvised hammer?", "RT-2:"),
        ("How are missing action labels in gameplay videos filled in?", "Multi-Environment Pretraining"),
        ("What is UniMat?", "Scalable Diffusion for Materials"),
    ],
)
def test_answers_cite_the_right_paper_first(seeded_service: ResearchService, question: str, title_start: str) -> None:
    answer = seeded_service.ask(question)
    assert answer.route == "papers" and not answer.abstained
    assert answer.citations[0].title.startswith(title_start)


@pytest.mark.parametrize(
    "question",
    [
        "How does prompt inversion rejection sampling find attacks?",
        "What did the papers say about energy-based models for continual learning?",
        "How many Atari games can one model play?",
    ],
)
def test_every_sentence_is_quoted_from_a_cited_abstract(seeded_service: ResearchService, question: str) -> None:
    answer = seeded_service.ask(question)
    papers = {paper.id: paper for paper in seeded_service.papers()}
    numbers = [int(n) for n in CITATION_MARK.findall(answer.answer)]
    assert numbers and {c.n for c in answer.citations} == set(numbers)  # every [n] maps, every source is used
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    sentences = quoted_sentences(answer.answer)
    assert 2 <= len(sentences) <= 5
    by_number = {c.n: papers[c.id] for c in answer.citations}
    for sentence, number in zip(sentences, numbers, strict=True):
        assert sentence in " ".join(by_number[number].abstract.split())


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("How many Atari games can the single transformer play?", "46"),
        ("What success rate did the U-shape assembly reach on real hardware?", "50%"),
        ("How much did iterative consensus improve accuracy on grade school math?", "7.5%"),
        ("How many parameters does the largest PaLM-E have?", "562B"),
        ("How many test scenarios were created for Melting Pot?", "80"),
    ],
)
def test_fact_questions_state_the_figure_as_written(
    seeded_service: ResearchService, question: str, figure: str
) -> None:
    answer = seeded_service.ask(question)
    assert re.search(rf"(?<![\w.]){re.escape(figure)}", answer.answer), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "How does CRISPR gene editing work?",
        "What is the best recipe for sourdough bread?",
        "Which antibiotics are effective against tuberculosis?",
        "What is the evidence for dark matter from galaxy rotation curves?",
    ],
)
def test_uncovered_topics_abstain_with_suggestions(seeded_service: ResearchService, question: str) -> None:
    answer = seeded_service.ask(question)
    assert answer.abstained and answer.route == "papers"
    assert answer.answer == "I couldn't find this in Igor Mordatch's papers."
    assert answer.citations == [] and len(answer.suggestions) == 3


@pytest.mark.parametrize(
    "question",
    [
        "What did he publish on music generation?",
        "What results were reported on optical character recognition of handwriting?",
        "What did they find about sentiment analysis of tweets?",
    ],
)
def test_near_topic_uncovered_questions_abstain(seeded_service: ResearchService, question: str) -> None:
    """Machine-learning topics the papers never study: an answer here would quote a loosely related sentence."""
    answer = seeded_service.ask(question)
    assert answer.abstained and answer.citations == []


@pytest.mark.parametrize(
    ("question", "title_start"),
    [
        ("household chore plans written by GPT-3 without extra training", "Language Models as Zero-Shot Planners"),
        ("a large online survival game where thousands of learning agents compete for food and water", "Neural MMO"),
        ("composing images with several attributes at once by adding up energy functions", "Unsupervised Learning"),
    ],
)
def test_paraphrases_without_title_words_still_answer(
    seeded_service: ResearchService, question: str, title_start: str
) -> None:
    """The weakest covered evidence on the dev set: a stricter abstention signal must not silence these."""
    answer = seeded_service.ask(question)
    assert not answer.abstained
    assert answer.citations[0].title.startswith(title_start)


@pytest.mark.parametrize("question", ["", "   \n\t", "x" * 501, "why? " * 2_000])
def test_invalid_questions_are_refused(seeded_service: ResearchService, question: str) -> None:
    with pytest.raises(InvalidQuestionError):
        seeded_service.ask(question)


def test_the_question_text_is_kept(seeded_service: ResearchService) -> None:
    question = "What is **UniMat** <@123> about?"
    assert seeded_service.ask(question).question == question


# --- the optional LLM branch ---


@pytest.fixture
def llm_service(seeded_service: ResearchService) -> ResearchService:
    settings = seeded_service.settings.model_copy(update={"llm": "fake:model", "llm_timeout": 5.0})
    return ResearchService(settings, store=seeded_service.store)


def answering_with(monkeypatch: pytest.MonkeyPatch, model: GenericFakeChatModel) -> None:
    real = llm.llm_answer
    monkeypatch.setattr(
        llm, "llm_answer", lambda question, sources, settings: real(question, sources, settings, model=model)
    )


def test_llm_answers_keep_only_real_sources(llm_service: ResearchService, monkeypatch) -> None:
    reply = "RT-2 expresses robot actions as text tokens [1]. It was also trained on Mars [7]."
    answering_with(monkeypatch, GenericFakeChatModel(messages=iter([AIMessage(content=reply)])))
    answer = llm_service.ask("How does RT-2 turn robot actions into something a language model can output?")
    assert not answer.abstained
    assert "[7]" not in answer.answer  # the guard removed the citation of a source that does not exist
    assert [c.n for c in answer.citations] == [1] and answer.citations[0].title.startswith("RT-2")


class FailingChatModel(GenericFakeChatModel):
    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        raise ConnectionError("provider unreachable")


def test_an_unavailable_llm_falls_back_to_the_extractive_answer(
    llm_service: ResearchService, seeded_service: ResearchService, monkeypatch
) -> None:
    answering_with(monkeypatch, FailingChatModel(messages=iter([])))
    question = "How does RT-2 turn robot actions into something a language model can output?"
    answer = llm_service.ask(question)
    assert answer.warnings == ["LLM unavailable; extractive answer"]
    assert answer.answer == seeded_service.ask(question).answer


def test_an_llm_answer_citing_nothing_is_replaced_by_the_extractive_one(
    llm_service: ResearchService, seeded_service: ResearchService, monkeypatch
) -> None:
    reply = "RT-2 was trained on 12 billion Martian robot demonstrations."
    answering_with(monkeypatch, GenericFakeChatModel(messages=iter([AIMessage(content=reply)])))
    question = "How does RT-2 turn robot actions into something a language model can output?"
    answer = llm_service.ask(question)
    assert answer.answer == seeded_service.ask(question).answer
    assert answer.warnings[-1] == "The LLM's answer cited no source; extractive answer shown"


def test_abstentions_never_reach_the_llm(llm_service: ResearchService, monkeypatch) -> None:
    monkeypatch.setattr(llm, "llm_answer", lambda *args: pytest.fail("the LLM was called"))
    assert llm_service.ask("What is the best recipe for sourdough bread?").abstained


@pytest.mark.parametrize(
    ("question", "title_start"),
    [("What success rate did RT-1 reach?", "RT-1:"), ("What is Brax?", "Brax --"), ("What did VeLO find?", "VeLO:")],
)
def test_a_question_naming_a_paper_is_answered_from_that_paper_only(
    seeded_service: ResearchService, question: str, title_start: str
) -> None:
    answer = seeded_service.ask(question)
    assert not answer.abstained
    assert [c.title[: len(title_start)] for c in answer.citations] == [title_start]
    assert set(re.findall(r"\[(\d+)\]", answer.answer)) == {"1"}
