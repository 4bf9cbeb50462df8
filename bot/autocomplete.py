"""Autocomplete for every `profile` option: case-insensitive on the profile id and the researcher's name,
at most 25 choices (Discord's limit); the chosen value is the profile id."""

from __future__ import annotations

import difflib
import re
from collections.abc import Awaitable
from typing import TypeVar

import discord
from discord import app_commands

from bot.formatting import AUTOCOMPLETE_CHOICES, AUTOCOMPLETE_NAME_LIMIT, truncate
from retrieval.errors import StoreUnavailableError
from retrieval.service import ALL_PROFILES

CHOICE_VALUE_LIMIT = 100
NO_PROFILE = "none"  # /settings default_profile: back to the bot-wide default
FUZZY_CUTOFF = 0.6
T = TypeVar("T")


async def or_nothing(read: Awaitable[T], nothing: T) -> T:
    """What a store read gives, or `nothing` while the store is unavailable: autocomplete then offers no choices
    (discord.py would log a traceback for every keystroke; the command itself says what is wrong)."""
    try:
        return await read
    except StoreUnavailableError:
        return nothing


def match_profiles(names: dict[str, str], typed: str, limit: int = AUTOCOMPLETE_CHOICES) -> list[tuple[str, str]]:
    """(id, name) pairs for what was typed: names or ids that start with it, then a word of the name that
    starts with it, then anything containing it, each group by name; if nothing contains it, the closest
    spellings. Empty text lists the profiles by name."""
    query = " ".join(typed.casefold().split())
    if not query:
        return sorted(names.items(), key=lambda item: (item[1].casefold(), item[0]))[:limit]
    ranked: list[tuple[int, str, str, str]] = []
    for profile_id, name in names.items():
        folded_id, folded_name = profile_id.casefold(), name.casefold()
        words = re.split(r"[\s\-]+", folded_name) + folded_id.split("-")
        if folded_id.startswith(query) or folded_name.startswith(query):
            rank = 0
        elif any(word.startswith(query) for word in words):
            rank = 1
        elif query in folded_id or query in folded_name:
            rank = 2
        else:
            continue
        ranked.append((rank, folded_name, profile_id, name))
    if not ranked:  # a typo: the closest names and ids
        spelled = {name.casefold(): profile_id for profile_id, name in names.items()} | {pid: pid for pid in names}
        close = difflib.get_close_matches(query, list(spelled), n=limit, cutoff=FUZZY_CUTOFF)
        return list(dict.fromkeys((spelled[match], names[spelled[match]]) for match in close))[:limit]
    return [(profile_id, name) for _, _, profile_id, name in sorted(ranked)][:limit]


def profile_choice(profile_id: str, name: str) -> app_commands.Choice[str]:
    label = name if name.casefold().replace(" ", "-") == profile_id else f"{name} ({profile_id})"
    return app_commands.Choice(name=truncate(label, AUTOCOMPLETE_NAME_LIMIT), value=profile_id)


def profile_choices(names: dict[str, str], current: str) -> list[app_commands.Choice[str]]:
    return [
        profile_choice(profile_id, name)
        for profile_id, name in match_profiles(names, current)
        if len(profile_id) <= CHOICE_VALUE_LIMIT  # a longer id cannot be a choice's value
    ]


async def profile_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    service = interaction.client.service  # type: ignore[attr-defined]
    return profile_choices(await or_nothing(service.run(service.profile_names), {}), current)


async def ask_profile_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The profiles, plus "all" (one question over every profile) when there are several."""
    service = interaction.client.service  # type: ignore[attr-defined]
    names = await or_nothing(service.run(service.profile_names), {})
    choices = profile_choices(names, current)
    if len(names) > 1:
        choices = offer_first(choices, current, "All researchers", ALL_PROFILES)
    return choices


async def setting_profile_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """/settings default_profile: the profiles, plus `none` (back to the bot's default)."""
    service = interaction.client.service  # type: ignore[attr-defined]
    choices = profile_choices(await or_nothing(service.run(service.profile_names), {}), current)
    return offer_first(choices, current, "None (the bot's default)", NO_PROFILE)


def offer_first(
    choices: list[app_commands.Choice[str]], current: str, name: str, value: str
) -> list[app_commands.Choice[str]]:
    """A special value ahead of the profiles while what was typed could still be it."""
    if value.startswith(current.casefold().strip()):
        choices = [app_commands.Choice(name=name, value=value), *choices]
    return choices[:AUTOCOMPLETE_CHOICES]
