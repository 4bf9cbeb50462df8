"""Feedback on answers, kept: 👍/👎 and an optional reason, stored with the question, the answer, its plan and
citations, where it was asked, when, and who voted (hashed).

Why in retrieval/: these rows are domain data, the raw material for better answers (the CLI exports them as
development questions, retrieval/feedback/questions.py); Discord only supplies opaque ids. The bot records an
*answer record* before it sends each answer and puts that record's id in the vote buttons' custom_id, so a
click works after a restart and there is no moment when a vote could arrive before its answer is known.

A voter is stored as HMAC-SHA256(install salt, user id): the same person is recognised (one vote per answer),
but the ids cannot be read back without the salt, which is generated once, kept in the database, and never
exported or logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

from retrieval.database import Database, Migration, timestamp
from retrieval.models import Answer

COMPONENT = "feedback"
MAX_REASON_CHARS = 300
Vote = Literal[1, -1]
VoteStatus = Literal["recorded", "changed", "unchanged", "unknown_answer"]


def _create_salt(connection: sqlite3.Connection) -> None:
    connection.execute("INSERT INTO install_secret (name, value) VALUES ('voter_salt', ?)", (secrets.token_bytes(32),))


MIGRATIONS: list[Migration] = [
    # version 1
    """CREATE TABLE answers (
        id TEXT PRIMARY KEY,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        intent TEXT,
        abstained INTEGER NOT NULL,
        plan TEXT,
        citations TEXT NOT NULL,
        guild_id INTEGER,
        channel_id INTEGER,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX answers_by_time ON answers (created_at)",
    """CREATE TABLE feedback (
        id INTEGER PRIMARY KEY,
        answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
        voter TEXT NOT NULL,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        reason TEXT,
        message_id INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (answer_id, voter)
    )""",
    "CREATE INDEX feedback_by_time ON feedback (updated_at)",
    "CREATE TABLE install_secret (name TEXT PRIMARY KEY, value BLOB NOT NULL)",
    _create_salt,
]


class FeedbackEntry(BaseModel):
    """One voter's feedback on one answer, with the answer it is about (`feedback --json`: one object each)."""

    id: int
    vote: Vote = Field(description="1 (👍) or -1 (👎).")
    reason: str | None
    voter: str = Field(description="HMAC-SHA256 of the voter's Discord id with this install's salt (hex).")
    created_at: dt.datetime = Field(description="First vote.")
    updated_at: dt.datetime = Field(description="Latest change (vote or reason).")
    question: str
    answer: str
    intent: str | None
    abstained: bool
    plan: dict[str, Any] | None
    citations: list[dict[str, Any]]
    guild_id: str | None = Field(description="Discord snowflakes as strings, as Discord's API writes them.")
    channel_id: str | None
    message_id: str | None
    answer_id: str
    answered_at: dt.datetime


class IntentCounts(BaseModel):
    up: int = 0
    down: int = 0


class FeedbackCounts(BaseModel):
    up: int = 0
    down: int = 0
    by_intent: dict[str, IntentCounts] = Field(default_factory=dict)


@dataclass(frozen=True)
class VoteResult:
    status: VoteStatus
    reason: str | None = None  # the reason already stored, for an unchanged vote


_ENTRY_QUERY = """
    SELECT f.id, f.vote, f.reason, f.voter, f.created_at, f.updated_at, f.message_id, a.question, a.answer,
           a.intent, a.abstained, a.plan, a.citations, a.guild_id, a.channel_id, a.id AS answer_id,
           a.created_at AS answered_at
    FROM feedback f JOIN answers a ON a.id = f.answer_id
"""


def _snowflake(value: int | None) -> str | None:
    return None if value is None else str(value)


def _entry(row: sqlite3.Row) -> FeedbackEntry:
    return FeedbackEntry(
        id=row["id"],
        vote=row["vote"],
        reason=row["reason"],
        voter=row["voter"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        question=row["question"],
        answer=row["answer"],
        intent=row["intent"],
        abstained=bool(row["abstained"]),
        plan=json.loads(row["plan"]) if row["plan"] else None,
        citations=json.loads(row["citations"]),
        guild_id=_snowflake(row["guild_id"]),
        channel_id=_snowflake(row["channel_id"]),
        message_id=_snowflake(row["message_id"]),
        answer_id=row["answer_id"],
        answered_at=row["answered_at"],
    )


def clean_reason(reason: str | None) -> str | None:
    text = " ".join((reason or "").split())[:MAX_REASON_CHARS]
    return text or None


class FeedbackStore:
    """Answer records and the votes on them. Synchronous and thread-safe; the bot calls it through
    `await service.run(...)`."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._salt: bytes | None = None

    def migrate(self) -> None:
        """Create or upgrade the tables (once per process; every method does it on first use)."""
        self.database.migrate(COMPONENT, MIGRATIONS)

    def _ready(self) -> Database:
        self.migrate()
        return self.database

    def voter_hash(self, user_id: int) -> str:
        if self._salt is None:
            [row] = self._ready().query("SELECT value FROM install_secret WHERE name = 'voter_salt'")
            self._salt = bytes(row[0])
        return hmac.new(self._salt, str(user_id).encode(), hashlib.sha256).hexdigest()

    # --- writing ---

    def record_answer(self, answer: Answer, *, guild_id: int | None, channel_id: int | None) -> str:
        """Keep what was answered; returns the record's id, which the vote buttons carry."""
        answer_id = secrets.token_urlsafe(9)  # 12 characters; random, so a reset database never reuses one
        citations = [citation.model_dump(mode="json") for citation in answer.citations or answer.suggestions]
        with self._ready().transaction() as connection:
            connection.execute(
                "INSERT INTO answers (id, question, answer, intent, abstained, plan, citations, guild_id, channel_id,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    answer.question,
                    answer.answer,
                    answer.intent,
                    int(answer.abstained),
                    json.dumps(answer.plan) if answer.plan is not None else None,
                    json.dumps(citations),
                    guild_id,
                    channel_id,
                    timestamp(),
                ),
            )
        return answer_id

    def vote(self, answer_id: str, voter_id: int, vote: Vote, *, message_id: int | None = None) -> VoteResult:
        """One vote per voter and answer: a first vote is recorded, the opposite vote replaces it (and drops its
        reason), the same vote again changes nothing."""
        voter = self.voter_hash(voter_id)
        with self._ready().transaction() as connection:
            if connection.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone() is None:
                return VoteResult("unknown_answer")
            previous = connection.execute(
                "SELECT vote, reason FROM feedback WHERE answer_id = ? AND voter = ?", (answer_id, voter)
            ).fetchone()
            moment = timestamp()
            if previous is None:
                connection.execute(
                    "INSERT INTO feedback (answer_id, voter, vote, message_id, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (answer_id, voter, vote, message_id, moment, moment),
                )
                return VoteResult("recorded")
            if previous["vote"] == vote:
                return VoteResult("unchanged", previous["reason"])
            connection.execute(
                "UPDATE feedback SET vote = ?, reason = NULL, updated_at = ? WHERE answer_id = ? AND voter = ?",
                (vote, moment, answer_id, voter),
            )
            return VoteResult("changed")

    def set_reason(self, answer_id: str, voter_id: int, reason: str | None) -> bool:
        """The optional reason for a vote already recorded; False if there is no such vote."""
        voter = self.voter_hash(voter_id)
        with self._ready().transaction() as connection:
            cursor = connection.execute(
                "UPDATE feedback SET reason = ?, updated_at = ? WHERE answer_id = ? AND voter = ?",
                (clean_reason(reason), timestamp(), answer_id, voter),
            )
            return cursor.rowcount == 1

    def prune_unrated_answers(self, older_than_days: int) -> int:
        """Forget answer records nobody voted on after `older_than_days` (0: keep them all); returns how many."""
        if older_than_days <= 0:
            return 0
        cutoff = timestamp(dt.datetime.now(dt.UTC) - dt.timedelta(days=older_than_days))
        with self._ready().transaction() as connection:
            cursor = connection.execute(
                "DELETE FROM answers WHERE created_at < ? AND id NOT IN (SELECT answer_id FROM feedback)", (cutoff,)
            )
            return cursor.rowcount

    # --- reading ---

    def entries(
        self,
        *,
        since: dt.datetime | None = None,
        negative_only: bool = False,
        guild_id: int | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[FeedbackEntry]:
        """Feedback whose latest change is at or after `since`, oldest first unless `newest_first`."""
        conditions, parameters = ["1 = 1"], []
        if since is not None:
            conditions.append("f.updated_at >= ?")
            parameters.append(timestamp(since))
        if negative_only:
            conditions.append("f.vote = -1")
        if guild_id is not None:
            conditions.append("a.guild_id = ?")
            parameters.append(guild_id)
        order = "DESC" if newest_first else "ASC"
        sql = f"{_ENTRY_QUERY} WHERE {' AND '.join(conditions)} ORDER BY f.updated_at {order}, f.id {order}"
        if limit is not None:
            sql += " LIMIT ?"
            parameters.append(limit)
        return [_entry(row) for row in self._ready().query(sql, parameters)]

    def counts(self, *, guild_id: int | None = None) -> FeedbackCounts:
        """👍 and 👎 in all, and per intent of the answers voted on."""
        where, parameters = ("WHERE a.guild_id = ?", [guild_id]) if guild_id is not None else ("", [])
        rows = self._ready().query(
            "SELECT coalesce(a.intent, 'none') AS intent, f.vote, count(*) AS n FROM feedback f"
            f" JOIN answers a ON a.id = f.answer_id {where} GROUP BY 1, 2 ORDER BY 1",
            parameters,
        )
        counts = FeedbackCounts()
        for row in rows:
            per_intent = counts.by_intent.setdefault(row["intent"], IntentCounts())
            if row["vote"] == 1:
                counts.up += row["n"]
                per_intent.up += row["n"]
            else:
                counts.down += row["n"]
                per_intent.down += row["n"]
        return counts
