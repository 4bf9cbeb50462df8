"""The SQLite store behind feedback and guild settings: real files, real threads and processes."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.guild_settings import GuildSettingsStore
from retrieval.database import Database, DatabaseVersionError
from retrieval.feedback import FeedbackStore, development_questions
from retrieval.feedback.store import MAX_REASON_CHARS, MIGRATIONS
from retrieval.models import Answer, Citation
from tests.conftest import make_settings

GUILD, CHANNEL, USER = 1_100_000_000_000_000_100, 1_100_000_000_000_000_101, 1_100_000_000_000_000_302


def answer(question: str = "What is RT-2?", intent: str = "definition", cited: tuple[str, ...] = ("p:1",)) -> Answer:
    citations = [Citation(n=n, id=pid, title=f"Paper {pid}", year=2023, authors=["A. Author"]) for n, pid in
                 enumerate(cited, 1)]  # fmt: skip
    return Answer(
        question=question,
        answer="RT-2 is a vision-language-action model [1].",
        abstained=False,
        route="papers",
        citations=citations,
        intent=intent,
        plan={"intent": intent, "papers": list(cited)},
    )


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(Database(tmp_path / "bot.sqlite3"))


def test_a_vote_is_kept_with_its_answer_and_a_hashed_voter(store: FeedbackStore) -> None:
    answer_id = store.record_answer(answer(), guild_id=GUILD, channel_id=CHANNEL)
    assert store.vote(answer_id, USER, -1, message_id=7).status == "recorded"
    assert store.set_reason(answer_id, USER, "  cited   the wrong paper ")
    [entry] = store.entries()
    assert (entry.vote, entry.reason, entry.question, entry.intent) == (
        -1,
        "cited the wrong paper",
        "What is RT-2?",
        "definition",
    )
    assert entry.plan == {"intent": "definition", "papers": ["p:1"]}
    assert [c["id"] for c in entry.citations] == ["p:1"]
    assert (entry.guild_id, entry.channel_id, entry.message_id) == (str(GUILD), str(CHANNEL), "7")
    assert str(USER) not in entry.voter and entry.voter != hashlib.sha256(str(USER).encode()).hexdigest()
    assert entry.voter == store.voter_hash(USER) != store.voter_hash(USER + 1)


def test_a_voter_counts_once_per_answer(store: FeedbackStore) -> None:
    answer_id = store.record_answer(answer(), guild_id=GUILD, channel_id=CHANNEL)
    assert store.vote(answer_id, 1, 1).status == "recorded"
    assert store.vote(answer_id, 1, 1).status == "unchanged"
    assert store.set_reason(answer_id, 1, "fine")
    changed = store.vote(answer_id, 1, -1)
    assert changed.status == "changed"
    again = store.vote(answer_id, 1, -1)
    assert (again.status, again.reason) == ("unchanged", None)  # the 👍's reason went with it
    assert store.vote(answer_id, 2, 1).status == "recorded"
    assert sorted(entry.vote for entry in store.entries()) == [-1, 1]
    assert store.vote("no-such-answer", 1, 1).status == "unknown_answer"
    assert not store.set_reason(answer_id, 3, "never voted")


def test_reasons_are_cut_to_their_limit(store: FeedbackStore) -> None:
    answer_id = store.record_answer(answer(), guild_id=None, channel_id=None)
    store.vote(answer_id, 1, -1)
    store.set_reason(answer_id, 1, "x" * 1000)
    assert len(store.entries()[0].reason or "") == MAX_REASON_CHARS


def test_salts_differ_between_installs(tmp_path: Path) -> None:
    one = FeedbackStore(Database(tmp_path / "one.sqlite3"))
    other = FeedbackStore(Database(tmp_path / "other.sqlite3"))
    reopened = FeedbackStore(Database(tmp_path / "one.sqlite3"))
    assert one.voter_hash(42) != other.voter_hash(42)
    assert one.voter_hash(42) == reopened.voter_hash(42)


def test_filters_and_counts(store: FeedbackStore) -> None:
    rt2 = store.record_answer(answer(), guild_id=GUILD, channel_id=CHANNEL)
    listing = store.record_answer(answer("papers with code?", "listing"), guild_id=GUILD, channel_id=CHANNEL)
    elsewhere = store.record_answer(answer("anything on drones?", "lookup"), guild_id=99, channel_id=98)
    store.vote(rt2, 1, 1)
    store.vote(rt2, 2, -1)
    cutoff = dt.datetime.now(dt.UTC)
    store.vote(listing, 1, -1)
    store.vote(elsewhere, 1, -1)
    assert [e.question for e in store.entries(since=cutoff)] == ["papers with code?", "anything on drones?"]
    assert [e.question for e in store.entries(negative_only=True, guild_id=GUILD, newest_first=True)] == [
        "papers with code?",
        "What is RT-2?",
    ]
    counts = store.counts(guild_id=GUILD)
    assert (counts.up, counts.down) == (1, 2)
    assert {intent: (c.up, c.down) for intent, c in counts.by_intent.items()} == {
        "definition": (1, 1),
        "listing": (0, 1),
    }


def test_unrated_answers_are_forgotten_after_the_retention(store: FeedbackStore) -> None:
    rated = store.record_answer(answer(), guild_id=GUILD, channel_id=CHANNEL)
    unrated = store.record_answer(answer("old?"), guild_id=GUILD, channel_id=CHANNEL)
    store.vote(rated, 1, 1)
    long_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=100)).isoformat(timespec="microseconds")
    with store.database.transaction() as connection:
        connection.execute("UPDATE answers SET created_at = ?", (long_ago,))
    assert store.prune_unrated_answers(0) == 0
    assert store.prune_unrated_answers(90) == 1
    assert store.vote(unrated, 1, 1).status == "unknown_answer"
    assert store.vote(rated, 2, 1).status == "recorded"


def test_fifty_threads_voting_at_once_are_all_stored(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    answer_id = FeedbackStore(Database(path)).record_answer(answer(), guild_id=GUILD, channel_id=CHANNEL)
    store = FeedbackStore(Database(path))  # one store shared by the threads, as in the bot

    def vote(voter: int) -> str:
        status = store.vote(answer_id, voter, 1 if voter % 2 else -1).status
        store.set_reason(answer_id, voter, f"reason {voter}")
        return status

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(vote, range(50)))
    assert statuses == ["recorded"] * 50
    entries = store.entries()
    assert len(entries) == 50 and {e.reason for e in entries} == {f"reason {v}" for v in range(50)}
    assert {e.voter for e in entries} == {store.voter_hash(v) for v in range(50)}


VOTER_PROCESS = """
import sys
import threading
from pathlib import Path
from retrieval.database import Database
from retrieval.feedback import FeedbackStore
path, answer_id, first = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = FeedbackStore(Database(Path(path)))
for voter in range(first, first + 25):
    assert store.vote(answer_id, voter, -1).status == "recorded"
"""


def test_processes_voting_at_once_are_all_stored(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = FeedbackStore(Database(path))
    answer_id = store.record_answer(answer(), guild_id=GUILD, channel_id=CHANNEL)
    workers = [
        subprocess.Popen([sys.executable, "-c", VOTER_PROCESS, str(path), answer_id, str(first)])
        for first in (0, 100, 200, 300)
    ]
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0, 0, 0]
    assert len(store.entries(negative_only=True)) == 100


def test_migrations_run_once_and_refuse_a_newer_database(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    FeedbackStore(Database(path)).record_answer(answer(), guild_id=None, channel_id=None)
    FeedbackStore(Database(path)).migrate()  # a second process: nothing to do, nothing lost
    assert len(Database(path).query("SELECT * FROM answers")) == 1
    assert Database(path).query("PRAGMA journal_mode")[0][0] == "wal"
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE schema_version SET version = ? WHERE component = 'feedback'", (len(MIGRATIONS) + 1,))
    with pytest.raises(DatabaseVersionError, match="newer research-bot"):
        FeedbackStore(Database(path)).migrate()


def test_a_failed_write_leaves_nothing_behind(store: FeedbackStore) -> None:
    store.migrate()
    with pytest.raises(sqlite3.IntegrityError), store.database.transaction() as connection:
        connection.execute(
            "INSERT INTO answers (id, question, answer, abstained, citations, created_at)"
            " VALUES ('a', 'q', 'x', 0, '[]', 't')"
        )
        connection.execute(
            "INSERT INTO feedback (answer_id, voter, vote, created_at, updated_at) VALUES ('a', 'v', 5, 't', 't')"
        )
    assert store.database.query("SELECT count(*) FROM answers")[0][0] == 0


def test_guild_settings_override_the_bot_defaults(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "chroma", cooldown_rate=5, cooldown_seconds=30, default_profile=None)
    store = GuildSettingsStore(Database(settings.database_file))
    assert store.preferences(GUILD, settings).customized == frozenset()
    store.update(GUILD, {"default_profile": "ada-lovelace", "cooldown_rate": 0, "thread_mode": True})
    reopened = GuildSettingsStore(Database(settings.database_file)).preferences(GUILD, settings)
    assert (reopened.default_profile, reopened.cooldown_rate, reopened.cooldown_seconds) == ("ada-lovelace", 0, 30)
    assert (reopened.thread_mode, reopened.answer_without_mention) == (True, True)
    assert store.preferences(GUILD + 1, settings).default_profile is None  # another guild: untouched
    store.update(GUILD, {"default_profile": None})
    assert store.preferences(GUILD, settings).customized == {"cooldown_rate", "thread_mode"}
    store.reset(GUILD)
    assert store.preferences(GUILD, settings).customized == frozenset()
    assert settings.database_file == tmp_path / "research-bot.sqlite3"


def test_development_questions_follow_the_answer_questions_format(store: FeedbackStore) -> None:
    rt2 = store.record_answer(answer(), guild_id=GUILD, channel_id=CHANNEL)
    same_again = store.record_answer(answer("what is  rt-2?"), guild_id=GUILD, channel_id=CHANNEL)
    listing = store.record_answer(
        answer("papers with code?", "listing", ("p:1", "p:2")), guild_id=None, channel_id=None
    )
    store.vote(rt2, 1, 1)
    store.vote(same_again, 2, -1)
    store.set_reason(same_again, 2, "missed the year")
    store.vote(listing, 1, -1)
    rows = development_questions(store.entries())
    assert [row["question"] for row in rows] == ["What is RT-2?", "papers with code?"]
    first, second = rows
    assert set(first) >= {"question", "intent", "half", "expected"}
    assert (first["intent"], first["half"], first["expected"]) == ("definition", "feedback", {"papers": []})
    assert (first["feedback"]["up"], first["feedback"]["down"], first["feedback"]["reasons"]) == (
        1,
        1,
        ["missed the year"],
    )
    assert (second["expected"], second["feedback"]["cited"]) == ({"filters": {}}, ["p:1", "p:2"])


def test_connections_opening_a_new_file_at_once_wait_for_each_other(tmp_path: Path) -> None:
    """Two bots starting at once: the switch of a new file to WAL answered "database is locked" to one of them
    (about 1 start in 10 with six openers here, before the retry)."""
    for trial in range(20):
        path = tmp_path / f"shared-{trial}.sqlite3"
        barrier = threading.Barrier(6)

        def open_and_write(path: Path = path, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            with Database(path, busy_timeout=10).transaction() as connection:
                connection.execute("CREATE TABLE IF NOT EXISTS t (x)")

        with ThreadPoolExecutor(6) as pool:
            for future in [pool.submit(open_and_write) for _ in range(6)]:
                future.result()  # raises what a thread raised
