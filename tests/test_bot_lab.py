"""A lab-sized store (200 profiles) through the real discord.py client and the local Discord-protocol server:
profile autocomplete on /ask, /metrics and /papers, /profiles paginated within Discord's limits, and short
unknown-profile errors (bot and CLI) that name the closest profiles and how many more there are."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

import bot.cli
from retrieval.errors import UnknownProfileError
from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.ingest.profiles import ingest_profiles
from retrieval.models import ParsedProfile, Profile
from retrieval.service import ResearchService
from retrieval.text.names import name_tokens
from tests.bot_fixtures import SettingsFactory, buttons, footer, only_embed, running_bot, second_profile
from tests.conftest import service_at
from tests.discord_server import FLAG_EPHEMERAL, DiscordServer

pytest_plugins = ["tests.bot_fixtures"]

FIRST = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Katherine", "Claude",
         "Radia", "Tim", "Margaret", "Ken", "Hedy", "Dennis", "Shafi", "Leslie", "Sophie", "Yoshua"]  # fmt: skip
LAST = ["Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "McCarthy", "Johnson", "Shannon"]
NAMES = [f"{first} {last}" for last, first in itertools.product(LAST, FIRST)]  # 200 researchers
WITH_PAPERS = "Ada Lovelace"  # the one profile ingested from a file (one paper); the others are headers only


def profile_id(name: str) -> str:
    return "-".join(name_tokens(name))


@pytest.fixture(scope="module")
def lab_service(tmp_path_factory: pytest.TempPathFactory, embeddings: MiniLMEmbeddings) -> ResearchService:
    """200 profiles: one ingested from a profile file, 199 ingested as headers without papers (a paper-less profile
    costs no embedding, so the lab is built in seconds). Read-only for the tests."""
    root = tmp_path_factory.mktemp("lab")
    (root / "profiles").mkdir()
    (root / "profiles" / "ada.txt").write_bytes(second_profile(WITH_PAPERS, papers=1))
    service = service_at(root / "chroma", embeddings, profiles_dir=root / "profiles")
    service.ingest()
    headers = [
        ParsedProfile(
            source=f"{name}.txt",
            profile=Profile(id=profile_id(name), name=name, category="LG", papers_claimed=10),
            papers=[],
        )
        for name in NAMES
        if name != WITH_PAPERS
    ]
    ingest_profiles(service.store, headers, clock=lambda: dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert len(service.profile_ids()) == 200
    return service


@pytest_asyncio.fixture
async def lab_bot(
    discord_server: DiscordServer, lab_service: ResearchService, bot_settings: SettingsFactory
) -> AsyncIterator[DiscordServer]:
    settings = bot_settings(profiles_dir=lab_service.settings.profiles_dir)
    async with running_bot(discord_server, lab_service, settings):
        yield discord_server


async def choices_for(server: DiscordServer, command: str, typed: str) -> list[dict]:
    options = {"question": "What is RT-2?", "profile": typed} if command == "ask" else {"profile": typed}
    record = await (await server.autocomplete(command, options, focused="profile")).response()
    assert record.callback_type == 8
    return record.choices or []


# --- autocomplete ---------------------------------------------------------------------------------------


async def test_profile_options_autocomplete(lab_bot: DiscordServer) -> None:
    for command in ("ask", "metrics", "papers"):
        [profile] = [option for option in lab_bot.find_command(command)[0]["options"] if option["name"] == "profile"]
        assert profile["autocomplete"] is True, command


@pytest.mark.parametrize("command", ["ask", "metrics", "papers"])
async def test_empty_text_offers_25_profiles_by_name(lab_bot: DiscordServer, command: str) -> None:
    choices = await choices_for(lab_bot, command, "")
    assert len(choices) == 25  # 200 profiles, 25 allowed
    if command == "ask":  # a question may go to every profile at once
        assert choices[0] == {"name": "All researchers", "value": "all"}
    profiles = choices[1:] if command == "ask" else choices
    assert [choice["name"] for choice in profiles] == sorted(NAMES, key=str.casefold)[: len(profiles)]
    assert all(choice["value"] == profile_id(choice["name"]) for choice in profiles)


async def test_autocomplete_matches_names_and_ids_in_any_case(lab_bot: DiscordServer) -> None:
    server = lab_bot
    lovelaces = await choices_for(server, "ask", "LOVE")
    assert sorted(choice["name"] for choice in lovelaces) == sorted(n for n in NAMES if n.endswith("Lovelace"))

    by_id = await choices_for(server, "metrics", "grace-ho")
    assert [choice["value"] for choice in by_id] == ["grace-hopper"]

    # names starting with the text, then names with a word starting with it, then names merely containing it
    al = [choice["name"] for choice in await choices_for(server, "papers", "al")]
    assert len(al) == 25
    assert al[:10] == sorted(n for n in NAMES if n.startswith("Alan "))
    assert all(name.endswith(" Allen") for name in al[10:])  # then 15 of the 19 other Allens
    # "Donald Hopper" merely contains "al": past the first 25
    assert all(any(word.casefold().startswith("al") for word in name.split()) for name in al)


async def test_autocomplete_tolerates_a_typo_and_caps_at_25(lab_bot: DiscordServer) -> None:
    typo = await choices_for(lab_bot, "papers", "lovleace")
    assert typo and all(choice["name"].endswith("Lovelace") for choice in typo)
    many = await choices_for(lab_bot, "ask", "a")  # most of the 200 contain an "a"
    assert len(many) == 25 and all(len(choice["name"]) <= 100 for choice in many)
    assert lab_bot.errors == []  # the server checks every choice against Discord's limits


async def test_the_chosen_profile_is_what_the_command_gets(lab_bot: DiscordServer) -> None:
    [choice] = [c for c in await choices_for(lab_bot, "metrics", "ada lov") if c["name"] == WITH_PAPERS]
    reply = await (await lab_bot.slash_command("metrics", {"profile": choice["value"]})).response(timeout=30)
    assert only_embed(reply)["title"] == f"{WITH_PAPERS} — metrics"

    papers = await (await lab_bot.slash_command("papers", {"profile": choice["value"]})).response(timeout=30)
    embed = only_embed(papers)
    assert embed["title"] == "Papers (profile ada-lovelace)" and footer(embed) == "page 1/1 · 1 paper(s)"


# --- /profiles and errors -------------------------------------------------------------------------------


async def test_profiles_are_paginated_within_discord_limits(lab_bot: DiscordServer) -> None:
    server = lab_bot
    first = await (await server.slash_command("profiles", user=server.member)).response(timeout=30)
    page_one = only_embed(first)
    assert footer(page_one) == "page 1/10 · 200 profiles"
    assert len(page_one["description"].splitlines()) == 20 and len(page_one["description"]) <= 4096
    shown = set(page_one["description"].splitlines())
    for _ in range(9):
        turned = await (await server.click_button(first, label="Next", user=server.member)).response()
        shown |= set(only_embed(turned)["description"].splitlines())
    assert footer(only_embed(turned)) == "page 10/10 · 200 profiles"
    assert len(shown) == 200 and all(f"(`{profile_id(name)}`)" in "\n".join(shown) for name in NAMES)
    assert first.message is not None and buttons(server.messages[first.message_id])["Next"]["disabled"] is True

    refused = await (await server.click_button(first, label="Previous", user=server.admin)).response()
    assert refused.flags & FLAG_EPHEMERAL and "run `/profiles` yourself" in (refused.content or "")
    assert server.errors == []


async def test_unknown_profile_error_names_the_closest_and_counts_the_rest(lab_bot: DiscordServer) -> None:
    handle = await lab_bot.slash_command("metrics", {"profile": "Grace Hoper"})
    reply = await handle.response(timeout=30)
    assert reply.ephemeral
    description = only_embed(reply)["description"]
    assert description == (  # as README shows it
        "No profile named 'Grace Hoper'. Closest: grace-hopper, frances-hopper, radia-hopper … and 197 more; "
        "see /profiles."
    )

    reply = await (await lab_bot.slash_command("ask", {"question": "What is RT-2?", "profile": "zzz"})).response(30)
    assert only_embed(reply)["description"] == (
        "No profile named 'zzz'. Known profiles: ada-allen, ada-dijkstra, ada-hopper … and 197 more; see /profiles."
    )


def test_cli_unknown_profile_error_stays_short(monkeypatch, capsys, lab_service: ResearchService) -> None:
    monkeypatch.setattr(bot.cli, "ResearchService", lambda settings: lab_service)
    assert bot.cli.main(["metrics", "--profile", "Alan Turring"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "error: No profile named 'Alan Turring'. Closest: alan-turing, ada-turing, radia-turing … and 197 more; "
        "see `research-bot profiles`.\n"
    )


def test_short_lists_are_named_in_full() -> None:
    assert str(UnknownProfileError("x", ["a-a", "b-b"])) == "No profile named 'x'. Known profiles: a-a, b-b."
    assert (
        str(UnknownProfileError("x", [])) == "No profile named 'x'. Known profiles: none (run `research-bot ingest`)."
    )


def test_lab_fixture_is_what_the_tests_think(lab_service: ResearchService) -> None:
    names = lab_service.profile_names()
    assert len(names) == 200 and names["ada-lovelace"] == WITH_PAPERS and set(names.values()) == set(NAMES)
