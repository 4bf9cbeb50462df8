"""Summaries are structured and faithful (every line is a sentence of the abstract); `similar` finds neighbours."""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest
from langchain_core.embeddings import Embeddings

import bot.cli
from retrieval.answers.summary import summarize
from retrieval.ingest.profile_format import parse_profile_bytes
from retrieval.service import ResearchService
from retrieval.text.figures import figure_values
from retrieval.text.latex import render_latex
from retrieval.text.lexical import split_sentences
from tests.conftest import SEED_PROFILE

SEED_PAPERS = parse_profile_bytes(SEED_PROFILE.read_bytes(), SEED_PROFILE.name).papers


class HashEmbeddings(Embeddings):
    """Deterministic, meaningless vectors: enough to exercise selection without loading a model."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = []
        for text in texts:
            digest = hashlib.sha256(text.encode()).digest()
            raw = [byte - 127.5 for byte in digest]
            norm = sum(value * value for value in raw) ** 0.5
            vectors.append([value / norm for value in raw])
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@pytest.mark.parametrize("paper", SEED_PAPERS, ids=[paper.title[:30] for paper in SEED_PAPERS])
def test_every_summary_line_is_an_abstract_sentence(paper) -> None:
    summary = summarize(paper, HashEmbeddings())
    sentences = split_sentences(render_latex(paper.abstract))
    tldr_sentences = split_sentences(summary.tldr)
    assert 1 <= len(tldr_sentences) <= 2
    assert len(summary.key_points) <= 3 and len(summary.results) <= 3
    lines = [*tldr_sentences, *summary.key_points, *summary.results]
    assert all(line in sentences for line in lines), "a summary line was not copied from the abstract"
    assert len(set(lines)) == len(lines), "a sentence appears twice"
    assert not any("$" in line or "\\emph" in line for line in lines)
    title_values = figure_values(paper.title)
    assert all(figure_values(result) - title_values for result in summary.results)


@pytest.mark.parametrize(
    ("query", "figure"),
    [("Composing Ensembles", "7.5%"), ("PaLM-E", "562B"), ("RT-2", "6k"), ("knowledge graph hallucinations", "≤5%")],
)
def test_results_carry_the_reported_figures(seeded_service: ResearchService, query: str, figure: str) -> None:
    summary = seeded_service.summary(query)
    assert any(figure in result for result in summary.results), summary.results


def test_a_summary_without_figures_reports_no_results(seeded_service: ResearchService) -> None:
    summary = seeded_service.summary("VeLO")
    assert summary.results == []
    assert "optimizer" in summary.tldr
    # the contributions, not the background sentence the abstract opens with
    assert not any(point.startswith("While deep learning") for point in summary.key_points)


def test_latex_is_rendered_in_summaries(seeded_service: ResearchService) -> None:
    summary = seeded_service.summary("Multi-Environment Pretraining Enables Transfer")
    text = " ".join([summary.tldr, *summary.key_points, *summary.results])
    assert "\\emph" not in text and "$" not in text
    assert "12 minutes" in text


def test_similar_excludes_the_paper_and_ranks_by_score(seeded_service: ResearchService) -> None:
    hits = seeded_service.similar("Decision Transformer", k=4)
    assert [hit.rank for hit in hits] == [1, 2, 3, 4]
    assert all(not hit.paper.title.startswith("Decision Transformer") for hit in hits)
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert hits[0].paper.title == "Multi-Game Decision Transformers"
    rt1 = seeded_service.similar("RT-1", k=3)
    assert any(hit.paper.title.startswith("RT-2") for hit in rt1)


def run_cli(monkeypatch, capsys, service: ResearchService, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(bot.cli, "ResearchService", lambda settings: service)
    code = bot.cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_summary_json(monkeypatch, capsys, seeded_service: ResearchService) -> None:
    code, out, _ = run_cli(monkeypatch, capsys, seeded_service, "summary", "--json", "palm-e")
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"paper", "tldr", "key_points", "results"}
    assert payload["paper"]["title"].startswith("PaLM-E")
    assert {"authors", "affiliations", "date", "category", "has_code"} <= set(payload["paper"])


def test_cli_summary_text_shows_metadata(monkeypatch, capsys, seeded_service: ResearchService) -> None:
    code, out, _ = run_cli(monkeypatch, capsys, seeded_service, "summary", "VeLO")
    assert code == 0
    assert "TL;DR:" in out and "Key contributions:" in out and "code available" in out
    assert "Luke Metz" in out and "anthropic, deepmind" in out and "2022-11-17" in out


def test_cli_summary_ambiguous_and_unknown_exit_2(monkeypatch, capsys, seeded_service: ResearchService) -> None:
    code, out, err = run_cli(monkeypatch, capsys, seeded_service, "summary", "gemini")
    assert code == 2 and out == ""
    assert "Gemini 1.5" in err and "Gemini 2.5" in err
    code, out, err = run_cli(monkeypatch, capsys, seeded_service, "summary", "quantum chromodynamics")
    assert code == 2 and out == ""
    assert "Closest:" in err and err.count("  - ") == 3


def test_cli_similar_json(monkeypatch, capsys, seeded_service: ResearchService) -> None:
    code, out, _ = run_cli(monkeypatch, capsys, seeded_service, "similar", "--json", "-k", "3", "RT-2")
    assert code == 0
    payload = json.loads(out)
    assert payload["paper"]["title"].startswith("RT-2")
    assert [row["rank"] for row in payload["results"]] == [1, 2, 3]
    assert {"id", "title", "year", "score"} <= set(payload["results"][0])


async def test_concurrent_calls_from_the_event_loop_agree(seeded_service: ResearchService) -> None:
    """The bot fans calls out to worker threads: lazy indexes and the model must survive that."""
    fresh = ResearchService(seeded_service.settings, seeded_service.store)  # nothing built yet
    queries = ["VeLO", "RT-2", "PaLM-E", "Brax"] * 3
    summaries, suggestions, similar = await asyncio.gather(
        asyncio.gather(*(fresh.run(fresh.summary, query) for query in queries)),
        asyncio.gather(*(fresh.run(fresh.suggest_papers, query[:2]) for query in queries)),
        asyncio.gather(*(fresh.run(fresh.similar, query, k=3) for query in queries)),
    )
    for index, query in enumerate(queries):
        assert summaries[index] == seeded_service.summary(query)
        assert suggestions[index] == seeded_service.suggest_papers(query[:2])
        assert similar[index] == seeded_service.similar(query, k=3)
