"""A real `chroma run` on 127.0.0.1: started, stopped, frozen and restarted on the same port and data folder.

Use as a plugin (``pytest_plugins = ["tests.chroma_fixtures"]``, which tests/conftest.py does) for the
module-wide ``chroma_server``, or make a `ChromaServer` of your own to stop and restart it.
(PYTEST_DONT_REWRITE: no asserts here.)
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Self

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ChromaServer:
    """`chroma run --host 127.0.0.1 --port PORT --path PATH` as a child process."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path, self.port = path, port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> Self:
        executable = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
        command = [executable, "run", "--host", "127.0.0.1", "--port", str(self.port), "--path", str(self.path)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not self.answers():
            # a server that died (say, the port was taken by another) must not pass for this one
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"chroma run did not start on port {self.port}")
            time.sleep(0.1)
        return self

    def answers(self) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1.0).is_success
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        """Terminate (SIGTERM) and wait: the port refuses connections afterwards."""
        if self.process is not None:
            if self.process.poll() is None:
                self.resume()  # a frozen process cannot act on SIGTERM
                self.process.terminate()
                self.process.wait(timeout=20)
            self.process = None

    def restart(self) -> Self:
        self.stop()
        return self.start()

    def freeze(self) -> None:
        """SIGSTOP: connections are still accepted (by the kernel) but never answered, like a hung server."""
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGCONT)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One server for the module's tests (they must not stop it)."""
    with ChromaServer(tmp_path_factory.mktemp("chroma-server")) as server:
        yield server
