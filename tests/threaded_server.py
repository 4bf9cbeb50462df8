"""An aiohttp server on 127.0.0.1 running its own event loop in a thread, for fake remote services the code under
test may call synchronously or from another loop (tests/openai_server.py, tests/source_servers.py). A subclass
builds its `web.Application` in `make_app`; `release` lets a handler that hangs on purpose end at `stop()`."""

from __future__ import annotations

import asyncio
import threading

from aiohttp import web


class ThreadedServer:
    name = "fake server"

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self.release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    def make_app(self) -> web.Application:
        raise NotImplementedError

    def start(self) -> None:
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), name=self.name, daemon=True).start()
        assert ready.wait(10), f"the {self.name} did not start"

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._runner = web.AppRunner(self.make_app(), shutdown_timeout=0.5)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        ready.set()
        self._loop.run_forever()

    async def _shutdown(self) -> None:
        self.release.set()
        if self._runner is not None:
            await self._runner.cleanup()
