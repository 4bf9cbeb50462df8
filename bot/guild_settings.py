"""Per-guild settings that admins set with /settings, kept in the same SQLite file as the feedback
(retrieval/database.py).

Why in bot/: they configure the Discord adapter (the profile a guild's commands default to, threads, mentions,
cooldowns) and mean nothing to the library or the CLI; only the database machinery is shared. A value a guild
has not set falls back to the bot-wide `Settings`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from retrieval.database import Database, Migration, timestamp
from retrieval.settings import Settings

COMPONENT = "guild_settings"
MIGRATIONS: list[Migration] = [
    # version 1; NULL: the guild has not set it
    """CREATE TABLE guild_settings (
        guild_id INTEGER PRIMARY KEY,
        default_profile TEXT,
        thread_mode INTEGER,
        answer_without_mention INTEGER,
        cooldown_rate INTEGER,
        cooldown_seconds REAL,
        updated_at TEXT NOT NULL
    )""",
]
FIELDS = ("default_profile", "thread_mode", "answer_without_mention", "cooldown_rate", "cooldown_seconds")


class GuildPreferences(BaseModel):
    """What applies in one guild: its own settings over the bot-wide ones."""

    model_config = ConfigDict(frozen=True)

    default_profile: str | None
    thread_mode: bool = False  # an /ask answer opens a thread
    answer_without_mention: bool = True  # in a thread the bot started or was mentioned in
    cooldown_rate: int
    cooldown_seconds: float
    customized: frozenset[str] = frozenset()  # the fields the guild set itself

    @classmethod
    def defaults(cls, settings: Settings) -> GuildPreferences:
        return cls(
            default_profile=settings.default_profile,
            cooldown_rate=settings.cooldown_rate,
            cooldown_seconds=settings.cooldown_seconds,
        )


class GuildSettingsStore:
    """Synchronous; a read is one primary-key lookup that never waits for a writer (WAL), so the event loop may
    make it directly (the per-guild cooldown is computed in discord.py's synchronous cooldown hook)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def migrate(self) -> None:
        """Create or upgrade the tables (once per process; every method does it on first use)."""
        self.database.migrate(COMPONENT, MIGRATIONS)

    def _ready(self) -> Database:
        self.migrate()
        return self.database

    def stored(self, guild_id: int) -> dict[str, Any]:
        """The values this guild set (no row, or NULL: not set)."""
        rows = self._ready().query(f"SELECT {', '.join(FIELDS)} FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return {name: value for name, value in dict(rows[0]).items() if value is not None} if rows else {}

    def preferences(self, guild_id: int | None, settings: Settings) -> GuildPreferences:
        defaults = GuildPreferences.defaults(settings)
        stored = self.stored(guild_id) if guild_id is not None else {}
        if not stored:
            return defaults
        return GuildPreferences.model_validate({**defaults.model_dump(), **stored, "customized": frozenset(stored)})

    def update(self, guild_id: int, changes: dict[str, Any]) -> None:
        """Set the given fields; a value of None puts that field back to the bot-wide default."""
        unknown = set(changes) - set(FIELDS)
        if unknown:
            raise ValueError(f"unknown guild settings: {sorted(unknown)}")
        columns = list(changes)
        assignments = "".join(f", {column} = excluded.{column}" for column in columns)
        with self._ready().transaction() as connection:
            connection.execute(
                f"INSERT INTO guild_settings (guild_id, updated_at{''.join(', ' + c for c in columns)})"
                f" VALUES (?, ?{', ?' * len(columns)})"
                f" ON CONFLICT (guild_id) DO UPDATE SET updated_at = excluded.updated_at{assignments}",
                (guild_id, timestamp(), *changes.values()),
            )

    def reset(self, guild_id: int) -> None:
        with self._ready().transaction() as connection:
            connection.execute("DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,))
