"""Red-DiscordBot-style chat formatting: every message within Discord's limits, and nothing lost on the way.

Long text is split at a line break, else a sentence end, else a space (a hard cut only inside a word longer than
the room); a long field value continues in "<name> (cont.)" fields; embeds are packed into messages of at most 10
embeds and 6,000 characters; a list that is capped ends with an "…and N more" line. `limit_violations` checks a
message against every limit (used by the tests and asserted on everything `build_messages` returns).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import discord

# https://discord.com/developers/docs/resources/message#embed-object-embed-limits (characters = code points)
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_NAME_LIMIT = 256
FIELDS_PER_EMBED = 25
EMBED_TOTAL_LIMIT = 6000  # across every embed of one message
EMBEDS_PER_MESSAGE = 10
CONTENT_LIMIT = 2000
SELECT_OPTIONS = 25  # options per select menu
OPTION_TEXT_LIMIT = 100  # label, value and description of a select option

ELLIPSIS = "…"
CONTINUED = " (cont.)"
MIN_PIECE = 100  # a nearly full embed is not filled with a sliver of a long text; the text moves on instead

MessageEmbeds = list[discord.Embed]  # the embeds of one message

# Where text may be cut, strongest first; the whitespace at a cut is dropped (the next embed or field starts anew).
_BOUNDARIES = (re.compile(r"[ \t]*\n\s*"), re.compile(r"(?<=[.!?…])\s+"), re.compile(r"\s+"))


def truncate(text: str, limit: int) -> str:
    """For labels only (a title, a choice name): the ellipsis shows the cut; callers keep the full text elsewhere."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def split_text(text: str, limit: int) -> tuple[str, str]:
    """(head, rest): the longest head of at most `limit` characters that ends at the strongest boundary found in the
    second half of the room, and the rest of the text."""
    if len(text) <= limit:
        return text, ""
    window = text[: limit + 1]  # a gap just past the limit is still a boundary
    for boundary in _BOUNDARIES:
        gaps = [gap for gap in boundary.finditer(window) if gap.start() >= limit // 2]
        if gaps:
            return text[: gaps[-1].start()], text[gaps[-1].start() :].lstrip()
    return text[:limit], text[limit:]


def pagify(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at boundaries (see `split_text`)."""
    pieces, rest = [], text.strip()
    while rest:
        head, rest = split_text(rest, limit)
        pieces.append(head)
    return pieces


def and_more(count: int, noun: str, hint: str = "") -> str:
    """`…and 12 more papers (use /papers year:2022)`: the line that accounts for what a capped list leaves out."""
    return f"{ELLIPSIS}and {count:,} more {noun}{'' if count == 1 else 's'}" + (f" ({hint})" if hint else "")


def cap_lines(lines: Sequence[str], budget: int, more: Callable[[int], str]) -> str:
    """`lines` joined by newlines; if that is longer than `budget`, the leading lines that fit with the line
    `more(n)` accounting for the `n` left out (`more` must not grow as `n` shrinks)."""
    text = "\n".join(lines)
    if len(text) <= budget:
        return text
    room = budget - len(more(len(lines))) - 1
    kept, used = 0, -1
    while kept < len(lines) and used + 1 + len(lines[kept]) <= room:
        used += 1 + len(lines[kept])
        kept += 1
    return "\n".join([*lines[:kept], more(len(lines) - kept)])


def paginate(entries: Sequence[str], per_page: int, page_chars: int, separator: str = "\n") -> list[str]:
    """Page texts of at most `per_page` entries and `page_chars` characters; an entry longer than a page is split
    over pages of its own."""
    pages: list[str] = []
    current: list[str] = []
    for entry in entries:
        pieces = pagify(entry, page_chars) or [""]
        if current and (
            len(current) >= per_page or len(separator.join([*current, pieces[0]])) > page_chars or len(pieces) > 1
        ):
            pages.append(separator.join(current))
            current = []
        if len(pieces) > 1:
            pages.extend(pieces)
        else:
            current.append(pieces[0])
    if current:
        pages.append(separator.join(current))
    return pages


@dataclass(frozen=True)
class EmbedField:
    name: str
    value: str
    inline: bool = False


class _Packer:
    """Fills embeds in order (description pieces, then fields) and starts an embed or a message when one is full."""

    def __init__(self, title: str, color: discord.Color, footer: str) -> None:
        self.title = truncate(title, TITLE_LIMIT)
        self.color = color
        self.footer = truncate(footer, FOOTER_LIMIT)
        self.messages: list[MessageEmbeds] = [[discord.Embed(title=self.title or None, color=color)]]

    @property
    def embed(self) -> discord.Embed:
        return self.messages[-1][-1]

    def room(self) -> int:
        """Characters the current message can still take (its footer's room is kept aside)."""
        return EMBED_TOTAL_LIMIT - len(self.footer) - sum(len(embed) for embed in self.messages[-1])

    def next_embed(self, need: int) -> None:
        """A fresh embed in this message if it has `need` characters of room, else a new message ("… (cont.)")."""
        message = self.messages[-1]
        if self.room() >= need and (not len(message[-1]) or len(message) < EMBEDS_PER_MESSAGE):
            if len(message[-1]):
                message.append(discord.Embed(color=self.color))
            return  # (an embed that is still empty is used as it is)
        if len(message) > 1 and not len(message[-1]):
            message.pop()  # an embed that got nothing
        title = truncate(self.title, TITLE_LIMIT - len(CONTINUED)) + CONTINUED if self.title else None
        self.messages.append([discord.Embed(title=title, color=self.color)])

    def add_text(self, text: str) -> None:
        text = text.strip()
        while text:
            need = min(len(text), MIN_PIECE)
            if self.embed.description or self.embed.fields:  # a description comes before its embed's fields
                self.next_embed(need)
            budget = min(DESCRIPTION_LIMIT, self.room())
            if budget < need:
                self.next_embed(need)
                continue
            self.embed.description, text = split_text(text, budget)

    def add_field(self, field: EmbedField) -> None:
        value, name = field.value.strip(), truncate(field.name, FIELD_NAME_LIMIT)
        while value:
            # a value that fits one field is kept whole; a longer one starts in whatever room is left
            need = len(name) + (len(value) if len(value) <= FIELD_VALUE_LIMIT else MIN_PIECE)
            budget = min(FIELD_VALUE_LIMIT, self.room() - len(name))
            if len(self.embed.fields) >= FIELDS_PER_EMBED or budget < need - len(name):
                self.next_embed(need)
                continue
            head, value = split_text(value, budget)
            self.embed.add_field(name=name, value=head, inline=field.inline)
            name = truncate(field.name, FIELD_NAME_LIMIT - len(CONTINUED)) + CONTINUED


def build_messages(
    title: str,
    description: str = "",
    fields: Sequence[EmbedField] = (),
    *,
    footer: str = "",
    color: discord.Color | None = None,
    image_url: str | None = None,
) -> list[MessageEmbeds]:
    """One logical embed as the messages that hold all of it: one message of one embed when it fits, else the
    description split over embeds, each long field continued in "(cont.)" fields, and further messages titled
    "<title> (cont.)". A title too long for Discord is cut and given in full at the top of the description.
    Empty fields are left out; the footer goes under the last embed, the image on the first."""
    if len(title) > TITLE_LIMIT:
        description = f"**{title.strip()}**\n{description}"
    packer = _Packer(title, color or discord.Color.blurple(), footer)
    packer.add_text(description)
    for field in fields:
        packer.add_field(field)
    messages = packer.messages
    if packer.footer:
        messages[-1][-1].set_footer(text=packer.footer)
    if image_url:
        messages[0][0].set_image(url=image_url)
    for message in messages:
        problems = limit_violations(message)
        assert not problems, problems  # a packing bug; Discord would refuse the message
    return messages


def build_pages(
    title: str, texts: Sequence[str], footer: Callable[[int, int], str], *, color: discord.Color | None = None
) -> list[MessageEmbeds]:
    """Pages for a paginator, one message each: a text per page (one too long for a message continues on the next
    page), each page footed `footer(page, pages)`."""
    widest = footer(10**6, 10**6)  # room for any page number
    pages = [page for text in texts for page in build_messages(title, text, footer=widest, color=color)]
    for number, page in enumerate(pages, start=1):
        page[-1].set_footer(text=footer(number, len(pages)))
    return pages


def limit_violations(embeds: Sequence[discord.Embed | Mapping[str, Any]], content: str | None = None) -> list[str]:
    """Every way one message (its content and embeds, as objects or as sent JSON) breaks a Discord limit; [] if
    it breaks none."""
    problems: list[str] = []
    if content is not None and len(content) > CONTENT_LIMIT:
        problems.append(f"content: {len(content)} > {CONTENT_LIMIT} characters")
    if len(embeds) > EMBEDS_PER_MESSAGE:
        problems.append(f"{len(embeds)} embeds > {EMBEDS_PER_MESSAGE}")
    total = 0
    for index, embed in enumerate(embeds):
        data = embed.to_dict() if isinstance(embed, discord.Embed) else embed
        fields = data.get("fields") or []
        if len(fields) > FIELDS_PER_EMBED:
            problems.append(f"embeds[{index}]: {len(fields)} fields > {FIELDS_PER_EMBED}")
        texts = [
            ("title", data.get("title"), TITLE_LIMIT),
            ("description", data.get("description"), DESCRIPTION_LIMIT),
            ("footer.text", (data.get("footer") or {}).get("text"), FOOTER_LIMIT),
            ("author.name", (data.get("author") or {}).get("name"), AUTHOR_NAME_LIMIT),
        ]
        for number, field in enumerate(fields):
            texts.append((f"fields[{number}].name", field.get("name"), FIELD_NAME_LIMIT))
            texts.append((f"fields[{number}].value", field.get("value"), FIELD_VALUE_LIMIT))
            if not (field.get("name") or "").strip() or not (field.get("value") or "").strip():
                problems.append(f"embeds[{index}].fields[{number}]: an empty name or value")
        for where, text, limit in texts:
            if text and len(text) > limit:
                problems.append(f"embeds[{index}].{where}: {len(text)} > {limit} characters")
            total += len(text or "")
    if total > EMBED_TOTAL_LIMIT:
        problems.append(f"embeds: {total} characters in all > {EMBED_TOTAL_LIMIT}")
    return problems
