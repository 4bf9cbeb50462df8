"""HTTP for the sources: one aiohttp session per source, a polite rate, bounded concurrency, retries.

Retries (tenacity) cover what a later attempt may fix: 429, 5xx, timeouts and dropped connections. A 429's or
503's `Retry-After` (seconds or an HTTP date) is the wait; otherwise exponential backoff with jitter. A wait longer
than `source_retry_max_seconds` (a daily quota spent, say) fails at once rather than holding a command for an hour.
Everything else (404, 400, a body of the wrong shape) fails on the first answer, with a message naming the source.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import json
import logging
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiolimiter import AsyncLimiter
from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from retrieval.errors import UserFacingError

log = logging.getLogger(__name__)
UNCHANGED = "Nothing was changed."


class SourceError(UserFacingError):
    """A source could not give what was asked; the store is untouched."""


class SourceUnavailableError(SourceError):
    """The source kept failing (5xx, 429, timeouts) until the attempts ran out."""


class SourceNotFoundError(SourceError):
    pass


class SourceResponseError(SourceError):
    """The source answered with a body of a shape this client does not know."""


class RetryableResponse(Exception):
    """A failed attempt worth repeating; `retry_after` is the server's requested wait, if it gave one."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return max(0.0, (moment - (now or dt.datetime.now(dt.UTC))).total_seconds())


class WaitRetryAfter:
    """tenacity wait: the server's Retry-After when it sent one, else the fallback backoff."""

    def __init__(self, fallback: Any) -> None:
        self.fallback = fallback

    def __call__(self, retry_state: RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(error, RetryableResponse) and error.retry_after is not None:
            return error.retry_after
        return float(self.fallback(retry_state))


class HttpSource:
    """Base of a source client: `async with Client(...) as client:` opens its session and closes it."""

    name = "source"

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float,
        attempts: int,
        max_wait: float,
        requests_per_second: float,
        concurrency: int,
        params: dict[str, str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.attempts = attempts
        self.max_wait = max_wait
        self.params = params or {}
        # at most `requests_per_second` starts per second, and `concurrency` requests in flight
        self._limiter = AsyncLimiter(1, 1 / requests_per_second) if requests_per_second > 0 else None
        self._slots = asyncio.Semaphore(concurrency)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        self._session = aiohttp.ClientSession(
            timeout=self.timeout, headers={"User-Agent": "research-bot (+https://github.com/research-bot)"}
        )
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def get_text(self, path: str, params: dict[str, Any] | None = None) -> str:
        """GET base_url + path with the source's own parameters added; retried as the module docstring says."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=WaitRetryAfter(wait_exponential_jitter(initial=1, max=self.max_wait)),
            retry=retry_if_exception_type(RetryableResponse),
            reraise=True,
            before_sleep=lambda state: log.warning(
                "%s: attempt %d failed (%s); retrying", self.name, state.attempt_number, state.outcome.exception()
            ),
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._attempt(path, {**self.params, **(params or {})})
        except RetryableResponse as error:
            raise SourceUnavailableError(
                f"{self.name} did not answer after {self.attempts} attempts ({error.reason}). {UNCHANGED} "
                "Try again later."
            ) from error
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        text = await self.get_text(path, params)
        try:
            return json.loads(text)
        except ValueError as error:
            raise SourceResponseError(f"{self.name} sent a body that is not JSON for {path}. {UNCHANGED}") from error

    def parse(self, model: type[BaseModel], data: Any, what: str) -> Any:
        """`data` validated as `model`; a clear error naming the first field that does not fit."""
        try:
            return model.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "the body"
            raise SourceResponseError(
                f"{self.name} sent {what} of an unexpected shape ({where}: {first['msg']}). {UNCHANGED}"
            ) from error

    async def _attempt(self, path: str, params: dict[str, Any]) -> str:
        if self._session is None:
            raise RuntimeError(f"{type(self).__name__} is used outside `async with`")
        async with self._slots:
            if self._limiter is not None:
                await self._limiter.acquire()
            try:
                async with self._session.get(self.base_url + path, params=params) as response:
                    body = await response.text()
                    self._check(response, path, body)
                    return body
            except (TimeoutError, aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as error:
                reason = "timed out" if isinstance(error, TimeoutError) else f"connection failed: {error}"
                raise RetryableResponse(reason) from error

    def _check(self, response: aiohttp.ClientResponse, path: str, body: str) -> None:
        status = response.status
        if status < 400:
            return
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None and retry_after > self.max_wait:
                raise SourceUnavailableError(
                    f"{self.name} asks to wait {retry_after:,.0f} s before the next request (HTTP {status}); "
                    f"that is longer than the {self.max_wait:,.0f} s this client waits. {UNCHANGED}"
                )
            raise RetryableResponse(f"HTTP {status}", retry_after)
        if status == 404:
            raise SourceNotFoundError(f"{self.name} has nothing at {path}. {UNCHANGED}")
        raise SourceError(f"{self.name} refused the request for {path} (HTTP {status}): {body[:200]} {UNCHANGED}")
