"""An in-process fake of the Discord API for end-to-end tests of discord.py bots.

`DiscordServer` serves the REST API (under ``/api/v10``) and the websocket gateway on
127.0.0.1 with aiohttp. A real, unmodified discord.py client talks to it once
``discord.http.Route.BASE`` and ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` point
here (``tests/discord_fixtures.py`` does that).

The server models one guild, records everything the bot sends as `OutgoingMessage`s, lets a
test act as a user (messages, replies, threads, slash commands, autocomplete, button clicks, select menus, modal
submits) and injects faults (429 rate limits, dropped gateway connections that the client must RESUME).
It enforces the Discord limits that commonly break bots in production (message and embed
sizes, empty messages, 25 autocomplete choices, acknowledging an interaction twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import json
import math
import mimetypes
import re
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Self, TypeVar
from urllib.parse import quote

from aiohttp import WSMsgType, web

API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1_420_070_400_000

# Gateway intents (Discord developer docs: events/gateway, "Gateway Intents").
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

# Permission bits used by the default guild.
PERM_ADMINISTRATOR = 1 << 3
PERM_MANAGE_GUILD = 1 << 5
PERM_ADD_REACTIONS = 1 << 6
PERM_VIEW_CHANNEL = 1 << 10
PERM_SEND_MESSAGES = 1 << 11
PERM_MANAGE_MESSAGES = 1 << 13
PERM_EMBED_LINKS = 1 << 14
PERM_ATTACH_FILES = 1 << 15
PERM_READ_MESSAGE_HISTORY = 1 << 16
PERM_USE_APPLICATION_COMMANDS = 1 << 31
PERM_CREATE_PUBLIC_THREADS = 1 << 35
PERM_SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 52) - 1
EVERYONE_PERMISSIONS = (
    PERM_VIEW_CHANNEL
    | PERM_SEND_MESSAGES
    | PERM_EMBED_LINKS
    | PERM_ATTACH_FILES
    | PERM_READ_MESSAGE_HISTORY
    | PERM_ADD_REACTIONS
    | PERM_USE_APPLICATION_COMMANDS
    | PERM_CREATE_PUBLIC_THREADS
    | PERM_SEND_MESSAGES_IN_THREADS
)

FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_COMPONENTS_V2 = 1 << 15
FLAG_HAS_THREAD = 1 << 5  # message flag: a thread was started from this message

# Channel and message types (Discord developer docs: resources/channel, resources/message).
CHANNEL_GUILD_TEXT = 0
CHANNEL_PUBLIC_THREAD = 11
MESSAGE_DEFAULT = 0
MESSAGE_REPLY = 19
THREAD_ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)  # minutes

# Interaction types and the callback types Discord accepts for each of them.
INTERACTION_APPLICATION_COMMAND = 2
INTERACTION_COMPONENT = 3
INTERACTION_AUTOCOMPLETE = 4
INTERACTION_MODAL_SUBMIT = 5
ALLOWED_CALLBACKS = {
    INTERACTION_APPLICATION_COMMAND: {4, 5, 9},
    INTERACTION_COMPONENT: {4, 5, 6, 7, 9},
    INTERACTION_AUTOCOMPLETE: {8},
    INTERACTION_MODAL_SUBMIT: {4, 5, 6, 7},
}

# Default world: fixed ids so that a bot under test can be told its guild before it starts.
DEFAULT_BOT_ID = 1_100_000_000_000_000_001
DEFAULT_GUILD_ID = 1_100_000_000_000_000_100
DEFAULT_CHANNEL_ID = 1_100_000_000_000_000_101
DEFAULT_ADMIN_ROLE_ID = 1_100_000_000_000_000_200
DEFAULT_BOT_ROLE_ID = 1_100_000_000_000_000_201
DEFAULT_OWNER_ID = 1_100_000_000_000_000_300
DEFAULT_ADMIN_ID = 1_100_000_000_000_000_301
DEFAULT_MEMBER_ID = 1_100_000_000_000_000_302

OutgoingKind = Literal[
    "channel_message",
    "channel_edit",
    "channel_delete",
    "interaction_callback",
    "followup",
    "followup_edit",
    "followup_delete",
    "reaction",
    "reaction_delete",
    "thread_create",
]
_T = TypeVar("_T")


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON response whose Content-Type is exactly ``application/json``.

    discord.py only decodes a body as JSON for that exact header value, and aiohttp's own
    ``json_response`` appends ``; charset=utf-8``.
    """
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(status=status, body=json.dumps(data).encode(), headers=all_headers)


class ApiError(Exception):
    """An error answered as Discord's JSON error body ``{"code", "message", "errors"}``."""

    def __init__(self, status: int, code: int, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {message} {errors or ''}".strip())
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or {}

    def response(self) -> web.Response:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors:
            body["errors"] = nested_errors(self.errors)
        return json_response(body, self.status)


def nested_errors(errors: dict[str, str]) -> dict[str, Any]:
    """Discord's shape for ``{"embeds.0.title": "Must be 256 or fewer in length."}``: one level per path segment
    (list indexes as string keys) and ``_errors`` at the leaf, with Discord's error code for the message."""
    tree: dict[str, Any] = {}
    for path, text in errors.items():
        node = tree
        for segment in path.split("."):
            node = node.setdefault(segment, {})
        node.setdefault("_errors", []).append({"code": _error_code(text), "message": text})
    return tree


def _error_code(text: str) -> str:
    if text.startswith("Must be between"):
        return "BASE_TYPE_BAD_LENGTH"
    if text.startswith("Must be") and text.endswith("or fewer in length."):
        return "BASE_TYPE_MAX_LENGTH"
    if text.startswith("Embed size exceeds"):
        return "MAX_EMBED_SIZE_EXCEEDED"
    return "BASE_TYPE_REQUIRED" if text == "This field is required" else "BASE_TYPE_INVALID"


def _unknown(what: str, code: int) -> ApiError:
    return ApiError(404, code, f"Unknown {what}")


# ---------------------------------------------------------------------------------------------
# World model
# ---------------------------------------------------------------------------------------------


@dataclass
class FakeUser:
    id: int
    name: str
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass
class FakeRole:
    id: int
    name: str
    permissions: int = 0
    position: int = 0

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": False,
            "mentionable": True,
            "flags": 0,
        }


@dataclass
class FakeChannel:
    id: int
    name: str
    type: int = 0  # 0 = guild text channel
    position: int = 0

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def payload(self, guild_id: int) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "guild_id": str(guild_id),
            "parent_id": None,
            "permission_overwrites": [],
            "nsfw": False,
            "topic": None,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }


@dataclass
class FakeThread(FakeChannel):
    """A public thread started from a message: its id is that message's id (Discord's rule), `parent_id` the text
    channel it belongs to, `owner_id` who started it. `members` (user id → join time) is its explicit membership:
    the starter, whoever posts in it, and whoever is mentioned in it."""

    type: int = CHANNEL_PUBLIC_THREAD
    parent_id: int = 0
    owner_id: int = 0
    auto_archive_duration: int = 1440
    members: dict[int, str] = field(default_factory=dict)
    message_count: int = 0
    created_at: str = field(default_factory=_now_iso)

    def member_payload(self, user_id: int) -> dict[str, Any]:
        """A thread member object (resources/channel#thread-member-object)."""
        return {"id": str(self.id), "user_id": str(user_id), "join_timestamp": self.members[user_id], "flags": 0}

    def payload(self, guild_id: int, *, viewer_id: int | None = None) -> dict[str, Any]:
        """The thread channel object; with `member` when `viewer_id` (the bot) is a member of it, as GUILD_CREATE
        and GET /channels give it."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(guild_id),
            "parent_id": str(self.parent_id),
            "owner_id": str(self.owner_id),
            "name": self.name,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": self.message_count,
            "total_message_sent": self.message_count,
            "member_count": min(len(self.members), 50),
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": self.auto_archive_duration,
                "archive_timestamp": self.created_at,
                "locked": False,
                "create_timestamp": self.created_at,
            },
        }
        if viewer_id is not None and viewer_id in self.members:
            data["member"] = {"join_timestamp": self.members[viewer_id], "flags": 0}
        return data


@dataclass
class FakeMember:
    user: FakeUser
    role_ids: list[int] = field(default_factory=list)
    joined_at: str = field(default_factory=_now_iso)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def mention(self) -> str:
        return self.user.mention

    def payload(self, *, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(role_id) for role_id in self.role_ids],
            "joined_at": self.joined_at,
            "nick": None,
            "avatar": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    roles: list[FakeRole]
    channels: list[FakeChannel]
    members: list[FakeMember]
    threads: list[FakeThread] = field(default_factory=list)  # active threads

    def member(self, user_id: int) -> FakeMember | None:
        return next((m for m in self.members if m.id == user_id), None)

    def channel(self, channel_id: int) -> FakeChannel | None:
        """A channel or thread of this guild."""
        return next((c for c in [*self.channels, *self.threads] if c.id == channel_id), None)

    def permissions_of(self, member: FakeMember) -> int:
        """Guild-level permissions: @everyone plus the member's roles (no channel overwrites)."""
        permissions = 0
        for role in self.roles:
            if role.id == self.id or role.id in member.role_ids:
                permissions |= role.permissions
        if member.id == self.owner_id or permissions & PERM_ADMINISTRATOR:
            return ALL_PERMISSIONS
        return permissions

    def payload(self, viewer_id: int | None = None) -> dict[str, Any]:
        """The full guild object sent in GUILD_CREATE (its active threads with `viewer_id`'s thread membership)."""
        return {
            "id": str(self.id),
            "name": self.name,
            "owner_id": str(self.owner_id),
            "icon": None,
            "features": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "system_channel_id": None,
            "roles": [role.payload() for role in self.roles],
            "channels": [channel.payload(self.id) for channel in self.channels],
            "members": [member.payload() for member in self.members],
            # member_count == len(members) marks the guild as chunked, so no op 8 is needed.
            "member_count": len(self.members),
            "large": False,
            "unavailable": False,
            "joined_at": _now_iso(),
            "threads": [thread.payload(self.id, viewer_id=viewer_id) for thread in self.threads],
            "presences": [],
            "voice_states": [],
            "emojis": [],
            "stickers": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


@dataclass
class Upload:
    """A file: one the bot uploaded, or one a fake user attaches (message or option)."""

    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None

    def guessed_content_type(self) -> str:
        if self.content_type and self.content_type != "application/octet-stream":
            return self.content_type
        return mimetypes.guess_type(self.filename)[0] or "application/octet-stream"


# ---------------------------------------------------------------------------------------------
# Records of what the bot sent, and handles for injected events
# ---------------------------------------------------------------------------------------------


@dataclass
class OutgoingMessage:
    """One REST call by which the bot sent, edited or deleted a message, reacted, or
    answered an interaction.

    ``raw`` is the JSON body as sent (for callbacks the whole ``{"type", "data"}``); the
    convenience properties read the message part of it. ``message`` is the resulting message
    as the server stores it (None when the call created no message, e.g. autocomplete).
    """

    index: int
    kind: OutgoingKind
    raw: dict[str, Any]
    files: list[Upload]
    channel_id: int | None
    interaction_id: int | None = None
    callback_type: int | None = None
    message: dict[str, Any] | None = None

    @property
    def data(self) -> dict[str, Any]:
        if self.kind == "interaction_callback":
            return self.raw.get("data") or {}
        return self.raw

    @property
    def content(self) -> str | None:
        return self.data.get("content")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.data.get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.data.get("components") or []

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        return self.data.get("allowed_mentions")

    @property
    def flags(self) -> int:
        return int(self.data.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        message_flags = int(self.message.get("flags", 0)) if self.message else 0
        return bool((self.flags | message_flags) & FLAG_EPHEMERAL)

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        """Autocomplete choices (callback type 8)."""
        return self.data.get("choices")

    @property
    def message_id(self) -> int | None:
        return int(self.message["id"]) if self.message else None

    @property
    def is_deferral(self) -> bool:
        return self.callback_type in (5, 6)


class InteractionHandle:
    """An interaction injected by the test; await the bot's answers from here."""

    def __init__(self, server: DiscordServer, payload: dict[str, Any]) -> None:
        self.server = server
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]

    @property
    def records(self) -> list[OutgoingMessage]:
        return [r for r in self.server.outgoing if r.interaction_id == self.id]

    async def wait_for(
        self, predicate: Callable[[OutgoingMessage], bool] | None = None, timeout: float = 10.0
    ) -> OutgoingMessage:
        """The first record of this interaction (callback, follow-up, edit) matching predicate."""

        def find() -> OutgoingMessage | None:
            return next((r for r in self.records if predicate is None or predicate(r)), None)

        return await self.server.wait_until(find, timeout, f"a response to interaction {self.id}")

    async def callback(self, timeout: float = 10.0) -> OutgoingMessage:
        """The interaction callback (the initial response, of any type)."""
        return await self.wait_for(lambda r: r.kind == "interaction_callback", timeout)

    async def response(self, timeout: float = 10.0) -> OutgoingMessage:
        """What the user gets to see: the callback, or after a defer (types 5/6) the first
        follow-up or edit (deleting the placeholder shows nothing)."""
        return await self.wait_for(lambda r: not r.is_deferral and r.kind != "followup_delete", timeout)


class InjectedMessage:
    """A MESSAGE_CREATE injected by the test."""

    def __init__(self, server: DiscordServer, payload: dict[str, Any], start_index: int) -> None:
        self.server = server
        self.payload = payload
        self.id = int(payload["id"])
        self.channel_id = int(payload["channel_id"])
        self._start_index = start_index

    async def response(self, timeout: float = 10.0) -> OutgoingMessage:
        """The first message the bot sent to this channel after this message was injected."""

        def find() -> OutgoingMessage | None:
            records = self.server.outgoing[self._start_index :]
            return next(
                (r for r in records if r.kind == "channel_message" and r.channel_id == self.channel_id),
                None,
            )

        return await self.server.wait_until(find, timeout, f"a reply in channel {self.channel_id}")


# ---------------------------------------------------------------------------------------------
# Validation of what the bot sends (a subset of Discord's limits)
# ---------------------------------------------------------------------------------------------


def _too_long(value: Any, limit: int) -> bool:
    return isinstance(value, str) and len(value) > limit


def _embed_errors(path: str, embed: dict[str, Any]) -> dict[str, str]:
    checks = [
        ("title", embed.get("title"), 256),
        ("description", embed.get("description"), 4096),
        ("footer.text", (embed.get("footer") or {}).get("text"), 2048),
        ("author.name", (embed.get("author") or {}).get("name"), 256),
    ]
    errors: dict[str, str] = {}
    fields = embed.get("fields") or []
    if len(fields) > 25:
        errors[f"{path}.fields"] = "Must be 25 or fewer in length."
    for index, embed_field in enumerate(fields):
        for key, limit in (("name", 256), ("value", 1024)):
            value = embed_field.get(key)
            checks.append((f"fields.{index}.{key}", value, limit))
            if not value:
                errors[f"{path}.fields.{index}.{key}"] = "This field is required"
    for key, value, limit in checks:
        if _too_long(value, limit):
            errors[f"{path}.{key}"] = f"Must be {limit} or fewer in length."
    return errors


def _embed_size(embed: dict[str, Any]) -> int:
    texts = [
        embed.get("title"),
        embed.get("description"),
        (embed.get("footer") or {}).get("text"),
        (embed.get("author") or {}).get("name"),
    ]
    for embed_field in embed.get("fields") or []:
        texts += [embed_field.get("name"), embed_field.get("value")]
    return sum(len(text) for text in texts if text)


def _component_errors(components: list[dict[str, Any]]) -> dict[str, str]:
    """Limits of classic (non components-v2) action rows, buttons and selects."""
    errors: dict[str, str] = {}
    if len(components) > 5:
        errors["components"] = "Must be 5 or fewer in length."
    for row_index, row in enumerate(components):
        children = row.get("components") or []
        if len(children) > 5:
            errors[f"components.{row_index}.components"] = "Must be 5 or fewer in length."
        for index, child in enumerate(children):
            path = f"components.{row_index}.components.{index}"
            for key, limit in (("label", 80), ("custom_id", 100), ("placeholder", 150)):
                if _too_long(child.get(key), limit):
                    errors[f"{path}.{key}"] = f"Must be {limit} or fewer in length."
            options = child.get("options") or []
            if child.get("type") == 3 and not 1 <= len(options) <= 25:
                errors[f"{path}.options"] = "Must be between 1 and 25 in length."
            for option_index, option in enumerate(options):
                for key in ("label", "value", "description"):
                    if _too_long(option.get(key), 100):
                        errors[f"{path}.options.{option_index}.{key}"] = "Must be 100 or fewer in length."
    return errors


def validate_message(data: dict[str, Any], file_count: int, *, creating: bool) -> None:
    """Raises ApiError like Discord for an empty message or one over the size limits."""
    content = data.get("content") or ""
    embeds = data.get("embeds") or []
    has_body = content or embeds or file_count or data.get("components") or data.get("poll")
    if creating and not (has_body or data.get("sticker_ids")):
        raise ApiError(400, 50006, "Cannot send an empty message")
    errors: dict[str, str] = {}
    if len(content) > 2000:
        errors["content"] = "Must be 2000 or fewer in length."
    if len(embeds) > 10:
        errors["embeds"] = "Must be 10 or fewer in length."
    for index, embed in enumerate(embeds):
        errors.update(_embed_errors(f"embeds.{index}", embed))
    if sum(_embed_size(embed) for embed in embeds) > 6000:
        errors["embeds"] = "Embed size exceeds maximum size of 6000"
    if not int(data.get("flags") or 0) & FLAG_COMPONENTS_V2:
        errors.update(_component_errors(data.get("components") or []))
    if errors:
        raise ApiError(400, 50035, "Invalid Form Body", errors)


def validate_choices(data: dict[str, Any]) -> None:
    choices = data.get("choices") or []
    errors = {"choices": "Must be 25 or fewer in length."} if len(choices) > 25 else {}
    for index, choice in enumerate(choices):
        if not 1 <= len(choice.get("name") or "") <= 100:
            errors[f"choices.{index}.name"] = "Must be between 1 and 100 in length."
        if _too_long(choice.get("value"), 100):
            errors[f"choices.{index}.value"] = "Must be 100 or fewer in length."
    if errors:
        raise ApiError(400, 50035, "Invalid Form Body", errors)


def validate_modal(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not 1 <= len(data.get("title") or "") <= 45:
        errors["title"] = "Must be between 1 and 45 in length."
    if not 1 <= len(data.get("components") or []) <= 5:
        errors["components"] = "Must be between 1 and 5 in length."
    for index, component in enumerate(_walk_components(data.get("components") or [])):
        if component.get("type") == 4:
            for key, limit in (("label", 45), ("placeholder", 100)):
                if _too_long(component.get(key), limit):
                    errors[f"components.{index}.{key}"] = f"Must be {limit} or fewer in length."
    if errors:
        raise ApiError(400, 50035, "Invalid Form Body", errors)


def _walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """All components, descending into rows, containers, sections and labels."""
    for component in components:
        yield component
        children = list(component.get("components") or [])
        children += [component[key] for key in ("component", "accessory") if component.get(key)]
        yield from _walk_components(children)


def _without_content(message: dict[str, Any], bot_id: str) -> dict[str, Any]:
    """What a bot without the message-content intent sees of a message (and of the message it replies to)."""
    if message["author"]["id"] == bot_id or any(user["id"] == bot_id for user in message.get("mentions", [])):
        return message
    seen = {**message, "content": "", "embeds": [], "attachments": [], "components": []}
    if message.get("referenced_message"):
        seen["referenced_message"] = _without_content(message["referenced_message"], bot_id)
    return seen


async def read_body(request: web.Request) -> tuple[dict[str, Any], list[Upload]]:
    """JSON body, or multipart ``payload_json`` plus ``files[N]`` parts (in index order).

    The attachment metadata in ``payload_json["attachments"]`` (``{"id": N, ...}``) supplies
    the description of ``files[N]``.
    """
    if not request.content_type.startswith("multipart/"):
        return (await request.json() if request.can_read_body else {}), []
    payload: dict[str, Any] = {}
    indexed: dict[int, Upload] = {}
    async for part in await request.multipart():
        if part.name == "payload_json":
            payload = json.loads(await part.text())
        elif part.name and part.name.startswith("files["):
            data = bytes(await part.read())
            indexed[int(part.name[6:-1])] = Upload(part.filename or "file", data, part.headers.get("Content-Type"))
    inner = payload.get("data") if "type" in payload and "data" in payload else payload
    for meta in (inner or {}).get("attachments") or []:
        upload = indexed.get(int(meta["id"])) if str(meta.get("id", "")).isdigit() else None
        if upload is not None:
            upload.description = meta.get("description")
    return payload, [indexed[index] for index in sorted(indexed)]


# ---------------------------------------------------------------------------------------------
# Rate limiting
# ---------------------------------------------------------------------------------------------


@dataclass
class _RateLimitRule:
    method: str | None
    pattern: str
    remaining: int
    retry_after: float
    is_global: bool

    def matches(self, method: str, path: str) -> bool:
        if self.method not in (None, method):
            return False
        return path.startswith(self.pattern) or fnmatch.fnmatchcase(path, self.pattern)

    def response(self) -> web.Response:
        """A 429 that discord.py retries: it needs a ``Via`` header and a JSON body."""
        headers = {
            "Via": "1.1 google",
            "Retry-After": str(math.ceil(self.retry_after)),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + self.retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{self.retry_after:.3f}",
            "X-RateLimit-Bucket": "fake-" + re.sub(r"\W", "", self.pattern)[:16],
            "X-RateLimit-Scope": "global" if self.is_global else "user",
        }
        if self.is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {"message": "You are being rate limited.", "retry_after": self.retry_after, "global": self.is_global}
        return json_response(body, 429, headers)


# ---------------------------------------------------------------------------------------------
# Gateway
# ---------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Connection:
    ws: web.WebSocketResponse
    transport: asyncio.Transport | None


@dataclass
class _Session:
    id: str
    intents: int
    shard: list[int]  # [shard id, shard count] as identified; [0, 1] without sharding
    seq: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    live: _Connection | None = None

    def covers(self, guild_id: int | None) -> bool:
        """Discord's rule: a guild's events go to shard (guild_id >> 22) % shard_count; DMs to shard 0."""
        shard_id, count = self.shard
        return (guild_id >> 22) % count == shard_id if guild_id is not None else shard_id == 0


def _guild_of(event: str, data: dict[str, Any]) -> int | None:
    guild_id = data.get("id") if event == "GUILD_CREATE" else data.get("guild_id")
    return int(guild_id) if guild_id else None


class _Gateway:
    """The websocket gateway: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay; one session per shard.

    Every dispatch goes to the session of the shard that holds its guild, and is kept in that session's
    ``history`` so a RESUME can replay the ones after the client's ``seq``. Dispatches made while the session has
    no live connection stay in the history (or, before its shard has identified, in ``_pending``) and reach the
    bot later.
    """

    def __init__(self, server: DiscordServer) -> None:
        self._server = server
        self._lock = asyncio.Lock()  # orders dispatches and (re)attaching connections
        self.sessions: dict[int, _Session] = {}  # by shard id
        self._pending: list[tuple[str, dict[str, Any]]] = []
        self._connections: set[_Connection] = set()
        self.received: list[dict[str, Any]] = []
        self.received_at: list[float] = []  # time.monotonic() of each received frame
        self.connect_paths: list[str] = []

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        connection = _Connection(ws, request.transport)  # type: ignore[arg-type]
        self._connections.add(connection)
        self.connect_paths.append(request.path)
        try:
            await self._send(ws, {"op": 10, "d": {"heartbeat_interval": self._server.heartbeat_interval_ms}})
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    await self._on_frame(connection, json.loads(message.data))
        finally:
            self._connections.discard(connection)
            for session in self.sessions.values():
                if session.live is connection:
                    session.live = None
        return ws

    def _session_for(self, event: str, data: dict[str, Any]) -> _Session | None:
        guild_id = _guild_of(event, data)
        return next((session for session in self.sessions.values() if session.covers(guild_id)), None)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        async with self._lock:
            session = self._session_for(event, data)
            if session is None:
                self._pending.append((event, data))
            else:
                await self._emit(session, event, data)

    async def drop(self, shard_id: int = 0) -> None:
        """Cut the shard's live connection without a close frame (like a network failure)."""
        async with self._lock:
            session = self.sessions.get(shard_id)
            connection = session.live if session else None
            if session is not None:
                session.live = None
        if connection is None or connection.transport is None:
            raise RuntimeError(f"the bot has no live gateway connection on shard {shard_id} to drop")
        connection.transport.abort()

    def close_all(self) -> None:
        for connection in list(self._connections):
            if connection.transport is not None:
                connection.transport.abort()

    async def _send(self, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        # On a dying connection the dispatch stays in the session history for a RESUME.
        with contextlib.suppress(ConnectionError):
            await ws.send_str(json.dumps(frame))

    async def _on_frame(self, connection: _Connection, frame: dict[str, Any]) -> None:
        self.received.append(frame)
        self.received_at.append(time.monotonic())
        await self._server.notify()
        op, data = frame.get("op"), frame.get("d") or {}
        if op == 1:
            await self._send(connection.ws, {"op": 11})
        elif op == 2:
            await self._identify(connection, data)
        elif op == 6:
            await self._resume(connection, data)
        elif op == 8:
            await self._request_members(data)

    async def _identify(self, connection: _Connection, data: dict[str, Any]) -> None:
        server = self._server
        intents = int(data.get("intents", 0))
        shard = list(data.get("shard") or [0, 1])
        if data.get("token") != server.token:
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return
        if not 0 <= shard[0] < shard[1]:
            await connection.ws.close(code=4010, message=b"Invalid shard.")
            return
        if intents & PRIVILEGED_INTENTS & ~server.allowed_privileged_intents:
            await connection.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        async with self._lock:
            session = _Session(secrets.token_hex(16), intents, shard, live=connection)
            self.sessions[shard[0]] = session
            guilds = [guild for guild in server.guilds if session.covers(guild.id)]
            await self._emit(session, "READY", server.ready_payload(session.id, shard, guilds))
            for guild in guilds:
                await self._emit(session, "GUILD_CREATE", guild.payload(server.bot_user.id))
            pending, self._pending = self._pending, []
            for event, event_data in pending:
                if session.covers(_guild_of(event, event_data)):
                    await self._emit(session, event, event_data)
                else:
                    self._pending.append((event, event_data))

    async def _resume(self, connection: _Connection, data: dict[str, Any]) -> None:
        session = next((s for s in self.sessions.values() if s.id == data.get("session_id")), None)
        if session is None or data.get("token") != self._server.token:
            await self._send(connection.ws, {"op": 9, "d": False})
            return
        async with self._lock:
            session.live = connection
            seq = data.get("seq") or 0
            for frame in session.history:
                if frame["s"] > seq:
                    await self._send(connection.ws, frame)
            await self._emit(session, "RESUMED", {})

    async def _request_members(self, data: dict[str, Any]) -> None:
        """op 8 REQUEST_GUILD_MEMBERS: answer with a single GUILD_MEMBERS_CHUNK."""
        guild = self._server.find_guild(int(data.get("guild_id") or 0))
        if guild is None:
            return
        query = (data.get("query") or "").lower()
        user_ids = {int(user_id) for user_id in data.get("user_ids") or []}
        members = [m for m in guild.members if m.name.lower().startswith(query) and (not user_ids or m.id in user_ids)]
        limit = data.get("limit") or len(members)
        chunk = {
            "guild_id": str(guild.id),
            "members": [m.payload() for m in members[:limit]],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
            "nonce": data.get("nonce"),
        }
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def _emit(self, session: _Session, event: str, data: dict[str, Any]) -> None:
        """Sequence and send one dispatch in ``session``; the caller holds ``_lock``."""
        visible = self._server.visible_to_bot(event, data, session.intents)
        if visible is None:
            return
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": visible}
        session.history.append(frame)
        if session.live is not None:
            await self._send(session.live.ws, frame)


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------


@dataclass
class _Interaction:
    id: int
    token: str
    type: int
    channel_id: int
    user: FakeMember
    source_message_id: int | None = None  # the message a component interaction came from
    callback_type: int | None = None
    original_id: int | None = None  # message created (4/5) or updated (6/7) by the callback
    loading: bool = False  # deferred (type 5); the first follow-up replaces the loading message
    message_ids: set[int] = field(default_factory=set)


class DiscordServer:
    """A fake Discord (REST + gateway) for one bot and one guild, or several (`add_guild`).

    Configure the world (``guild``, members, channels) before the bot connects: each guild
    is sent once, in GUILD_CREATE, to the shard that holds it ((guild id >> 22) % shard count:
    several processes, each identifying with its own shards, share this server). Everything
    the bot sends is appended to ``outgoing``.
    """

    def __init__(
        self,
        *,
        token: str = "test-token",
        bot_id: int = DEFAULT_BOT_ID,
        bot_name: str = "TestBot",
        application_id: int | None = None,
        allowed_privileged_intents: int = PRIVILEGED_INTENTS,
        heartbeat_interval_ms: int = 41_250,
        attachment_size_limit: int = 10 * 1024 * 1024,
        reaction_time: float = 0.05,
        shards: int = 1,
        port: int = 0,
    ) -> None:
        self.token = token
        self.bot_user = FakeUser(bot_id, bot_name, bot=True)
        self.application_id = application_id or bot_id
        self.allowed_privileged_intents = allowed_privileged_intents
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.attachment_size_limit = attachment_size_limit
        # A bot registers a view or modal (or what it sent) only once it has read the HTTP response that created
        # it, which may be after the test saw the record: users clicking or replying "instantly" would race it.
        self.reaction_time = reaction_time
        self.shards = shards  # what GET /gateway/bot recommends
        self.owner = FakeMember(FakeUser(DEFAULT_OWNER_ID, "owner"))
        self.admin = FakeMember(FakeUser(DEFAULT_ADMIN_ID, "admin"), [DEFAULT_ADMIN_ROLE_ID])
        self.member = FakeMember(FakeUser(DEFAULT_MEMBER_ID, "member"))
        self.bot_member = FakeMember(self.bot_user, [DEFAULT_BOT_ROLE_ID])
        self.channel = FakeChannel(DEFAULT_CHANNEL_ID, "general")
        self.guild = self._new_guild(DEFAULT_GUILD_ID, "Test Guild", self.channel)
        self.guilds = [self.guild]
        self.commands: dict[int | None, list[dict[str, Any]]] = {}  # guild id (None = global)
        self.outgoing: list[OutgoingMessage] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.rate_limited: list[str] = []
        self.typing: list[int] = []
        self._files: dict[int, Upload] = {}
        self._interactions: dict[str, _Interaction] = {}
        self._rate_limits: list[_RateLimitRule] = []
        self._consumed: set[int] = set()
        self._last_id = 0
        self._changed = asyncio.Condition()
        self._gateway = _Gateway(self)
        self._runner: web.AppRunner | None = None
        self.port = port  # 0: any free port, chosen by start()

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> Self:
        app = web.Application(middlewares=[self._middleware], client_max_size=256 * 1024 * 1024)
        self._add_routes(app.router)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE``."""
        return self.url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY`` (and the answer of GET /gateway)."""
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/resume"

    def next_id(self) -> int:
        """A fresh, increasing snowflake."""
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last_id = max(candidate, self._last_id + 1)
        return self._last_id

    # -- world configuration ---------------------------------------------------------------------

    def _new_guild(self, guild_id: int, name: str, channel: FakeChannel) -> FakeGuild:
        """A guild with the default people (owner, admin, member, the bot), its roles and one channel."""
        return FakeGuild(
            id=guild_id,
            name=name,
            owner_id=self.owner.id,
            roles=[
                FakeRole(guild_id, "@everyone", EVERYONE_PERMISSIONS),
                FakeRole(DEFAULT_ADMIN_ROLE_ID, "Admin", PERM_MANAGE_GUILD | PERM_MANAGE_MESSAGES, position=2),
                FakeRole(
                    DEFAULT_BOT_ROLE_ID, self.bot_user.name, EVERYONE_PERMISSIONS | PERM_MANAGE_MESSAGES, position=1
                ),
            ],
            channels=[channel],
            members=[self.owner, self.admin, self.member, self.bot_member],
        )

    def add_guild(self, name: str, *, shard: int = 0, shard_count: int = 1) -> FakeGuild:
        """Another guild with the default people and a channel "general", with an id on ``shard`` of
        ``shard_count``. Its channel: ``guild.channels[0]``, the channel to run commands in there."""
        guild_id = self.next_id()
        guild_id += ((shard - (guild_id >> 22)) % shard_count) << 22
        self._last_id = max(self._last_id, guild_id)
        guild = self._new_guild(guild_id, name, FakeChannel(self.next_id(), "general"))
        self.guilds.append(guild)
        return guild

    def find_guild(self, guild_id: int) -> FakeGuild | None:
        return next((guild for guild in self.guilds if guild.id == guild_id), None)

    def guild_of(self, channel: FakeChannel) -> FakeGuild:
        return next(guild for guild in self.guilds if guild.channel(channel.id) is not None)

    def find_channel(self, channel_id: int) -> FakeChannel | None:
        return next((c for guild in self.guilds if (c := guild.channel(channel_id)) is not None), None)

    def add_member(self, name: str, *, role_ids: list[int] | None = None) -> FakeMember:
        member = FakeMember(FakeUser(self.next_id(), name), list(role_ids or []))
        self.guild.members.append(member)
        return member

    def add_channel(self, name: str, *, type: int = 0) -> FakeChannel:
        channel = FakeChannel(self.next_id(), name, type, position=len(self.guild.channels))
        self.guild.channels.append(channel)
        return channel

    # -- observation -------------------------------------------------------------------------------

    @property
    def gateway_received(self) -> list[dict[str, Any]]:
        """Every frame the bot sent on any gateway connection, in order."""
        return self._gateway.received

    @property
    def gateway_connect_paths(self) -> list[str]:
        """URL path of each gateway connection (``/ws`` or ``/ws/resume``)."""
        return self._gateway.connect_paths

    def identified_shards(self) -> list[list[int]]:
        """The ``[shard id, shard count]`` of each IDENTIFY, in order."""
        return [list(frame["d"].get("shard") or [0, 1]) for frame in self._gateway.received if frame.get("op") == 2]

    def shard_guilds(self, shard_id: int) -> set[int]:
        """Ids of the guilds whose events (GUILD_CREATE, interactions, messages) went to that shard's session."""
        session = self._gateway.sessions.get(shard_id)
        history = session.history if session else []
        return {guild_id for frame in history if (guild_id := _guild_of(frame["t"], frame["d"])) is not None}

    def received_ops(self) -> list[int]:
        return [frame.get("op") for frame in self._gateway.received]

    @property
    def heartbeats(self) -> int:
        return self.received_ops().count(1)

    def heartbeat_times(self) -> list[float]:
        """``time.monotonic()`` at which each heartbeat (op 1) arrived, in order."""
        return [
            at
            for frame, at in zip(self._gateway.received, self._gateway.received_at, strict=True)
            if frame.get("op") == 1
        ]

    async def notify(self) -> None:
        """Wake everything waiting in `wait_until` (called on every state change)."""
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, find: Callable[[], _T | None], timeout: float, what: str) -> _T:
        """Wait until ``find()`` returns something truthy and return it."""
        async with self._changed:
            try:
                async with asyncio.timeout(timeout):
                    return await self._changed.wait_for(find)
            except TimeoutError:
                raise TimeoutError(f"timed out after {timeout}s waiting for {what}\n{self.summary()}") from None

    async def wait_for_message(
        self, predicate: Callable[[OutgoingMessage], bool] | None = None, timeout: float = 10.0
    ) -> OutgoingMessage:
        """The oldest outgoing record matching predicate that no earlier call returned."""

        def find() -> OutgoingMessage | None:
            return next(
                (r for r in self.outgoing if r.index not in self._consumed and (predicate is None or predicate(r))),
                None,
            )

        record = await self.wait_until(find, timeout, "an outgoing message")
        self._consumed.add(record.index)
        return record

    async def wait_for_op(self, op: int, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until the bot has sent ``count`` gateway frames with opcode ``op``."""
        await self.wait_until(lambda: self.received_ops().count(op) >= count, timeout, f"gateway op {op}")

    def summary(self) -> str:
        """Human-readable state for failure messages."""
        lines = [f"outgoing ({len(self.outgoing)}):"]
        lines += [f"  #{r.index} {r.kind} cb={r.callback_type} content={r.content!r:.80}" for r in self.outgoing[-15:]]
        lines.append(f"errors: {self.errors[-10:]}")
        lines.append(f"gateway ops received: {self.received_ops()[-20:]}")
        return "\n".join(lines)

    # -- fault injection ---------------------------------------------------------------------------

    def rate_limit_next(
        self, route: str, *, times: int = 1, retry_after: float = 0.05, is_global: bool = False
    ) -> None:
        """Answer the next ``times`` matching API requests with 429.

        ``route`` is ``"[METHOD ]/path"`` relative to ``/api/v10``; the path matches as a prefix
        or as an fnmatch pattern, e.g. ``"POST /channels/*/messages"`` or ``"/interactions/"``.
        """
        method, _, path = route.rpartition(" ")
        self._rate_limits.append(_RateLimitRule(method.upper() or None, path, times, retry_after, is_global))

    async def drop_gateway(self, shard_id: int = 0) -> None:
        """Abruptly cut the bot's gateway connection (of that shard); it should RESUME on resume_gateway_url.

        Events injected until it has resumed are queued and replayed with their sequence numbers.
        """
        await self._gateway.drop(shard_id)

    # -- injecting user activity ---------------------------------------------------------------------

    async def send_message(
        self,
        content: str,
        *,
        author: FakeMember | None = None,
        channel: FakeChannel | None = None,
        attachments: list[Upload] | None = None,
        reply_to: OutgoingMessage | InjectedMessage | int | None = None,
        mention_author: bool = True,
    ) -> InjectedMessage:
        """A user posts a message (MESSAGE_CREATE); ``<@id>``/``<@&id>`` mentions are parsed.

        ``reply_to``: a reply to that message (a message of ``channel``): type 19 with a ``message_reference`` and the
        ``referenced_message``; it pings (mentions) the replied author unless ``mention_author`` is False, the
        toggle of Discord's client. In a thread (``channel`` a `FakeThread`), the author and everyone it mentions
        become members of the thread (THREAD_MEMBERS_UPDATE)."""
        author = author or self.member
        channel = channel or self.channel
        guild = self.guild_of(channel)
        data: dict[str, Any] = {"content": content}
        pinged = []
        if reply_to is not None:
            await asyncio.sleep(self.reaction_time)  # a reply needs its message read first, as a click does
            replied = self._stored_message(reply_to)
            if replied["channel_id"] != str(channel.id):
                raise ValueError(f"message {replied['id']} is not in channel {channel.id}: a reply is in its channel")
            data["message_reference"] = {
                "type": 0,
                "message_id": replied["id"],
                "channel_id": replied["channel_id"],
                "guild_id": str(guild.id),
            }
            if mention_author and replied["author"]["id"] != str(author.id):
                pinged.append(int(replied["author"]["id"]))
        payload = self._new_message(channel.id, author.user, data, attachments or [])
        payload["member"] = author.payload(with_user=False)
        payload["mentions"] = self._mentioned_users(content, guild, also=pinged)
        payload["mention_roles"] = re.findall(r"<@&(\d+)>", content)
        injected = InjectedMessage(self, payload, start_index=len(self.outgoing))
        await self._gateway.dispatch("MESSAGE_CREATE", payload)
        if isinstance(channel, FakeThread):
            await self._join_thread(channel, [author.id, *(int(user["id"]) for user in payload["mentions"])])
        return injected

    async def create_thread(
        self, message: OutgoingMessage | InjectedMessage | int, name: str, *, author: FakeMember | None = None
    ) -> FakeThread:
        """A user starts a public thread from a message of a text channel, as Discord's client does."""
        return await self._start_thread(self._stored_message(message), name, (author or self.member).user, 1440)

    async def _start_thread(
        self, starter: dict[str, Any], name: str, owner: FakeUser, auto_archive_duration: int
    ) -> FakeThread:
        """Start Thread from Message (resources/channel#start-thread-from-message): a PUBLIC_THREAD whose id is the
        message's, THREAD_CREATE (``newly_created``), the owner added (THREAD_MEMBERS_UPDATE), and the starter's
        MESSAGE_UPDATE (``thread``, flag HAS_THREAD). One thread per message; not from a thread's message."""
        channel = self.find_channel(int(starter["channel_id"]))
        if channel is None or isinstance(channel, FakeThread) or channel.type != CHANNEL_GUILD_TEXT:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        if int(starter.get("flags") or 0) & FLAG_HAS_THREAD:
            raise ApiError(400, 160004, "A thread has already been created for this message")
        errors = {}
        if not 1 <= len(name) <= 100:
            errors["name"] = "Must be between 1 and 100 in length."
        if auto_archive_duration not in THREAD_ARCHIVE_DURATIONS:
            errors["auto_archive_duration"] = f"Value must be one of {THREAD_ARCHIVE_DURATIONS}."
        if errors:
            raise ApiError(400, 50035, "Invalid Form Body", errors)
        guild = self.guild_of(channel)
        thread = FakeThread(int(starter["id"]), name, parent_id=channel.id, owner_id=owner.id,
                            auto_archive_duration=auto_archive_duration)  # fmt: skip
        guild.threads.append(thread)
        await self._gateway.dispatch("THREAD_CREATE", {**thread.payload(guild.id), "newly_created": True})
        await self._join_thread(thread, [owner.id])
        starter["flags"] = int(starter.get("flags") or 0) | FLAG_HAS_THREAD
        starter["thread"] = thread.payload(guild.id)
        await self._gateway.dispatch("MESSAGE_UPDATE", dict(starter))
        return thread

    async def _join_thread(self, thread: FakeThread, user_ids: list[int]) -> None:
        """Add the guild members among ``user_ids`` who are not yet in ``thread``; one THREAD_MEMBERS_UPDATE."""
        guild = self.guild_of(thread)
        added = []
        for user_id in dict.fromkeys(user_ids):
            member = guild.member(user_id)
            if member is not None and user_id not in thread.members:
                thread.members[user_id] = _now_iso()
                added.append({**thread.member_payload(user_id), "member": member.payload()})
        if added:
            update = {"id": str(thread.id), "guild_id": str(guild.id), "member_count": min(len(thread.members), 50),
                      "added_members": added}  # fmt: skip
            await self._gateway.dispatch("THREAD_MEMBERS_UPDATE", update)

    async def slash_command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: FakeMember | None = None,
        channel: FakeChannel | None = None,
    ) -> InteractionHandle:
        """A user runs ``/name`` (``"group sub"`` for subcommands) with typed options.

        Option types come from the commands the bot synced. Values: str/int/float/bool, a
        FakeMember (user/mentionable), FakeRole, FakeChannel, or an Upload (attachment).
        """
        data = self._command_data(name, options or {}, focused=None, channel=channel or self.channel)
        return await self._create_interaction(INTERACTION_APPLICATION_COMMAND, data, user, channel)

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any],
        *,
        focused: str,
        user: FakeMember | None = None,
        channel: FakeChannel | None = None,
    ) -> InteractionHandle:
        """A user types into option ``focused``; ``options[focused]`` is the partial text."""
        data = self._command_data(name, options, focused=focused, channel=channel or self.channel)
        return await self._create_interaction(INTERACTION_AUTOCOMPLETE, data, user, channel)

    async def click_button(
        self,
        message: OutgoingMessage | int,
        custom_id: str | None = None,
        *,
        label: str | None = None,
        user: FakeMember | None = None,
    ) -> InteractionHandle:
        """A user clicks a button (found by custom_id or label) on a message the bot sent."""
        await asyncio.sleep(self.reaction_time)
        stored = self._stored_message(message)
        button = self._find_button(stored, custom_id, label)
        data = {"custom_id": button["custom_id"], "component_type": 2}
        channel = self.find_channel(int(stored["channel_id"])) or self.channel
        return await self._create_interaction(INTERACTION_COMPONENT, data, user, channel, message=stored)

    async def choose_options(
        self,
        message: OutgoingMessage | int,
        values: list[str],
        *,
        custom_id: str | None = None,
        placeholder: str | None = None,
        user: FakeMember | None = None,
    ) -> InteractionHandle:
        """A user picks options (by value) in a string select menu (found by custom_id or placeholder) on a
        message the bot sent; like Discord's client, only offered values, within min/max_values, when enabled."""
        await asyncio.sleep(self.reaction_time)
        stored = self._stored_message(message)
        menus = [
            component
            for component in _walk_components(stored.get("components") or [])
            if component.get("type") == 3
            and custom_id in (None, component["custom_id"])
            and placeholder in (None, component.get("placeholder"))
        ]
        if not menus:
            raise LookupError(f"no select custom_id={custom_id!r} placeholder={placeholder!r} in {stored['id']}")
        menu = menus[0]
        offered = {option["value"] for option in menu.get("options") or []}
        if menu.get("disabled"):
            raise ValueError(f"select {menu['custom_id']!r} is disabled")
        if not set(values) <= offered or not menu.get("min_values", 1) <= len(values) <= menu.get("max_values", 1):
            raise ValueError(f"cannot pick {values} in select {menu['custom_id']!r} offering {sorted(offered)}")
        data = {"custom_id": menu["custom_id"], "component_type": 3, "values": list(values)}
        channel = self.guild.channel(int(stored["channel_id"])) or self.channel
        return await self._create_interaction(INTERACTION_COMPONENT, data, user, channel, message=stored)

    async def submit_modal(
        self, modal: OutgoingMessage, values: dict[str, str], *, user: FakeMember | None = None
    ) -> InteractionHandle:
        """A user submits the modal the bot opened (callback type 9); values by text input custom_id."""
        if modal.callback_type != 9 or modal.interaction_id is None:
            raise ValueError("submit_modal needs the record of a type 9 (modal) callback")
        await asyncio.sleep(self.reaction_time)
        opener = next(i for i in self._interactions.values() if i.id == modal.interaction_id)
        components = [
            {"type": 1, "components": [{"type": 4, "custom_id": custom_id, "value": value}]}
            for custom_id, value in values.items()
        ]
        data = {"custom_id": modal.data["custom_id"], "components": components}
        channel = self.find_channel(opener.channel_id) or self.channel
        return await self._create_interaction(INTERACTION_MODAL_SUBMIT, data, user or opener.user, channel)

    # -- payloads ------------------------------------------------------------------------------------

    def ready_payload(self, session_id: str, shard: list[int], guilds: list[FakeGuild]) -> dict[str, Any]:
        user = {**self.bot_user.payload(), "verified": True, "mfa_enabled": False, "flags": 0}
        return {
            "v": 10,
            "user": user,
            "guilds": [{"id": str(guild.id), "unavailable": True} for guild in guilds],
            "session_id": session_id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "shard": shard,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
        }

    def visible_to_bot(self, event: str, data: dict[str, Any], intents: int) -> dict[str, Any] | None:
        """Apply intents to a message event: no GUILD_MESSAGES, no event; no MESSAGE_CONTENT,
        no content (nor in the message it replies to), unless the bot wrote the message or is mentioned in it.
        THREAD_MEMBERS_UPDATE about other users needs GUILD_MEMBERS; about the bot it is always sent."""
        bot_id = str(self.bot_user.id)
        if event == "THREAD_MEMBERS_UPDATE":
            about_bot = bot_id in [m["user_id"] for m in data.get("added_members", [])] + data.get(
                "removed_member_ids", []
            )
            return data if about_bot or intents & INTENT_GUILD_MEMBERS else None
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
            return data
        if not intents & INTENT_GUILD_MESSAGES:
            return None
        if intents & INTENT_MESSAGE_CONTENT:
            return data
        return _without_content(data, bot_id)

    def _mentioned_users(self, content: str, guild: FakeGuild, also: list[int] | None = None) -> list[dict[str, Any]]:
        """The users ``<@id>`` in ``content`` names, then those in ``also`` (a reply's pinged author)."""
        mentions = []
        written = [int(found) for found in re.findall(r"<@!?(\d+)>", content)]
        for user_id in dict.fromkeys([*written, *(also or [])]):
            member = guild.member(user_id)
            if member is not None:
                mentions.append({**member.user.payload(), "member": member.payload(with_user=False)})
        return mentions

    def _store_file(self, upload: Upload) -> dict[str, Any]:
        """Keep a file and describe it as an attachment served by this server."""
        attachment_id = self.next_id()
        self._files[attachment_id] = upload
        url = f"{self.url}/attachments/{attachment_id}/{quote(upload.filename)}"
        return {
            "id": str(attachment_id),
            "filename": upload.filename,
            "description": upload.description,
            "content_type": upload.guessed_content_type(),
            "size": len(upload.data),
            "url": url,
            "proxy_url": url,
        }

    def _new_message(
        self,
        channel_id: int,
        author: FakeUser,
        data: dict[str, Any],
        files: list[Upload],
        *,
        message_id: int | None = None,
        webhook: bool = False,
    ) -> dict[str, Any]:
        """Create (or replace) a stored message from a send payload; ``webhook`` marks messages
        sent through an interaction (they carry the application id as ``webhook_id``)."""
        message_id = message_id or self.next_id()
        message = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "guild_id": str(self.guild_of(self.find_channel(channel_id) or self.channel).id),
            "author": author.payload(),
            "content": data.get("content") or "",
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": bool(data.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [self._store_file(upload) for upload in files],
            "embeds": data.get("embeds") or [],
            "components": data.get("components") or [],
            "pinned": False,
            "type": 19 if data.get("message_reference") else 0,
            "flags": int(data.get("flags") or 0),
        }
        if data.get("message_reference"):
            message["message_reference"] = data["message_reference"]
            replied = self.messages.get(int(data["message_reference"]["message_id"]))
            message["referenced_message"] = (
                {key: value for key, value in replied.items() if key != "referenced_message"} if replied else None
            )
        channel = self.find_channel(channel_id)
        if isinstance(channel, FakeThread) and message_id not in self.messages:
            channel.message_count += 1
        if webhook:
            message["webhook_id"] = str(self.application_id)
        self.messages[message_id] = message
        return message

    def _edit_message(self, message: dict[str, Any], data: dict[str, Any], files: list[Upload]) -> dict[str, Any]:
        """Apply a PATCH payload: given fields replace, ``attachments`` lists the ones to keep."""
        for key in ("content", "embeds", "components", "flags"):
            if key in data:
                message[key] = data[key] if data[key] is not None else ([] if key != "content" else "")
        kept = message["attachments"]
        if data.get("attachments") is not None:
            wanted = {str(a.get("id")) for a in data["attachments"]}
            kept = [a for a in kept if a["id"] in wanted]
        message["attachments"] = kept + [self._store_file(upload) for upload in files]
        message["edited_timestamp"] = _now_iso()
        return message

    def _stored_message(self, message: OutgoingMessage | InjectedMessage | int) -> dict[str, Any]:
        if isinstance(message, OutgoingMessage):
            message_id = message.message_id
        else:
            message_id = message.id if isinstance(message, InjectedMessage) else message
        if message_id is None or message_id not in self.messages:
            raise LookupError(f"no stored message {message_id}")
        return self.messages[message_id]

    @staticmethod
    def _find_button(message: dict[str, Any], custom_id: str | None, label: str | None) -> dict[str, Any]:
        for component in _walk_components(message.get("components") or []):
            if component.get("type") != 2 or "custom_id" not in component:
                continue
            if custom_id in (None, component["custom_id"]) and label in (None, component.get("label")):
                if component.get("disabled"):
                    raise ValueError(f"button {component['custom_id']!r} is disabled")
                return component
        raise LookupError(f"no button custom_id={custom_id!r} label={label!r} in message {message['id']}")

    # -- application commands -----------------------------------------------------------------------

    def find_command(self, name: str, guild: FakeGuild | None = None) -> tuple[dict[str, Any], int | None]:
        """A synced chat-input command by name: the guild's commands first (default: ``guild``), then global ones."""
        for scope in ((guild or self.guild).id, None):
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == 1:
                    return command, scope
        synced = {scope: [c["name"] for c in commands] for scope, commands in self.commands.items()}
        raise LookupError(f"/{name} was not synced by the bot; synced: {synced}")

    def _command_data(
        self, name: str, values: dict[str, Any], *, focused: str | None, channel: FakeChannel
    ) -> dict[str, Any]:
        """``data`` of an application-command or autocomplete interaction."""
        root, *path = name.split()
        command, scope = self.find_command(root, self.guild_of(channel))
        definitions = command.get("options") or []
        options: list[dict[str, Any]] = []
        container = options
        for part in path:  # descend into subcommand groups / subcommands
            definition = next((d for d in definitions if d["name"] == part and d["type"] in (1, 2)), None)
            if definition is None:
                raise LookupError(f"/{root} has no subcommand {part!r}")
            nested: dict[str, Any] = {"name": part, "type": definition["type"], "options": []}
            container.append(nested)
            container, definitions = nested["options"], definition.get("options") or []
        resolved: dict[str, dict[str, Any]] = {}
        container.extend(self._option_values(definitions, values, resolved, focused, channel))
        data: dict[str, Any] = {"id": command["id"], "name": root, "type": 1, "options": options}
        if resolved:
            data["resolved"] = resolved
        if scope is not None:
            data["guild_id"] = str(scope)
        return data

    def _option_values(
        self,
        definitions: list[dict[str, Any]],
        values: dict[str, Any],
        resolved: dict[str, dict[str, Any]],
        focused: str | None,
        channel: FakeChannel,
    ) -> list[dict[str, Any]]:
        by_name = {d["name"]: d for d in definitions}
        unknown = set(values) - set(by_name)
        if unknown:
            raise ValueError(f"unknown options {sorted(unknown)}; the command has {sorted(by_name)}")
        if focused is not None and focused not in values:
            raise ValueError(f"the focused option {focused!r} needs a (partial) value in options")
        missing = [d["name"] for d in definitions if d.get("required") and d["name"] not in values]
        if missing and focused is None:
            raise ValueError(f"required options missing: {missing}")
        options = []
        for option_name, value in values.items():
            definition = by_name[option_name]
            option: dict[str, Any] = {"name": option_name, "type": definition["type"]}
            if option_name == focused:
                option.update(value=str(value), focused=True)
            else:
                option["value"] = self._option_value(definition, value, resolved, channel)
            options.append(option)
        return options

    def _option_value(
        self, definition: dict[str, Any], value: Any, resolved: dict[str, dict[str, Any]], channel: FakeChannel
    ) -> Any:
        kind = definition["type"]
        converters: dict[int, Callable[[Any], Any]] = {3: str, 4: int, 5: bool, 10: float}
        if kind in converters:
            converted = converters[kind](value)
            choices = [c["value"] for c in definition.get("choices") or []]
            if choices and converted not in choices:
                raise ValueError(f"{definition['name']}={converted!r} is not one of the choices {choices}")
            return converted
        return self._resolve(kind, value, resolved, channel)

    def _resolve(self, kind: int, value: Any, resolved: dict[str, dict[str, Any]], channel: FakeChannel) -> str:
        """Put an entity option into ``data.resolved`` and return its snowflake string."""
        if isinstance(value, FakeMember) and kind in (6, 9):
            permissions = self.guild_of(channel).permissions_of(value)
            member = {**value.payload(with_user=False), "permissions": str(permissions)}
            resolved.setdefault("users", {})[str(value.id)] = value.user.payload()
            resolved.setdefault("members", {})[str(value.id)] = member
            return str(value.id)
        if isinstance(value, FakeRole) and kind in (8, 9):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            return str(value.id)
        if isinstance(value, FakeChannel) and kind == 7:
            data = {**value.payload(self.guild_of(value).id), "permissions": str(ALL_PERMISSIONS)}
            resolved.setdefault("channels", {})[str(value.id)] = data
            return str(value.id)
        if isinstance(value, Upload) and kind == 11:
            attachment = self._store_file(value)
            resolved.setdefault("attachments", {})[attachment["id"]] = attachment
            return attachment["id"]
        raise TypeError(f"option type {kind} cannot take {value!r}")

    async def _create_interaction(
        self,
        interaction_type: int,
        data: dict[str, Any],
        user: FakeMember | None,
        channel: FakeChannel | None,
        *,
        message: dict[str, Any] | None = None,
    ) -> InteractionHandle:
        user = user or self.member
        channel = channel or self.channel
        guild = self.guild_of(channel)
        interaction_id = self.next_id()
        token = f"itok-{interaction_id}-{secrets.token_urlsafe(24)}"
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": interaction_type,
            "data": data,
            "guild_id": str(guild.id),
            "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
            "channel_id": str(channel.id),
            "channel": {**channel.payload(guild.id), "permissions": str(guild.permissions_of(user))},
            "member": {**user.payload(), "permissions": str(guild.permissions_of(user))},
            "token": token,
            "version": 1,
            "app_permissions": str(guild.permissions_of(self.bot_member)),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild.id)},
            "context": 0,
            "attachment_size_limit": self.attachment_size_limit,
        }
        if message is not None:
            payload["message"] = message
        source_id = int(message["id"]) if message else None
        self._interactions[token] = _Interaction(interaction_id, token, interaction_type, channel.id, user, source_id)
        await self._gateway.dispatch("INTERACTION_CREATE", payload)
        return InteractionHandle(self, payload)

    # -- HTTP plumbing ---------------------------------------------------------------------------------

    def _add_routes(self, router: web.UrlDispatcher) -> None:
        api = API_PREFIX
        channel_message = api + "/channels/{channel_id}/messages/{message_id}"
        webhook = api + "/webhooks/{application_id}/{token}"
        routes = [
            ("GET", api + "/users/@me", self._get_me),
            ("GET", api + "/users/{user_id}", self._get_user),
            ("GET", api + "/oauth2/applications/@me", self._get_application),
            ("GET", api + "/gateway", self._get_gateway),
            ("GET", api + "/gateway/bot", self._get_gateway),
            ("GET", api + "/channels/{channel_id}", self._get_channel),
            ("GET", api + "/channels/{channel_id}/messages", self._list_messages),
            ("POST", api + "/channels/{channel_id}/messages", self._post_message),
            ("GET", channel_message, self._get_message),
            ("PATCH", channel_message, self._patch_message),
            ("DELETE", channel_message, self._delete_message),
            ("POST", channel_message + "/threads", self._post_thread),
            ("PUT", channel_message + "/reactions/{emoji}/{user}", self._put_reaction),
            ("DELETE", channel_message + "/reactions/{emoji}/{user}", self._delete_reaction),
            ("POST", api + "/channels/{channel_id}/typing", self._typing),
            ("GET", api + "/guilds/{guild_id}/members/{user_id}", self._get_member),
            ("GET", api + "/applications/{application_id}/commands", self._get_commands),
            ("PUT", api + "/applications/{application_id}/commands", self._put_commands),
            ("GET", api + "/applications/{application_id}/guilds/{guild_id}/commands", self._get_commands),
            ("PUT", api + "/applications/{application_id}/guilds/{guild_id}/commands", self._put_commands),
            ("POST", api + "/interactions/{interaction_id}/{token}/callback", self._interaction_callback),
            ("POST", webhook, self._post_followup),
            ("GET", webhook + "/messages/{message_id}", self._get_followup),
            ("PATCH", webhook + "/messages/{message_id}", self._patch_followup),
            ("DELETE", webhook + "/messages/{message_id}", self._delete_followup),
            ("GET", "/attachments/{attachment_id}/{filename}", self._get_attachment),
            ("GET", "/ws", self._gateway.handle),
            ("GET", "/ws/resume", self._gateway.handle),
        ]
        for method, path, handler in routes:
            router.add_route(method, path, handler)
        router.add_route("*", "/{tail:.*}", self._unknown_route)

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
        """Logs requests, applies rate-limit rules and auth, and turns errors into JSON.

        Errors from a bug in this fake or a malformed request (lookup/value/type/attribute
        errors) become 400 and are logged in ``errors``: discord.py retries a 500 with long sleeps.
        """
        path = request.path.removeprefix(API_PREFIX)
        self.requests.append(f"{request.method} {path}")
        try:
            if request.path.startswith(API_PREFIX + "/"):
                limited = self._take_rate_limit(request.method, path)
                if limited is not None:
                    return limited
                self._check_auth(request, path)
            return await handler(request)
        except ApiError as error:
            self.errors.append(f"{request.method} {path} -> {error}")
            await self.notify()
            return error.response()
        except (LookupError, ValueError, TypeError, AttributeError) as error:
            self.errors.append(f"{request.method} {path} -> server exception {error!r}")
            await self.notify()
            return ApiError(400, 0, f"fake server exception: {error!r}").response()

    def _take_rate_limit(self, method: str, path: str) -> web.Response | None:
        for rule in self._rate_limits:
            if rule.remaining > 0 and rule.matches(method, path):
                rule.remaining -= 1
                self.rate_limited.append(f"{method} {path}")
                return rule.response()
        return None

    def _check_auth(self, request: web.Request, path: str) -> None:
        """Bot routes need ``Authorization: Bot <token>``; interaction and webhook routes carry
        their token in the URL instead."""
        if path.startswith(("/interactions/", "/webhooks/")) or path == "/gateway":
            return
        if request.headers.get("Authorization") != f"Bot {self.token}":
            raise ApiError(401, 0, "401: Unauthorized")

    async def _unknown_route(self, request: web.Request) -> web.Response:
        raise ApiError(404, 0, "404: Not Found (route not implemented by the fake Discord server)")

    async def _record(
        self,
        kind: OutgoingKind,
        raw: dict[str, Any],
        files: list[Upload],
        *,
        channel_id: int | None,
        interaction: _Interaction | None = None,
        callback_type: int | None = None,
        message: dict[str, Any] | None = None,
    ) -> OutgoingMessage:
        record = OutgoingMessage(
            index=len(self.outgoing),
            kind=kind,
            raw=raw,
            files=files,
            channel_id=channel_id,
            interaction_id=interaction.id if interaction else None,
            callback_type=callback_type,
            message=dict(message) if message is not None else None,
        )
        self.outgoing.append(record)
        await self.notify()
        return record

    async def _announce(self, event: str, message: dict[str, Any]) -> None:
        """Echo the bot's own non-ephemeral messages on the gateway, as Discord does."""
        if not int(message.get("flags") or 0) & FLAG_EPHEMERAL:
            await self._gateway.dispatch(event, dict(message))

    def _check_upload_size(self, files: list[Upload]) -> None:
        if sum(len(upload.data) for upload in files) > self.attachment_size_limit:
            raise ApiError(413, 40005, "Request entity too large")

    # -- REST: users, application, gateway, guild -----------------------------------------------------

    async def _get_me(self, request: web.Request) -> web.Response:
        return json_response({**self.bot_user.payload(), "verified": True, "mfa_enabled": False, "flags": 0})

    async def _get_user(self, request: web.Request) -> web.Response:
        user_id = int(request.match_info["user_id"])
        member = next((m for guild in self.guilds if (m := guild.member(user_id)) is not None), None)
        if member is None:
            raise _unknown("User", 10013)
        return json_response(member.user.payload())

    async def _get_application(self, request: web.Request) -> web.Response:
        owner = self.guild.member(self.guild.owner_id) or self.owner
        return json_response(
            {
                "id": str(self.application_id),
                "name": self.bot_user.name,
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": owner.user.payload(),
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
                "bot": self.bot_user.payload(),
            }
        )

    async def _get_gateway(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": self.gateway_url, "shards": self.shards, "session_start_limit": limit})

    async def _get_channel(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        guild_id = self.guild_of(channel).id
        if isinstance(channel, FakeThread):
            return json_response(channel.payload(guild_id, viewer_id=self.bot_user.id))
        return json_response(channel.payload(guild_id))

    async def _get_member(self, request: web.Request) -> web.Response:
        guild = self.find_guild(int(request.match_info["guild_id"]))
        member = guild.member(int(request.match_info["user_id"])) if guild else None
        if member is None:
            raise _unknown("Member", 10007)
        return json_response(member.payload())

    def _channel(self, request: web.Request) -> FakeChannel:
        channel = self.find_channel(int(request.match_info["channel_id"]))
        if channel is None:
            raise _unknown("Channel", 10003)
        return channel

    # -- REST: channel messages, reactions, typing -----------------------------------------------------

    def _channel_message(self, request: web.Request) -> dict[str, Any]:
        channel = self._channel(request)
        message = self.messages.get(int(request.match_info["message_id"]))
        if message is None or message["channel_id"] != str(channel.id):
            raise _unknown("Message", 10008)
        return message

    async def _list_messages(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        limit = int(request.query.get("limit", 50))
        in_channel = [m for m in self.messages.values() if m["channel_id"] == str(channel.id)]
        return json_response(list(reversed(in_channel))[:limit])

    async def _get_message(self, request: web.Request) -> web.Response:
        return json_response(self._channel_message(request))

    async def _post_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        body, files = await read_body(request)
        self._check_upload_size(files)
        validate_message(body, len(files), creating=True)
        message = self._new_message(channel.id, self.bot_user, body, files)
        await self._record("channel_message", body, files, channel_id=channel.id, message=message)
        await self._announce("MESSAGE_CREATE", message)
        if isinstance(channel, FakeThread):  # posting in a thread joins it
            await self._join_thread(channel, [self.bot_user.id])
        return json_response(message)

    async def _post_thread(self, request: web.Request) -> web.Response:
        """The bot starts a public thread from a message (needs CREATE_PUBLIC_THREADS)."""
        starter = self._channel_message(request)
        guild = self.guild_of(self._channel(request))
        if not guild.permissions_of(self.bot_member) & PERM_CREATE_PUBLIC_THREADS:
            raise ApiError(403, 50013, "Missing Permissions")
        body = await request.json()
        duration = int(body.get("auto_archive_duration") or 1440)
        thread = await self._start_thread(starter, str(body.get("name") or ""), self.bot_user, duration)
        await self._record("thread_create", body, [], channel_id=thread.parent_id, message=starter)
        return json_response(thread.payload(guild.id, viewer_id=self.bot_user.id))

    async def _patch_message(self, request: web.Request) -> web.Response:
        message = self._channel_message(request)
        body, files = await read_body(request)
        self._check_upload_size(files)
        validate_message({**message, **body}, len(files), creating=False)
        self._edit_message(message, body, files)
        await self._record("channel_edit", body, files, channel_id=int(message["channel_id"]), message=message)
        await self._announce("MESSAGE_UPDATE", message)
        return json_response(message)

    async def _delete_message(self, request: web.Request) -> web.Response:
        message = self._channel_message(request)
        del self.messages[int(message["id"])]
        await self._record("channel_delete", {}, [], channel_id=int(message["channel_id"]), message=message)
        return web.Response(status=204)

    async def _put_reaction(self, request: web.Request) -> web.Response:
        message = self._channel_message(request)
        raw = {"emoji": request.match_info["emoji"]}
        await self._record("reaction", raw, [], channel_id=int(message["channel_id"]), message=message)
        return web.Response(status=204)

    async def _delete_reaction(self, request: web.Request) -> web.Response:
        message = self._channel_message(request)
        raw = {"emoji": request.match_info["emoji"], "user": request.match_info["user"]}
        await self._record("reaction_delete", raw, [], channel_id=int(message["channel_id"]), message=message)
        return web.Response(status=204)

    async def _typing(self, request: web.Request) -> web.Response:
        self.typing.append(self._channel(request).id)
        return web.Response(status=204)

    async def _get_attachment(self, request: web.Request) -> web.Response:
        upload = self._files.get(int(request.match_info["attachment_id"]))
        if upload is None:
            raise _unknown("Attachment", 10008)
        return web.Response(body=upload.data, headers={"Content-Type": upload.guessed_content_type()})

    # -- REST: application commands ---------------------------------------------------------------------

    def _scope(self, request: web.Request) -> int | None:
        if int(request.match_info["application_id"]) != self.application_id:
            raise _unknown("Application", 10002)
        guild_id = request.match_info.get("guild_id")
        if guild_id is not None and self.find_guild(int(guild_id)) is None:
            raise ApiError(403, 50001, "Missing Access")
        return int(guild_id) if guild_id is not None else None

    async def _get_commands(self, request: web.Request) -> web.Response:
        return json_response(self.commands.get(self._scope(request), []))

    async def _put_commands(self, request: web.Request) -> web.Response:
        """Bulk overwrite: ids are kept for commands whose (name, type) already existed."""
        scope = self._scope(request)
        body = await request.json()
        errors = {
            f"{index}.name": "Invalid command name"
            for index, command in enumerate(body)
            if command.get("type", 1) == 1 and not re.fullmatch(r"[-_\w]{1,32}", command.get("name", ""))
        }
        if len(body) > 100 or errors:
            raise ApiError(400, 50035, "Invalid Form Body", errors or {"_": "Too many commands"})
        existing = {(c["name"], c.get("type", 1)): c["id"] for c in self.commands.get(scope, [])}
        synced = []
        for command in body:
            command_id = existing.get((command["name"], command.get("type", 1))) or str(self.next_id())
            extra = {"guild_id": str(scope)} if scope is not None else {}
            synced.append(
                {
                    "description": "",
                    **command,
                    **extra,
                    "id": command_id,
                    "application_id": str(self.application_id),
                    "type": command.get("type", 1),
                    "version": str(self.next_id()),
                }
            )
        self.commands[scope] = synced
        await self.notify()
        return json_response(synced)

    # -- REST: interaction callbacks and webhook follow-ups ----------------------------------------------

    async def _interaction_callback(self, request: web.Request) -> web.StreamResponse:
        state = self._interactions.get(request.match_info["token"])
        if state is None or str(state.id) != request.match_info["interaction_id"]:
            raise _unknown("interaction", 10062)
        body, files = await read_body(request)
        callback_type, data = int(body.get("type", 0)), body.get("data") or {}
        if state.callback_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        if callback_type not in ALLOWED_CALLBACKS[state.type]:
            raise ApiError(400, 50035, f"Callback type {callback_type} is invalid for interaction type {state.type}")
        self._check_upload_size(files)
        message = self._apply_callback(state, callback_type, data, files)
        state.callback_type = callback_type
        await self._record(
            "interaction_callback",
            body,
            files,
            channel_id=state.channel_id,
            interaction=state,
            callback_type=callback_type,
            message=message,
        )
        if message is not None and callback_type in (4, 7):
            await self._announce("MESSAGE_CREATE" if callback_type == 4 else "MESSAGE_UPDATE", message)
        if "with_response" not in request.query:
            return web.Response(status=204)
        return json_response(self._callback_response(state, callback_type, message))

    def _apply_callback(
        self, state: _Interaction, callback_type: int, data: dict[str, Any], files: list[Upload]
    ) -> dict[str, Any] | None:
        """Validate a callback and update stored messages; returns the message it touched."""
        if callback_type == 4:
            validate_message(data, len(files), creating=True)
            return self._interaction_message(state, data, files)
        if callback_type == 5:
            flags = (int(data.get("flags") or 0) & FLAG_EPHEMERAL) | FLAG_LOADING
            state.loading = True
            return self._interaction_message(state, {"flags": flags}, [])
        if callback_type in (6, 7) and state.source_message_id is None:
            raise ApiError(400, 50035, "This interaction has no message to update")
        if callback_type == 6:
            state.original_id = state.source_message_id
            return None
        if callback_type == 7:
            source = self.messages[state.source_message_id]  # type: ignore[index]
            validate_message({**source, **data}, len(files), creating=False)
            state.original_id = state.source_message_id
            return self._edit_message(source, data, files)
        (validate_choices if callback_type == 8 else validate_modal)(data)
        return None

    def _interaction_message(self, state: _Interaction, data: dict[str, Any], files: list[Upload]) -> dict[str, Any]:
        message = self._new_message(state.channel_id, self.bot_user, data, files, webhook=True)
        state.original_id = int(message["id"])
        state.message_ids.add(state.original_id)
        return message

    def _callback_response(
        self, state: _Interaction, callback_type: int, message: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Body for ``?with_response=1``: ``{"interaction": {...}, "resource": {...}}``."""
        interaction: dict[str, Any] = {"id": str(state.id), "type": state.type}
        resource: dict[str, Any] = {"type": callback_type}
        if message is not None:
            interaction.update(
                response_message_id=message["id"],
                response_message_loading=callback_type == 5,
                response_message_ephemeral=bool(int(message.get("flags") or 0) & FLAG_EPHEMERAL),
            )
            resource["message"] = message
        return {"interaction": interaction, "resource": resource}

    def _webhook_interaction(self, request: web.Request) -> _Interaction:
        """The acknowledged interaction behind a follow-up webhook URL (app id + token)."""
        state = self._interactions.get(request.match_info["token"])
        if int(request.match_info["application_id"]) != self.application_id or state is None:
            raise _unknown("Webhook", 10015)
        if state.callback_type is None:
            raise ApiError(404, 10015, "Unknown Webhook (the interaction was not acknowledged)")
        return state

    def _webhook_message(self, state: _Interaction, message_id: str) -> dict[str, Any]:
        resolved_id = state.original_id if message_id == "@original" else int(message_id)
        if resolved_id is None or resolved_id not in self.messages:
            raise _unknown("Message", 10008)
        if resolved_id not in state.message_ids and resolved_id != state.source_message_id:
            raise _unknown("Message", 10008)
        return self.messages[resolved_id]

    async def _post_followup(self, request: web.Request) -> web.Response:
        """Follow-up message; the first one after a type 5 defer replaces the loading message."""
        state = self._webhook_interaction(request)
        body, files = await read_body(request)
        self._check_upload_size(files)
        validate_message(body, len(files), creating=True)
        if state.loading:
            original = self.messages[state.original_id]  # type: ignore[index]
            flags = int(body.get("flags") or 0) | (int(original["flags"]) & FLAG_EPHEMERAL)
            message = self._new_message(
                state.channel_id,
                self.bot_user,
                {**body, "flags": flags},
                files,
                message_id=state.original_id,
                webhook=True,
            )
            state.loading = False
        else:
            message = self._new_message(state.channel_id, self.bot_user, body, files, webhook=True)
            state.message_ids.add(int(message["id"]))
        await self._record("followup", body, files, channel_id=state.channel_id, interaction=state, message=message)
        await self._announce("MESSAGE_CREATE", message)
        if request.query.get("wait", "false").lower() not in ("true", "1"):  # discord.py sends wait=1
            return web.Response(status=204)
        return json_response(message)

    async def _get_followup(self, request: web.Request) -> web.Response:
        state = self._webhook_interaction(request)
        return json_response(self._webhook_message(state, request.match_info["message_id"]))

    async def _patch_followup(self, request: web.Request) -> web.Response:
        state = self._webhook_interaction(request)
        message = self._webhook_message(state, request.match_info["message_id"])
        body, files = await read_body(request)
        self._check_upload_size(files)
        validate_message({**message, **body}, len(files), creating=False)
        self._edit_message(message, body, files)
        if state.loading and int(message["id"]) == state.original_id:
            message["flags"] = int(message["flags"]) & ~FLAG_LOADING
            state.loading = False
        await self._record(
            "followup_edit", body, files, channel_id=state.channel_id, interaction=state, message=message
        )
        await self._announce("MESSAGE_UPDATE", message)
        return json_response(message)

    async def _delete_followup(self, request: web.Request) -> web.Response:
        state = self._webhook_interaction(request)
        message = self._webhook_message(state, request.match_info["message_id"])
        del self.messages[int(message["id"])]
        if int(message["id"]) == state.original_id:  # the next follow-up is a new message
            state.loading = False
        await self._record("followup_delete", {}, [], channel_id=state.channel_id, interaction=state, message=message)
        return web.Response(status=204)
