"""/researcher's messages: fetch progress, the result of a fetch, what a refresh changed, the followed list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat_formatting import OPTION_TEXT_LIMIT, EmbedField, MessageEmbeds, build_messages, truncate
from bot.formatting import escape_user_text
from retrieval.sources.changes import change_summary
from retrieval.sources.followed import FollowedResearcher
from retrieval.sources.openalex import AuthorCandidate
from retrieval.sources.service import FetchReport

if TYPE_CHECKING:
    from bot.refresh_schedule import RefreshOutcome

SOURCE_NAMES = {"openalex": "OpenAlex", "arxiv": "arXiv"}
UNITS = {"openalex": "works", "arxiv": "papers"}


def source_name(source: str) -> str:
    return SOURCE_NAMES.get(source, source)


def fetching_text(name: str, source: str, done: int, total: int | None) -> str:
    """ "Fetching Igor Mordatch from OpenAlex: 120/340 works…" (no count before the first page)."""
    head = f"Fetching {escape_user_text(name)} from {source_name(source)}"
    if total is not None:
        return f"{head}: {done:,}/{total:,} {UNITS.get(source, 'works')}…"
    return f"{head}: {done:,} {UNITS.get(source, 'works')}…" if done else f"{head}…"


def candidate_label(candidate: AuthorCandidate) -> str:
    return truncate(candidate.name, OPTION_TEXT_LIMIT)


def candidate_description(candidate: AuthorCandidate) -> str:
    """What tells two people of one name apart: institution · N works · top topics."""
    parts = [candidate.institution or "no institution listed", f"{candidate.works_count:,} works"]
    if candidate.topics:
        parts.append(", ".join(candidate.topics))
    return truncate(" · ".join(parts), OPTION_TEXT_LIMIT)


def code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def number(value: int | None) -> str:
    return f"{value:,}" if value is not None else "—"


def render_fetch(report: FetchReport) -> list[MessageEmbeds]:
    ingest = report.ingest
    papers = f"{report.papers:,} stored"
    if report.without_abstract:
        papers += f" · {report.without_abstract:,} without an abstract (kept with their titles)"
    fields = [
        EmbedField("Papers", papers),
        EmbedField(
            "Store",
            f"added {ingest.added:,} · updated {ingest.updated:,} · unchanged {ingest.unchanged:,} · "
            f"removed {ingest.removed:,}",
        ),
        EmbedField("h-index", number(report.h_index), inline=True),
        EmbedField("Citations", number(report.citations), inline=True),
    ]
    if report.changes:
        fields.append(EmbedField("Since the last fetch", change_summary(report)))
    return build_messages(
        f"{report.name} from {source_name(report.source)}",
        f"Followed as {code(report.profile)}; `/researcher refresh` fetches them again.",
        fields,
        footer=f"{source_name(report.source)} {report.reference}",
    )


def render_refresh(outcomes: list[RefreshOutcome]) -> list[MessageEmbeds]:
    if not outcomes:
        return build_messages("Refresh", "No researchers are followed yet; add one with `/researcher add`.")
    title = f"Refreshed {len(outcomes)} researcher{'' if len(outcomes) == 1 else 's'}"
    return build_messages(title, "\n".join(outcome.line(bold=True) for outcome in outcomes))


def render_followed(researchers: list[FollowedResearcher], interval_hours: float) -> list[MessageEmbeds]:
    lines = [
        f"**{escape_user_text(r.name)}** ({code(r.profile_id)}) — {source_name(r.source)} "
        f"{code(r.reference)} · refreshed {r.refreshed_at:%Y-%m-%d %H:%M} UTC"
        for r in researchers
    ]
    schedule = f"Scheduled refresh every {interval_hours:g} h" if interval_hours else "Scheduled refresh off"
    return build_messages(
        "Followed researchers",
        "\n".join(lines) or "None yet; add one with `/researcher add`.",
        footer=f"{len(researchers)} followed · {schedule}",
    )
