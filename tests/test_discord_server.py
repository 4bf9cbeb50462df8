"""Self-test of the fake Discord server: a tiny real discord.py bot, end to end, offline."""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import AsyncIterator, Callable

import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ext import commands

from tests.discord_fixtures import ServerFactory, run_bot
from tests.discord_server import DiscordServer, OutgoingMessage, Upload

pytest_plugins = ["tests.discord_fixtures"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
FRUITS = [f"{name}-{n}" for name in ("apple", "banana", "cherry", "grape", "melon") for n in range(8)]


class ConfirmView(discord.ui.View):
    """A button only the user who ran the command may press."""

    def __init__(self, owner_id: int) -> None:
        super().__init__(timeout=60)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message("This button is not for you.", ephemeral=True)
            return False
        return True

    @discord.ui.button(label="Yes", style=discord.ButtonStyle.green)
    async def yes(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content="Confirmed", view=None)


class FruitMenu(discord.ui.View):
    @discord.ui.select(
        placeholder="Pick fruits", max_values=2, options=[discord.SelectOption(label=f) for f in FRUITS[:3]]
    )
    async def fruits(self, interaction: discord.Interaction, menu: discord.ui.Select) -> None:
        await interaction.response.send_message(f"You picked {', '.join(menu.values)}", ephemeral=True)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text = discord.ui.TextInput(label="Your feedback", custom_id="feedback-text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Thanks: {self.text.value}", ephemeral=True)


class TinyCog(commands.Cog):
    @commands.hybrid_command(description="Check that the bot is alive")
    async def ping(self, ctx: commands.Context) -> None:
        await ctx.send(embed=discord.Embed(title="Pong", description="all good"))

    @commands.hybrid_command(description="Pick a fruit")
    async def fruit(self, ctx: commands.Context, name: str) -> None:
        await ctx.send(f"You picked {name}")

    @fruit.autocomplete("name")
    async def fruit_names(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f, value=f) for f in FRUITS if current.lower() in f][:25]

    @commands.hybrid_command(description="Repeat some text")
    async def echo(self, ctx: commands.Context, *, text: str) -> None:
        await ctx.send(text)

    @commands.hybrid_command(description="Draw a chart (slowly)")
    async def chart(self, ctx: commands.Context) -> None:
        await ctx.defer()
        await ctx.send("Here is your chart", file=discord.File(io.BytesIO(PNG_1X1), "chart.png"))

    @commands.hybrid_command(description="Ask for confirmation")
    async def confirm(self, ctx: commands.Context) -> None:
        await ctx.send("Are you sure?", view=ConfirmView(ctx.author.id))

    @commands.hybrid_command(description="Pick from a menu")
    async def menu(self, ctx: commands.Context) -> None:
        await ctx.send("Which ones?", view=FruitMenu())

    @commands.hybrid_command(description="Measure a file")
    async def size(self, ctx: commands.Context, file: discord.Attachment) -> None:
        data = await file.read()
        await ctx.send(f"{file.filename}: {len(data)} bytes")

    @commands.hybrid_command(description="Describe a member")
    async def whois(self, ctx: commands.Context, member: discord.Member) -> None:
        await ctx.send(f"{member.name} manage_guild={member.guild_permissions.manage_guild}")

    @commands.hybrid_command(description="Say too much")
    async def ramble(self, ctx: commands.Context) -> None:
        try:
            await ctx.send("a" * 2001)
        except discord.HTTPException as error:
            await ctx.send(f"refused: {error.code}")

    @app_commands.command(description="Send feedback")
    async def feedback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())


class TinyBot(commands.Bot):
    def __init__(self, guild_id: int) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(
            command_prefix="!",
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=0.05,
        )
        self.guild_id = guild_id

    async def setup_hook(self) -> None:
        await self.add_cog(TinyCog())
        guild = discord.Object(self.guild_id)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)


@pytest_asyncio.fixture
async def server(discord_server: DiscordServer) -> AsyncIterator[DiscordServer]:
    """The default server with TinyBot connected and ready."""
    async with run_bot(TinyBot(discord_server.guild.id), discord_server):
        yield discord_server


@pytest.mark.asyncio
async def test_login_ready_and_command_sync(server: DiscordServer) -> None:
    assert {"GET /users/@me", "GET /oauth2/applications/@me"} <= set(server.requests)
    synced = {command["name"] for command in server.commands[server.guild.id]}
    assert {"ping", "fruit", "chart", "confirm", "feedback"} <= synced
    assert server.received_ops()[:2] == [1, 2]  # first heartbeat, then IDENTIFY
    assert server.heartbeats >= 1
    assert server.errors == []


@pytest.mark.asyncio
async def test_slash_command_answered_with_embed(server: DiscordServer) -> None:
    handle = await server.slash_command("ping")
    reply = await handle.response()
    assert reply.kind == "interaction_callback" and reply.callback_type == 4
    assert reply.embeds[0]["title"] == "Pong"


@pytest.mark.asyncio
async def test_prefix_command_answered(server: DiscordServer) -> None:
    message = await server.send_message("!ping")
    reply = await message.response()
    assert reply.kind == "channel_message" and reply.channel_id == server.channel.id
    assert reply.embeds[0]["title"] == "Pong"


@pytest.mark.asyncio
async def test_autocomplete_offers_at_most_25_choices(server: DiscordServer) -> None:
    everything = await (await server.autocomplete("fruit", {"name": ""}, focused="name")).response()
    assert everything.callback_type == 8 and len(everything.choices or []) == 25
    cherries = await (await server.autocomplete("fruit", {"name": "cher"}, focused="name")).response()
    assert {choice["value"] for choice in cherries.choices or []} == {f"cherry-{n}" for n in range(8)}


@pytest.mark.asyncio
async def test_deferred_follow_up_carries_png(server: DiscordServer) -> None:
    handle = await server.slash_command("chart")
    assert (await handle.callback()).callback_type == 5
    follow_up = await handle.response()
    assert follow_up.kind == "followup" and follow_up.content == "Here is your chart"
    [png] = follow_up.files
    assert png.filename == "chart.png" and png.data[:8] == PNG_SIGNATURE
    assert follow_up.message is not None and follow_up.message["attachments"][0]["filename"] == "chart.png"


@pytest.mark.asyncio
async def test_button_only_works_for_the_invoker(server: DiscordServer) -> None:
    prompt = await (await server.slash_command("confirm", user=server.member)).response()

    stranger = await (await server.click_button(prompt, label="Yes", user=server.admin)).response()
    assert stranger.callback_type == 4 and stranger.ephemeral
    assert stranger.content == "This button is not for you."

    invoker = await (await server.click_button(prompt, label="Yes", user=server.member)).response()
    assert invoker.callback_type == 7 and invoker.content == "Confirmed"
    assert invoker.message is not None and invoker.message["components"] == []


@pytest.mark.asyncio
async def test_select_menu_round_trip(server: DiscordServer) -> None:
    prompt = await (await server.slash_command("menu")).response()
    picked = await (await server.choose_options(prompt, ["apple-0", "apple-2"], placeholder="Pick fruits")).response()
    assert picked.callback_type == 4 and picked.content == "You picked apple-0, apple-2" and picked.ephemeral
    with pytest.raises(ValueError, match="cannot pick"):
        await server.choose_options(prompt, ["banana-0"])  # not offered
    with pytest.raises(ValueError, match="cannot pick"):
        await server.choose_options(prompt, ["apple-0", "apple-1", "apple-2"])  # over max_values


@pytest.mark.asyncio
async def test_allowed_mentions_none_in_slash_and_prefix_replies(server: DiscordServer) -> None:
    slash = await (await server.slash_command("echo", {"text": "@everyone look"})).response()
    prefix = await (await server.send_message("!echo @everyone look")).response()
    for reply in (slash, prefix):
        assert reply.content == "@everyone look"
        assert reply.allowed_mentions == {"parse": []}


@pytest.mark.asyncio
@pytest.mark.parametrize("route", ["POST /channels/*/messages", "POST /interactions/"])
async def test_reply_survives_429_burst(server: DiscordServer, route: str) -> None:
    server.rate_limit_next(route, times=2, retry_after=0.05)
    if route.startswith("POST /channels"):
        reply = await (await server.send_message("!ping")).response()
    else:
        reply = await (await server.slash_command("ping")).response()
    assert reply.embeds[0]["title"] == "Pong"
    assert len(server.rate_limited) == 2


@pytest.mark.asyncio
async def test_resume_after_gateway_drop_delivers_queued_command(server: DiscordServer) -> None:
    await server.drop_gateway()
    handle = await server.slash_command("ping")  # injected while the bot is disconnected
    reply = await handle.response()
    assert reply.embeds[0]["title"] == "Pong"
    assert 6 in server.received_ops()
    assert server.received_ops().count(2) == 1  # resumed, not re-identified
    assert server.gateway_connect_paths == ["/ws", "/ws/resume"]


@pytest.mark.asyncio
async def test_attachment_option_is_downloadable(server: DiscordServer) -> None:
    upload = Upload("notes.txt", b"hello world")
    reply = await (await server.slash_command("size", {"file": upload})).response()
    assert reply.content == "notes.txt: 11 bytes"


@pytest.mark.asyncio
async def test_member_option_resolves_roles_and_permissions(server: DiscordServer) -> None:
    admin = await (await server.slash_command("whois", {"member": server.admin})).response()
    plain = await (await server.slash_command("whois", {"member": server.member})).response()
    assert admin.content == "admin manage_guild=True"
    assert plain.content == "member manage_guild=False"


@pytest.mark.asyncio
async def test_modal_round_trip(server: DiscordServer) -> None:
    modal = await (await server.slash_command("feedback")).response()
    assert modal.callback_type == 9 and modal.data["title"] == "Feedback"
    reply = await (await server.submit_modal(modal, {"feedback-text": "great bot"})).response()
    assert reply.content == "Thanks: great bot" and reply.ephemeral


@pytest.mark.asyncio
async def test_oversized_message_is_refused_like_discord(server: DiscordServer) -> None:
    reply = await (await server.send_message("!ramble")).response()
    assert reply.content == "refused: 50035"
    assert any("Invalid Form Body" in error for error in server.errors)


@pytest.mark.asyncio
async def test_wait_for_message_returns_each_record_once(server: DiscordServer) -> None:
    await server.send_message("!echo one")
    await server.send_message("!echo two")

    def is_echo(record: OutgoingMessage) -> bool:
        return record.kind == "channel_message"

    first = await server.wait_for_message(is_echo)
    second = await server.wait_for_message(is_echo)
    assert {first.content, second.content} == {"one", "two"}


@pytest.mark.asyncio
async def test_fifty_concurrent_slash_commands(server: DiscordServer) -> None:
    handles = await asyncio.gather(*(server.slash_command("echo", {"text": f"n{i}"}) for i in range(50)))
    replies = await asyncio.gather(*(handle.response() for handle in handles))
    assert sorted(reply.content or "" for reply in replies) == sorted(f"n{i}" for i in range(50))


@pytest.mark.asyncio
async def test_without_message_content_intent_only_mentions_carry_content(discord_server: DiscordServer) -> None:
    seen: list[str] = []
    bot = commands.Bot(
        command_prefix=commands.when_mentioned, intents=discord.Intents.default(), guild_ready_timeout=0.05
    )

    @bot.command()
    async def ping(ctx: commands.Context) -> None:
        await ctx.reply("pong")

    @bot.listen()
    async def on_message(message: discord.Message) -> None:
        seen.append(message.content)

    async with run_bot(bot, discord_server):
        await discord_server.send_message("secret plans")
        mention = await discord_server.send_message(f"{discord_server.bot_user.mention} ping")
        reply = await mention.response()
    assert reply.content == "pong"
    assert reply.raw["message_reference"]["message_id"] == mention.id
    assert seen[:2] == ["", f"{discord_server.bot_user.mention} ping"]


@pytest.mark.asyncio
async def test_bad_token_fails_login(discord_server: DiscordServer) -> None:
    with pytest.raises(discord.LoginFailure):
        async with run_bot(TinyBot(discord_server.guild.id), discord_server, "not-the-token"):
            pass
    assert any("401" in error for error in discord_server.errors)


@pytest.mark.asyncio
async def test_refused_privileged_intent(discord_server_factory: ServerFactory) -> None:
    server = await discord_server_factory(allowed_privileged_intents=0)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with run_bot(TinyBot(server.guild.id), server):
            pass


class EagerShardedBot(commands.AutoShardedBot):
    """No shard count: it asks GET /gateway/bot. No 5 s wait between its shards' IDENTIFYs (Discord's pace)."""

    def __init__(self) -> None:
        super().__init__(command_prefix="!", intents=discord.Intents.default(), guild_ready_timeout=0.05)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        pass


async def test_sharded_login_takes_the_recommended_count_and_splits_the_guilds(
    discord_server_factory: ServerFactory,
) -> None:
    server = await discord_server_factory(shards=2)
    second = server.add_guild("Second", shard=0, shard_count=2)
    bot = EagerShardedBot()
    async with run_bot(bot, server):
        assert bot.shard_count == 2
        shard_of = {guild.id: guild.shard_id for guild in bot.guilds}
    assert sorted(server.identified_shards()) == [[0, 2], [1, 2]]
    assert shard_of == {second.id: 0, server.guild.id: 1}
    assert (server.shard_guilds(0), server.shard_guilds(1)) == ({second.id}, {server.guild.id})


# --- replies and threads -----------------------------------------------------------------------------------


async def eventually(predicate: Callable[[], object], what: str, timeout: float = 5.0) -> None:
    """Poll bot-side state (the server's `wait_until` wakes only on what the server sees)."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


class ThreadBot(commands.Bot):
    """Records the messages it sees; `!discuss` answers and starts a thread on its answer."""

    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
        self.seen: list[discord.Message] = []
        self.started: list[discord.Thread] = []

        @self.command()
        async def discuss(ctx: commands.Context) -> None:
            answer = await ctx.reply("Let's talk", mention_author=False)
            self.started.append(await answer.create_thread(name="a talk"))

    async def on_message(self, message: discord.Message) -> None:
        if message.author != self.user:
            self.seen.append(message)
        await self.process_commands(message)


async def test_a_reply_references_its_message_and_pings_its_author_unless_told_not_to(
    discord_server: DiscordServer,
) -> None:
    server, bot = discord_server, ThreadBot()
    async with run_bot(bot, server):
        answer = await (await server.send_message("!discuss")).response()
        pinging = await server.send_message("and then?", reply_to=answer)
        quiet = await server.send_message("hm", reply_to=answer, mention_author=False)
        await eventually(lambda: len(bot.seen) == 3, "three messages")
    first, second = bot.seen[1:]
    assert first.type is discord.MessageType.reply and first.reference.message_id == answer.message_id
    assert first.reference.resolved.author == bot.user and first.reference.resolved.content == "Let's talk"
    assert bot.user in first.mentions and bot.user not in second.mentions
    assert (pinging.id, quiet.id) == (first.id, second.id)


async def test_the_bot_starts_a_thread_on_its_message_and_is_its_member(discord_server: DiscordServer) -> None:
    server, bot = discord_server, ThreadBot()
    async with run_bot(bot, server):
        answer = await (await server.send_message("!discuss")).response()
        await eventually(lambda: bot.started, "the thread")
        [started] = bot.started
        record = await server.wait_for_message(lambda r: r.kind == "thread_create")
        [fake] = server.guild.threads
        inside = await server.send_message("hello thread", channel=fake)
        await eventually(lambda: any(m.id == inside.id for m in bot.seen), "the thread's message")
        thread = bot.get_channel(started.id)
        with pytest.raises(discord.HTTPException) as twice:  # one thread per message
            await bot.get_channel(server.channel.id).get_partial_message(answer.message_id).create_thread(name="x")
    assert record.raw["name"] == "a talk"
    assert started.id == answer.message_id == fake.id  # a thread's id is its message's
    assert isinstance(thread, discord.Thread) and thread.parent_id == server.channel.id
    assert thread.owner_id == bot.user.id and thread.me is not None  # THREAD_MEMBERS_UPDATE about the bot
    seen = next(m for m in bot.seen if m.id == inside.id)
    assert seen.channel == thread and seen.channel.parent == bot.get_channel(server.channel.id)
    assert server.messages[answer.message_id]["thread"]["id"] == str(fake.id)
    assert set(fake.members) == {bot.user.id, server.member.id}  # the owner, and whoever posted
    assert twice.value.code == 160004


async def test_a_users_thread_takes_the_bot_in_when_it_is_mentioned_and_remembers_it_on_reconnect(
    discord_server: DiscordServer,
) -> None:
    server, bot = discord_server, ThreadBot()
    starter = await server.send_message("a topic")
    fake = await server.create_thread(starter, "the topic's thread")
    async with run_bot(bot, server):
        thread = bot.get_channel(fake.id)
        assert isinstance(thread, discord.Thread) and thread.owner_id == server.member.id
        assert thread.me is None  # not a member until mentioned
        await server.send_message(f"{server.bot_user.mention} join us", channel=fake)
        await eventually(lambda: thread.me is not None, "the bot's membership")
    assert set(fake.members) == {server.member.id, server.bot_user.id}
    restarted = ThreadBot()
    async with run_bot(restarted, server):  # GUILD_CREATE lists active threads with the bot's membership
        assert restarted.get_channel(fake.id).me is not None
