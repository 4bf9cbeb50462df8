"""Dates finer than a year (retrieval/answers/dates.py): months, seasons and halves of a year, a named paper used
as a date; and the answers that read them: the newest before a date, named papers ordered by date."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval.answers.dates import month_bounds
from retrieval.answers.plan import PlanContext, plan_question
from retrieval.ingest.profile_format import parse_profile_file
from retrieval.service import ResearchService
from tests.conftest import SEED_PROFILE

PARSED = parse_profile_file(SEED_PROFILE)
CONTEXT = PlanContext.of(PARSED.profile.name, PARSED.papers)
BY_TITLE = {paper.title.split(":")[0]: paper for paper in PARSED.papers}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("papers by the end of May 2023", {"date_to": dt.date(2023, 5, 31)}),
        ("anything before May 2023?", {"date_to": dt.date(2023, 4, 30)}),
        ("since march 2021", {"date_from": dt.date(2021, 3, 1)}),
        ("after Sept 2022", {"date_from": dt.date(2022, 10, 1)}),
        ("the first half of 2022", {"date_from": dt.date(2022, 1, 1), "date_to": dt.date(2022, 6, 30)}),
        ("H2 2020", {"date_from": dt.date(2020, 7, 1), "date_to": dt.date(2020, 12, 31)}),
        ("before summer 2023", {"date_to": dt.date(2023, 5, 31)}),
        # the tightest of two
        ("before summer 2023, i.e. by the end of april 2023", {"date_to": dt.date(2023, 4, 30)}),
        # "may" without a year is the verb
        ("papers that may help in 2023", {}),
    ],
)
def test_months_seasons_and_halves(text: str, expected: dict) -> None:
    consumed: list[tuple[int, int]] = []
    assert month_bounds(text, consumed) == expected
    assert bool(consumed) == bool(expected)


def test_a_month_is_a_filter_and_no_topic() -> None:
    plan = plan_question("which of his papers came out last before summer 2023, i.e. by the end of may 2023?", CONTEXT)
    assert plan.filters.date_to == dt.date(2023, 5, 31)
    assert plan.filters.year is None and not plan.topic


@pytest.mark.parametrize(
    ("question", "named", "bound"),
    [
        ("what was his last language-model paper before the Gemini 1.5 report landed?", "Gemini 1.5", "date_to"),
        ("before RT-2 came out in 2023, what was his newest paper?", "RT-2", "date_to"),
        ("what did he publish right after RT-1 appeared?", "RT-1", "date_from"),
    ],
)
def test_a_named_paper_as_a_date(question: str, named: str, bound: str) -> None:
    plan = plan_question(question, CONTEXT)
    date = BY_TITLE[named].date
    assert getattr(plan.filters, bound) == date + dt.timedelta(days=-1 if bound == "date_to" else 1)
    assert BY_TITLE[named].id not in plan.papers
    assert plan.filters.year is None  # "came out in 2023" dates the paper; it is no year filter
    assert not {"landed", "appeared", "came", "report"} & set(plan.topic.split())


def test_a_named_paper_asked_about_is_no_date() -> None:
    plan = plan_question("what did RT-2 show before fine-tuning?", CONTEXT)
    assert plan.papers == [BY_TITLE["RT-2"].id]
    assert plan.filters.date_to is None


def test_the_newest_before_a_named_paper(seeded_service: ResearchService) -> None:
    answer = seeded_service.ask("what was the newest paper of his before RT-2 came out?")
    rt2 = BY_TITLE["RT-2"]
    older = sorted((paper for paper in PARSED.papers if paper.date < rt2.date), key=lambda paper: paper.date)
    assert answer.intent == "recency"
    assert answer.citations[0].id == older[-1].id
    # the plan reaches --json and the feedback store as JSON: the date as ISO text
    assert answer.plan["filters"]["date_to"] == (rt2.date - dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("question", "newest_first"),
    [
        ("RT-1 or RT-2, which one came out later?", True),
        ("between VeLO and Brax, which was published first?", False),
        ("is RT-2 newer than PaLM-E?", True),  # a paper after "newer than" is compared, not a date bound
        # papers described, not named: each found as a comparison's operand is
        (
            "the two 2020 EBM papers (the continual learning one and improved contrastive divergence), which is older?",
            False,
        ),
        (
            "the semi-supervised one-shot imitation paper and the knowledge-graph hallucination one: which is newer?",
            True,
        ),
    ],
)
def test_named_papers_ordered_by_date(seeded_service: ResearchService, question: str, newest_first: bool) -> None:
    answer = seeded_service.ask(question)
    dates = [next(p.date for p in PARSED.papers if p.id == citation.id) for citation in answer.citations]
    assert answer.intent == "recency" and len(dates) == 2
    assert dates == sorted(dates, reverse=newest_first)


def test_three_papers_named_or_described_are_ordered_by_date(seeded_service: ResearchService) -> None:
    question = (
        "UniMat, the adversarial arithmetic paper and the silicon dopant one: which is the most recent of the three?"
    )
    answer = seeded_service.ask(question)
    titles = [citation.title for citation in answer.citations]
    assert answer.intent == "recency" and len(titles) == 3
    assert titles[0].startswith("Learning and Controlling Silicon Dopant")
    assert any(
        title.startswith("Frontier Language Models are not Robust to Adversarial Arithmetic") for title in titles
    )


def test_still_the_newest_asks_for_the_newest_of_all(seeded_service: ResearchService) -> None:
    answer = seeded_service.ask(
        "is the gemini 2.5 report still the newest thing on his profile, or has something come out since?"
    )
    newest = max(PARSED.papers, key=lambda paper: paper.date)
    assert answer.intent == "recency" and answer.citations[0].id == newest.id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("over the summer of 2022", {"date_from": dt.date(2022, 6, 1), "date_to": dt.date(2022, 8, 31)}),
        ("june-august 2021", {"date_from": dt.date(2021, 6, 1), "date_to": dt.date(2021, 8, 31)}),
        # a bound without its year takes the one year the question names
        ("in 2020, before the summer", {"date_to": dt.date(2020, 5, 31)}),
        ("in 2022 (june to august)", {"date_from": dt.date(2022, 6, 1), "date_to": dt.date(2022, 8, 31)}),
        # with no year, or two, a month alone bounds nothing
        ("anything before the summer?", {}),
        ("from 2020 to 2022, before the summer", {}),
        # a month that starts an open range is no month span
        ("from march 2023 until now", {"date_from": dt.date(2023, 3, 1)}),
        ("from march 2023 on, what came out?", {"date_from": dt.date(2023, 3, 1)}),
        ("anything from march 2023?", {"date_from": dt.date(2023, 3, 1), "date_to": dt.date(2023, 3, 31)}),
    ],
)
def test_months_spans_and_months_in_the_years_named(text: str, expected: dict) -> None:
    assert month_bounds(text, []) == expected


def test_a_paper_newest_when_another_came_out() -> None:
    plan = plan_question("when RT-1 came out, what was his newest paper?", CONTEXT)
    assert plan.filters.date_to == BY_TITLE["RT-1"].date - dt.timedelta(days=1)
    assert BY_TITLE["RT-1"].id not in plan.papers and plan.intent == "recency"
    # what a paper showed when it came out asks about the paper
    assert plan_question("what did RT-1 show when it came out?", CONTEXT).papers == [BY_TITLE["RT-1"].id]


def test_the_latest_paper_within_part_of_a_year_is_no_metric() -> None:
    plan = plan_question("in 2020, before the summer, his latest paper?", CONTEXT)
    assert (plan.intent, plan.metrics, plan.filters.year) == ("recency", [], 2020)


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("which paper of his came out right before the multiagent debate one?", "Improving Factuality"),
        ("the gemini 2.5 report came out in july 2025. which of his papers immediately preceded it?", "Gemini 2.5"),
        (
            "what's the newest paper he had out before the materials generation work started (i.e. before UniMat)?",
            "Scalable Diffusion for Materials",
        ),
    ],
)
def test_the_paper_right_before_a_named_one(seeded_service: ResearchService, question: str, title: str) -> None:
    named = next(paper for paper in PARSED.papers if paper.title.startswith(title))
    answer = seeded_service.ask(question)
    older = max((paper for paper in PARSED.papers if paper.date < named.date), key=lambda paper: paper.date)
    assert answer.intent == "recency" and answer.citations[0].id == older.id
    assert not answer.plan.get("topic")  # "came out", "started", "the materials generation work" restate the date
