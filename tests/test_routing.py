"""Routing and the answers read from metadata: exact metric figures, complete author listings."""

from __future__ import annotations

import pytest

from retrieval.profile_format import parse_profile_file
from retrieval.routing import mentioned_people, route_question
from retrieval.service import ResearchService
from tests.conftest import SEED_PROFILE

PARSED = parse_profile_file(SEED_PROFILE)
AUTHORS = [author for paper in PARSED.papers for author in paper.authors]
OWNER = PARSED.profile.name


@pytest.mark.parametrize(
    ("question", "route", "metric"),
    [
        ("What is Igor Mordatch's h-index?", "metrics", "h_index"),
        ("How often has he been cited? How many citations?", "metrics", "citations"),
        ("How many papers has Igor Mordatch published?", "metrics", "paper_count"),
        ("How many papers were published in 2021?", "metrics", "per_year"),
        ("Which year had the most papers?", "metrics", "peak_year"),
        ("How many papers are in the RO category?", "metrics", "category"),
        ("What share of the papers have code?", "metrics", "code"),
        ("What was his earliest paper?", "metrics", "first_paper"),
        ("Which is the most recent publication?", "metrics", "last_paper"),
        ("Who does he collaborate with most often?", "metrics", "coauthor"),
        ("Which institution appears most often?", "metrics", "affiliation"),
        ("What is the novelty score?", "metrics", "novelty"),
        ("What is the AI score?", "metrics", "ai_score"),
        ("Which papers did Wenlong Huang write?", "authors", None),
        ("What has Shuang Li published with Yilun Du?", "authors", None),
        ("papers by S. K. S. Ghasemipour", "authors", None),
        ("Papers by Jane Unknownperson", "authors", None),
        ("Which papers did Igor Mordatch write?", "authors", None),
        ("In which year was RT-2 published?", "papers", None),
        ("What code is released for LOLA?", "papers", None),
        ("Which papers describe Gemini models?", "papers", None),
        ("How does the robot pick an improvised hammer?", "papers", None),
        ("Which papers did he publish in 2024?", "metrics", "papers_in_year"),
        ("What did Igor Mordatch publish in 2017?", "metrics", "papers_in_year"),
        ("What robotics paper from 2023 uses vision-language models?", "papers", None),
    ],
)
def test_routes(question: str, route: str, metric: str | None) -> None:
    decision = route_question(question, AUTHORS, OWNER)
    assert (decision.route, decision.metric) == (route, metric)


def test_names_are_found_as_typed_and_tolerantly() -> None:
    assert mentioned_people("What did C. Freeman and Yilun Du's group publish?", AUTHORS) == ["C. Freeman", "Yilun Du"]
    assert mentioned_people("Which papers did Gemini models cite?", AUTHORS) == []  # "Gemini Team" needs its surname


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("What is Igor Mordatch's h-index?", "117"),
        ("How many citations does he have?", "35,895"),
        ("How many papers has he published?", "67"),
        ("What is his novelty?", "56%"),
        ("What is his AI score?", "48"),
        ("Which year had the most papers?", "2022"),
        ("What is his earliest paper?", "Learning with Opponent-Learning Awareness"),
        ("Who is his most frequent co-author?", "Yilun Du (10)"),
        ("Which affiliation appears most often?", "deepmind (8)"),
    ],
)
def test_metric_answers_state_the_exact_figure(seeded_service: ResearchService, question: str, figure: str) -> None:
    answer = seeded_service.ask(question)
    assert answer.route == "metrics" and not answer.abstained
    assert figure in answer.answer


def test_counted_metrics_match_the_parsed_file(seeded_service: ResearchService) -> None:
    in_2021 = sum(paper.year == 2021 for paper in PARSED.papers)
    with_code = sum(paper.has_code for paper in PARSED.papers)
    in_ro = sum(paper.category == "RO" for paper in PARSED.papers)
    assert seeded_service.ask("How many papers were published in 2021?").answer.startswith(f"{in_2021} of the 50")
    assert seeded_service.ask("How many papers have code?").answer.startswith(f"{with_code} of the 50")
    assert seeded_service.ask("How many papers are in the RO category?").answer.startswith(f"{in_ro} of the 50")


@pytest.mark.parametrize(
    ("question", "spellings"),
    [
        ("Which papers did Wenlong Huang write?", [{"Wenlong Huang"}]),
        ("Which papers did Joshua Tenenbaum co-author?", [{"Joshua B. Tenenbaum", "Joshua Tenenbaum"}]),
        ("List the papers by D. Freeman", [{"C. Daniel Freeman", "Daniel Freeman"}]),
        ("What has Shuang Li published with Yilun Du?", [{"Shuang Li"}, {"Yilun Du"}]),
    ],
)
def test_author_answers_list_every_paper(
    seeded_service: ResearchService, question: str, spellings: list[set[str]]
) -> None:
    """Expected papers: those listing every person under one of the spellings the file uses for them."""
    expected = [p for p in PARSED.papers if all(names & set(p.authors) for names in spellings)]
    answer = seeded_service.ask(question)
    assert answer.route == "authors"
    assert {c.id for c in answer.citations} == {p.id for p in expected} and len(expected) >= 3
    assert f": {len(expected)}." in answer.answer.splitlines()[0]
    assert all(f"[{c.n}] {c.title}" in answer.answer for c in answer.citations)


def test_the_owner_is_an_author_of_every_listed_paper(seeded_service: ResearchService) -> None:
    answer = seeded_service.ask("Which papers did Igor Mordatch write?")
    assert len(answer.citations) == len(PARSED.papers)


def test_an_unknown_author_has_no_papers(seeded_service: ResearchService) -> None:
    answer = seeded_service.ask("Papers by Jane Unknownperson")
    assert answer.route == "authors" and answer.citations == []
    assert "None of Igor Mordatch's listed papers" in answer.answer


def test_a_year_in_a_topical_question_is_a_retrieval_filter() -> None:
    decision = route_question("What robotics paper from 2023 uses vision-language models?", AUTHORS, OWNER)
    assert (decision.route, decision.year) == ("papers", 2023)


@pytest.mark.parametrize("year", [2017, 2024])
def test_listing_a_year_names_every_paper_of_that_year(seeded_service: ResearchService, year: int) -> None:
    expected = sorted(paper.id for paper in PARSED.papers if paper.year == year)
    answer = seeded_service.ask(f"Which papers did he publish in {year}?")
    assert sorted(c.id for c in answer.citations) == expected
    assert answer.answer.startswith(f"Igor Mordatch's listed papers from {year}: {len(expected)}.")


def test_a_year_with_no_papers_is_said_plainly(seeded_service: ResearchService) -> None:
    answer = seeded_service.ask("Which papers came out in 2019?")
    assert answer.answer == "None of Igor Mordatch's listed papers is from 2019." and answer.citations == []


def test_year_filter_narrows_retrieval(seeded_service: ResearchService) -> None:
    answer = seeded_service.ask("What did the 2021 paper on rigid body simulation present?")
    assert answer.citations and {c.year for c in answer.citations} == {2021}
