"""One error path for every command: the user gets a short ephemeral message, the log gets the traceback.

Errors the user can fix (`UserFacingError`) are shown as they are; anything else is "something went
wrong" plus a traceback in the log. Tokens never reach either: Settings keeps the token as a SecretStr.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.formatting import render_error_embed
from retrieval.errors import FollowUpError, StoreUnavailableError, UnknownProfileError, UserFacingError

log = logging.getLogger(__name__)

INTERNAL_ERROR_MESSAGE = "Something went wrong on my side; it has been logged. Please try again later."


def unwrap(error: BaseException) -> BaseException:
    while isinstance(
        error, commands.HybridCommandError | commands.CommandInvokeError | app_commands.CommandInvokeError
    ):
        error = error.original
    return error


def cooldown_message(retry_after: float) -> str:
    return f"Slow down a little: try again in {retry_after:.0f} s."


def log_outage(error: BaseException) -> None:
    """The user sees "try again shortly"; the operator needs the reason (one line, no traceback)."""
    if isinstance(error, StoreUnavailableError):
        log.warning("the paper store is unavailable: %s", error.reason)


def user_message_for(error: BaseException) -> str | None:
    """A message for the user, or None when the error is ours (logged with its traceback)."""
    if isinstance(error, UnknownProfileError):
        return error.message(see="/profiles")
    if isinstance(error, UserFacingError):
        return str(error)
    if isinstance(error, commands.CommandOnCooldown | app_commands.CommandOnCooldown):
        return cooldown_message(error.retry_after)
    if isinstance(error, commands.MissingPermissions | commands.NotOwner | app_commands.MissingPermissions):
        return "This command is for server admins (Manage Server permission) or the bot owner."
    if isinstance(error, commands.NoPrivateMessage | app_commands.NoPrivateMessage):
        return "This command only works in a server."
    if isinstance(error, commands.CheckFailure | app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, commands.UserInputError):
        return f"{error} Try `/help`."
    return None


def error_embed(error: BaseException, message: str) -> discord.Embed:
    """The error's message; for a follow-up that could mean several papers, with those papers."""
    return render_error_embed(message, error.candidates if isinstance(error, FollowUpError) else None)


async def report_command_error(ctx: commands.Context, error: commands.CommandError) -> None:
    cause = unwrap(error)
    if isinstance(cause, commands.CommandNotFound):
        return  # "@bot what is ...": mentions are answered by the ask cog's listener
    log_outage(cause)
    message = user_message_for(cause)
    if message is None:
        log.error("command %r failed", ctx.command and ctx.command.qualified_name, exc_info=cause)
        message = INTERNAL_ERROR_MESSAGE
    try:
        await send_privately(ctx, error_embed(cause, message))
    except discord.HTTPException:
        log.warning("could not report an error to the user", exc_info=True)


async def report_interaction_error(interaction: discord.Interaction, error: BaseException) -> None:
    """The same for a button, select or form: discord.py only logs what their callbacks raise."""
    cause = unwrap(error)
    log_outage(cause)
    message = user_message_for(cause)
    if message is None:
        log.error("interaction %r failed", (interaction.data or {}).get("custom_id"), exc_info=error)
        message = INTERNAL_ERROR_MESSAGE
    send = interaction.followup.send if interaction.response.is_done() else interaction.response.send_message
    try:
        await send(embed=render_error_embed(message), ephemeral=True)
    except discord.HTTPException:
        log.warning("could not report an error to the user", exc_info=True)


async def send_privately(ctx: commands.Context, embed: discord.Embed) -> None:
    """Ephemeral for slash commands, even after a public defer: the first follow-up would inherit the
    public "thinking…" placeholder, so that placeholder is deleted first."""
    interaction = ctx.interaction
    if (
        interaction is not None
        and interaction.response.type is discord.InteractionResponseType.deferred_channel_message
    ):
        placeholder = await interaction.original_response()
        if placeholder.flags.loading:
            await interaction.delete_original_response()
            await interaction.followup.send(embed=embed, ephemeral=True)
            return
    await ctx.send(embed=embed, ephemeral=True)
