"""Typed results → Discord messages (lists of embeds) within Discord's limits, losing nothing.

A renderer returns the messages that hold all of its result (`bot.chat_formatting.build_messages`: one message
of one embed whenever it fits) or, for a listing, the pages of a paginator. What is capped (a very long answer,
its source list) ends with an "…and N more" line that names where to see the rest.

Everything a user typed is escaped before it is shown; the bot also sends with AllowedMentions.none(),
so a question containing @everyone or a role mention is echoed harmlessly.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

import discord

from bot.chat_formatting import (
    DESCRIPTION_LIMIT,
    TITLE_LIMIT,
    EmbedField,
    MessageEmbeds,
    and_more,
    build_messages,
    build_pages,
    cap_lines,
    pagify,
    paginate,
    split_text,
    truncate,
)
from retrieval.models import Answer, Citation, MetricsReport, Paper, ProfileSummary, SearchHit, Summary

if TYPE_CHECKING:
    from bot.guild_settings import GuildPreferences
    from retrieval.conversation.models import ConversationReply
    from retrieval.feedback import FeedbackCounts, FeedbackEntry

AUTOCOMPLETE_CHOICES = 25
AUTOCOMPLETE_NAME_LIMIT = 100
PAPERS_PER_PAGE = 8
PROFILES_PER_PAGE = 20
PAGE_CHARS = 3800  # a page's text: one embed, with room for its title and footer
# An answer continues over about three messages at most: its text takes up to ANSWER_TEXT_CHARS, its source list
# the rest of ANSWER_CHARS; past that an "…and N more" line counts what is left out.
ANSWER_CHARS = 16_000
ANSWER_TEXT_CHARS = 11_000  # two messages of text, with room for their titles
PAPERS_OPTIONS = ("year", "category", "author", "has_code")  # the filters /papers takes
LISTINGS = ("listing", "recency")  # intents whose answer lists papers, as /papers does

COLOR_ANSWER = discord.Color.blurple()
COLOR_ABSTAIN = discord.Color.light_grey()
COLOR_ERROR = discord.Color.red()
CITATION_MARK = re.compile(r"\[(\d+)\]")


def escape_user_text(text: str) -> str:
    """User input shown back: no markdown tricks, no mention syntax."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def shorten(text: str, limit: int) -> str:
    """For one-embed messages (errors, reports): `text`, or its head and how many characters were left out."""
    if len(text) <= limit:
        return text
    head, rest = split_text(text, limit - len(f"\n… ({len(text):,} more characters)"))
    return f"{head}\n… ({len(rest):,} more characters)"


def make_embed(title: str, description: str = "", color: discord.Color = COLOR_ANSWER) -> discord.Embed:
    """A one-embed message whose text is short by construction (errors, ingest reports)."""
    return discord.Embed(
        title=truncate(title, TITLE_LIMIT), description=shorten(description, DESCRIPTION_LIMIT), color=color
    )


def first_authors(authors: list[str], et_al: bool = False, shown: int = 2) -> str:
    names = ", ".join(authors[:shown])
    return names + (" et al." if et_al or len(authors) > shown else "")


def source_line(citation: Citation) -> str:
    researcher = f" · *{escape_user_text(citation.researcher)}*" if citation.researcher else ""
    return (
        f"**[{citation.n}]** {escape_user_text(citation.title)} · {citation.year} · {first_authors(citation.authors)}"
        + researcher
    )


def papers_hint(answer: Answer) -> str:
    """Where to see the rest of an answer too long to show: /papers with the plan's filters, for a listing it
    can repeat; otherwise a narrower question."""
    plan = answer.plan or {}
    filters = plan.get("filters") or {}
    if answer.intent not in LISTINGS or plan.get("topic") or not set(filters) <= set(PAPERS_OPTIONS):
        return "ask a narrower question to see the rest: a year, a category, a co-author"
    options = "".join(f" {name}:{value}" for name, value in filters.items())
    return f"list them with `/papers{options}`"


def answer_text(answer: Answer, hint: str) -> str:
    """The answer's lines, as many as the answer's room holds, then how many lines (and cited papers) are left."""
    lines = [piece for line in answer.answer.split("\n") for piece in pagify(line, DESCRIPTION_LIMIT) or [""]]

    def rest(count: int) -> str:
        kept, cut = lines[: len(lines) - count], lines[len(lines) - count :]
        cited = set(CITATION_MARK.findall("\n".join(cut))) - set(CITATION_MARK.findall("\n".join(kept)))
        papers = f", citing {len(cited):,} more paper{'' if len(cited) == 1 else 's'}" if cited else ""
        return and_more(count, "line") + papers + f" ({hint})"

    return cap_lines(lines, ANSWER_TEXT_CHARS, rest)


def render_answer(answer: Answer) -> list[MessageEmbeds]:
    """One message when the answer fits, else continued over a few; sources that find no room are counted."""
    hint = papers_hint(answer)
    text = answer_text(answer, hint)
    fields = []
    if answer.needs_source_list:
        sources = [source_line(citation) for citation in answer.citations]
        more_sources = functools.partial(and_more, noun="source", hint=hint)
        fields.append(EmbedField("Sources", cap_lines(sources, ANSWER_CHARS - len(text), more_sources)))
    if answer.suggestions:
        suggestions = [
            f"• {escape_user_text(c.title)} · {c.year} · {first_authors(c.authors)}" for c in answer.suggestions
        ]
        fields.append(EmbedField("Nearest papers", "\n".join(suggestions)))
    if answer.warnings:
        fields.append(EmbedField("Notes", "\n".join(f"⚠ {warning}" for warning in answer.warnings)))
    footer = (answer.intent or answer.route).replace("_", " ") + (
        " · not found in the papers" if answer.abstained else ""
    )
    color = COLOR_ABSTAIN if answer.abstained else COLOR_ANSWER
    return build_messages(escape_user_text(answer.question), text, fields, footer=footer, color=color)


def paper_meta(paper: Paper) -> str:
    authors = first_authors(paper.authors, paper.et_al, shown=len(paper.authors))
    parts = [f"**Authors:** {escape_user_text(authors)}"]
    if paper.affiliations:
        parts.append(f"**Affiliations:** {escape_user_text(', '.join(paper.affiliations))}")
    code = "yes" if paper.has_code else "no"
    parts.append(f"**Date:** {paper.date.isoformat()} · **Category:** {paper.category} · **Code:** {code}")
    return "\n".join(parts)


def render_summary(summary: Summary) -> list[MessageEmbeds]:
    fields = [
        EmbedField("Key contributions", "\n".join(f"• {point}" for point in summary.key_points)),
        EmbedField("Reported results", "\n".join(f"• {result}" for result in summary.results)),
        EmbedField("Paper", paper_meta(summary.paper)),
    ]
    return build_messages(summary.paper.title, f"**TL;DR** {summary.tldr}", fields, footer=f"id: {summary.paper.id}")


def render_similar(paper: Paper, hits: list[SearchHit]) -> list[MessageEmbeds]:
    lines = [
        f"**{hit.rank}.** {escape_user_text(hit.paper.title)} · {hit.paper.year} · similarity {hit.score:.2f}"
        for hit in hits
    ]
    return build_messages(f"Papers similar to: {paper.title}", "\n".join(lines) or "No other papers in the store.")


def _counts(counts: dict) -> str:
    return ", ".join(f"{key}: {value}" for key, value in counts.items())


def render_metrics(report: MetricsReport, chart_filename: str | None = None) -> list[MessageEmbeds]:
    def number(value: int | None, suffix: str = "") -> str:
        return "—" if value is None else f"{value:,}{suffix}"

    fields = [
        EmbedField("h-index", number(report.h_index), inline=True),
        EmbedField("Citations", number(report.citations), inline=True),
        EmbedField("Papers", f"{report.papers_listed} listed / {number(report.papers_claimed)} claimed", inline=True),
        EmbedField("Novelty", number(report.novelty, "%"), inline=True),
        EmbedField("AI score", number(report.ai_score), inline=True),
        EmbedField("With code", f"{report.with_code} ({report.with_code_share:.0%})", inline=True),
        EmbedField("Papers per year", _counts(report.by_year)),
        EmbedField("Papers per category", _counts(report.by_category)),
        EmbedField("Top co-authors", escape_user_text(_counts(report.top_coauthors))),
        EmbedField("Affiliations", escape_user_text(_counts(report.affiliations))),
    ]
    if report.i10_index is not None:
        fields.insert(2, EmbedField("i10-index", number(report.i10_index), inline=True))
    if report.citations_by_year:
        fields.append(
            EmbedField("Citations per year", _counts({y: f"{n:,}" for y, n in report.citations_by_year.items()}))
        )
    if report.most_cited:
        leaders = [f"{escape_user_text(p.title)} ({p.year}): {p.cited_by:,}" for p in report.most_cited[:5]]
        fields.append(EmbedField("Most cited papers", "\n".join(leaders)))
    if report.first_date and report.last_date:
        fields.append(EmbedField("First / latest paper", f"{report.first_date} → {report.last_date}"))
    if len(report.snapshots) > 1 and report.snapshots[-1].change:
        change = ", ".join(f"{field} {delta:+,}" for field, delta in report.snapshots[-1].change.items())
        fields.append(EmbedField("Since the previous snapshot", change))
    latest = report.snapshots[-1].taken_at if report.snapshots else None
    origin = f" · from {report.source}" if report.source else ""
    return build_messages(
        f"{report.name} — metrics",
        f"Primary category: {report.category or '—'}{origin}",
        fields,
        footer=f"{len(report.snapshots)} snapshot(s)" + (f"; latest {latest:%Y-%m-%d}" if latest else ""),
        image_url=f"attachment://{chart_filename}" if chart_filename else None,
    )


def render_paper_pages(papers: list[Paper], heading: str) -> list[MessageEmbeds]:
    """Every paper, `PAPERS_PER_PAGE` (fewer if long) a page."""
    entries = [
        f"**{paper.date.isoformat()}** · {paper.category}{' · code' if paper.has_code else ''}\n"
        f"{escape_user_text(paper.title)}\n*{escape_user_text(first_authors(paper.authors, paper.et_al))}*"
        for paper in papers
    ]
    texts = paginate(entries, PAPERS_PER_PAGE, PAGE_CHARS, separator="\n\n") or ["No papers match these filters."]
    return build_pages(heading, texts, lambda page, pages: f"page {page}/{pages} · {len(papers)} paper(s)")


def render_profile_pages(profiles: list[ProfileSummary]) -> list[MessageEmbeds]:
    """Pages of `PROFILES_PER_PAGE` profiles; one page (without a page footer) when they fit on one."""
    lines = [
        f"**{escape_user_text(p.name)}** (`{p.id}`) — {p.papers_listed} papers listed, "
        f"{p.papers_claimed if p.papers_claimed is not None else '—'} claimed, category {p.category or '—'}"
        for p in profiles
    ]
    texts = paginate(lines, PROFILES_PER_PAGE, PAGE_CHARS)
    if len(texts) <= 1:
        return build_messages("Profiles", texts[0] if texts else "No profiles ingested yet.")
    return build_pages("Profiles", texts, lambda page, pages: f"page {page}/{pages} · {len(profiles)} profiles")


def render_error_embed(message: str, candidates: list[Citation] | None = None) -> discord.Embed:
    """An error; with `candidates` (a follow-up that could mean several papers), the papers to say which of."""
    if not candidates:
        return make_embed("Sorry", escape_user_text(message), COLOR_ERROR)
    lines = [source_line(citation) for citation in candidates]
    text = escape_user_text(message) + "\n\n" + cap_lines(lines, DESCRIPTION_LIMIT // 2, lambda n: and_more(n, "paper"))
    return make_embed("Which paper?", text, COLOR_ERROR)


FOLLOWUP_NOTE_CHARS = 300


def render_reply(reply: ConversationReply) -> list[MessageEmbeds]:
    """A turn of a conversation: a summary or similar papers as /summary and /similar show them, else the answer."""
    if reply.summary is not None:
        return render_summary(reply.summary)
    if reply.similar is not None:
        return render_similar(reply.similar.paper, reply.similar.results)
    return render_answer(reply.answer)


def followup_note(reply: ConversationReply) -> str | None:
    """A small line above a follow-up's reply saying how it was read: "(following up on: compare “…” with RT-1)"."""
    if reply.followup is None:
        return None
    return f"-# (following up on: {escape_user_text(truncate(reply.followup.resolved_question, FOLLOWUP_NOTE_CHARS))})"


def autocomplete_label(paper: Paper) -> str:
    return truncate(f"{paper.title} ({paper.year})", AUTOCOMPLETE_NAME_LIMIT)


LATEST_NEGATIVES = 5


def on_off(value: bool) -> str:
    return "on" if value else "off"


def render_settings(preferences: GuildPreferences) -> list[MessageEmbeds]:
    """A guild's settings, each marked as set here or inherited from the bot's configuration."""

    def origin(*names: str) -> str:
        return " *(set here)*" if preferences.customized.intersection(names) else " *(bot default)*"

    cooldown = (
        f"{preferences.cooldown_rate} commands per {preferences.cooldown_seconds:g} s per user"
        if preferences.cooldown_rate > 0
        else "off"
    )
    profile = (
        f"`{preferences.default_profile}`"
        if preferences.default_profile
        else "none: /ask and /papers cover every profile, /metrics shows the first"
    )
    fields = [
        EmbedField("Default profile", profile + origin("default_profile")),
        EmbedField(
            "Thread mode (an /ask answer opens a thread)", on_off(preferences.thread_mode) + origin("thread_mode")
        ),
        EmbedField(
            "Answer in threads without a mention",
            on_off(preferences.answer_without_mention) + origin("answer_without_mention"),
        ),
        EmbedField("Cooldown", cooldown + origin("cooldown_rate", "cooldown_seconds")),
    ]
    return build_messages("Settings for this server", fields=fields)


def render_feedback(counts: FeedbackCounts, negatives: list[FeedbackEntry]) -> list[MessageEmbeds]:
    """Votes on this server's answers, per intent, and the latest 👎 with their reasons (one field each)."""
    total = counts.up + counts.down
    by_intent = sorted(counts.by_intent.items(), key=lambda item: (-(item[1].up + item[1].down), item[0]))
    fields = [
        EmbedField(
            "By intent",
            "\n".join(f"{intent.replace('_', ' ')}: 👍 {votes.up} · 👎 {votes.down}" for intent, votes in by_intent),
        )
    ]
    for entry in negatives[:LATEST_NEGATIVES]:
        reason = f"“{escape_user_text(entry.reason)}”" if entry.reason else "no reason given"
        intent = (entry.intent or "no intent").replace("_", " ")
        fields.append(
            EmbedField(f"👎 {escape_user_text(entry.question)}", f"{reason}\n{entry.updated_at:%Y-%m-%d} · {intent}")
        )
    return build_messages(
        "Feedback on answers",
        f"👍 {counts.up} · 👎 {counts.down}" if total else "No votes yet.",
        fields,
        footer="research-bot feedback --json exports every vote with its answer, plan and citations.",
    )
