"""What a refresh changed, in words: "h-index 117 → 119, +1,204 citations". The bot posts these lines (its
/researcher refresh and the scheduled refresh); the CLI may print them too."""

from __future__ import annotations

import datetime as dt

from retrieval.sources.service import FetchReport

LABELS = {"h_index": "h-index", "citations": "citations", "i10_index": "i10-index", "papers_claimed": "works"}
COUNTS = ("citations", "papers_claimed")  # told as a difference; indexes as before → after
NO_CHANGE = "no change"


def describe_change(metric: str, before: int | None, after: int | None) -> str:
    label = LABELS.get(metric, metric.replace("_", " "))
    if metric in COUNTS and before is not None and after is not None:
        return f"{after - before:+,} {label}"
    shown = [f"{value:,}" if value is not None else "—" for value in (before, after)]
    return f"{label} {shown[0]} → {shown[1]}"


def change_summary(report: FetchReport) -> str:
    """The metrics that changed, in TRACKED_CHANGES order, or "no change"."""
    parts = [describe_change(metric, *values) for metric, values in report.changes.items()]
    return ", ".join(parts) or NO_CHANGE


def change_line(report: FetchReport, since: dt.datetime | None = None, *, name: str | None = None) -> str:
    """One line for a channel: "Igor Mordatch: h-index 117 → 119, +1,204 citations since 2026-11-19" (`since`:
    the previous refresh); `name` replaces the report's (e.g. escaped for Discord)."""
    line = f"{report.name if name is None else name}: {change_summary(report)}"
    return f"{line} since {since:%Y-%m-%d}" if since is not None and report.changes else line
