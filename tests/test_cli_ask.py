"""`research-bot search` and `ask`: JSON lines for `-` batches, readable text otherwise, exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import bot.cli
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT


def run_cli(monkeypatch, capsys, service: ResearchService, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(bot.cli, "ResearchService", lambda settings: service)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = bot.cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_search_batch_prints_one_ranked_json_line_per_query(monkeypatch, capsys, seeded_service) -> None:
    code, out, _ = run_cli(monkeypatch, capsys, seeded_service, "search", "-k", "3", "-", stdin="UniMat\n\nLatCo\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [line["query"] for line in lines] == ["UniMat", "LatCo"]
    first = lines[0]["results"]
    assert len(first) == 3 and set(first[0]) >= {"id", "title", "score"}
    assert first[0]["title"].startswith("Scalable Diffusion for Materials")
    assert [r["score"] for r in first] == sorted((r["score"] for r in first), reverse=True)


def test_search_modes_and_text_output(monkeypatch, capsys, seeded_service) -> None:
    code, out, _ = run_cli(monkeypatch, capsys, seeded_service, "search", "--mode", "bm25", "-k", "2", "Kalamang")
    assert code == 0 and out.splitlines()[0].endswith("Gemini 1.5: Unlocking multimodal understanding across millions "
                                                       "of tokens of context")  # fmt: skip
    assert len(out.splitlines()) <= 2


def test_ask_batch_prints_one_json_line_per_question(monkeypatch, capsys, seeded_service) -> None:
    questions = "What is the h-index?\nWhich papers did Kevin Lu write?\nHow does CRISPR work?\nWhat is UniMat?\n"
    code, out, _ = run_cli(monkeypatch, capsys, seeded_service, "ask", "-", stdin=questions)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [line["route"] for line in lines] == ["metrics", "authors", "papers", "papers"]
    assert [line["abstained"] for line in lines] == [False, False, True, False]
    assert "117" in lines[0]["answer"]
    assert len(lines[1]["citations"]) == 3
    assert set(lines[3]["citations"][0]) >= {"n", "id", "title", "year"}


def test_ask_batch_reports_a_bad_line_and_goes_on(monkeypatch, capsys, seeded_service) -> None:
    code, out, _ = run_cli(
        monkeypatch, capsys, seeded_service, "ask", "-", stdin="x" * 600 + "\nWhat is the h-index?\n"
    )
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 2 and "error" in lines[0] and "117" in lines[1]["answer"]


def test_ask_text_lists_numbered_sources(monkeypatch, capsys, seeded_service) -> None:
    code, out, _ = run_cli(monkeypatch, capsys, seeded_service, "ask", "How many Atari games can one model play?")
    answer, _, sources = out.partition("\nSources:\n")
    assert code == 0 and "46" in answer and "[1]" in answer
    assert sources.splitlines()[0].startswith("  [1] Multi-Game Decision Transformers · 2022 · Kuang-Huei Lee")


def test_ask_refuses_an_empty_question_with_exit_2(monkeypatch, capsys, seeded_service) -> None:
    code, _, err = run_cli(monkeypatch, capsys, seeded_service, "ask", "   ")
    assert code == 2 and "error:" in err


def test_ask_stdin_end_to_end(seeded_service: ResearchService) -> None:
    """The installed entry point with a real stdin, against the already-ingested test store."""
    env = {**os.environ, "RESEARCH_BOT_CHROMA_PATH": str(seeded_service.settings.chroma_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "-"],
        input="How many citations does he have?\nWhat is LOLA?\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=240,
        check=False,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0, result.stderr
    assert "35,895" in lines[0]["answer"]
    assert lines[1]["citations"][0]["title"] == "Learning with Opponent-Learning Awareness"
