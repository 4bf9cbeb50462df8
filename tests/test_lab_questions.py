"""`ask --profile all`: one question over every profile, each cited paper attributed to its researcher."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from retrieval.errors import UserFacingError
from retrieval.service import ResearchService
from tests.test_search import PROFILE


@pytest.fixture
def lab(fresh_service: ResearchService) -> ResearchService:
    fresh_service.ingest()  # the bundled profile (Igor Mordatch)
    fresh_service.ingest_text(PROFILE.encode(), "ada.txt")
    return fresh_service


def test_a_lab_question_cites_papers_of_several_researchers_with_their_names(lab: ResearchService) -> None:
    answer = lab.ask("Who works on planning for robots?", profile="all")
    researchers = {citation.researcher for citation in answer.citations}
    assert not answer.abstained
    assert researchers >= {"Ada Example", "Igor Mordatch"}
    ada_papers = {paper.id for paper in lab.papers() if paper.profile == "ada-example"}
    for citation in answer.citations:
        assert (citation.researcher == "Ada Example") == (citation.id in ada_papers)


def test_one_profile_answers_stay_within_it_and_unattributed(lab: ResearchService) -> None:
    answer = lab.ask("What is the zorblat?", profile="Ada Example")
    assert [citation.title for citation in answer.citations][:1] == ["Zorblat Networks for Tiny Planning"]
    assert all(citation.researcher is None for citation in answer.citations)
    mordatch = lab.ask("What is the zorblat?", profile="igor-mordatch")
    assert "Zorblat Networks for Tiny Planning" not in [citation.title for citation in mordatch.citations]


def test_a_question_naming_no_profile_asks_every_profile_when_there_are_several(lab: ResearchService) -> None:
    answer = lab.ask("Who works on planning for robots?")
    assert {citation.researcher for citation in answer.citations} >= {"Ada Example", "Igor Mordatch"}
    with pytest.raises(UserFacingError, match="per researcher"):
        lab.ask("What is the h-index?")  # metrics need one researcher: the message says so


def test_a_default_profile_keeps_questions_to_it(lab: ResearchService) -> None:
    lab.settings.default_profile = "ada-example"
    answer = lab.ask("Who works on planning for robots?")
    assert answer.citations and all(citation.researcher is None for citation in answer.citations)
    assert {citation.id for citation in answer.citations} <= {p.id for p in lab.papers() if p.profile == "ada-example"}


def test_metrics_over_every_profile_ask_for_one(lab: ResearchService) -> None:
    with pytest.raises(UserFacingError, match="per researcher"):
        lab.ask("What is the h-index?", profile="all")


def test_the_cli_takes_profile_all(lab: ResearchService) -> None:
    env = {"RESEARCH_BOT_CHROMA_PATH": str(lab.settings.chroma_path), "PATH": "", "HOME": "/nonexistent"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--profile", "all", "newest papers on tiny robots"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    citations = json.loads(result.stdout)["citations"]
    assert citations and {"researcher"} <= set(citations[0])
    assert "Ada Example" in {citation["researcher"] for citation in citations}
