"""A previous/next paginator over pre-rendered pages (each the embeds of one message): only the invoker may page;
buttons disable on timeout."""

from __future__ import annotations

import contextlib

import discord


class EmbedPaginator(discord.ui.View):
    def __init__(
        self, pages: list[list[discord.Embed]], owner_id: int, *, timeout: float = 180.0, command: str = "papers"
    ) -> None:
        super().__init__(timeout=timeout)
        self.pages = pages
        self.owner_id = owner_id
        self.command = command
        self.index = 0
        self.message: discord.Message | None = None
        self._sync_buttons()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            f"Only the person who ran the command can turn these pages; run `/{self.command}` yourself.",
            ephemeral=True,
        )
        return False

    def _sync_buttons(self) -> None:
        self.previous_page.disabled = self.index == 0
        self.next_page.disabled = self.index >= len(self.pages) - 1

    async def _show(self, interaction: discord.Interaction, index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._sync_buttons()
        await interaction.response.edit_message(embeds=self.pages[self.index], view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous_page(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next_page(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, self.index + 1)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):  # the message may be gone
                await self.message.edit(view=self)
