"""What a fetch has read so far, on disk: each page is added as it arrives, so a fetch cut off halfway (a crash,
a timeout, Ctrl-C) resumes from its cursor instead of starting over. Nothing reaches the store until every page is
in; then the checkpoint is deleted. Written with `replace_atomically`: a crash mid-write leaves the previous one."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from retrieval.atomic import replace_atomically

MAX_AGE = dt.timedelta(days=1)  # an older checkpoint is stale: the source has moved on, so start over


class Checkpoint(BaseModel):
    source: str
    reference: str
    started_at: dt.datetime
    header: dict[str, Any] | None = Field(None, description="The author record, as the source sent it.")
    items: list[dict[str, Any]] = Field(default_factory=list, description="Works or entries read so far.")
    cursor: str | None = Field(None, description="Where the next page starts (OpenAlex cursor, arXiv start index).")
    total: int | None = None


class Checkpoints:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, source: str, reference: str) -> Path:
        slug = re.sub(r"[^a-z0-9]+", "-", reference.casefold()).strip("-")[:40]
        digest = hashlib.sha1(f"{source}\n{reference}".encode()).hexdigest()[:10]
        return self.folder / f"{source}-{slug}-{digest}.json"

    def load(self, source: str, reference: str, now: dt.datetime) -> Checkpoint | None:
        """The checkpoint of an unfinished fetch of the same thing, unless it is stale or unreadable."""
        path = self.path(source, reference)
        try:
            checkpoint = Checkpoint.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if now - checkpoint.started_at > MAX_AGE:
            return None
        return checkpoint

    def save(self, checkpoint: Checkpoint) -> None:
        text = checkpoint.model_dump_json()
        replace_atomically(
            self.path(checkpoint.source, checkpoint.reference), lambda p: p.write_text(text, encoding="utf-8")
        )

    def drop(self, source: str, reference: str) -> None:
        self.path(source, reference).unlink(missing_ok=True)


def dumped(models: list[BaseModel]) -> list[dict[str, Any]]:
    return [json.loads(model.model_dump_json()) for model in models]
