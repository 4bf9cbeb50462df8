"""`research-bot fetch / refresh / remove` as a user runs them: a real subprocess, a real store, the local
OpenAlex and arXiv server of tests/source_servers.py behind RESEARCH_BOT_OPENALEX_URL / ARXIV_URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.source_servers import FakeSources, arxiv_entry, openalex_author
from tests.test_cli import run_cli
from tests.test_sources import SEED, seed_works


@pytest.fixture(scope="module")
def sources() -> Iterator[FakeSources]:
    server = FakeSources()
    server.start()
    server.add_openalex(
        openalex_author("A1", "Igor Mordatch", works=67, citations=35_895, h_index=117, institution="Google DeepMind"),
        seed_works(),
    )
    server.add_openalex(
        openalex_author("A2", "Igor Mordachev", works=4, citations=12, h_index=1, institution="Example Institute"),
        seed_works()[:4],
    )
    server.add_arxiv("Yilun Du", {"2206.00001": arxiv_entry("2206.00001", SEED.papers[3])})
    yield server
    server.stop()


@pytest.fixture
def env(tmp_path: Path, sources: FakeSources) -> dict[str, str]:
    import os

    values = {key: value for key, value in os.environ.items() if not key.startswith("RESEARCH_BOT_")}
    values.update(
        RESEARCH_BOT_CHROMA_PATH=str(tmp_path / "chroma"),
        RESEARCH_BOT_PROFILES_DIR=str(tmp_path / "no-profiles"),
        RESEARCH_BOT_OPENALEX_URL=sources.openalex_url,
        RESEARCH_BOT_ARXIV_URL=sources.arxiv_url,
        RESEARCH_BOT_ARXIV_INTERVAL_SECONDS="0",
    )
    return values


def test_fetch_by_name_then_ask_refresh_and_remove(env: dict[str, str]) -> None:
    ambiguous = run_cli(env, "fetch", "openalex", "Igor Morda", "--json")
    assert ambiguous.returncode == 2
    candidates = json.loads(ambiguous.stdout)
    assert [(c["id"], c["institution"], c["works_count"]) for c in candidates] == [
        ("A1", "Google DeepMind", 67),
        ("A2", "Example Institute", 4),
    ]
    assert "pick one" in ambiguous.stderr and "Example Institute" in ambiguous.stderr

    fetched = run_cli(env, "fetch", "openalex", "Igor Morda", "--pick", "1", "--json")
    assert fetched.returncode == 0, fetched.stderr
    report = json.loads(fetched.stdout)
    assert (report["profile"], report["papers"], report["ingest"]["added"]) == ("igor-mordatch", 50, 50)
    assert "fetched 50/50 works" in fetched.stderr  # progress without a terminal

    answer = json.loads(run_cli(env, "ask", "What is VeLO?", "--profile", "igor-mordatch", "--json").stdout)
    assert answer["citations"][0]["title"].startswith("VeLO")
    metrics = json.loads(run_cli(env, "metrics", "--profile", "igor-mordatch", "--json").stdout)
    assert (metrics["h_index"], metrics["citations"]) == (117, 35_895)
    profiles = json.loads(run_cli(env, "profiles", "--json").stdout)
    assert [(p["id"], p["source"]) for p in profiles] == [("igor-mordatch", "openalex:A1")]

    refreshed = run_cli(env, "refresh", "--all", "--json")
    assert refreshed.returncode == 0, refreshed.stderr
    assert [(r["profile"], r["changes"], r["ingest"]["snapshots_added"]) for r in json.loads(refreshed.stdout)] == [
        ("igor-mordatch", {}, 0)
    ]

    refused = run_cli(env, "remove", "igor-mordatch")  # no terminal, no --yes
    assert refused.returncode == 2 and "--yes" in refused.stderr
    removed = run_cli(env, "remove", "igor-mordatch", "--yes", "--json")
    assert json.loads(removed.stdout) == {"profile": "igor-mordatch", "name": "Igor Mordatch", "papers_removed": 50}


def test_fetch_arxiv_by_author(env: dict[str, str]) -> None:
    result = run_cli(env, "fetch", "arxiv", "Yilun Du")
    assert result.returncode == 0, result.stderr
    assert "Yilun Du (yilun-du) from arxiv Yilun Du: 1 paper" in result.stdout
    papers = json.loads(run_cli(env, "papers", "--profile", "yilun-du", "--json").stdout)
    assert [(p["title"], p["url"]) for p in papers] == [(SEED.papers[3].title, "https://arxiv.org/abs/2206.00001")]


def test_refresh_needs_a_profile_or_all(env: dict[str, str]) -> None:
    result = run_cli(env, "refresh")
    assert result.returncode == 2 and "--all" in result.stderr
