"""Command→reply latency of the real ResearchBot through the local Discord-protocol server.

Run from the project root: python -m benchmarks.bench_bot [--sequential 100] [--concurrent 50] [--followups 45]

Ingests the bundled profile into a temporary store, starts `tests.discord_server.DiscordServer` on
127.0.0.1 (heartbeat interval 500 ms) and the unmodified bot with the real discord.py client, warms the
answer path once, then:
- sends `--sequential` /ask commands one after another (questions from tests/data/dev_questions.jsonl)
  and times injection → acknowledgement (the defer) and injection → the answer follow-up;
- sends `--concurrent` /ask commands at once from different users: all answered? wall time, the
  largest gap between two heartbeats the server received, the heartbeat→ack round trip;
- holds `--followups` two-turn conversations (benchmarks/timing.py's FOLLOW_UPS): a mention, then a reply to its
  answer, each timed from injection to the bot's reply, so a follow-up's latency stands next to a first answer's.
No network: discord.py's REST base and gateway URL are pointed at the local server.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import discord
import yarl

from benchmarks.timing import FOLLOW_UPS, query_cache_reset
from bot.client import ResearchBot
from retrieval.service import ResearchService
from retrieval.settings import PROJECT_ROOT, Settings
from tests.discord_fixtures import run_bot
from tests.discord_server import DEFAULT_GUILD_ID, DiscordServer, InjectedMessage, InteractionHandle, OutgoingMessage

DEV_QUESTIONS = PROJECT_ROOT / "tests" / "data" / "dev_questions.jsonl"
HEARTBEAT_MS = 500


def load_questions() -> list[str]:
    rows = [json.loads(line) for line in DEV_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return list(dict.fromkeys(row["question"] for row in rows if len(row["question"]) <= 500))


def percentile(values: list[float], fraction: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


class BlockedHeartbeatCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "heartbeat blocked" in record.getMessage():
            self.count += 1


async def ask(server: DiscordServer, question: str, **kwargs: object) -> tuple[InteractionHandle, float, float]:
    """One /ask: (handle, ms to the acknowledgement, ms to the answer)."""
    started = time.perf_counter()
    handle = await server.slash_command("ask", {"question": question}, **kwargs)  # type: ignore[arg-type]
    await handle.callback(timeout=60)
    acked = time.perf_counter()
    await handle.response(timeout=300)
    return handle, (acked - started) * 1000, (time.perf_counter() - started) * 1000


async def reply_to(server: DiscordServer, message: InjectedMessage) -> OutgoingMessage:
    def find() -> OutgoingMessage | None:
        return next(
            (r for r in server.outgoing if (r.raw.get("message_reference") or {}).get("message_id") == message.id),
            None,
        )

    return await server.wait_until(find, 300, f"the reply to {message.id}")


async def converse(server: DiscordServer, count: int, reset: Callable[[], None]) -> dict[str, list[float]]:
    """Milliseconds from a user's message to the bot's reply: first answers (a mention) and follow-ups (a reply
    to that answer), overall and per kind of follow-up; `reset` empties the query-vector cache before each."""
    timings: dict[str, list[float]] = {"first answer (mention)": [], "follow-up (reply), all kinds": []}
    for index in range(count):
        first, follow_up, kind = FOLLOW_UPS[index % len(FOLLOW_UPS)]
        reset()
        started = time.perf_counter()
        answer = await reply_to(server, await server.send_message(f"{server.bot_user.mention} {first}"))
        timings["first answer (mention)"].append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.1)  # a user reads the answer (the bot notes which conversation it belongs to)
        reset()
        started = time.perf_counter()
        await reply_to(server, await server.send_message(follow_up, reply_to=answer))
        elapsed = (time.perf_counter() - started) * 1000
        timings["follow-up (reply), all kinds"].append(elapsed)
        timings.setdefault(f"  follow-up: {kind}", []).append(elapsed)
    return timings


def heartbeat_gap(server: DiscordServer, start: float, end: float) -> float:
    """Largest interval (s) between consecutive heartbeats received during [start, end] (edges included)."""
    beats = server.heartbeat_times()
    window = [t for t in beats if t < start][-1:] + [t for t in beats if start <= t <= end]
    following = [t for t in beats if t > end][:1]
    window += following or [end]
    return max(later - earlier for earlier, later in itertools.pairwise(window))


async def run(sequential: int, concurrent: int, followups: int, service: ResearchService, settings: Settings) -> None:
    questions = load_questions()
    server = await DiscordServer(heartbeat_interval_ms=HEARTBEAT_MS, reaction_time=0).start()
    discord.http.Route.BASE = server.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)
    blocked = BlockedHeartbeatCounter()
    logging.getLogger("discord.gateway").addHandler(blocked)
    users = [server.add_member(f"user{n}") for n in range(concurrent)]
    latencies: list[float] = []
    try:
        bot = ResearchBot(settings, service, guild_ready_timeout=0.05)
        async with run_bot(bot, server, timeout=60):
            await ask(server, "What is RT-2?")  # warm-up: answer tools, BM25 index
            acks, replies = [], []
            for question in itertools.islice(itertools.cycle(questions), sequential):
                _, acked_ms, reply_ms = await ask(server, question)
                acks.append(acked_ms)
                replies.append(reply_ms)
                latencies.append(bot.latency)

            await asyncio.sleep(2 * HEARTBEAT_MS / 1000)
            started = time.monotonic()
            burst = await asyncio.gather(
                *(ask(server, q, user=u) for q, u in zip(itertools.cycle(questions), users, strict=False)),
                return_exceptions=True,
            )
            finished = time.monotonic()
            await asyncio.sleep(2 * HEARTBEAT_MS / 1000)
            answered = [result for result in burst if not isinstance(result, BaseException)]
            gap = heartbeat_gap(server, started, finished)
            rtt = bot.latency
            conversations = await converse(server, followups, query_cache_reset(service.store))
    finally:
        logging.getLogger("discord.gateway").removeHandler(blocked)
        await server.stop()

    print(f"\n/ask through the local Discord server ({sequential} sequential, then {concurrent} concurrent)")
    print(f"{'measure':<44}{'p50':>10}{'p95':>10}{'max':>10}")
    for name, values in (
        ("sequential: command → defer ack (ms)", acks),
        ("sequential: command → answer (ms)", replies),
    ):
        print(f"{name:<44}{percentile(values, 0.5):>10.1f}{percentile(values, 0.95):>10.1f}{max(values):>10.1f}")
    burst_replies = [reply_ms for _, _, reply_ms in answered]
    if burst_replies:
        name = f"concurrent: command → answer (ms, n={len(burst_replies)})"
        p50, p95 = percentile(burst_replies, 0.5), percentile(burst_replies, 0.95)
        print(f"{name:<44}{p50:>10.1f}{p95:>10.1f}{max(burst_replies):>10.1f}")
    print(f"\nconcurrent: answered {len(answered)}/{concurrent} in {finished - started:.2f} s wall time")
    print(f"concurrent: largest gap between heartbeats {gap * 1000:.0f} ms (interval {HEARTBEAT_MS} ms)")
    median_rtt = statistics.median(latencies) * 1000
    print(f"heartbeat→ack round trip (bot.latency): {rtt * 1000:.1f} ms after the burst, {median_rtt:.1f} ms median")
    print(f"'heartbeat blocked' warnings: {blocked.count}; server errors: {len(server.errors)}")
    print(f"\nconversations through the local Discord server ({followups} of two turns, one after another)")
    print(f"{'message → reply (ms)':<44}{'p50':>10}{'p95':>10}{'max':>10}{'n':>6}")
    for name, values in conversations.items():
        p95 = percentile(values, 0.95) if len(values) > 1 else values[0]
        print(f"{name:<44}{statistics.median(values):>10.1f}{p95:>10.1f}{max(values):>10.1f}{len(values):>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequential", type=int, default=100)
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--followups", type=int, default=45)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,
            chroma_path=Path(folder) / "chroma",
            discord_guild_ids=[DEFAULT_GUILD_ID],
            cooldown_rate=0,
        )
        service = ResearchService(settings)
        print("ingesting the bundled profile...", flush=True)
        service.ingest()
        asyncio.run(run(args.sequential, args.concurrent, args.followups, service, settings))


if __name__ == "__main__":
    main()
