"""Several processes, one store: a real `chroma run` on 127.0.0.1 shared by two `research-bot run` processes (shards
0 and 1 of 2) against the local Discord server; what one ingests the other answers from at once; the Chroma server
stopped mid-session ("unavailable, try again shortly", nothing crashes) and restarted (answers again by itself).
Also every service call when the server is down, hung or answering 5xx, and the CLI's exit."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import inspect
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from chromadb.api.base_http_client import BaseHTTPClient
from chromadb.errors import InternalError

from retrieval.answers.plan import QueryPlan
from retrieval.errors import StoreUnavailableError
from retrieval.index.chroma_server import unavailability
from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.index.store import PaperStore, make_client
from retrieval.ingest.profile_format import parse_profile_bytes
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT
from tests.bot_fixtures import RUN_WITH_DISCORD_AT, field, only_embed, second_profile
from tests.chroma_fixtures import ChromaServer, free_port
from tests.conftest import SEED_PROFILE, make_settings
from tests.discord_fixtures import ServerFactory
from tests.discord_server import DiscordServer, FakeChannel, FakeMember, InteractionHandle, OutgoingMessage, Upload

ADA = second_profile("Ada Lovelace", papers=3)  # VeLO, RT-2, PaLM-E
GRACE = second_profile("Grace Hopper", papers=3, first=3)  # ..., Grounded Decoding
GRACE_QUESTION = {"question": "What is Grounded Decoding?", "profile": "grace-hopper"}
GROUNDED_DECODING = "Grounded Decoding: Guiding Text Generation with Grounded Models for Embodied Agents"


def server_service(port: int, embeddings: MiniLMEmbeddings, tmp_path: Path, **overrides: Any) -> ResearchService:
    """A service on the Chroma server at `port`, through the real client `make_client` gives (with its timeout)."""
    settings = make_settings(tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=port, **overrides)
    client = make_client(str(settings.chroma_path), settings.chroma_host, settings.chroma_port, settings.chroma_timeout)
    return ResearchService(settings, store=PaperStore(client, embeddings))


# Every public service method, called as the CLI or the bot would; a new method must be added here.
SERVICE_CALLS: dict[str, Callable[[ResearchService], object]] = {
    "ingest": lambda service: service.ingest([SEED_PROFILE]),
    "ingest_text": lambda service: service.ingest_text(GRACE, "grace.txt"),
    "ingest_parsed": lambda service: service.ingest_parsed([parse_profile_bytes(GRACE, "grace.txt")]),
    "remove_profiles": lambda service: service.remove_profiles(["ada-lovelace"]),
    "store_is_empty": lambda service: service.store_is_empty(),
    "ensure_ingested": lambda service: service.ensure_ingested(),
    "profile_ids": lambda service: service.profile_ids(),
    "resolve_profile": lambda service: service.resolve_profile("ada-lovelace"),
    "profile_names": lambda service: service.profile_names(),
    "profiles": lambda service: service.profiles(),
    "papers": lambda service: service.papers(),
    "metrics": lambda service: service.metrics(),
    "metrics_chart": lambda service: service.metrics_chart(),
    "resolve_paper": lambda service: service.resolve_paper("RT-2"),
    "suggest_papers": lambda service: service.suggest_papers("RT"),
    "summary": lambda service: service.summary("RT-2"),
    "similar": lambda service: service.similar("RT-2"),
    "search": lambda service: service.search("robot control"),
    "ask": lambda service: service.ask("What is RT-2?"),
    "plan": lambda service: service.plan("What is RT-2?"),
    "answer_plan": lambda service: service.answer_plan(QueryPlan(question="What is RT-2?", intent="lookup")),
    "asked_profile": lambda service: service.asked_profile(None),
    "converse": lambda service: service.converse("thread-1", "What is RT-2?"),
}


def test_every_public_service_method_is_covered() -> None:
    public = {name for name, _ in inspect.getmembers(ResearchService, inspect.isfunction) if not name.startswith("_")}
    assert public - {"run"} == set(SERVICE_CALLS)  # `run` only hands the others to a thread


def test_every_service_call_says_the_store_is_unavailable_then_recovers(
    tmp_path: Path, embeddings: MiniLMEmbeddings
) -> None:
    with ChromaServer(tmp_path / "chroma") as chroma:
        service = server_service(chroma.port, embeddings, tmp_path)
        service.ingest_text(ADA, "ada.txt")
        before = service.ask("What is RT-2?")  # the client, its collections and the BM25 index are now cached
        assert before.citations
        chroma.stop()
        refused = f"Chroma server 127.0.0.1:{chroma.port}: ConnectError: [Errno 111] Connection refused"
        for name, call in SERVICE_CALLS.items():
            with pytest.raises(StoreUnavailableError) as caught:
                call(service)
            assert str(caught.value) == "The paper store is unavailable right now; try again shortly.", name
            assert caught.value.reason == refused, name
        chroma.start()  # same port, same --path: the same collections, reached by the same client
        assert service.ask("What is RT-2?") == before
        assert service.profile_ids() == ["ada-lovelace"]


def test_a_hung_server_times_out_then_answers_again(tmp_path: Path, embeddings: MiniLMEmbeddings) -> None:
    """SIGSTOP: the kernel still accepts connections, nothing answers. Without a timeout this would wait forever."""
    with ChromaServer(tmp_path / "chroma") as chroma:
        service = server_service(chroma.port, embeddings, tmp_path, chroma_timeout=1.0)
        assert service.store_is_empty()
        chroma.freeze()
        try:
            started = time.monotonic()
            with pytest.raises(StoreUnavailableError) as caught:
                service.profile_ids()
            assert time.monotonic() - started < 5
            assert caught.value.reason == f"Chroma server 127.0.0.1:{chroma.port}: ReadTimeout: timed out"
            with pytest.raises(StoreUnavailableError):  # a new client: its first request (the probe) times out too
                ResearchService(service.settings).profile_ids()
        finally:
            chroma.resume()
        assert service.profile_ids() == []


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (503, "Service Unavailable", "Chroma server 127.0.0.1:9: HTTP 503"),  # e.g. a proxy whose Chroma is down
        (500, '{"error": "InternalError", "message": "compaction failed"}', "InternalError: compaction failed"),
        (404, '{"error": "NotFoundError", "message": "Collection papers does not exist."}', None),
        (400, "Bad Request", None),
    ],
)
def test_server_errors_mean_unavailable_only_when_5xx(status: int, body: str, reason: str | None) -> None:
    """chromadb's own handling of an HTTP error response (a ChromaError from its JSON, else a bare Exception)."""
    response = httpx.Response(status, text=body, request=httpx.Request("GET", "http://127.0.0.1:9/api/v2/x"))
    with pytest.raises(Exception) as caught:  # chromadb raises a bare Exception for some
        BaseHTTPClient._raise_chroma_error(response)
    assert unavailability(caught.value) == reason


def test_an_embedded_stores_internal_error_is_not_an_outage() -> None:
    """At 100k papers one embedded `get` raised InternalError("too many SQL variables"): a bug to report, not
    "try again shortly"."""
    error = InternalError("Error executing plan: too many SQL variables")
    assert unavailability(error, server=False) is None
    assert unavailability(error, server=True) == "InternalError: Error executing plan: too many SQL variables"


def test_a_server_answering_503_is_unavailable(tmp_path: Path) -> None:
    with answering(503) as port:
        settings = make_settings(tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=port)
        with pytest.raises(StoreUnavailableError) as caught:
            ResearchService(settings).papers()
    assert caught.value.reason == f"Chroma server 127.0.0.1:{port}: HTTP 503"


@contextlib.contextmanager
def answering(status: int) -> Iterator[int]:
    """An HTTP server on 127.0.0.1 that answers every request with `status` (what a proxy says for a dead backend)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.server_address[1]
        finally:
            server.shutdown()


def test_cli_exits_1_in_one_line_when_the_store_is_unavailable(tmp_path: Path) -> None:
    """An ingest during an outage fails before writing anything; a batch of questions stops at the outage."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("RESEARCH_BOT_")}
    env |= {
        "PYTHONPATH": str(PROJECT_ROOT),
        "RESEARCH_BOT_CHROMA_HOST": "127.0.0.1",
        "RESEARCH_BOT_CHROMA_PORT": str(port),
    }
    expected = (
        "error: The paper store is unavailable right now; try again shortly. "
        f"(Chroma server 127.0.0.1:{port}: ConnectError: [Errno 111] Connection refused)\n"
    )
    for args, stdin in ((["ingest", str(SEED_PROFILE)], None), (["ask", "-"], "What is RT-2?\nWho is Igor?\n")):
        result = subprocess.run(
            [sys.executable, "-m", "bot", *args], env=env, cwd=tmp_path, input=stdin, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        assert (result.returncode, result.stderr, result.stdout) == (1, expected, ""), args


# --- two bot processes ---------------------------------------------------------------------------------------


class BotProcess:
    """`research-bot run` in a child process, pointed at the local Discord server; its log is read as it comes."""

    def __init__(self, server: DiscordServer, env: dict[str, str], cwd: Path) -> None:
        self.server, self.env, self.cwd = server, env, cwd
        self.lines: list[str] = []
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", RUN_WITH_DISCORD_AT, self.server.api_base, self.server.gateway_url,
            env=self.env, cwd=self.cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        async for line in self.process.stderr:
            self.lines.append(line.decode(errors="replace").rstrip())

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    async def wait_for_line(self, text: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            found = next((line for line in self.lines if text in line), None)
            if found is not None:
                return found
            assert self.process is not None and self.process.returncode is None, f"the bot exited:\n{self.log}"
            assert time.monotonic() < deadline, f"no {text!r} in the log within {timeout} s:\n{self.log}"
            await asyncio.sleep(0.1)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 20)
        if self._reader is not None:
            await asyncio.wait_for(self._reader, 5)


async def reply(
    server: DiscordServer, command: str, options: dict[str, object], channel: FakeChannel, user: FakeMember
) -> OutgoingMessage:
    handle: InteractionHandle = await server.slash_command(command, options, channel=channel, user=user)
    # a process's first question loads the embedding model: 90 s ran out once on 2 cores shared with other jobs
    return await handle.response(timeout=180)


async def test_two_bot_processes_share_one_chroma_server_through_a_restart(
    discord_server_factory: ServerFactory, tmp_path: Path, embeddings: MiniLMEmbeddings
) -> None:
    chroma = ChromaServer(tmp_path / "chroma")
    await asyncio.to_thread(chroma.start)
    bots: list[BotProcess] = []
    try:
        await asyncio.to_thread(server_service(chroma.port, embeddings, tmp_path).ingest_text, ADA, "ada.txt")
        server = await discord_server_factory()
        guild_b = server.guild  # on shard 1 of 2
        guild_a = server.add_guild("Shard Zero", shard=0, shard_count=2)
        channel_a, channel_b = guild_a.channels[0], server.channel
        env = {key: value for key, value in os.environ.items() if not key.startswith("RESEARCH_BOT_")}
        env |= {
            "PYTHONPATH": str(PROJECT_ROOT),
            "DISCORD_TOKEN": server.token,
            "RESEARCH_BOT_CHROMA_HOST": "127.0.0.1",
            "RESEARCH_BOT_CHROMA_PORT": str(chroma.port),
            "RESEARCH_BOT_CHROMA_PATH": str(tmp_path / "unused"),
            "RESEARCH_BOT_SHARD_COUNT": "2",
            "RESEARCH_BOT_COOLDOWN_RATE": "0",
            "XDG_CACHE_HOME": str(tmp_path / "cache"),  # the saved BM25 index of a server store goes there
        }
        bots = [BotProcess(server, env | {"RESEARCH_BOT_SHARD_IDS": str(shard)}, tmp_path) for shard in (0, 1)]
        a, b = bots
        await asyncio.gather(a.start(), b.start())
        ready = await asyncio.gather(a.wait_for_line("logged in as"), b.wait_for_line("logged in as"))
        assert ready[0].endswith("in 1 guild(s), shard(s) 0 of 2") and ready[1].endswith(
            "in 1 guild(s), shard(s) 1 of 2"
        )
        assert sorted(server.identified_shards()) == [[0, 2], [1, 2]]
        assert (server.shard_guilds(0), server.shard_guilds(1)) == ({guild_a.id}, {guild_b.id})
        assert server.requests.count(f"PUT /applications/{server.application_id}/commands") == 1  # by shard 0

        # B does not know Grace Hopper yet (and loads its model on a question from Ada's profile meanwhile)
        unknown = await reply(server, "ask", GRACE_QUESTION, channel_b, server.member)
        assert only_embed(unknown)["description"] == "No profile named 'grace-hopper'. Known profiles: ada-lovelace."
        warm = asyncio.create_task(reply(server, "ask", {"question": "What is RT-2?"}, channel_b, server.member))
        ingested = await reply(server, "ingest", {"file": Upload("grace.txt", GRACE)}, channel_a, server.admin)
        assert "added 3" in only_embed(ingested)["description"]
        assert "RT-2" in field(only_embed(await warm), "Sources")
        # ... and answers from her profile on the very next question: its in-memory index followed the store
        answer = only_embed(await reply(server, "ask", GRACE_QUESTION, channel_b, server.member))
        assert GROUNDED_DECODING in field(answer, "Sources"), answer

        await asyncio.to_thread(chroma.stop)
        down = await reply(server, "ask", GRACE_QUESTION, channel_b, server.member)
        refused = await reply(server, "ingest", {"file": Upload("ada.txt", ADA)}, channel_a, server.admin)
        for message in (down, refused):
            assert message.ephemeral and only_embed(message)["description"] == StoreUnavailableError.MESSAGE
        await b.wait_for_line(f"the paper store is unavailable: Chroma server 127.0.0.1:{chroma.port}: ConnectError")

        await asyncio.to_thread(chroma.start)  # same port and --path; neither process is restarted
        again = only_embed(await reply(server, "ask", GRACE_QUESTION, channel_b, server.member))
        assert GROUNDED_DECODING in field(again, "Sources")
        reingest = await reply(server, "ingest", {"file": Upload("ada.txt", ADA)}, channel_a, server.admin)
        assert "unchanged 3" in only_embed(reingest)["description"]
        for process in bots:
            assert process.process is not None and process.process.returncode is None
    finally:
        await asyncio.gather(*(process.stop() for process in bots))
        await asyncio.to_thread(chroma.stop)
    for process in bots:
        assert "Traceback" not in process.log, process.log
        assert "HTTP Request" not in process.log  # httpx's line per Chroma request is kept out of the log
