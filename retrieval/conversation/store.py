"""Conversations in memory, bounded three ways: turns per conversation, idle time, conversations kept.
A restart forgets them: they are context, not data."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from retrieval.conversation.models import Conversation, Turn
from retrieval.settings import Settings


class ConversationStore:
    """Thread-safe. Keys are opaque strings (a thread id, a reply chain's first message id, "cli")."""

    def __init__(
        self,
        *,
        max_turns: int = 10,
        idle_seconds: float = 1800.0,
        max_conversations: int = 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_turns = max_turns
        self.idle_seconds = idle_seconds
        self.max_conversations = max_conversations
        self._clock = clock
        self._lock = threading.Lock()
        # least recently active first: both expiry and eviction pop from the front
        self._conversations: OrderedDict[str, Conversation] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: Settings, clock: Callable[[], float] = time.monotonic) -> ConversationStore:
        return cls(
            max_turns=settings.conversation_max_turns,
            idle_seconds=settings.conversation_idle_seconds,
            max_conversations=settings.conversation_cache_size,
            clock=clock,
        )

    def get(self, key: str) -> Conversation | None:
        """The conversation under `key`, or None when there is none or it has been idle too long."""
        with self._lock:
            self._drop_expired()
            return self._conversations.get(key)

    def record(self, key: str, turn: Turn) -> Turn:
        """Append `turn` (numbered here) as the conversation's latest; returns it numbered."""
        with self._lock:
            self._drop_expired()
            previous = self._conversations.pop(key, None)
            turns = previous.turns if previous else ()
            numbered = turn.model_copy(update={"number": turns[-1].number + 1 if turns else 1})
            kept = (*turns, numbered)[-self.max_turns :]
            self._conversations[key] = Conversation(key=key, turns=kept, last_active=self._clock())
            while len(self._conversations) > self.max_conversations:
                self._conversations.popitem(last=False)
            return numbered

    def __len__(self) -> int:
        with self._lock:
            self._drop_expired()
            return len(self._conversations)

    def _drop_expired(self) -> None:
        deadline = self._clock() - self.idle_seconds
        while self._conversations:
            oldest = next(iter(self._conversations.values()))
            if oldest.last_active > deadline:
                break
            self._conversations.popitem(last=False)
