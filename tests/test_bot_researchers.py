"""End to end: /researcher add | refresh | remove | list and the scheduled refresh. The real discord.py bot against
the local Discord-protocol server, the real source clients against the local OpenAlex and arXiv server of
tests/source_servers.py, a real store (one file profile, Ada Lovelace, to start with) and SQLite database."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.formatting import escape_user_text
from bot.refresh_schedule import RefreshScheduleCog
from bot.researcher_views import Throttle
from retrieval.database import Database
from retrieval.index.embeddings import MiniLMEmbeddings
from retrieval.models import IngestReport
from retrieval.service import ResearchService
from retrieval.settings import Settings
from retrieval.sources.changes import change_line, change_summary
from retrieval.sources.followed import FollowedResearchers
from retrieval.sources.service import FetchReport, SourceService
from tests.bot_fixtures import SettingsFactory, buttons, field, only_embed, pings_no_one, running_bot, second_profile
from tests.conftest import service_at
from tests.discord_server import DiscordServer, OutgoingMessage
from tests.source_servers import FakeSources, Status, arxiv_entry, openalex_author
from tests.test_sources import IGOR, SEED, add_igor, seed_works

pytest_plugins = ["tests.bot_fixtures"]

REFUSAL = "This command is for server admins (Manage Server permission) or the bot owner."
A_WEEK_AGO = dt.datetime(2026, 11, 19, 9, 30, tzinfo=dt.UTC)  # when the researchers were first fetched
HTTP_500 = "OpenAlex did not answer after 2 attempts (HTTP 500). Nothing was changed. Try again later."


@pytest.fixture
def lab(tmp_path: Path, embeddings: MiniLMEmbeddings) -> ResearchService:
    """A store of its own holding one profile from a file (Ada Lovelace, 3 papers)."""
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "ada.txt").write_bytes(second_profile("Ada Lovelace", papers=3))
    service = service_at(tmp_path / "chroma", embeddings, profiles_dir=tmp_path / "profiles")
    service.ingest()
    return service


@pytest.fixture
def settings_for(bot_settings: SettingsFactory, sources: FakeSources) -> SettingsFactory:
    """Bot settings pointing at the fake sources; quick retries; no scheduled refresh unless a test asks."""

    def build(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "openalex_url": sources.openalex_url,
            "arxiv_url": sources.arxiv_url,
            "source_attempts": 2,
            "source_retry_max_seconds": 0.1,
            "arxiv_interval_seconds": 0.0,
            "source_timeout": 5.0,
            "refresh_interval_hours": 0,
        }
        return bot_settings(**(values | overrides))

    return build


async def follow(settings: Settings, service: ResearchService, *references: str) -> None:
    """Fetch researchers a week ago, as `research-bot fetch` would have, into the store and database the bot uses."""
    fetcher = SourceService(settings, service, clock=lambda: A_WEEK_AGO)
    try:
        for reference in references:
            await fetcher.add_openalex(reference)
    finally:
        fetcher.followed.database.close()


def followed(settings: Settings) -> FollowedResearchers:
    return FollowedResearchers(Database(settings.database_file))


def selects(message: OutgoingMessage | dict[str, Any]) -> list[dict[str, Any]]:
    stored = message.message if isinstance(message, OutgoingMessage) else message
    rows = (stored or {}).get("components") or []
    return [child for row in rows for child in row["components"] if child["type"] == 3]


def edits(records: list[OutgoingMessage]) -> list[OutgoingMessage]:
    return [record for record in records if record.kind == "followup_edit"]


async def eventually(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


def add_wei_chens(sources: FakeSources) -> None:
    sources.add_openalex(
        openalex_author("A11", "Wei Chen", works=50, citations=9000, h_index=40, institution="Tsinghua University"),
        seed_works(),
    )
    sources.add_openalex(
        openalex_author(
            "A12", "Wei Chen", works=3, citations=80, h_index=5, institution="University of Toronto", topics=()
        ),
        seed_works()[2:5],
    )


# --- add -----------------------------------------------------------------------------------------------------


async def test_add_a_name_two_people_share_then_ask_about_their_papers(
    discord_server: DiscordServer, lab: ResearchService, settings_for: SettingsFactory, sources: FakeSources
) -> None:
    server = discord_server
    add_wei_chens(sources)
    async with running_bot(server, lab, settings_for()) as bot:
        bot.get_cog("Researchers").progress_seconds = 0  # every page edits the progress message
        handle = await server.slash_command("researcher add", {"name": "Wei Chen"}, user=server.admin)
        menu = await handle.response(timeout=30)
        assert menu.ephemeral and menu.content == "2 researchers on OpenAlex match “Wei Chen”. Which one?"
        [select] = selects(menu)
        assert [(o["label"], o["value"], o.get("description")) for o in select["options"]] == [
            ("Wei Chen", "A11", "Tsinghua University · 50 works · Reinforcement Learning in Robotics"),
            ("Wei Chen", "A12", "University of Toronto · 3 works"),
        ]
        assert sources.requests_to("/openalex/works") == []  # nothing is fetched before a pick

        other = await (await server.choose_options(menu, ["A11"], user=server.member)).response()
        assert other.ephemeral and other.content.startswith("Only the person who ran this")
        await server.choose_options(menu, ["A11"], user=server.admin)
        await handle.wait_for(lambda record: record.kind == "followup_edit" and bool(record.embeds), timeout=60)

        progress = [record.content for record in edits(handle.records) if not record.embeds]
        assert progress[0] == "Fetching Wei Chen from OpenAlex…"
        assert "Fetching Wei Chen from OpenAlex: 20/50 works…" in progress
        final = server.messages[menu.message_id]  # the menu became the progress message, then the result
        assert final["content"] == "" and final["components"] == []
        [embed] = final["embeds"]
        assert embed["title"] == "Wei Chen from OpenAlex"
        assert field(embed, "Papers") == "50 stored"
        assert field(embed, "Store") == "added 50 · updated 0 · unchanged 0 · removed 0"
        assert (field(embed, "h-index"), field(embed, "Citations")) == ("40", "9,000")
        assert {(f.profile_id, f.source, f.reference) for f in bot.sources.followed_researchers()} == {
            ("wei-chen", "openalex", "A11")
        }

        answer = await (
            await server.slash_command("ask", {"question": "What is VeLO?", "profile": "wei-chen"})
        ).response(timeout=60)
        assert field(only_embed(answer), "Sources").startswith(f"**[1]** {SEED.papers[0].title} · ")
    assert lab.profile_ids() == ["ada-lovelace", "wei-chen"]


async def test_add_from_arxiv(
    discord_server: DiscordServer, lab: ResearchService, settings_for: SettingsFactory, sources: FakeSources
) -> None:
    server = discord_server
    sources.add_arxiv("Yilun Du", {f"2206.0000{n}": arxiv_entry(f"2206.0000{n}", SEED.papers[n]) for n in (3, 4)})
    async with running_bot(server, lab, settings_for()):
        options = {"name": "Yilun Du", "source": "arxiv"}
        handle = await server.slash_command("researcher add", options, user=server.admin)
        first = await handle.response(timeout=30)
        assert first.content == "Fetching Yilun Du from arXiv…"
        done = await handle.wait_for(lambda record: bool(record.embeds), timeout=60)
        embed = only_embed(done)
        assert embed["title"] == "Yilun Du from arXiv" and field(embed, "Papers") == "2 stored"
        assert field(embed, "h-index") == "—"  # arXiv counts no citations
    assert lab.profile_ids() == ["ada-lovelace", "yilun-du"]


async def test_a_bot_with_no_profile_files_starts_and_fills_its_store_from_a_source(
    discord_server: DiscordServer,
    tmp_path: Path,
    embeddings: MiniLMEmbeddings,
    settings_for: SettingsFactory,
    sources: FakeSources,
) -> None:
    server = discord_server
    (tmp_path / "no-profiles").mkdir()
    empty = service_at(tmp_path / "empty-chroma", embeddings, profiles_dir=tmp_path / "no-profiles")
    sources.add_arxiv("Yilun Du", {"2206.00003": arxiv_entry("2206.00003", SEED.papers[3])})
    async with running_bot(server, empty, settings_for(profiles_dir=tmp_path / "no-profiles")):
        assert empty.store.is_empty()
        handle = await server.slash_command(
            "researcher add", {"name": "Yilun Du", "source": "arxiv"}, user=server.admin
        )
        await handle.wait_for(lambda record: bool(record.embeds), timeout=60)
    assert empty.profile_ids() == ["yilun-du"]


async def test_a_failing_source_is_reported_and_the_store_is_left_as_it_was(
    discord_server: DiscordServer, lab: ResearchService, settings_for: SettingsFactory, sources: FakeSources
) -> None:
    server = discord_server
    sources.add_openalex(openalex_author("A7", "Yilun Du", works=3, citations=10, h_index=2), seed_works()[:3])
    sources.script("/openalex/works", Status(500), Status(500))
    revision = lab.store.revision()
    settings = settings_for()
    async with running_bot(server, lab, settings) as bot:
        handle = await server.slash_command("researcher add", {"name": "Yilun Du"}, user=server.admin)
        error = await handle.wait_for(lambda record: bool(record.embeds), timeout=60)
        assert error.ephemeral and only_embed(error)["description"] == escape_user_text(HTTP_500)
        progress = server.messages[(await handle.response()).message_id]
        assert progress["content"] == "Fetching Yilun Du from OpenAlex: stopped."  # not left saying "Fetching…"
        assert bot.sources.followed_researchers() == []
    assert len(sources.requests_to("/openalex/works")) == 2
    assert (lab.profile_ids(), lab.store.revision()) == (["ada-lovelace"], revision)


async def test_researcher_commands_are_refused_to_a_member(
    discord_server: DiscordServer, lab: ResearchService, settings_for: SettingsFactory, sources: FakeSources
) -> None:
    server = discord_server
    add_wei_chens(sources)
    async with running_bot(server, lab, settings_for()):
        command = server.find_command("researcher")[0]
        assert int(command["default_member_permissions"]) == 1 << 5  # Manage Server
        assert {option["name"] for option in command["options"]} == {"add", "refresh", "remove", "list"}
        for name, options in (
            ("researcher add", {"name": "Wei Chen"}),
            ("researcher refresh", {}),
            ("researcher remove", {"profile": "ada-lovelace"}),
            ("researcher list", {}),
        ):
            reply = await (await server.slash_command(name, options, user=server.member)).response()
            assert reply.ephemeral and only_embed(reply)["description"] == REFUSAL, name
        prefix = await (await server.send_message("!researcher add Wei", author=server.member)).response()
        assert only_embed(prefix)["description"] == REFUSAL
    assert sources.seen == [] and lab.profile_ids() == ["ada-lovelace"]


async def test_an_unanswered_menu_or_confirmation_times_out_and_changes_nothing(
    discord_server: DiscordServer, lab: ResearchService, settings_for: SettingsFactory, sources: FakeSources
) -> None:
    server = discord_server
    add_wei_chens(sources)
    async with running_bot(server, lab, settings_for(choice_timeout_seconds=0.3)):
        add = await server.slash_command("researcher add", {"name": "Wei Chen"}, user=server.admin)
        menu = await add.response(timeout=30)
        expired = await add.wait_for(lambda record: record.kind == "followup_edit", timeout=10)
        assert expired.content == "No researcher was picked in time; nothing was changed."
        assert selects(server.messages[menu.message_id])[0]["disabled"] is True

        remove = await server.slash_command("researcher remove", {"profile": "ada-lovelace"}, user=server.admin)
        question = await remove.response(timeout=30)
        await remove.wait_for(lambda record: record.kind == "followup_edit", timeout=10)
        stored = server.messages[question.message_id]
        assert stored["content"] == "No answer in time; nothing was removed."
        assert all(button["disabled"] for button in buttons(stored).values())
    assert sources.requests_to("/openalex/works") == [] and lab.profile_ids() == ["ada-lovelace"]


# --- refresh, list, remove ----------------------------------------------------------------------------------


async def test_refresh_says_what_changed_or_that_nothing_did(
    discord_server: DiscordServer, lab: ResearchService, settings_for: SettingsFactory, sources: FakeSources
) -> None:
    server = discord_server
    settings = settings_for()
    add_igor(sources)
    await follow(settings, lab, IGOR)
    async with running_bot(server, lab, settings):
        listing = only_embed(await (await server.slash_command("researcher list", user=server.admin)).response())
        assert listing["description"] == (
            f"**Igor Mordatch** (`igor-mordatch`) — OpenAlex `{IGOR}` · refreshed 2026-11-19 09:30 UTC"
        )
        prefix = await (await server.send_message("!researcher list", author=server.admin)).response()
        assert only_embed(prefix)["description"] == listing["description"]
        choices = await (
            await server.autocomplete("researcher refresh", {"profile": ""}, focused="profile", user=server.admin)
        ).callback()
        assert choices.choices == [{"name": "Igor Mordatch", "value": "igor-mordatch"}]  # followed ones only

        same = await (await server.slash_command("researcher refresh", user=server.admin)).response(timeout=60)
        assert only_embed(same)["title"] == "Refreshed 1 researcher"
        assert only_embed(same)["description"] == "**Igor Mordatch**: no change"

        add_igor(sources, citations=37_099, h_index=119)
        handle = await server.slash_command("researcher refresh", {"profile": "Igor Mordatch"}, user=server.admin)
        changed = only_embed(await handle.response(timeout=60))
        assert changed["description"] == "**Igor Mordatch**: h-index 117 → 119, +1,204 citations, i10-index 137 → 139"

        handle = await server.slash_command("researcher refresh", {"profile": "ada-lovelace"}, user=server.admin)
        refused = only_embed(await handle.response(timeout=60))
        assert refused["description"].startswith(escape_user_text("`ada-lovelace` comes from a profile file"))
    assert [snapshot.citations for snapshot in lab.store.get_snapshots("igor-mordatch")] == [35_895, 37_099]


async def test_remove_needs_the_invokers_confirmation(
    discord_server: DiscordServer, lab: ResearchService, settings_for: SettingsFactory, sources: FakeSources
) -> None:
    server = discord_server
    settings = settings_for()
    add_igor(sources)
    await follow(settings, lab, IGOR)
    async with running_bot(server, lab, settings) as bot:
        cancel = await server.slash_command("researcher remove", {"profile": "igor-mordatch"}, user=server.admin)
        question = await cancel.response(timeout=30)
        assert question.ephemeral
        assert question.content == (
            "Remove **Igor Mordatch** (`igor-mordatch`), their papers and metric history? This cannot be undone."
        )
        assert list(buttons(question.message or {})) == ["Remove", "Cancel"]
        other = await (await server.click_button(question, label="Remove", user=server.member)).response()
        assert other.ephemeral and other.content.startswith("Only the person who ran this")
        await server.click_button(question, label="Cancel", user=server.admin)
        answered = await cancel.wait_for(lambda record: record.kind == "followup_edit", timeout=30)
        assert answered.content == "Nothing was removed."
        assert lab.profile_ids() == ["ada-lovelace", "igor-mordatch"]

        remove = await server.slash_command("researcher remove", {"profile": "igor-mordatch"}, user=server.admin)
        await server.click_button(await remove.response(timeout=30), label="Remove", user=server.admin)
        removed = await remove.wait_for(lambda record: record.kind == "followup_edit", timeout=30)
        assert removed.content == "Removed **Igor Mordatch** (`igor-mordatch`): 50 papers and the metric history."
        assert removed.components == []
        assert bot.sources.followed_researchers() == []
    assert lab.profile_ids() == ["ada-lovelace"] and lab.store.get_snapshots("igor-mordatch") == []


# --- the scheduled refresh ----------------------------------------------------------------------------------


def schedule(bot: Any) -> Any:
    cog = bot.get_cog("Refresh schedule")
    assert isinstance(cog, RefreshScheduleCog)
    return cog.scheduled_refresh


async def test_the_scheduled_refresh_posts_changes_once_per_interval_across_restarts(
    discord_server: DiscordServer, lab: ResearchService, settings_for: SettingsFactory, sources: FakeSources
) -> None:
    server = discord_server
    news = server.add_channel("research-news")
    settings = settings_for(refresh_interval_hours=168, refresh_check_seconds=0.05, refresh_channel_id=news.id)
    add_igor(sources)
    sources.add_openalex(openalex_author("A7", "Yilun Du", works=3, citations=10, h_index=2), seed_works()[:3])
    await follow(settings, lab, IGOR, "A7")
    add_igor(sources, citations=37_099, h_index=119)  # a week later
    sources.script("/openalex/authors/A7", Status(500), Status(500))  # and Yilun Du's source fails

    def posted() -> list[OutgoingMessage]:
        return [record for record in server.outgoing if record.channel_id == news.id]

    def fetches() -> int:
        return len(sources.requests_to(f"/openalex/authors/{IGOR}"))

    async with running_bot(server, lab, settings) as bot:
        post = await server.wait_for_message(lambda record: record.channel_id == news.id, timeout=60)
        assert post.kind == "channel_message" and pings_no_one(post.allowed_mentions)
        assert post.content == (
            "Igor Mordatch: h-index 117 → 119, +1,204 citations, i10-index 137 → 139 since 2026-11-19\n"
            f"Yilun Du: not refreshed: {escape_user_text(HTTP_500)}"
        )
        loop, seen = schedule(bot), fetches()
        await eventually(lambda: loop.current_loop >= 3)  # more checks: the run is not repeated
        assert fetches() == seen and len(posted()) == 1
    last_run = followed(settings).last_scheduled_run()
    assert last_run is not None and dt.datetime.now(dt.UTC) - last_run < dt.timedelta(minutes=5)

    async with running_bot(server, lab, settings) as bot:  # a restart, the same database
        loop = schedule(bot)
        await eventually(lambda: loop.current_loop >= 3)
        assert fetches() == seen  # not due for another week
        followed(settings).set_last_scheduled_run(last_run - dt.timedelta(hours=168))
        await eventually(lambda: fetches() > seen)  # due now: the next check runs it
        await eventually(lambda: followed(settings).last_scheduled_run() != last_run - dt.timedelta(hours=168))
        await eventually(lambda: loop.current_loop >= 6)
        assert len(posted()) == 1  # nothing changed this time: nothing posted
    assert server.errors == []


async def test_no_schedule_when_the_interval_is_zero(
    discord_server: DiscordServer, lab: ResearchService, settings_for: SettingsFactory
) -> None:
    async with running_bot(discord_server, lab, settings_for(refresh_interval_hours=0)) as bot:
        assert not schedule(bot).is_running()
    assert followed(settings_for()).last_scheduled_run() is None


# --- helpers without Discord --------------------------------------------------------------------------------


def fetch_report(changes: dict[str, tuple[int | None, int | None]]) -> FetchReport:
    return FetchReport(
        profile="igor-mordatch",
        name="Igor Mordatch",
        source="openalex",
        reference=IGOR,
        papers=50,
        without_abstract=0,
        ingest=IngestReport(),
        changes=changes,
    )


def test_change_lines() -> None:
    since = dt.datetime(2026, 11, 19, tzinfo=dt.UTC)
    grew = fetch_report({"h_index": (117, 119), "citations": (35_895, 37_099), "papers_claimed": (67, 69)})
    assert change_line(grew, since) == "Igor Mordatch: h-index 117 → 119, +1,204 citations, +2 works since 2026-11-19"
    assert change_summary(fetch_report({"citations": (10, 7), "h_index": (None, 3)})) == "-3 citations, h-index — → 3"
    assert change_line(fetch_report({}), since) == "Igor Mordatch: no change"


def test_progress_edits_are_throttled() -> None:
    now = [100.0]
    throttle = Throttle(2.0, clock=lambda: now[0])
    ready = []
    for step in (0.5, 1.0, 1.5, 2.1, 3.0, 4.2, 4.3):
        now[0] = 100.0 + step
        ready.append(throttle.ready())
    assert ready == [False, False, False, True, False, True, False]
