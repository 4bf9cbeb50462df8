"""Typed results → Discord embeds, always within Discord's limits (truncate or paginate, never fail).

Everything a user typed is escaped before it is shown; the bot also sends with AllowedMentions.none(),
so a question containing @everyone or a role mention is echoed harmlessly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import discord

from retrieval.models import Answer, Citation, MetricsReport, Paper, ProfileSummary, SearchHit, Summary

if TYPE_CHECKING:
    from bot.guild_settings import GuildPreferences
    from retrieval.feedback import FeedbackCounts, FeedbackEntry

# https://discord.com/developers/docs/resources/message#embed-object-embed-limits
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
FIELDS_PER_EMBED = 25
EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
AUTOCOMPLETE_CHOICES = 25
AUTOCOMPLETE_NAME_LIMIT = 100
PAPERS_PER_PAGE = 8
PROFILES_PER_PAGE = 20

COLOR_ANSWER = discord.Color.blurple()
COLOR_ABSTAIN = discord.Color.light_grey()
COLOR_ERROR = discord.Color.red()
ELLIPSIS = "…"


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def escape_user_text(text: str) -> str:
    """User input shown back: no markdown tricks, no mention syntax."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def pagify(lines: Iterable[str], limit: int) -> list[str]:
    """Join lines into chunks of at most `limit` characters, splitting only between lines
    (a single over-long line is truncated)."""
    pages: list[str] = []
    current = ""
    for line in lines:
        line = truncate(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pages.append(current)
            candidate = line
        current = candidate
    if current:
        pages.append(current)
    return pages


def add_field(embed: discord.Embed, name: str, value: str, *, inline: bool = False) -> None:
    """Add a field if the embed has room; values are truncated to the field limit."""
    if len(embed.fields) >= FIELDS_PER_EMBED or not value:
        return
    name, value = truncate(name, FIELD_NAME_LIMIT), truncate(value, FIELD_VALUE_LIMIT)
    if len(embed) + len(name) + len(value) > EMBED_TOTAL_LIMIT:
        return
    embed.add_field(name=name, value=value, inline=inline)


def make_embed(title: str, description: str = "", color: discord.Color = COLOR_ANSWER) -> discord.Embed:
    return discord.Embed(
        title=truncate(title, TITLE_LIMIT), description=truncate(description, DESCRIPTION_LIMIT), color=color
    )


def set_footer(embed: discord.Embed, text: str) -> None:
    room = EMBED_TOTAL_LIMIT - len(embed)
    embed.set_footer(text=truncate(text, min(FOOTER_LIMIT, max(room, 1))))


def first_authors(authors: list[str], et_al: bool = False, shown: int = 2) -> str:
    names = ", ".join(authors[:shown])
    return names + (" et al." if et_al or len(authors) > shown else "")


def source_line(citation: Citation) -> str:
    researcher = f" · *{escape_user_text(citation.researcher)}*" if citation.researcher else ""
    return (
        f"**[{citation.n}]** {escape_user_text(citation.title)} · {citation.year} · {first_authors(citation.authors)}"
        + researcher
    )


def render_answer_embed(answer: Answer) -> discord.Embed:
    color = COLOR_ABSTAIN if answer.abstained else COLOR_ANSWER
    embed = make_embed(escape_user_text(answer.question), answer.answer, color)
    if answer.needs_source_list:
        add_field(embed, "Sources", "\n".join(source_line(c) for c in answer.citations))
    if answer.suggestions:
        suggestions = "\n".join(
            f"• {escape_user_text(c.title)} · {c.year} · {first_authors(c.authors)}" for c in answer.suggestions
        )
        add_field(embed, "Nearest papers", suggestions)
    if answer.warnings:
        add_field(embed, "Notes", "\n".join(f"⚠ {warning}" for warning in answer.warnings))
    set_footer(
        embed,
        (answer.intent or answer.route).replace("_", " ") + (" · not found in the papers" if answer.abstained else ""),
    )
    return embed


def paper_meta(paper: Paper) -> str:
    authors = first_authors(paper.authors, paper.et_al, shown=len(paper.authors))
    parts = [f"**Authors:** {escape_user_text(authors)}"]
    if paper.affiliations:
        parts.append(f"**Affiliations:** {escape_user_text(', '.join(paper.affiliations))}")
    code = "yes" if paper.has_code else "no"
    parts.append(f"**Date:** {paper.date.isoformat()} · **Category:** {paper.category} · **Code:** {code}")
    return "\n".join(parts)


def render_summary_embed(summary: Summary) -> discord.Embed:
    embed = make_embed(summary.paper.title, f"**TL;DR** {summary.tldr}")
    add_field(embed, "Key contributions", "\n".join(f"• {point}" for point in summary.key_points))
    add_field(embed, "Reported results", "\n".join(f"• {result}" for result in summary.results))
    add_field(embed, "Paper", paper_meta(summary.paper))
    set_footer(embed, f"id: {summary.paper.id}")
    return embed


def render_similar_embed(paper: Paper, hits: list[SearchHit]) -> discord.Embed:
    lines = [
        f"**{hit.rank}.** {escape_user_text(hit.paper.title)} · {hit.paper.year} · similarity {hit.score:.2f}"
        for hit in hits
    ]
    return make_embed(f"Papers similar to: {paper.title}", "\n".join(lines) or "No other papers in the store.")


def _counts(counts: dict, limit: int = 12) -> str:
    return ", ".join(f"{key}: {value}" for key, value in list(counts.items())[:limit])


def render_metrics_embed(report: MetricsReport, chart_filename: str | None = None) -> discord.Embed:
    def number(value: int | None, suffix: str = "") -> str:
        return "—" if value is None else f"{value:,}{suffix}"

    embed = make_embed(f"{report.name} — metrics", f"Primary category: {report.category or '—'}")
    add_field(embed, "h-index", number(report.h_index), inline=True)
    add_field(embed, "Citations", number(report.citations), inline=True)
    add_field(embed, "Papers", f"{report.papers_listed} listed / {number(report.papers_claimed)} claimed", inline=True)
    add_field(embed, "Novelty", number(report.novelty, "%"), inline=True)
    add_field(embed, "AI score", number(report.ai_score), inline=True)
    add_field(embed, "With code", f"{report.with_code} ({report.with_code_share:.0%})", inline=True)
    add_field(embed, "Papers per year", _counts(report.by_year))
    add_field(embed, "Papers per category", _counts(report.by_category))
    add_field(embed, "Top co-authors", escape_user_text(_counts(report.top_coauthors, 8)))
    add_field(embed, "Affiliations", escape_user_text(_counts(report.affiliations, 8)))
    if report.first_date and report.last_date:
        add_field(embed, "First / latest paper", f"{report.first_date} → {report.last_date}")
    if len(report.snapshots) > 1 and report.snapshots[-1].change:
        change = ", ".join(f"{field} {delta:+,}" for field, delta in report.snapshots[-1].change.items())
        add_field(embed, "Since the previous snapshot", change)
    if chart_filename:
        embed.set_image(url=f"attachment://{chart_filename}")
    latest = report.snapshots[-1].taken_at if report.snapshots else None
    set_footer(embed, f"{len(report.snapshots)} snapshot(s)" + (f"; latest {latest:%Y-%m-%d}" if latest else ""))
    return embed


def render_paper_pages(papers: list[Paper], heading: str) -> list[discord.Embed]:
    lines = [
        f"**{paper.date.isoformat()}** · {paper.category}{' · code' if paper.has_code else ''}\n"
        f"{escape_user_text(paper.title)}\n*{escape_user_text(first_authors(paper.authors, paper.et_al))}*"
        for paper in papers
    ]
    chunks = [lines[i : i + PAPERS_PER_PAGE] for i in range(0, len(lines), PAPERS_PER_PAGE)] or [[]]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        embed = make_embed(heading, "\n\n".join(chunk) or "No papers match these filters.")
        set_footer(embed, f"page {number}/{len(chunks)} · {len(papers)} paper(s)")
        pages.append(embed)
    return pages


def render_profile_pages(profiles: list[ProfileSummary]) -> list[discord.Embed]:
    """Pages of `PROFILES_PER_PAGE` profiles (a page stays far below the embed limits however many there are)."""
    lines = [
        f"**{escape_user_text(p.name)}** (`{p.id}`) — {p.papers_listed} papers listed, "
        f"{p.papers_claimed if p.papers_claimed is not None else '—'} claimed, category {p.category or '—'}"
        for p in profiles
    ]
    if len(lines) <= PROFILES_PER_PAGE:
        return [make_embed("Profiles", "\n".join(lines) or "No profiles ingested yet.")]
    chunks = [lines[i : i + PROFILES_PER_PAGE] for i in range(0, len(lines), PROFILES_PER_PAGE)]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        embed = make_embed("Profiles", "\n".join(chunk))
        set_footer(embed, f"page {number}/{len(chunks)} · {len(profiles)} profiles")
        pages.append(embed)
    return pages


def render_error_embed(message: str) -> discord.Embed:
    return make_embed("Sorry", escape_user_text(message), COLOR_ERROR)


def autocomplete_label(paper: Paper) -> str:
    return truncate(f"{paper.title} ({paper.year})", AUTOCOMPLETE_NAME_LIMIT)


LATEST_NEGATIVES = 5


def on_off(value: bool) -> str:
    return "on" if value else "off"


def render_settings_embed(preferences: GuildPreferences) -> discord.Embed:
    """A guild's settings, each marked as set here or inherited from the bot's configuration."""

    def origin(*names: str) -> str:
        return " *(set here)*" if preferences.customized.intersection(names) else " *(bot default)*"

    cooldown = (
        f"{preferences.cooldown_rate} commands per {preferences.cooldown_seconds:g} s per user"
        if preferences.cooldown_rate > 0
        else "off"
    )
    profile = f"`{preferences.default_profile}`" if preferences.default_profile else "the first profile"
    embed = make_embed("Settings for this server")
    add_field(embed, "Default profile", profile + origin("default_profile"))
    add_field(
        embed, "Thread mode (an /ask answer opens a thread)", on_off(preferences.thread_mode) + origin("thread_mode")
    )
    add_field(
        embed,
        "Answer in threads without a mention",
        on_off(preferences.answer_without_mention) + origin("answer_without_mention"),
    )
    add_field(embed, "Cooldown", cooldown + origin("cooldown_rate", "cooldown_seconds"))
    return embed


def render_feedback_embed(counts: FeedbackCounts, negatives: list[FeedbackEntry]) -> discord.Embed:
    """Votes on this server's answers, per intent, and the latest 👎 with their reasons (one field each)."""
    total = counts.up + counts.down
    embed = make_embed("Feedback on answers", f"👍 {counts.up} · 👎 {counts.down}" if total else "No votes yet.")
    by_intent = sorted(counts.by_intent.items(), key=lambda item: (-(item[1].up + item[1].down), item[0]))
    add_field(
        embed,
        "By intent",
        "\n".join(f"{intent.replace('_', ' ')}: 👍 {votes.up} · 👎 {votes.down}" for intent, votes in by_intent),
    )
    for entry in negatives[:LATEST_NEGATIVES]:
        reason = f"“{escape_user_text(entry.reason)}”" if entry.reason else "no reason given"
        intent = (entry.intent or "no intent").replace("_", " ")
        add_field(embed, f"👎 {escape_user_text(entry.question)}", f"{reason}\n{entry.updated_at:%Y-%m-%d} · {intent}")
    set_footer(embed, "research-bot feedback --json exports every vote with its answer, plan and citations.")
    return embed
