"""`research-bot chat`: one conversation over stdin. `--json` prints one line per message with the keys of
`ask --json` plus the conversation's; a REPL on a terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time

import pytest

from retrieval.models import PaperFilter
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT
from tests.test_cli_ask import run_cli

CONVERSATION_KEYS = {"kind", "turn", "followup"}


def chat_env(service: ResearchService) -> dict[str, str]:
    return {**os.environ, "RESEARCH_BOT_CHROMA_PATH": str(service.settings.chroma_path)}


def test_chat_json_follows_up_turn_by_turn(monkeypatch, capsys, seeded_service: ResearchService) -> None:
    """The installed entry point, a real stdin: a filter, references, a bad line, a summary, similar papers, more."""
    messages = [
        "which robotics papers did he write?",
        "what about 2021?",
        "the second one",
        "",
        "compare it with RT-1",
        "summarize the first one",
        "x" * 600,
        "similar to it",
        "more",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--json"],
        input="\n".join(messages) + "\n",
        capture_output=True,
        text=True,
        env=chat_env(seeded_service),
        cwd=PROJECT_ROOT,
        timeout=240,
        check=False,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 2, result.stderr  # bad lines, as `ask -`; the conversation went on
    assert [line["question"] for line in lines] == messages
    listing, in_2021, second, empty, compared, summary, too_long, similar, more = lines
    assert "error" in empty and "error" in too_long and "600" in too_long["error"].replace(",", "")

    _, ask_out, _ = run_cli(monkeypatch, capsys, seeded_service, "ask", "--json", messages[0])
    ask_keys = set(json.loads(ask_out))
    for line in (listing, in_2021, second, compared, summary, similar, more):
        assert set(line) >= ask_keys | CONVERSATION_KEYS
    assert [line["turn"] for line in (listing, in_2021, second, compared, summary, similar, more)] == list(range(1, 8))

    robotics_2021 = seeded_service.papers(PaperFilter(category="RO", year=2021))
    assert listing["followup"] is None and in_2021["followup"]["type"] == "filter"
    assert in_2021["followup"]["changed_filter"] == {"year": 2021}
    assert [c["id"] for c in in_2021["citations"]] == [paper.id for paper in robotics_2021]

    meant = in_2021["citations"][1]
    assert second["followup"]["references"][0]["papers"][0]["id"] == meant["id"]
    assert [c["id"] for c in second["citations"]] == [meant["id"]] and second["followup"]["turn"] == 2
    rt1 = seeded_service.resolve_paper("RT-1")
    assert compared["intent"] == "comparison" and [c["id"] for c in compared["citations"]] == [meant["id"], rt1.id]

    assert summary["kind"] == "summary" and summary["plan"] is None
    assert set(summary["summary"]) == {"paper", "tldr", "key_points", "results"}  # `summary --json`
    assert summary["summary"]["paper"]["id"] == meant["id"]
    assert similar["kind"] == "similar" and similar["similar"]["paper"] == {"id": meant["id"], "title": meant["title"]}
    assert set(similar["similar"]["results"][0]) == {"rank", "id", "title", "year", "score"}  # `similar --json`
    nearest = [hit.paper.id for hit in seeded_service.similar(meant["id"], k=10)]
    assert [r["id"] for r in similar["similar"]["results"]] == nearest[:5]
    assert [r["id"] for r in more["similar"]["results"]] == nearest[5:]
    assert more["followup"]["type"] == "more" and more["followup"]["excluded"] == nearest[:5]


def test_chat_json_names_the_candidates_of_an_unresolved_reference(monkeypatch, capsys, seeded_service) -> None:
    stdin = "summarize it\nwhich papers did Kevin Lu write?\nthe fifth one\nthe third one\n"
    code, out, _ = run_cli(monkeypatch, capsys, seeded_service, "chat", "--json", stdin=stdin)
    nothing, listing, fifth, third = (json.loads(line) for line in out.splitlines())
    assert code == 2 and "no earlier answer" in nothing["error"] and "candidates" not in nothing
    assert [c["id"] for c in fifth["candidates"]] == [c["id"] for c in listing["citations"]]
    assert [c["id"] for c in third["citations"]] == [listing["citations"][2]["id"]]


def test_chat_text_says_what_a_follow_up_refers_to(monkeypatch, capsys, seeded_service) -> None:
    code, out, _ = run_cli(monkeypatch, capsys, seeded_service, "chat", stdin="what is VeLO?\nsummarize it\nexit\n"
                           "what is RT-2?\n")  # fmt: skip
    assert code == 0 and "(following up on: Summary of VeLO)" in out and "TL;DR:" in out
    assert "RT-2" not in out  # `exit` ended the conversation


def read_until(fd: int, wanted: str, timeout: float) -> str:
    text, deadline = "", time.monotonic() + timeout
    while wanted not in text:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            pytest.fail(f"no {wanted!r} within {timeout} s; got {text!r}")
        text += os.read(fd, 65536).decode(errors="replace")
    return text


def test_chat_prompts_on_a_terminal_and_quits_on_exit(seeded_service: ResearchService) -> None:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,  # where input() writes its prompt on a terminal
        env=chat_env(seeded_service),
        cwd=PROJECT_ROOT,
    )
    os.close(terminal)
    try:
        read_until(controller, "you> ", 120)
        os.write(controller, b"what is RT-2?\n")
        read_until(controller, "you> ", 120)
        os.write(controller, b"compare it with RT-1\n")
        assert "(following up on: compare RT-2 with RT-1)" in read_until(controller, "you> ", 120)
        os.write(controller, b"exit\n")
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
        os.close(controller)
