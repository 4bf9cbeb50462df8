"""Researchers followed from a live source, kept in the SQLite database (retrieval/database.py): which source and
reference each profile was fetched from, when it was added and last refreshed, and when the scheduled refresh last
ran (so a restart neither repeats it early nor forgets it)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from retrieval.database import Database, Migration, timestamp

COMPONENT = "sources"
MIGRATIONS: list[Migration] = [
    """CREATE TABLE followed_researchers (
        profile_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        source TEXT NOT NULL,
        reference TEXT NOT NULL,
        added_at TEXT NOT NULL,
        refreshed_at TEXT NOT NULL
    )""",
    "CREATE TABLE source_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]
LAST_SCHEDULED_RUN = "last_scheduled_refresh"


class FollowedResearcher(BaseModel):
    profile_id: str
    name: str
    source: str  # "openalex" or "arxiv"
    reference: str  # what to fetch again: an OpenAlex author id, an arXiv author name or "ids:<id>,<id>…"
    added_at: dt.datetime
    refreshed_at: dt.datetime


class FollowedResearchers:
    def __init__(self, database: Database) -> None:
        self.database = database

    def _ready(self) -> Database:
        self.database.migrate(COMPONENT, MIGRATIONS)
        return self.database

    def all(self) -> list[FollowedResearcher]:
        rows = self._ready().query("SELECT * FROM followed_researchers ORDER BY name")
        return [FollowedResearcher.model_validate(dict(row)) for row in rows]

    def get(self, profile_id: str) -> FollowedResearcher | None:
        rows = self._ready().query("SELECT * FROM followed_researchers WHERE profile_id = ?", (profile_id,))
        return FollowedResearcher.model_validate(dict(rows[0])) if rows else None

    def record(self, profile_id: str, name: str, source: str, reference: str, now: dt.datetime) -> None:
        """Follow this researcher (or note a refresh of one already followed)."""
        with self._ready().transaction() as connection:
            connection.execute(
                "INSERT INTO followed_researchers VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (profile_id) DO UPDATE SET "
                "name = excluded.name, source = excluded.source, reference = excluded.reference, "
                "refreshed_at = excluded.refreshed_at",
                (profile_id, name, source, reference, timestamp(now), timestamp(now)),
            )

    def forget(self, profile_id: str) -> None:
        with self._ready().transaction() as connection:
            connection.execute("DELETE FROM followed_researchers WHERE profile_id = ?", (profile_id,))

    def last_scheduled_run(self) -> dt.datetime | None:
        rows = self._ready().query("SELECT value FROM source_state WHERE key = ?", (LAST_SCHEDULED_RUN,))
        return dt.datetime.fromisoformat(rows[0]["value"]) if rows else None

    def set_last_scheduled_run(self, moment: dt.datetime) -> None:
        with self._ready().transaction() as connection:
            connection.execute(
                "INSERT INTO source_state VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (LAST_SCHEDULED_RUN, timestamp(moment)),
            )
