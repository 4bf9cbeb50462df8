"""Profile files → store. Every file is parsed before anything is written, so a bad file changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from retrieval.errors import UserFacingError
from retrieval.index.store import PaperStore, ProgressCallback
from retrieval.ingest.profile_format import parse_profile_file
from retrieval.models import IngestReport, ParsedProfile

PROFILE_SUFFIXES = {".txt"}


class NoProfileFilesError(UserFacingError):
    """A folder without profile files: fine for a bot that only follows researchers from OpenAlex or arXiv."""


def collect_profile_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix in PROFILE_SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            raise UserFacingError(f"{path}: no such file or folder.")
    if not files:
        raise NoProfileFilesError("No profile files (*.txt) found in " + ", ".join(map(str, paths)) + ".")
    return files


def parse_all(files: list[Path], max_bytes: int) -> list[ParsedProfile]:
    parsed = [parse_profile_file(file, max_bytes) for file in files]
    seen: dict[str, str] = {}
    for item in parsed:
        if item.profile.id in seen:
            raise UserFacingError(
                f"{item.source}: profile {item.profile.name!r} is also defined in {seen[item.profile.id]}; "
                "keep one file per researcher."
            )
        seen[item.profile.id] = item.source
    return parsed


def ingest_profiles(
    store: PaperStore,
    parsed: list[ParsedProfile],
    *,
    rebuild: bool = False,
    on_embedded: ProgressCallback | None = None,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> IngestReport:
    history = None
    if rebuild and not store.readable():
        # an older schema or another embedding: only the metric history is kept (a crash before the commit loses
        # it too: README says to copy the folder first)
        history = store.metric_history()
        store.reset()
    report = IngestReport(files=[p.source for p in parsed], profiles=[p.profile.id for p in parsed], rebuilt=rebuild)
    # a rebuild of a readable store re-embeds every paper as one commit: a crash leaves the old store whole
    synced = store.sync_profiles(parsed, clock(), on_embedded, everything=rebuild, history=history)
    for added, updated, unchanged, removed, snapshot_added in synced:
        report.added += added
        report.updated += updated
        report.unchanged += unchanged
        report.removed += removed
        report.snapshots_added += snapshot_added
    return report
