"""`research-bot` as a user runs it: a real subprocess, a real store on disk, the documented JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_PROFILE

PAPER_KEYS = {"id", "title", "date", "year", "category", "has_code", "authors", "affiliations", "abstract", "profile"}
PAPER_KEYS |= {"cited_by", "url"}  # null for a profile file; set by a source (OpenAlex, arXiv)


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("cli")
    env = {key: value for key, value in os.environ.items() if not key.startswith("RESEARCH_BOT_")}
    env["RESEARCH_BOT_CHROMA_PATH"] = str(home / "chroma")
    return env


def run_cli(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=300, cwd=cwd
    )


def test_first_command_ingests_then_papers_json_is_exact(cli_env: dict[str, str], tmp_path: Path) -> None:
    # the first command on an empty store ingests data/profiles and says so on stderr
    result = run_cli(cli_env, "papers", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "store is empty; ingesting" in result.stderr
    papers = json.loads(result.stdout)
    assert len(papers) == 50
    assert all(set(paper) == PAPER_KEYS for paper in papers)
    velo = next(paper for paper in papers if paper["title"].startswith("VeLO"))
    assert velo["date"] == "2022-11-17" and velo["year"] == 2022 and velo["has_code"] is True
    assert velo["authors"] == ["Luke Metz", "James Harrison", "C. Daniel Freeman"]
    assert velo["affiliations"] == ["anthropic", "deepmind"] and velo["profile"] == "igor-mordatch"

    filtered = json.loads(run_cli(cli_env, "papers", "--json", "--year", "2021", "--code").stdout)
    assert {(p["year"], p["has_code"]) for p in filtered} == {(2021, True)} and len(filtered) == 2


def test_ingest_without_a_terminal_prints_progress_lines(cli_env: dict[str, str], tmp_path: Path) -> None:
    env = {**cli_env, "RESEARCH_BOT_CHROMA_PATH": str(tmp_path / "chroma")}
    result = run_cli(env, "ingest")  # stderr is a pipe here, as under systemd or CI
    assert result.returncode == 0, result.stderr
    assert "embedded 50/50 papers" in result.stderr


def test_second_ingest_changes_nothing(cli_env: dict[str, str]) -> None:
    run_cli(cli_env, "ingest")
    result = run_cli(cli_env, "ingest", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["added"], report["updated"], report["unchanged"], report["snapshots_added"]) == (0, 0, 50, 0)


def test_metrics_json(cli_env: dict[str, str]) -> None:
    result = run_cli(cli_env, "metrics", "--json", "--profile", "Igor Mordatch")
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)
    expected = {
        "profile": "igor-mordatch",
        "h_index": 117,
        "citations": 35895,
        "papers_claimed": 67,
        "papers_listed": 50,
        "novelty": 56,
        "ai_score": 48,
        "with_code": 5,
        "first_date": "2017-09-13",
        "last_date": "2025-09-18",
    }
    assert {key: metrics[key] for key in expected} == expected
    assert metrics["by_year"] == {"2017": 1, "2020": 9, "2021": 9, "2022": 14, "2023": 10, "2024": 4, "2025": 3}
    assert sum(metrics["by_category"].values()) == 50 and metrics["by_category"]["MES-HALL"] == 1
    assert metrics["affiliations"]["deepmind"] == 8
    assert len(metrics["snapshots"]) == 1 and metrics["snapshots"][0]["h_index"] == 117


def test_profiles_json(cli_env: dict[str, str]) -> None:
    profiles = json.loads(run_cli(cli_env, "profiles", "--json").stdout)
    assert [(p["id"], p["name"], p["papers_listed"], p["papers_claimed"]) for p in profiles] == [
        ("igor-mordatch", "Igor Mordatch", 50, 67)
    ]


def test_malformed_file_exits_2_with_its_line_and_changes_nothing(cli_env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(SEED_PROFILE.read_text().replace("ROJul 28, 2023", "ROJul 28, 20x3"))
    before = run_cli(cli_env, "papers", "--json").stdout
    result = run_cli(cli_env, "ingest", str(bad))
    assert result.returncode == 2
    line = SEED_PROFILE.read_text().splitlines().index("ROJul 28, 2023") + 1
    assert f"bad.txt:{line}: expected" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_cli(cli_env, "papers", "--json").stdout == before


def test_unknown_profile_exits_2(cli_env: dict[str, str]) -> None:
    result = run_cli(cli_env, "metrics", "--profile", "nobody")
    assert result.returncode == 2 and "No profile named 'nobody'" in result.stderr


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("research-bot")
    assert script.exists()
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "ingest" in result.stdout


def test_papers_and_metrics_do_not_load_the_embedding_model(cli_env: dict[str, str]) -> None:
    run_cli(cli_env, "ingest")  # make sure the store is filled, so no auto-ingest happens
    probe = (
        "import sys, contextlib, io\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['papers', '--json']) == 0 and main(['metrics', '--json']) == 0\n"
        "print('sentence_transformers' in sys.modules, 'torch' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    ("question", "explanation"), [("   ", "the text was empty"), ("q" * 10_000, "10,000 characters")]
)
def test_empty_or_huge_question_gets_a_short_explanation(
    cli_env: dict[str, str], question: str, explanation: str
) -> None:
    result = run_cli(cli_env, "ask", question)
    assert result.returncode == 2
    assert explanation in result.stderr and len(result.stderr) < 300
    assert result.stdout == ""
