"""Talking to a Chroma server (`chroma run`): a client whose requests time out, and its failures as one error.

chromadb's HTTP client raises httpx's errors for a refused or dropped connection or a timeout, a ValueError
chained to them while it connects, and for a server error a ChromaError of code 5xx or a bare Exception chained to
httpx's HTTPStatusError. `store_calls` turns each of those, raised from any public method of a class, into
`StoreUnavailableError`; every other error passes unchanged. Nothing is cached on failure, so the next call tries
the server again: a server restarted on the same `--path` serves the same collections (same ids) to the same
client, without restarting the process.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import chromadb
import httpx
from chromadb.api import ClientAPI
from chromadb.errors import ChromaError

from retrieval.errors import StoreUnavailableError

C = TypeVar("C", bound=type)


def server_client(host: str, port: int, timeout: float) -> ClientAPI:
    """An HttpClient whose every request gives up after `timeout` seconds. chromadb's own never does (httpx
    timeout None) and its constructor already talks to the server, so a silent server is probed first."""
    probe = httpx.get(f"http://{host}:{port}/api/v2/heartbeat", timeout=timeout)
    if probe.status_code >= 500:
        probe.raise_for_status()
    client = chromadb.HttpClient(host=host, port=port)
    # chromadb has no timeout setting; its session is an httpx.Client, whose timeout is settable
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(timeout)
    return client


def causes(error: BaseException) -> Iterator[BaseException]:
    """The error, then what it was raised from or while handling, and so on."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def unavailability(error: BaseException, *, server: bool = True) -> str | None:
    """Why the store cannot be reached, when that is what `error` means; None for any other error. `server`: the
    store is a Chroma server; an embedded store's internal errors (e.g. a query SQLite refuses) are bugs, not
    outages, and must not read "try again shortly"."""
    for cause in causes(error):
        if isinstance(cause, httpx.TransportError):  # refused, reset, name not found, timed out
            return f"{where(cause)}{type(cause).__name__}: {cause}".rstrip(": ")
        if isinstance(cause, httpx.HTTPStatusError) and cause.response.status_code >= 500:
            return f"{where(cause)}HTTP {cause.response.status_code}"
        if server and isinstance(cause, ChromaError) and cause.code() >= 500:
            return f"{type(cause).__name__}: {cause}"
    return None


def where(error: httpx.RequestError | httpx.HTTPStatusError) -> str:
    try:
        url = error.request.url
    except RuntimeError:  # an httpx error raised without its request
        return ""
    return f"Chroma server {url.host}:{url.port}: "


def translated(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except StoreUnavailableError:
            raise  # from a nested store call
        except Exception as error:
            settings = getattr(args[0], "settings", None) if args else None
            reason = unavailability(error, server=bool(getattr(settings, "chroma_host", None)))
            if reason is None:
                raise
            raise StoreUnavailableError(reason) from error

    return call


def store_calls(cls: C) -> C:
    """Every public method of `cls` raises `StoreUnavailableError` when the store cannot be reached: one place
    for the mapping, whichever service call the CLI or the bot makes."""
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(member) and not inspect.iscoroutinefunction(member):
            setattr(cls, name, translated(member))
    return cls
